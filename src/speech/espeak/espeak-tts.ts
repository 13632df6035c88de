import path from 'node:path';
import { SpeechError, abortError, checkSynthesisRequest } from '../errors';
import type { TtsChunk, TtsProvider } from '../tts';
import { parsePcm16Wav } from './wav-pcm16';
import { WorkerPool, type WorkerPoolStats } from './worker-pool';

/**
 * The embedded voice: espeak-ng compiled to WebAssembly (npm `espeak-ng`), run in worker
 * threads so that synthesis never blocks the event loop that paces call audio. Output is PCM16
 * at 22,050 Hz, streamed in chunks of `chunkMs` once a sentence is synthesized (the engine's
 * main() renders a whole text at once).
 */
export interface EspeakTtsOptions {
  /** espeak-ng voice (`ar`, `ar+f2`, …). Letters, digits, `_`, `+` and `-`. */
  voice: string;
  /** Worker threads; each synthesizes one text at a time. */
  workers: number;
  /** Length of the chunks the audio is yielded in. */
  chunkMs: number;
  /** Longest text accepted, in UTF-16 code units. */
  maxTextLength: number;
  /** A synthesis running longer than this fails with TTS_TIMEOUT and its worker is replaced. */
  jobTimeoutMs: number;
  /** A worker not ready (module read and compiled) after this long counts as failed to start. */
  startupTimeoutMs: number;
  /**
   * A worker idle this long exits while nothing holds the voice (`hold()`): each holds 50–130 MB
   * (the engine, and the memory of the instances it ran, which its heap frees only when it next
   * collects). Unset: workers live until `close()`.
   */
  idleExitMs?: number | undefined;
  /** The worker script; by default `espeak-worker.mjs` next to this file (src/ or dist/). */
  workerScript: string;
}

export const DEFAULT_ESPEAK_OPTIONS: EspeakTtsOptions = {
  voice: 'ar',
  workers: 1,
  chunkMs: 500,
  maxTextLength: 2000,
  jobTimeoutMs: 20_000,
  startupTimeoutMs: 30_000,
  workerScript: path.join(__dirname, 'espeak-worker.mjs'),
};

const VOICE_PATTERN = /^[A-Za-z0-9_+-]+$/;

interface WorkerResult {
  wav: Uint8Array;
  synthMs: number;
}

export class EspeakTtsProvider implements TtsProvider {
  readonly name = 'espeak';
  readonly voice: string;
  private readonly options: EspeakTtsOptions;
  private readonly pool: WorkerPool;
  private closed = false;

  constructor(options: Partial<EspeakTtsOptions> = {}) {
    const merged: EspeakTtsOptions = { ...DEFAULT_ESPEAK_OPTIONS, ...options };
    if (!VOICE_PATTERN.test(merged.voice)) {
      throw new SpeechError('TTS_INVALID_OPTIONS', `espeak voice must match ${VOICE_PATTERN}, got "${merged.voice}"`);
    }
    for (const key of ['chunkMs', 'maxTextLength'] as const) {
      if (!(merged[key] > 0)) throw new SpeechError('TTS_INVALID_OPTIONS', `${key} must be > 0, got ${merged[key]}`);
    }
    this.options = merged;
    this.voice = merged.voice;
    this.pool = new WorkerPool({
      script: merged.workerScript,
      size: merged.workers,
      jobTimeoutMs: merged.jobTimeoutMs,
      startupTimeoutMs: merged.startupTimeoutMs,
      name: 'espeak',
      idleExitMs: merged.idleExitMs,
    });
  }

  /** Starts the workers now (reading and compiling the engine) instead of at the first text. */
  start(): Promise<void> {
    return this.pool.start();
  }

  async *synthesize(text: string, signal?: AbortSignal): AsyncGenerator<TtsChunk, void, undefined> {
    if (!checkSynthesisRequest({ closed: this.closed, provider: 'espeak', text, maxTextLength: this.options.maxTextLength, signal })) return;
    const result = (await this.pool.run({ text, voice: this.voice }, signal)) as WorkerResult;
    const { sampleRateHz, samples } = parsePcm16Wav(result.wav);
    const chunkLength = Math.max(1, Math.round((sampleRateHz * this.options.chunkMs) / 1000));
    for (let offset = 0; offset < samples.length; offset += chunkLength) {
      if (signal?.aborted) throw abortError();
      yield { encoding: 'pcm16', sampleRateHz, samples: samples.subarray(offset, offset + chunkLength) };
    }
  }

  /** Keeps a worker running (one is started now if none is) until the release is called. */
  hold(): () => void {
    return this.pool.hold();
  }

  stats(): WorkerPoolStats {
    return this.pool.stats();
  }

  /** Terminates the workers; running and queued syntheses reject with TTS_CLOSED. Idempotent. */
  close(): Promise<void> {
    this.closed = true;
    return this.pool.close();
  }
}
