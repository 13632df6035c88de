import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { describeError, isIp } from './http-client';
import type { Target } from './types';

const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** What came back to one WebSocket upgrade request, as sent through whatever is in front of the bridge. */
export type UpgradeOutcome =
  | { kind: 'switched'; headers: http.IncomingHttpHeaders; problems: string[] }
  | { kind: 'refused'; status: number; headers: http.IncomingHttpHeaders; body: string }
  | { kind: 'error'; reason: string };

/**
 * Sends one upgrade (GET with Upgrade: websocket) and reports the answer: 101 with the handshake
 * headers checked (a proxy that rewrites them breaks the stream even after a 101), or the status
 * and body of a refusal. The socket is closed at once: nothing is streamed.
 */
export function probeUpgrade(target: Target, path: string, options: { headers?: Record<string, string>; ca: string | undefined; timeoutMs: number }): Promise<UpgradeOutcome> {
  const key = randomBytes(16).toString('base64');
  return new Promise((resolve) => {
    let settled = false;
    const done = (outcome: UpgradeOutcome, socket?: Duplex) => {
      socket?.destroy();
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    const transport = target.secure ? https : http;
    const req = transport.request({
      host: target.host,
      port: target.port,
      path,
      method: 'GET',
      agent: false,
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': key, ...options.headers },
      ...(target.secure ? { servername: isIp(target.host) ? undefined : target.host, ALPNProtocols: ['http/1.1'], ...(options.ca ? { ca: options.ca } : {}) } : {}),
      timeout: options.timeoutMs,
    });
    req.on('upgrade', (res, socket) => {
      const problems: string[] = [];
      if (String(res.headers.upgrade ?? '').toLowerCase() !== 'websocket') problems.push(`Upgrade: ${res.headers.upgrade ?? '(missing)'}`);
      if (!/\bupgrade\b/i.test(String(res.headers.connection ?? ''))) problems.push(`Connection: ${res.headers.connection ?? '(missing)'}`);
      const accept = createHash('sha1').update(key + WEBSOCKET_GUID).digest('base64');
      if (res.headers['sec-websocket-accept'] !== accept) problems.push(`Sec-WebSocket-Accept: ${res.headers['sec-websocket-accept'] ?? '(missing)'} (not the answer to our key)`);
      done({ kind: 'switched', headers: res.headers, problems }, socket);
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (body.length < 4096) body += chunk;
      });
      const finish = () => done({ kind: 'refused', status: res.statusCode ?? 0, headers: res.headers, body: body.slice(0, 4096) });
      res.on('end', finish);
      res.on('error', finish);
      res.on('close', finish);
    });
    req.on('timeout', () => {
      req.destroy();
      done({ kind: 'error', reason: `no answer within ${options.timeoutMs} ms` });
    });
    req.on('error', (error) => done({ kind: 'error', reason: describeError(error) }));
    req.end();
  });
}

/** The bridge's own error body ({"error": code, "message"}), when that is what answered. */
export function bridgeError(body: string): { error: string; message: string } | null {
  try {
    const value = JSON.parse(body) as { error?: unknown; message?: unknown };
    return typeof value.error === 'string' && typeof value.message === 'string' ? { error: value.error, message: value.message } : null;
  } catch {
    return null;
  }
}
