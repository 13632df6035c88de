import { SpeechError } from './errors';
import type { TtsCheck, TtsChunk, TtsProvider } from './tts';

/**
 * A primary voice (a cloud one) with a fallback (the embedded one) for when it cannot speak.
 *
 * - The primary fails before its first chunk (an error, a first-byte timeout): the same text is
 *   synthesized by the fallback, and its chunks are yielded marked `fallback: true`, so that the
 *   prompt cache plays them but does not keep them under the primary's key.
 * - The primary fails after its first chunk: the stream ends with that error. Two voices are
 *   never spliced into one sentence; whoever consumes the stream decides whether to start over.
 * - After a failure (either kind) the primary is left alone for `primaryCooldownMs` (the
 *   fallback speaks at once) rather than making every prompt wait out another timeout during
 *   an outage.
 *
 * `name` and `voice` are the primary's: they are the cache key of what it renders. Aborting the
 * signal stops whichever provider is speaking and never starts the fallback.
 */
export interface FallbackTtsOptions {
  primary: TtsProvider;
  fallback: TtsProvider;
  /** After a primary failure, skip the primary for this long (0: try it for every text). */
  primaryCooldownMs: number;
  /** Called each time the fallback speaks, with the primary's error (for logs and metrics). */
  onFallback: (error: unknown) => void;
  /** Milliseconds on a monotonic clock (tests pass their own). */
  now: () => number;
}

export type FallbackTtsInit = Pick<FallbackTtsOptions, 'primary' | 'fallback'> & Partial<FallbackTtsOptions>;

export const DEFAULT_PRIMARY_COOLDOWN_MS = 10_000;

export class FallbackTtsProvider implements TtsProvider {
  readonly name: string;
  readonly voice: string;
  private readonly primary: TtsProvider;
  private readonly fallback: TtsProvider;
  private readonly primaryCooldownMs: number;
  private readonly onFallback: (error: unknown) => void;
  private readonly now: () => number;
  /** The failure that started the current cool-down, and when the primary may be tried again. */
  private lastFailure: { error: unknown; retryAtMs: number } | undefined;
  private closing: Promise<void> | undefined;

  constructor(init: FallbackTtsInit) {
    const primaryCooldownMs = init.primaryCooldownMs ?? DEFAULT_PRIMARY_COOLDOWN_MS;
    if (!(primaryCooldownMs >= 0)) {
      throw new SpeechError('TTS_INVALID_OPTIONS', `primaryCooldownMs must be ≥ 0, got ${primaryCooldownMs}`);
    }
    this.primary = init.primary;
    this.fallback = init.fallback;
    this.primaryCooldownMs = primaryCooldownMs;
    this.onFallback = init.onFallback ?? (() => {});
    this.now = init.now ?? (() => performance.now());
    this.name = init.primary.name;
    this.voice = init.primary.voice;
  }

  /** The primary's check: the fallback is what speaks when the primary fails it. */
  check(): Promise<TtsCheck> {
    return this.primary.check?.() ?? Promise.resolve({ ok: true });
  }

  async *synthesize(text: string, signal?: AbortSignal): AsyncGenerator<TtsChunk, void, undefined> {
    if (this.closing) throw new SpeechError('TTS_CLOSED', 'fallback TTS was closed');
    let failure = this.lastFailure && this.now() < this.lastFailure.retryAtMs ? this.lastFailure.error : undefined;
    if (failure === undefined) {
      let started = false;
      try {
        for await (const chunk of this.primary.synthesize(text, signal)) {
          started = true;
          yield chunk;
        }
        this.lastFailure = undefined;
        return;
      } catch (error) {
        if (signal?.aborted || this.closing) throw error;
        this.lastFailure = { error, retryAtMs: this.now() + this.primaryCooldownMs };
        if (started) throw error;
        failure = error;
      }
    }
    this.onFallback(failure);
    for await (const chunk of this.fallback.synthesize(text, signal)) yield { ...chunk, fallback: true };
  }

  /**
   * Holds the primary only: the fallback speaks after a primary failure, which has already cost
   * more than its worker's start-up (~0.1 s), and an embedded worker kept for every call would
   * hold 50–130 MB for a voice that is rarely used.
   */
  hold(): () => void {
    return this.primary.hold?.() ?? (() => {});
  }

  /** Closes both providers (this wrapper owns them). Idempotent. */
  close(): Promise<void> {
    this.closing ??= Promise.all([this.primary.close(), this.fallback.close()]).then(() => {});
    return this.closing;
  }
}
