/** Liberal readers of provider JSON: providers send numbers as strings and strings as numbers. */

export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A string, or a finite number as a string; anything else is null. */
export const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : null);

/** A finite number, or a numeric string as a number; anything else is null. */
export function num(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return null;
}

/** Ids from providers (Twilio CallSid/StreamSid, Maqsam context.id): bounded, printable. */
export const MAX_ID_LENGTH = 128;

/** A provider id: a string or number of 1–128 printable characters; anything else is null. */
export function id(v: unknown): string | null {
  const s = str(v);
  if (s === null || s.length === 0 || s.length > MAX_ID_LENGTH) return null;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  return /[\u0000-\u001f\u007f]/.test(s) ? null : s;
}

/** Bounds on name/value maps a provider passes through (Twilio keeps each parameter under 500 characters). */
const MAX_ENTRIES = 32;
const MAX_NAME = 64;
const MAX_VALUE = 500;

/**
 * A JSON object of scalar values as strings (non-scalars are skipped), or null when it holds
 * more or longer entries than any real provider sends: such a message is rejected whole.
 */
export function stringRecord(v: unknown): Record<string, string> | null {
  const out: Record<string, string> = {};
  if (!isObject(v)) return out;
  const entries = Object.entries(v);
  if (entries.length > MAX_ENTRIES) return null;
  for (const [k, value] of entries) {
    const s = str(value);
    if (s === null || k === '__proto__') continue;
    if (k.length > MAX_NAME || s.length > MAX_VALUE) return null;
    out[k] = s;
  }
  return out;
}

/**
 * How an unexpected event/type value is named in a rejection: never serialised whole (a deeply
 * nested array would overflow the stack, a huge string would flood the log).
 */
export function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  return String(v).slice(0, 40);
}

/** One text frame as a JSON object, or the rejection every adapter gives for anything else. */
export function parseFrame(text: string): { ok: true; msg: Json } | { ok: false; reason: 'malformed_json' | 'invalid_message'; detail: string } {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'malformed_json', detail: 'frame is not JSON' };
  }
  if (!isObject(msg)) return { ok: false, reason: 'invalid_message', detail: 'frame is not a JSON object' };
  return { ok: true, msg };
}

/** Base64 of exactly the bytes a view covers (not its whole underlying buffer). */
export function base64Of(audio: Uint8Array): string {
  return Buffer.from(audio.buffer, audio.byteOffset, audio.byteLength).toString('base64');
}
