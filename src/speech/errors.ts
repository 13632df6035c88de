/**
 * Stable codes for what the speech module rejects. Branch on `code` (and `retryable`), never on
 * message text. Aborts are not SpeechErrors: they reject with a DOMException named `AbortError`,
 * like every other abortable API in Node.
 */
export const SPEECH_ERROR_CODES = {
  /** Options passed to a constructor are invalid (a programming or configuration error). */
  TTS_INVALID_OPTIONS: { retryable: false },
  /** The text cannot be synthesized as given (too long). */
  TTS_INVALID_TEXT: { retryable: false },
  /** The provider was closed before or while the job ran. */
  TTS_CLOSED: { retryable: false },
  /** The worker script is missing (dist built without copying it) or failed to start. */
  TTS_WORKER_START_FAILED: { retryable: false },
  /** A worker died while synthesizing; the pool has replaced it. */
  TTS_WORKER_CRASHED: { retryable: true },
  /** A job ran past its time limit; its worker was terminated and replaced. */
  TTS_TIMEOUT: { retryable: true },
  /** The engine ran and reported a failure (unknown voice, no output). */
  TTS_SYNTHESIS_FAILED: { retryable: false },
  /** A cloud voice rejected our credentials (HTTP 401/403, also an exhausted quota): fix the key. */
  TTS_UNAUTHORIZED: { retryable: false },
  /** A cloud voice rejected the request itself (other 4xx: unknown voice or model, invalid field). */
  TTS_REQUEST_REJECTED: { retryable: false },
  /** A cloud voice is unreachable, overloaded or failing (429, 5xx, network error, cut-off stream). */
  TTS_UNAVAILABLE: { retryable: true },
  /** The engine's output could not be read (not a PCM16 mono WAV). */
  TTS_BAD_AUDIO: { retryable: false },
  /** A clinic's recorded prompt could not be read or converted. */
  PROMPT_RECORDING_INVALID: { retryable: false },
  /** Some prompts could not be rendered while warming the cache. */
  PROMPT_RENDER_FAILED: { retryable: true },
} as const satisfies Record<string, { retryable: boolean }>;

export type SpeechErrorCode = keyof typeof SPEECH_ERROR_CODES;

export class SpeechError extends Error {
  readonly code: SpeechErrorCode;
  readonly retryable: boolean;

  constructor(code: SpeechErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SpeechError';
    this.code = code;
    this.retryable = SPEECH_ERROR_CODES[code].retryable;
  }
}

export function isSpeechError(error: unknown, code?: SpeechErrorCode): error is SpeechError {
  return error instanceof SpeechError && (code === undefined || error.code === code);
}

/** The error an aborted operation rejects with (what `AbortSignal.abort()` uses as its reason). */
export function abortError(): DOMException {
  return new DOMException('The operation was aborted', 'AbortError');
}

/** True for any abort (ours, Node's, fetch's). Checks the name: DOMException may come from another realm. */
export function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}

/**
 * The checks every provider makes before synthesizing: not closed, text within the limit, not
 * already aborted. Returns false for blank text (nothing to say), true to go ahead.
 */
export function checkSynthesisRequest(request: { closed: boolean; provider: string; text: string; maxTextLength: number; signal?: AbortSignal | undefined }): boolean {
  if (request.closed) throw new SpeechError('TTS_CLOSED', `${request.provider} was closed`);
  if (request.text.length > request.maxTextLength) {
    throw new SpeechError('TTS_INVALID_TEXT', `text of ${request.text.length} characters is longer than maxTextLength ${request.maxTextLength}`);
  }
  if (request.signal?.aborted) throw abortError();
  return request.text.trim() !== '';
}
