/**
 * Text-to-speech behind our own interface: the call path never sees a vendor type.
 * A provider streams audio as it is synthesized, either PCM16 at its own rate (the embedded
 * voice) or telephone μ-law at 8 kHz (cloud voices that emit it directly).
 *
 * `fallback: true` marks audio that a fallback voice produced because the provider named in the
 * cache key (`name`, `voice`) could not: it may be played, but must never be stored under that key.
 */
export type TtsChunk =
  | { encoding: 'pcm16'; sampleRateHz: number; samples: Int16Array; fallback?: true }
  | { encoding: 'mulaw'; sampleRateHz: 8000; bytes: Uint8Array; fallback?: true };

export interface TtsProvider {
  /** Stable provider name, part of the prompt-cache key (`espeak`, `elevenlabs`). */
  readonly name: string;
  /** Voice identifier, part of the prompt-cache key. */
  readonly voice: string;
  /** Streams the synthesis of `text`; aborting `signal` stops it and rejects with an AbortError. */
  synthesize(text: string, signal?: AbortSignal): AsyncIterable<TtsChunk>;
  /** Releases workers and sockets; safe to call twice. */
  close(): Promise<void>;
  /**
   * Keeps the provider ready to speak without a start-up delay (the embedded voice's worker
   * running) until the returned release is called; absent where there is nothing to start. The
   * bridge holds it while calls are in progress, so a read-back never waits for a worker.
   */
  hold?(): () => void;
  /**
   * Whether the key is accepted and the voice exists (for diagnostics; absent for a voice that
   * needs neither, such as the embedded one).
   */
  check?(): Promise<TtsCheck>;
}

export type TtsCheck = { ok: true } | { ok: false; reason: string; code: 'unauthorized' | 'voice_not_found' | 'unavailable' };
