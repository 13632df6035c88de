import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

/**
 * Which peers may speak for the client through X-Forwarded-* headers (TRUST_PROXY). The same
 * decision serves Express (`trust proxy`, for webhooks) and the WebSocket upgrade path, which
 * Express never sees. `hop` 0 is the socket's peer, 1 the address it forwarded for, and so on.
 */
export type TrustProxy = (address: string, hop: number) => boolean;

export const TRUST_NONE: TrustProxy = () => false;

const PRESETS: Record<string, string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/**
 * TRUST_PROXY's value: unset or `false` (trust no one: the default), `true` (trust every peer:
 * only when the bridge is reachable solely through the proxy), a number of proxy hops, or a
 * comma-separated list of addresses, CIDR ranges and the names loopback, linklocal, uniquelocal.
 * Returns the decision, or a message saying what is wrong with the value.
 */
export function parseTrustProxy(value: string | undefined): { ok: true; trust: TrustProxy } | { ok: false; message: string } {
  const text = value?.trim() ?? '';
  if (text === '' || text === 'false') return { ok: true, trust: TRUST_NONE };
  if (text === 'true') return { ok: true, trust: () => true };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    return { ok: true, trust: (_address, hop) => hop < hops };
  }
  const list = new BlockList();
  for (const entry of text.split(',').map((s) => s.trim())) {
    for (const range of PRESETS[entry] ?? [entry]) {
      const [address = '', bits] = range.split('/');
      const family = isIP(address);
      const prefix = bits === undefined ? undefined : Number(bits);
      const maxBits = family === 6 ? 128 : 32;
      if (family === 0 || (bits !== undefined && !(/^\d+$/.test(bits) && prefix !== undefined && prefix <= maxBits))) {
        return { ok: false, message: `"${entry}" is not an address, a CIDR range or one of loopback, linklocal, uniquelocal` };
      }
      const type = family === 6 ? 'ipv6' : 'ipv4';
      if (prefix === undefined) list.addAddress(address, type);
      else list.addSubnet(address, prefix, type);
    }
  }
  return { ok: true, trust: (address) => inList(list, address) };
}

function inList(list: BlockList, raw: string): boolean {
  // An IPv4 peer on a dual-stack socket appears as ::ffff:a.b.c.d.
  const address = raw.startsWith('::ffff:') && isIP(raw.slice(7)) === 4 ? raw.slice(7) : raw;
  const family = isIP(address);
  if (family === 0) return false;
  return list.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** Whether this request came straight from a trusted proxy (so its X-Forwarded-* may be believed). */
export function forwardedHeadersTrusted(req: IncomingMessage, trust: TrustProxy): boolean {
  const peer = req.socket.remoteAddress;
  return peer !== undefined && trust(peer, 0);
}

/**
 * The client's address as Express computes `req.ip`: walk X-Forwarded-For from the nearest hop
 * while each hop is a trusted proxy. Used to cap unauthenticated sockets per source.
 */
export function clientAddress(req: IncomingMessage, trust: TrustProxy): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  if (!trust(peer, 0)) return peer;
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .reverse();
  let address = peer;
  for (let hop = 0; hop < forwarded.length; hop++) {
    const next = forwarded[hop] as string;
    address = next;
    if (!trust(next, hop + 1)) break;
  }
  return address.slice(0, 64);
}
