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
