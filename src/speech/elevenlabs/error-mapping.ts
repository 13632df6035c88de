import { ElevenLabsError, ElevenLabsTimeoutError } from '@elevenlabs/elevenlabs-js';
import { SpeechError, type SpeechErrorCode } from '../errors';

/**
 * What ElevenLabs (through its SDK) rejects with, as our coded errors. The SDK throws
 * `ElevenLabsError` with `statusCode` and the parsed JSON `body` for an HTTP error status, the
 * same class without a status for a network failure, and `ElevenLabsTimeoutError` when its own
 * request timeout fires. A body stream that breaks mid-way rejects with whatever fetch throws.
 */
export function toSpeechError(error: unknown): SpeechError {
  if (error instanceof SpeechError) return error;
  if (error instanceof ElevenLabsTimeoutError) {
    return new SpeechError('TTS_TIMEOUT', 'ElevenLabs did not answer in time', { cause: error });
  }
  if (error instanceof ElevenLabsError && error.statusCode !== undefined) {
    const status = error.statusCode;
    const detail = describeBody(error.body);
    const message = `ElevenLabs answered HTTP ${status}${detail ? `: ${detail}` : ''}`;
    return new SpeechError(codeOfStatus(status), message, { cause: error });
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new SpeechError('TTS_UNAVAILABLE', `ElevenLabs request failed: ${reason}`, { cause: error });
}

/** 401/403 → bad key (or quota); 408, 429 and 5xx → try again later; any other 4xx → our request. */
export function codeOfStatus(status: number): SpeechErrorCode {
  if (status === 401 || status === 403) return 'TTS_UNAUTHORIZED';
  if (status === 408 || status === 429 || status >= 500) return 'TTS_UNAVAILABLE';
  if (status >= 400) return 'TTS_REQUEST_REJECTED';
  return 'TTS_UNAVAILABLE';
}

/**
 * ElevenLabs error bodies: `{detail: {status, message}}` for its own errors, `{detail: [{loc,
 * msg}]}` for a request that fails validation, sometimes `{detail: "text"}`. Never the key.
 */
function describeBody(body: unknown): string {
  if (typeof body === 'string') return body.slice(0, 200);
  if (typeof body !== 'object' || body === null) return '';
  const detail = (body as { detail?: unknown }).detail;
  if (typeof detail === 'string') return detail.slice(0, 200);
  if (Array.isArray(detail)) {
    return detail
      .map((item) => (typeof item === 'object' && item !== null ? String((item as { msg?: unknown }).msg ?? '') : ''))
      .filter((text) => text !== '')
      .join('; ')
      .slice(0, 200);
  }
  if (typeof detail === 'object' && detail !== null) {
    const { status, message } = detail as { status?: unknown; message?: unknown };
    return [status, message].filter((part) => typeof part === 'string' && part !== '').join(': ').slice(0, 200);
  }
  return '';
}
