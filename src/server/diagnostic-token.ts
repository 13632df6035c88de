import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The credential of a diagnostic stream (see diagnostic-stream.ts): the header
 * `X-Bridge-Diagnostic: v1.<expiry unix seconds>.<base64url HMAC-SHA256>` on the WebSocket
 * upgrade. The MAC covers the stream path and the expiry, under a key derived from
 * BRIDGE_API_KEY, so whoever holds the admin key (the doctor) mints tokens itself, and the admin
 * key never travels on an upgrade (proxies log upgrade requests). A token is good for one path,
 * for at most MAX_TOKEN_TTL_SECONDS; a captured one is worth a few minutes of pings, never a call.
 */
export const DIAGNOSTIC_HEADER = 'x-bridge-diagnostic';
/** The longest life a token may claim: a token valid for longer is refused even with a good MAC. */
export const MAX_TOKEN_TTL_SECONDS = 600;
const DEFAULT_TTL_SECONDS = 300;
const MAX_TOKEN_LENGTH = 100;

export type DiagnosticTokenVerdict = { ok: true } | { ok: false; reason: 'malformed_token' | 'bad_token' | 'expired_token' | 'too_long_lived' };

/** The signing key, derived once from BRIDGE_API_KEY (domain-separated from every other use of it). */
export function diagnosticTokenKey(apiKey: string): Buffer {
  return createHmac('sha256', apiKey).update('telephony-bridge diagnostic token v1').digest();
}

export function issueDiagnosticToken(key: Buffer, path: string, nowMs: number = Date.now(), ttlSeconds = DEFAULT_TTL_SECONDS): string {
  const expiry = Math.floor(nowMs / 1000) + ttlSeconds;
  return `v1.${expiry}.${mac(key, path, expiry).toString('base64url')}`;
}

/** Checks a presented token for the path it was presented on (constant-time in the MAC). */
export function verifyDiagnosticToken(key: Buffer, path: string, token: string, nowMs: number = Date.now()): DiagnosticTokenVerdict {
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed_token' };
  const match = /^v1\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token.trim());
  if (!match) return { ok: false, reason: 'malformed_token' };
  const expiry = Number(match[1]);
  const given = Buffer.from(match[2] as string, 'base64url');
  const expected = mac(key, path, expiry);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_token' };
  const now = Math.floor(nowMs / 1000);
  if (now > expiry) return { ok: false, reason: 'expired_token' };
  if (expiry - now > MAX_TOKEN_TTL_SECONDS) return { ok: false, reason: 'too_long_lived' };
  return { ok: true };
}

function mac(key: Buffer, path: string, expiry: number): Buffer {
  return createHmac('sha256', key).update(`diagnostic\n${path}\n${expiry}`).digest();
}
