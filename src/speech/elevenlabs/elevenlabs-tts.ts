import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import { SpeechError, abortError, checkSynthesisRequest } from '../errors';
import type { TtsCheck, TtsChunk, TtsProvider } from '../tts';
import { toSpeechError } from './error-mapping';

/**
 * ElevenLabs' cloud voices through its SDK (`@elevenlabs/elevenlabs-js`), asking for telephone
 * audio directly (`output_format=ulaw_8000`), so the bytes go to the caller untouched. The
 * streaming endpoint (`POST /v1/text-to-speech/{voice_id}/stream`) is read as it arrives: the
 * first chunk is yielded while the rest of the sentence is still being synthesized.
 *
 * The SDK's own retries are off (they wait a second or more, longer than a caller should hear
 * silence): a failure is reported at once, coded, for the caller or a FallbackTtsProvider to act on.
 */
export interface ElevenLabsTtsOptions {
  apiKey: string;
  /** ElevenLabs voice id (the voice library's 20-character id). */
  voiceId: string;
  /** `ELEVENLABS_URL`: another base URL (a test stand-in, a regional or self-hosted endpoint). */
  baseUrl: string | undefined;
  /**
   * `eleven_multilingual_v2` by default: it speaks Arabic and normalizes numbers ("38.5",
   * "997") into words, which `eleven_flash_v2_5` does only on Enterprise plans. Flash answers
   * faster; prompts are cached, so the quality of the default matters more than its latency.
   */
  modelId: string;
  /** ISO 639-1 code to enforce (`ar`); multilingual v2 ignores it. Not sent when undefined. */
  languageCode: string | undefined;
  /** Longest text accepted, in UTF-16 code units (ElevenLabs allows 10,000 for multilingual v2). */
  maxTextLength: number;
  /** No audio byte this long after the request was sent: TTS_TIMEOUT, and the request is dropped. */
  firstByteTimeoutMs: number;
  /** A stream that then goes quiet this long between chunks: TTS_TIMEOUT as well. */
  idleTimeoutMs: number;
}

export const DEFAULT_ELEVENLABS_OPTIONS: Omit<ElevenLabsTtsOptions, 'apiKey' | 'voiceId'> = {
  baseUrl: undefined,
  modelId: 'eleven_multilingual_v2',
  languageCode: undefined,
  maxTextLength: 5000,
  firstByteTimeoutMs: 3000,
  idleTimeoutMs: 5000,
};

export type ElevenLabsTtsInit = Pick<ElevenLabsTtsOptions, 'apiKey' | 'voiceId'> & Partial<ElevenLabsTtsOptions>;

export class ElevenLabsTtsProvider implements TtsProvider {
  readonly name = 'elevenlabs';
  readonly voice: string;
  readonly modelId: string;
  private readonly options: ElevenLabsTtsOptions;
  private readonly client: ElevenLabsClient;
  /** One controller per running synthesis; `close` aborts them all. */
  private readonly jobs = new Set<AbortController>();
  private closed = false;

  constructor(init: ElevenLabsTtsInit) {
    const options: ElevenLabsTtsOptions = { ...DEFAULT_ELEVENLABS_OPTIONS, ...init };
    for (const key of ['apiKey', 'voiceId', 'modelId'] as const) {
      if (typeof options[key] !== 'string' || options[key].trim() === '') {
        throw new SpeechError('TTS_INVALID_OPTIONS', `ElevenLabs ${key} must be a non-empty string`);
      }
    }
    if (options.baseUrl !== undefined && !/^https?:\/\/[^/]/.test(options.baseUrl)) {
      throw new SpeechError('TTS_INVALID_OPTIONS', `ElevenLabs baseUrl must be an http(s) URL, got "${options.baseUrl}"`);
    }
    for (const key of ['maxTextLength', 'firstByteTimeoutMs', 'idleTimeoutMs'] as const) {
      if (!(options[key] > 0)) throw new SpeechError('TTS_INVALID_OPTIONS', `${key} must be > 0, got ${options[key]}`);
    }
    this.options = options;
    this.voice = options.voiceId;
    this.modelId = options.modelId;
    // The key is always passed: the SDK would otherwise read ELEVENLABS_API_KEY itself.
    this.client = new ElevenLabsClient({ apiKey: options.apiKey, baseUrl: options.baseUrl, maxRetries: 0 });
  }

  async *synthesize(text: string, signal?: AbortSignal): AsyncGenerator<TtsChunk, void, undefined> {
    if (!checkSynthesisRequest({ closed: this.closed, provider: 'ElevenLabs provider', text, maxTextLength: this.options.maxTextLength, signal })) return;

    // Aborted with the reason the synthesis fails with: the caller's abort, a timeout, close().
    const job = new AbortController();
    const onAbort = () => job.abort(abortError());
    signal?.addEventListener('abort', onAbort, { once: true });
    this.jobs.add(job);
    let timer: NodeJS.Timeout | undefined;
    const waitAtMost = (ms: number, message: string) => {
      timer = setTimeout(() => job.abort(new SpeechError('TTS_TIMEOUT', message)), Math.max(0, ms));
    };
    const { firstByteTimeoutMs, idleTimeoutMs } = this.options;
    const firstByteDeadlineMs = performance.now() + firstByteTimeoutMs;
    const noFirstByte = `ElevenLabs sent no audio within ${firstByteTimeoutMs} ms`;
    const stalled = `ElevenLabs sent no audio for ${idleTimeoutMs} ms mid-stream`;
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    let finished = false;
    try {
      waitAtMost(firstByteTimeoutMs, noFirstByte);
      const body = await this.client.textToSpeech.stream(
        this.options.voiceId,
        {
          text,
          modelId: this.options.modelId,
          outputFormat: 'ulaw_8000',
          ...(this.options.languageCode !== undefined ? { languageCode: this.options.languageCode } : {}),
        },
        // The SDK's timeout covers only the wait for headers, and its timer outlives an aborted
        // request (2.73.0 clears it only on success): keep it as short as ours, not 240 s.
        { abortSignal: job.signal, maxRetries: 0, timeoutInSeconds: firstByteTimeoutMs / 1000 },
      );
      reader = body.getReader();
      let bytes = 0;
      for (;;) {
        const result = await reader.read();
        clearTimeout(timer); // time the consumer spends between chunks is not the vendor's
        if (result.done) break;
        if (result.value.length === 0) {
          if (bytes === 0) waitAtMost(firstByteDeadlineMs - performance.now(), noFirstByte);
          else waitAtMost(idleTimeoutMs, stalled);
          continue;
        }
        bytes += result.value.length;
        yield { encoding: 'mulaw', sampleRateHz: 8000, bytes: result.value };
        waitAtMost(idleTimeoutMs, stalled);
      }
      finished = true;
      if (bytes === 0) throw new SpeechError('TTS_BAD_AUDIO', 'ElevenLabs answered with no audio');
    } catch (error) {
      // The reason is always ours here (abortError, TTS_TIMEOUT or TTS_CLOSED), not fetch's.
      if (job.signal.aborted) throw job.signal.reason;
      throw toSpeechError(error);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      this.jobs.delete(job);
      if (!finished) {
        // Stopped early (consumer went away, or failed): drop the request and its connection.
        job.abort();
        reader?.cancel().catch(() => {});
      }
    }
  }

  /**
   * GET /v1/voices/{voice_id}: answers only when the key is accepted and the voice is one this
   * account may use. Nothing is synthesized (no characters are billed).
   */
  async check(): Promise<TtsCheck> {
    try {
      await this.client.voices.get(this.options.voiceId, {}, { maxRetries: 0, timeoutInSeconds: this.options.firstByteTimeoutMs / 1000 });
      return { ok: true };
    } catch (error) {
      const coded = toSpeechError(error);
      const status = (error as { statusCode?: unknown }).statusCode;
      if (coded.code === 'TTS_UNAUTHORIZED') return { ok: false, code: 'unauthorized', reason: `ELEVENLABS_API_KEY was rejected: ${coded.message}` };
      if (status === 404 || status === 400) return { ok: false, code: 'voice_not_found', reason: `ELEVENLABS_VOICE_ID is not a voice this key can use: ${coded.message}` };
      return { ok: false, code: 'unavailable', reason: coded.message };
    }
  }

  /** Later syntheses reject with TTS_CLOSED; running ones are cut off with it. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const job of this.jobs) job.abort(new SpeechError('TTS_CLOSED', 'ElevenLabs provider was closed'));
    this.jobs.clear();
  }
}
