import { DeepgramClient, DeepgramError } from '@deepgram/sdk';
import type { SttCheck, SttEvent, SttOpenOptions, SttProvider } from '../stt';
import {
  type DeepgramLogger,
  type DeepgramSttOptions,
  type DeepgramSttOptionsInput,
  resolveDeepgramOptions,
} from './deepgram-options';
import { DeepgramSttStream, SAMPLE_RATE_HZ } from './deepgram-stream';
import { type ConnectionFailure, type ListenArgs, ListenConnection } from './listen-connection';

export { DEFAULT_DEEPGRAM_OPTIONS } from './deepgram-options';
export type { DeepgramLogger, DeepgramRetryPolicy, DeepgramSttHooks, DeepgramSttOptions, DeepgramSttOptionsInput } from './deepgram-options';
export type { DeepgramStreamStats, DeepgramSttStream } from './deepgram-stream';

const CLOUD_URL = 'https://api.deepgram.com';
const SILENT_LOG: DeepgramLogger = { warn() {}, info() {}, debug() {} };

/**
 * Deepgram live speech-to-text (v1/listen) through `@deepgram/sdk` v5: one stream per call,
 * opened at once, 16 kHz linear16 mono, interim results, endpointing, utterance-end and VAD
 * events, keyterm prompting (nova-3). The SDK's silent reconnection is off: each stream owns its
 * retry policy and the audio buffered meanwhile (see DeepgramSttStream).
 */
export class DeepgramSttProvider implements SttProvider {
  readonly name = 'deepgram';
  private readonly options: DeepgramSttOptions;
  private readonly client: DeepgramClient;
  private readonly log: DeepgramLogger;

  constructor(options: DeepgramSttOptionsInput) {
    this.options = resolveDeepgramOptions(options);
    this.log = this.options.hooks.log ?? SILENT_LOG;
    // One base URL serves both REST (fetch: http(s) only) and the live socket (`ws` takes http(s) too).
    const baseUrl = this.options.baseUrl?.replace(/^ws(s?):/i, 'http$1:');
    this.client = new DeepgramClient({ apiKey: this.options.apiKey, baseUrl });
  }

  open(callId: string, onEvent: (event: SttEvent) => void, options: SttOpenOptions = {}): DeepgramSttStream {
    const log = withFields(this.log, { callId });
    return new DeepgramSttStream(this.client, this.listenArgs(options.keyterms ?? []), this.options, onEvent, log);
  }

  /**
   * Validates the key with GET /v1/projects. A 403 (a key without project scope) or 404 (a
   * self-hosted server has no management API) is settled by a short live connection instead.
   */
  async check(): Promise<SttCheck> {
    const where = this.options.baseUrl ?? CLOUD_URL;
    try {
      await this.client.manage.v1.projects.list({ timeoutInSeconds: this.options.connectTimeoutMs / 1000, maxRetries: 0 });
      return { ok: true };
    } catch (error) {
      if (error instanceof DeepgramError && error.statusCode !== undefined) {
        const status = error.statusCode;
        if (status === 401) return rejectedKey(401);
        if (status === 403 || status === 404) return this.checkLive();
        return { ok: false, reason: `Deepgram at ${where} answered ${status} to GET /v1/projects`, retryable: status === 429 || status >= 500 };
      }
      return { ok: false, reason: `Deepgram unreachable at ${where}: ${describe(error)}`, retryable: true };
    }
  }

  /**
   * Looks for the model (nova-3) with the language (ar, or its base language for ar-SA) among the
   * streaming models GET /v1/models lists. Where there is no such list (a self-hosted server
   * answers 404), a short live stream with the calls' own parameters settles it.
   */
  async checkModel(): Promise<SttCheck> {
    const where = this.options.baseUrl ?? CLOUD_URL;
    const { model, language } = this.options;
    let listed: Awaited<ReturnType<DeepgramClient['manage']['v1']['models']['list']>>;
    try {
      listed = await this.client.manage.v1.models.list({}, { timeoutInSeconds: this.options.connectTimeoutMs / 1000, maxRetries: 0 });
    } catch (error) {
      if (error instanceof DeepgramError && error.statusCode !== undefined) {
        const status = error.statusCode;
        if (status === 401 || status === 403) return rejectedKey(status);
        if (status === 404) return this.checkLive();
        return { ok: false, reason: `Deepgram at ${where} answered ${status} to GET /v1/models`, retryable: status === 429 || status >= 500 };
      }
      return { ok: false, reason: `Deepgram unreachable at ${where}: ${describe(error)}`, retryable: true };
    }
    const base = language.split('-')[0] as string;
    const candidates = (listed.stt ?? []).filter((m) => m.streaming !== false && (m.canonical_name === model || m.architecture === model || m.canonical_name?.startsWith(`${model}-`)));
    if (candidates.length === 0) return { ok: false, reason: `Deepgram at ${where} lists no streaming ${model} model`, retryable: false };
    const speaks = candidates.some((m) => (m.languages ?? []).some((l) => l === language || l === base || l.startsWith(`${base}-`)));
    if (!speaks) return { ok: false, reason: `Deepgram at ${where} lists ${model} without the language ${language}`, retryable: false };
    return { ok: true };
  }

  private checkLive(): Promise<SttCheck> {
    const where = this.options.baseUrl ?? CLOUD_URL;
    return new Promise((resolve) => {
      const connection: ListenConnection = new ListenConnection(
        {
          open: () => {
            connection.sendControl('CloseStream');
            connection.dispose();
            resolve({ ok: true });
          },
          message: () => {},
          lost: (failure: ConnectionFailure) => {
            const status = failure.httpStatus;
            if (status === 401 || status === 403) resolve(rejectedKey(status));
            else if (status !== undefined) resolve({ ok: false, reason: `Deepgram at ${where} refused a live stream (${status})`, retryable: status === 429 || status >= 500 });
            else resolve({ ok: false, reason: `Deepgram unreachable at ${where}: ${failure.reason}`, retryable: true });
          },
        },
        this.options.connectTimeoutMs,
      );
      void connection.start(this.client, this.listenArgs([]));
    });
  }

  private listenArgs(keyterms: readonly string[]): ListenArgs {
    const terms = [...new Set(keyterms.map((term) => term.trim()).filter((term) => term !== ''))];
    return {
      model: this.options.model,
      language: this.options.language,
      encoding: 'linear16',
      sample_rate: SAMPLE_RATE_HZ,
      channels: 1,
      interim_results: 'true',
      endpointing: this.options.endpointing,
      utterance_end_ms: this.options.utteranceEndMs,
      vad_events: 'true',
      mip_opt_out: this.options.mipOptOut ? 'true' : undefined,
      // The SDK writes an array as repeated parameters: keyterm=a&keyterm=b.
      keyterm: terms.length > 0 ? terms : undefined,
      reconnectAttempts: 0,
      // Our own timer (connectTimeoutMs) decides; the SDK's is a backstop.
      connectionTimeoutInSeconds: this.options.connectTimeoutMs / 1000 + 1,
    };
  }
}

function rejectedKey(status: number): SttCheck {
  return { ok: false, reason: `DEEPGRAM_API_KEY was rejected (${status}): check the key`, retryable: false };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const causeText = cause instanceof Error ? ((cause as { code?: unknown }).code ?? cause.message) : undefined;
  return causeText === undefined || error.message.includes(String(causeText)) ? error.message : `${error.message} (${String(causeText)})`;
}

function withFields(log: DeepgramLogger, fields: object): DeepgramLogger {
  return {
    warn: (obj, msg) => log.warn({ ...fields, ...obj }, msg),
    info: (obj, msg) => log.info({ ...fields, ...obj }, msg),
    debug: (obj, msg) => log.debug({ ...fields, ...obj }, msg),
  };
}
