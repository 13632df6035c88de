import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import path from 'node:path';
import { SpeechError, abortError } from './errors';
import { readRecordedPrompt } from './recording';
import { FRAME_BYTES, ResamplerDesigns, renderTelephoneAudio } from './to-telephone';
import type { TtsChunk, TtsProvider } from './tts';

/**
 * Prompts rendered once, as 8 kHz μ-law padded to whole 20 ms frames, kept in memory and on
 * disk (`<dir>/<sha256 hex>.ulaw`, raw μ-law: `sox -t ul -r 8000 -c 1 x.ulaw x.wav` plays it).
 * The key hashes the provider name, voice and text, so another voice never reads this one's
 * audio. Clinics' recorded prompts are loaded under their own keys and always win over TTS.
 * A render with any chunk marked `fallback` (another voice stood in for the provider) is
 * returned but kept nowhere, so the next render asks the provider again.
 *
 * Only static prompts are kept: the texts given to `warm` (known before any call). During a call
 * `renderForCall` synthesizes any other text (read-backs such as "you said 38.5", prompts
 * filled with `{custom.*}` values: health data) for that caller alone, and keeps it neither in
 * this shared memory nor on disk.
 *
 * `get` is the hot path: a synchronous memory lookup, no hashing, no I/O.
 */
export interface PromptCacheOptions {
  provider: TtsProvider;
  /** Directory of the disk cache, e.g. `${DATA_DIR}/prompt-cache`; created when first written. */
  dir: string;
  /** Shared resampler designs (the composition root owns one). */
  designs?: ResamplerDesigns;
  /** Memory bound for TTS audio (recordings are not counted); least recently used goes first. */
  maxMemoryBytes?: number;
  /** Renders `warm` runs at once. */
  warmConcurrency?: number;
  /** Disk trouble (unreadable file, failed write) is not fatal: the prompt is rendered instead. */
  onDiskError?: (error: unknown, file: string) => void;
}

export type PromptSource = 'recording' | 'memory' | 'disk' | 'fresh';

export interface RenderedPrompt {
  audio: Uint8Array;
  source: PromptSource;
  /** A fresh render that a fallback voice produced (in part): played, but neither in memory nor on disk. */
  fallback?: true;
}

export interface WarmReport {
  fresh: number;
  /** Of the fresh renders, those a fallback voice produced (not cached: rendered again next time). */
  fallback: number;
  disk: number;
  memory: number;
  ms: number;
}

/** Bump when the stored format changes: old files are then simply never read again. */
const FORMAT = 'ulaw-8000-frames-v1';
const DEFAULT_MAX_MEMORY_BYTES = 64 * 1024 * 1024; // ~2.3 hours of audio

export class PromptCache {
  private readonly provider: TtsProvider;
  private readonly dir: string;
  private readonly designs: ResamplerDesigns;
  private readonly maxMemoryBytes: number;
  private readonly warmConcurrency: number;
  private readonly onDiskError: (error: unknown, file: string) => void;
  /** Text → audio, in least-recently-used order. */
  private readonly memory = new Map<string, Uint8Array>();
  private memoryBytes = 0;
  private readonly recordings = new Map<string, Uint8Array>();
  private readonly inflight = new Map<string, Promise<RenderedPrompt>>();
  /** Texts declared static by `warm`: the only ones `renderForCall` stores. */
  private readonly staticTexts = new Set<string>();
  private dirReady: Promise<unknown> | null = null;

  constructor(options: PromptCacheOptions) {
    this.provider = options.provider;
    this.dir = path.resolve(options.dir);
    this.designs = options.designs ?? new ResamplerDesigns();
    this.maxMemoryBytes = options.maxMemoryBytes ?? DEFAULT_MAX_MEMORY_BYTES;
    this.warmConcurrency = options.warmConcurrency ?? 2;
    this.onDiskError = options.onDiskError ?? (() => {});
    if (!(this.maxMemoryBytes >= 0)) {
      throw new SpeechError('TTS_INVALID_OPTIONS', `maxMemoryBytes must be ≥ 0, got ${this.maxMemoryBytes}`);
    }
    if (!Number.isInteger(this.warmConcurrency) || this.warmConcurrency < 1) {
      throw new SpeechError('TTS_INVALID_OPTIONS', `warmConcurrency must be a whole number ≥ 1, got ${this.warmConcurrency}`);
    }
  }

  /**
   * The recording under `recordingKey` if loaded, else the rendered text if in memory.
   * The array is shared with every other caller: read it, never write to it.
   */
  get(text: string, recordingKey?: string): Uint8Array | undefined {
    if (recordingKey !== undefined) {
      const recorded = this.recordings.get(recordingKey);
      if (recorded) return recorded;
    }
    const audio = this.memory.get(text);
    if (audio) {
      this.memory.delete(text);
      this.memory.set(text, audio);
    }
    return audio;
  }

  /** Hex sha256 of (format, provider, voice, text): the disk file's name without `.ulaw`. */
  keyOf(text: string): string {
    return createHash('sha256')
      .update(JSON.stringify([FORMAT, this.provider.name, this.provider.voice, text]))
      .digest('hex');
  }

  fileOf(text: string): string {
    return path.join(this.dir, `${this.keyOf(text)}.ulaw`);
  }

  /**
   * The prompt from the first place that has it: recording, memory, disk, else a synthesis.
   * Concurrent renders of one text share one synthesis. `signal` only stops this caller's wait:
   * a shared synthesis runs on and is cached for the others.
   */
  render(text: string, options: { recordingKey?: string; signal?: AbortSignal } = {}): Promise<RenderedPrompt> {
    const { recordingKey, signal } = options;
    if (recordingKey !== undefined) {
      const recorded = this.recordings.get(recordingKey);
      if (recorded) return Promise.resolve({ audio: recorded, source: 'recording' });
    }
    const audio = this.get(text);
    if (audio) return Promise.resolve({ audio, source: 'memory' });
    let shared = this.inflight.get(text);
    if (!shared) {
      shared = this.load(text).finally(() => this.inflight.delete(text));
      this.inflight.set(text, shared);
    }
    return signal ? untilAborted(shared, signal) : shared;
  }

  /**
   * A prompt for one call. A recording, or a static text (declared by `warm`), comes as `render`
   * gives it; any other text is synthesized for this call only: not remembered, not written to
   * disk, not shared with another call's render of the same text.
   */
  renderForCall(text: string, options: { recordingKey?: string; signal?: AbortSignal } = {}): Promise<RenderedPrompt> {
    const { recordingKey, signal } = options;
    if ((recordingKey !== undefined && this.recordings.has(recordingKey)) || this.staticTexts.has(text)) return this.render(text, options);
    const rendered = this.synthesize(text).then(({ audio, fallback }) => ({ audio, source: 'fresh' as const, ...(fallback ? { fallback } : {}) }));
    return signal ? untilAborted(rendered, signal) : rendered;
  }

  /** Whether `text` was declared static (by `warm`), so may be kept in memory and on disk. */
  isStatic(text: string): boolean {
    return this.staticTexts.has(text);
  }

  /**
   * Declares `texts` static (known before any call, so free of call data) and renders every one
   * not yet in memory (disk first), a few at a time. Rejects if any failed.
   */
  async warm(texts: Iterable<string>): Promise<WarmReport> {
    const startedAt = performance.now();
    const unique = [...new Set(texts)];
    for (const text of unique) this.staticTexts.add(text);
    const report: WarmReport = { fresh: 0, fallback: 0, disk: 0, memory: 0, ms: 0 };
    const failures: unknown[] = [];
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < unique.length) {
        const text = unique[next++]!;
        try {
          const { source, fallback } = await this.render(text);
          if (source !== 'recording') report[source]++;
          if (fallback) report.fallback++;
        } catch (error) {
          failures.push(error);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.warmConcurrency, unique.length) }, lane));
    report.ms = performance.now() - startedAt;
    if (failures.length > 0) {
      throw new SpeechError(
        'PROMPT_RENDER_FAILED',
        `${failures.length} of ${unique.length} prompts could not be rendered; first: ${String(failures[0])}`,
        { cause: failures[0] },
      );
    }
    return report;
  }

  /** Converts a clinic's WAV once and keeps it under `key`; `get(text, key)` then returns it. */
  async loadRecording(key: string, wavPath: string): Promise<{ durationMs: number; bytes: number }> {
    const recorded = await readRecordedPrompt(wavPath, this.designs);
    this.recordings.set(key, recorded.audio);
    return { durationMs: recorded.durationMs, bytes: recorded.audio.length };
  }

  hasRecording(key: string): boolean {
    return this.recordings.has(key);
  }

  private async load(text: string): Promise<RenderedPrompt> {
    const file = this.fileOf(text);
    const stored = await this.readDisk(file);
    if (stored) {
      this.remember(text, stored);
      return { audio: stored, source: 'disk' };
    }
    const { audio, fallback } = await this.synthesize(text);
    if (fallback) return { audio, source: 'fresh', fallback: true };
    this.remember(text, audio);
    if (audio.length > 0) await this.writeDisk(file, audio);
    return { audio, source: 'fresh' };
  }

  /** A fresh synthesis as telephone audio; `fallback` when another voice stood in (in part). */
  private async synthesize(text: string): Promise<{ audio: Uint8Array; fallback: boolean }> {
    let fallback = false;
    const audio = await renderTelephoneAudio(
      watchFallback(this.provider.synthesize(text), () => {
        fallback = true;
      }),
      this.designs,
    );
    return { audio, fallback };
  }

  private remember(text: string, audio: Uint8Array): void {
    if (audio.length > this.maxMemoryBytes) return;
    const previous = this.memory.get(text);
    if (previous) {
      this.memory.delete(text);
      this.memoryBytes -= previous.length;
    }
    this.memory.set(text, audio);
    this.memoryBytes += audio.length;
    for (const [oldText, oldAudio] of this.memory) {
      if (this.memoryBytes <= this.maxMemoryBytes) break;
      this.memory.delete(oldText);
      this.memoryBytes -= oldAudio.length;
    }
  }

  /** A stored prompt, or undefined when absent or not whole frames (then it is rendered again). */
  private async readDisk(file: string): Promise<Uint8Array | undefined> {
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.onDiskError(error, file);
      return undefined;
    }
    if (bytes.length === 0 || bytes.length % FRAME_BYTES !== 0) {
      this.onDiskError(new Error(`ignoring ${bytes.length}-byte cache file (not whole 160-byte frames)`), file);
      return undefined;
    }
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  }

  /** Write to a temporary file, then rename: readers never see a partial file. */
  private async writeDisk(file: string, audio: Uint8Array): Promise<void> {
    const temporary = path.join(this.dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      this.dirReady ??= fs.mkdir(this.dir, { recursive: true });
      await this.dirReady;
      await fs.writeFile(temporary, audio);
      await fs.rename(temporary, file);
    } catch (error) {
      this.dirReady = null;
      this.onDiskError(error, file);
      await fs.rm(temporary, { force: true }).catch(() => {});
    }
  }
}

/** Passes `chunks` through, calling `onFallback` for each one a fallback voice produced. */
async function* watchFallback(chunks: AsyncIterable<TtsChunk>, onFallback: () => void): AsyncGenerator<TtsChunk> {
  for await (const chunk of chunks) {
    if (chunk.fallback) onFallback();
    yield chunk;
  }
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
