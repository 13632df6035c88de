import { createHash, timingSafeEqual } from 'node:crypto';
import type { StartCheck, StartVerdict } from '../events';

/**
 * Everything about how a Maqsam stream proves itself. Maqsam is configured with one of two
 * methods, using a token we give it (MAQSAM_TOKEN):
 * 1. a header literally named `Auth` on the upgrade (`Authorization: Bearer` is accepted too);
 * 2. an `apiKey` field in the first message, `session.setup`.
 * A header that is present must be right: a wrong one is refused at the upgrade (HTTP 401, no
 * WebSocket ever exists). Without a header the socket opens, and the setup must carry the key;
 * until then nothing the socket sends is acted on, and a wrong key closes it (1008).
 */

/** Request headers as Node gives them (lower-cased names), or any record of header values. */
export type HeaderValues = Readonly<Record<string, string | readonly string[] | undefined>>;

export type MaqsamUpgradeVerdict = { ok: true; checkStart?: StartCheck } | { ok: false; status: 401; reason: 'auth_failed'; detail: string };

/** The upgrade's verdict: `token` undefined is development mode (no authentication). */
export function authenticateMaqsamUpgrade(token: string | undefined, headers: HeaderValues): MaqsamUpgradeVerdict {
  if (!token) return { ok: true };
  const fromHeader = tokenFromHeaders(headers);
  if (fromHeader !== null) {
    return tokensMatch(token, fromHeader)
      ? { ok: true }
      : { ok: false, status: 401, reason: 'auth_failed', detail: 'authentication failed: Auth header does not match MAQSAM_TOKEN' };
  }
  return { ok: true, checkStart: (start) => checkSetupKey(token, start.authToken ?? null) };
}

function checkSetupKey(token: string, given: string | null): StartVerdict {
  if (given === null) return { ok: false, reason: 'auth_failed', detail: 'authentication failed: no Auth header and no apiKey in session.setup' };
  if (!tokensMatch(token, given)) return { ok: false, reason: 'auth_failed', detail: 'authentication failed: apiKey in session.setup does not match MAQSAM_TOKEN' };
  return { ok: true };
}

/**
 * The token on a Maqsam upgrade: Maqsam sends a header literally named `Auth` holding the bare
 * token; `Authorization: Bearer <token>` is accepted too (a proxy or a test client may use it).
 * Header names are matched without regard to case. Null when neither carries a token.
 */
export function tokenFromHeaders(headers: HeaderValues): string | null {
  const auth = headerValue(headers, 'auth');
  if (auth) return auth;
  const authorization = headerValue(headers, 'authorization');
  const bearer = authorization ? /^Bearer\s+(\S.*)$/i.exec(authorization) : null;
  return bearer?.[1]?.trim() || null;
}

function headerValue(headers: HeaderValues, lowerName: string): string | null {
  let value = headers[lowerName];
  if (value === undefined) {
    const key = Object.keys(headers).find((k) => k.toLowerCase() === lowerName);
    value = key === undefined ? undefined : headers[key];
  }
  const first = typeof value === 'string' ? value : value?.[0];
  return first?.trim() || null;
}

/**
 * Constant-time comparison of an expected secret with a presented one. Both are hashed first so
 * the comparison takes the same time whatever the lengths; an empty expected secret matches nothing.
 */
export function tokensMatch(expected: string, given: string | null | undefined): boolean {
  if (!expected || typeof given !== 'string') return false;
  return timingSafeEqual(sha256(expected), sha256(given));
}

const sha256 = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
