import { createHash, timingSafeEqual } from 'node:crypto';

/** Request headers as Node gives them (lower-cased names), or any record of header values. */
export type HeaderValues = Readonly<Record<string, string | readonly string[] | undefined>>;

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
 * Constant-time comparison of a configured token with a presented one. Both are hashed first so
 * the comparison takes the same time whatever the lengths; an empty expected token matches nothing.
 */
export function tokensMatch(expected: string, given: string | null | undefined): boolean {
  if (!expected || typeof given !== 'string') return false;
  return timingSafeEqual(sha256(expected), sha256(given));
}

const sha256 = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
