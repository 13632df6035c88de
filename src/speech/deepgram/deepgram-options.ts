import { BridgeError } from '../../errors';

/** How a lost Deepgram connection is retried: exponential backoff, optionally with full jitter. */
export interface DeepgramRetryPolicy {
  /** Ceiling of the first retry's delay. */
  initialMs: number;
  /** Each further retry multiplies the ceiling by this. */
  factor: number;
  /** The ceiling never exceeds this. */
  maxMs: number;
  /** `full`: the delay is uniform in [0, ceiling) (spreads a fleet's retries); `none`: the ceiling itself. */
  jitter: 'full' | 'none';
}

/** Lets the composition root wire metrics and logs without this folder importing them. */
export interface DeepgramSttHooks {
  /** Time of one connection attempt, whatever its outcome. */
  connectSeconds?(seconds: number, outcome: 'ok' | 'timeout' | 'error'): void;
  /** Outcome of each retry after a lost (or never established) connection. */
  reconnect?(outcome: 'success' | 'failure'): void;
  /** Audio dropped from the reconnect buffer because an outage lasted longer than `bufferMs`. */
  droppedAudioSeconds?(seconds: number): void;
  /** A pino-compatible logger (a per-call child is made with `child` when it has one). */
  log?: DeepgramLogger;
}

export interface DeepgramLogger {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface DeepgramSttOptions {
  /** DEEPGRAM_API_KEY. Sent as `Authorization: Token <key>`. */
  apiKey: string;
  /** DEEPGRAM_URL (self-hosted Deepgram, a local stand-in), e.g. `http://127.0.0.1:8080`; unset: Deepgram's cloud. */
  baseUrl: string | undefined;
  model: string;
  /** Arabic is on nova-3 only: `ar`, or a regional code such as `ar-SA`. */
  language: string;
  /**
   * DEEPGRAM_MIP_OPT_OUT. Sends `mip_opt_out=true`: Deepgram must not keep the call's audio for
   * its Model Improvement Program (callers' answers are health data). On by default.
   */
  mipOptOut: boolean;
  /** A connection not open after this long is abandoned and retried. */
  connectTimeoutMs: number;
  retry: DeepgramRetryPolicy;
  /** Audio kept while (re)connecting; beyond it the oldest audio is dropped and counted. */
  bufferMs: number;
  /** A KeepAlive is sent when no audio was sent for this long (Deepgram closes at ~10 s). */
  keepAliveMs: number;
  /** Silence (ms) after which Deepgram ends an utterance with `speech_final`. */
  endpointing: number;
  /** Gap (ms) between words after which Deepgram sends UtteranceEnd; Deepgram's minimum is 1000. */
  utteranceEndMs: number;
  /** close() waits at most this long for the result of its Finalize. */
  finalizeTimeoutMs: number;
  /**
   * Audio is sent to Deepgram in messages of this many milliseconds (a multiple of the 20 ms
   * telephony frame): fewer, larger messages cost less CPU. The first frame of speech goes at
   * once; after speech, the silence is gathered until endpointing's count is complete on our clock,
   * then sent at once and frame by frame for 200 ms more, so the final result is not delayed.
   */
  chunkMs: number;
  hooks: DeepgramSttHooks;
}

export const DEFAULT_DEEPGRAM_OPTIONS: Omit<DeepgramSttOptions, 'apiKey'> = {
  baseUrl: undefined,
  model: 'nova-3',
  language: 'ar',
  mipOptOut: true,
  connectTimeoutMs: 3000,
  retry: { initialMs: 250, factor: 2, maxMs: 4000, jitter: 'full' },
  bufferMs: 10_000,
  keepAliveMs: 4000,
  endpointing: 300,
  utteranceEndMs: 1000,
  finalizeTimeoutMs: 1000,
  chunkMs: 20,
  hooks: {},
};

export type DeepgramSttOptionsInput = Partial<Omit<DeepgramSttOptions, 'retry'>> & {
  apiKey: string;
  retry?: Partial<DeepgramRetryPolicy>;
};

function invalid(message: string): BridgeError {
  return new BridgeError('CONFIG_INVALID', `Deepgram STT: ${message}`);
}

/** Merges `input` over the defaults and validates the result; throws CONFIG_INVALID naming the option. */
export function resolveDeepgramOptions(input: DeepgramSttOptionsInput): DeepgramSttOptions {
  const merged: DeepgramSttOptions = {
    ...DEFAULT_DEEPGRAM_OPTIONS,
    ...input,
    retry: { ...DEFAULT_DEEPGRAM_OPTIONS.retry, ...input.retry },
    hooks: { ...input.hooks },
  };
  if (typeof merged.apiKey !== 'string' || merged.apiKey.trim() === '') {
    throw invalid('apiKey is empty (set DEEPGRAM_API_KEY)');
  }
  if (merged.baseUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(merged.baseUrl);
    } catch {
      throw invalid(`baseUrl "${merged.baseUrl}" is not a URL (DEEPGRAM_URL, e.g. http://127.0.0.1:8080)`);
    }
    if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) {
      throw invalid(`baseUrl must be http(s) or ws(s), got "${merged.baseUrl}"`);
    }
  }
  for (const key of ['model', 'language'] as const) {
    if (!/^[A-Za-z0-9._-]+$/.test(merged[key])) throw invalid(`${key} "${merged[key]}" is not a model/language code`);
  }
  const positive = ['connectTimeoutMs', 'bufferMs', 'keepAliveMs', 'endpointing', 'finalizeTimeoutMs', 'chunkMs'] as const;
  for (const key of positive) {
    if (!(Number.isFinite(merged[key]) && merged[key] > 0)) throw invalid(`${key} must be > 0, got ${merged[key]}`);
  }
  if (merged.keepAliveMs >= 10_000) throw invalid(`keepAliveMs must be < 10000 (Deepgram closes idle streams at ~10 s)`);
  if (merged.finalizeTimeoutMs > 1000) throw invalid(`finalizeTimeoutMs must be ≤ 1000, got ${merged.finalizeTimeoutMs}`);
  if (!Number.isInteger(merged.utteranceEndMs) || merged.utteranceEndMs < 1000) {
    throw invalid(`utteranceEndMs must be a whole number ≥ 1000 (Deepgram's minimum), got ${merged.utteranceEndMs}`);
  }
  const { initialMs, factor, maxMs, jitter } = merged.retry;
  if (!(initialMs > 0) || !(factor >= 1) || !(maxMs >= initialMs) || (jitter !== 'full' && jitter !== 'none')) {
    throw invalid(`retry must have initialMs > 0, factor ≥ 1, maxMs ≥ initialMs, jitter full|none; got ${JSON.stringify(merged.retry)}`);
  }
  return merged;
}

/** Delay before retry number `retry` (0 = the first retry after a failure). */
export function backoffDelayMs(policy: DeepgramRetryPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.initialMs * policy.factor ** retry);
  return policy.jitter === 'full' ? Math.floor(random() * ceiling) : ceiling;
}
