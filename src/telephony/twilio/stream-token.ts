import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Binds a media stream to the call whose signed webhook asked for it. The upgrade signature
 * covers only the stream URL, which is the same for every call, so on its own one captured
 * upgrade could open a stream for any CallSid. The signed `/twilio/voice` answer therefore
 * carries a per-call token in a `<Parameter>`: an HMAC of the CallSid and an expiry, under a key
 * derived from TWILIO_AUTH_TOKEN (so the auth token itself never signs anything but Twilio's
 * own checks). Format: `v1.<expiry unix seconds>.<base64url HMAC-SHA256>`.
 */
export const STREAM_TOKEN_PARAMETER = 'token';
/** How long after the webhook answer a stream may start (Twilio connects within seconds). */
export const STREAM_TOKEN_TTL_SECONDS = 300;

const VERSION = 'v1';
const MAX_TOKEN_LENGTH = 100;

export type StreamTokenVerdict = { ok: true } | { ok: false; reason: 'missing_token' | 'malformed_token' | 'bad_token' | 'expired_token' };

/** The signing key, derived once from the auth token (a domain-separated HMAC). */
export function streamTokenKey(authToken: string): Buffer {
  return createHmac('sha256', authToken).update('telephony-bridge stream token v1').digest();
}

export function issueStreamToken(key: Buffer, callSid: string, nowMs: number = Date.now(), ttlSeconds = STREAM_TOKEN_TTL_SECONDS): string {
  const expiry = Math.floor(nowMs / 1000) + ttlSeconds;
  return `${VERSION}.${expiry}.${mac(key, callSid, expiry).toString('base64url')}`;
}

/**
 * Checks a token against the CallSid of the stream that presents it (constant-time in the MAC).
 * `ignoreExpiry` is for a second stream of a call already live here: the MAC still binds the
 * token to that CallSid, and a long call must not lose its stream when Twilio reconnects it.
 */
export function verifyStreamToken(
  key: Buffer,
  callSid: string,
  token: string | undefined,
  options: { nowMs?: number; ignoreExpiry?: boolean } = {},
): StreamTokenVerdict {
  if (token === undefined || token === '') return { ok: false, reason: 'missing_token' };
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'malformed_token' };
  const match = /^v1\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return { ok: false, reason: 'malformed_token' };
  const expiry = Number(match[1]);
  const given = Buffer.from(match[2] as string, 'base64url');
  const expected = mac(key, callSid, expiry);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_token' };
  if (!options.ignoreExpiry && Math.floor((options.nowMs ?? Date.now()) / 1000) > expiry) return { ok: false, reason: 'expired_token' };
  return { ok: true };
}

function mac(key: Buffer, callSid: string, expiry: number): Buffer {
  return createHmac('sha256', key).update(`${callSid}\n${expiry}`).digest();
}
