import { SpeechError, abortError } from '../errors';
import type { TtsChunk, TtsProvider } from '../tts';

/**
 * A deterministic TtsProvider for tests: a sine tone (1 kHz at 16 kHz PCM16 by default) lasting
 * `msPerChar` per character of text (at least one character's worth, at most `maxMs`), yielded
 * in `chunks` pieces with continuous phase. Counts calls; can be slowed down or made to fail.
 */
export interface FakeTtsOptions {
  name: string;
  voice: string;
  sampleRateHz: number;
  frequencyHz: number;
  /** Peak amplitude in int16 units. */
  amplitude: number;
  msPerChar: number;
  maxMs: number;
  /** Number of chunks each synthesis is split into. */
  chunks: number;
  /** Wait before each chunk (real timers), so tests can overlap or abort a synthesis. */
  chunkDelayMs: number;
  /** Return an error to make the synthesis of this text fail with it. */
  failFor: (text: string) => Error | undefined;
}

export class FakeTtsProvider implements TtsProvider {
  readonly name: string;
  readonly voice: string;
  readonly options: FakeTtsOptions;
  /** Texts passed to `synthesize`, in call order. */
  readonly texts: string[] = [];
  closeCalls = 0;

  constructor(options: Partial<FakeTtsOptions> = {}) {
    this.options = {
      name: 'fake',
      voice: 'tone',
      sampleRateHz: 16000,
      frequencyHz: 1000,
      amplitude: 8000,
      msPerChar: 60,
      maxMs: 5000,
      chunks: 3,
      chunkDelayMs: 0,
      failFor: () => undefined,
      ...options,
    };
    this.name = this.options.name;
    this.voice = this.options.voice;
  }

  get calls(): number {
    return this.texts.length;
  }

  /** Duration of the tone this text is rendered as. */
  durationMsOf(text: string): number {
    const { msPerChar, maxMs } = this.options;
    return Math.min(maxMs, Math.max(1, text.length) * msPerChar);
  }

  /** Number of samples this text is rendered as. */
  samplesOf(text: string): number {
    return Math.round((this.durationMsOf(text) * this.options.sampleRateHz) / 1000);
  }

  async *synthesize(text: string, signal?: AbortSignal): AsyncGenerator<TtsChunk, void, undefined> {
    this.texts.push(text);
    if (this.closeCalls > 0) throw new SpeechError('TTS_CLOSED', 'fake TTS was closed');
    const failure = this.options.failFor(text);
    if (failure) throw failure;
    const { sampleRateHz, frequencyHz, amplitude, chunks, chunkDelayMs } = this.options;
    const total = this.samplesOf(text);
    const step = (2 * Math.PI * frequencyHz) / sampleRateHz;
    for (let c = 0; c < chunks; c++) {
      if (chunkDelayMs > 0) await delay(chunkDelayMs, signal);
      if (signal?.aborted) throw abortError();
      const start = Math.floor((c * total) / chunks);
      const end = Math.floor(((c + 1) * total) / chunks);
      const samples = new Int16Array(end - start);
      for (let n = start; n < end; n++) samples[n - start] = Math.round(amplitude * Math.sin(step * n));
      yield { encoding: 'pcm16', sampleRateHz, samples };
    }
  }

  async close(): Promise<void> {
    this.closeCalls++;
  }
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
