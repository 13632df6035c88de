import type { IncomingMessage } from 'node:http';
import { validateRequest } from 'twilio/lib/webhooks/webhooks';
import { isValidHost } from '../../server/host-check';
import { type TrustProxy, forwardedHeadersTrusted } from '../../server/trust-proxy';

/**
 * X-Twilio-Signature checks. The URL Twilio signed is rebuilt from PUBLIC_URL when it is set,
 * because behind a TLS-terminating proxy the request itself says http:// and every check fails.
 * Without PUBLIC_URL it comes from the request: X-Forwarded-Proto/-Host only when TRUST_PROXY
 * says the peer is our proxy (else anyone could name another host), the Host header otherwise.
 */
export interface SignatureCheck {
  /** Undefined: development mode, everything is accepted. */
  authToken: string | undefined;
  publicUrl: string | undefined;
  /** Which peers' X-Forwarded-* headers are believed (TRUST_PROXY); absent: none. */
  trustProxy?: TrustProxy;
}

export type SignatureVerdict = { ok: true } | { ok: false; reason: 'missing_signature' | 'bad_signature' | 'bad_host' };

/**
 * The public base URL for a request (`https://host[:port]`, no trailing slash), or null when the
 * request names no usable host (a hostile or broken Host / X-Forwarded-* header).
 */
export function baseUrlOf(req: IncomingMessage, check: Pick<SignatureCheck, 'publicUrl' | 'trustProxy'>): string | null {
  if (check.publicUrl) return check.publicUrl;
  const trusted = check.trustProxy !== undefined && forwardedHeadersTrusted(req, check.trustProxy);
  const forwardedProto = trusted ? headerValue(req, 'x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() : undefined;
  const encrypted = (req.socket as { encrypted?: boolean }).encrypted === true;
  const proto = forwardedProto ?? (encrypted ? 'https' : 'http');
  if (proto !== 'http' && proto !== 'https') return null;
  const host = (trusted ? headerValue(req, 'x-forwarded-host')?.split(',')[0]?.trim() : undefined) ?? headerValue(req, 'host');
  if (!host || !isValidHost(host)) return null;
  return `${proto}://${host}`;
}

export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A webhook POST: the full URL (path and query) plus the form parameters. */
export function checkWebhook(check: SignatureCheck, req: IncomingMessage, originalUrl: string, params: Record<string, string>): SignatureVerdict {
  if (!check.authToken) return { ok: true };
  const signature = headerValue(req, 'x-twilio-signature');
  if (!signature) return { ok: false, reason: 'missing_signature' };
  const base = baseUrlOf(req, check);
  if (base === null) return { ok: false, reason: 'bad_host' };
  return safeValidate(check.authToken, signature, `${base}${originalUrl}`, params) ? { ok: true } : { ok: false, reason: 'bad_signature' };
}

/**
 * The WebSocket upgrade (a GET with no parameters). Which form of the URL Twilio signs is not
 * documented, so both the wss:// and the https:// form are accepted (and ws:// and http:// for a
 * bridge reached without TLS, as in local tests: the signature still needs the token).
 */
export function checkUpgrade(check: SignatureCheck, req: IncomingMessage): SignatureVerdict {
  if (!check.authToken) return { ok: true };
  const signature = headerValue(req, 'x-twilio-signature');
  if (!signature) return { ok: false, reason: 'missing_signature' };
  const base = baseUrlOf(req, check);
  if (base === null) return { ok: false, reason: 'bad_host' };
  const hostPart = base.replace(/^https?:\/\//, '');
  const path = req.url ?? '/';
  const candidates = ['wss', 'https', 'ws', 'http'].map((scheme) => `${scheme}://${hostPart}${path}`);
  const valid = candidates.some((url) => safeValidate(check.authToken as string, signature, url, {}));
  return valid ? { ok: true } : { ok: false, reason: 'bad_signature' };
}

/**
 * The twilio package parses the URL with `new URL()`, which throws on anything odd in the path
 * (the host is checked above): an unparsable URL is simply not what Twilio signed.
 */
function safeValidate(authToken: string, signature: string, url: string, params: Record<string, string>): boolean {
  try {
    return validateRequest(authToken, signature, url, params);
  } catch {
    return false;
  }
}
