/**
 * Speech recognition behind our own interface. Audio in: 16 kHz mono PCM16 from the inbound
 * transcoder. Events out, typed; vendor details stay in their folder.
 *
 * Times (`atMs`, `lastWordEndMs`) are on the call's audio clock: milliseconds of audio sent into
 * this stream since it was opened, continuous across reconnects of the underlying connection.
 */
export type SttEvent =
  | { type: 'speech_started'; atMs: number }
  | { type: 'interim'; text: string; confidence: number }
  | { type: 'final'; text: string; confidence: number; speechFinal: boolean; lastWordEndMs: number | null }
  | { type: 'utterance_end'; lastWordEndMs: number | null }
  /** The connection went down (retrying, audio buffered) or came back. */
  | { type: 'status'; available: boolean; reason: string }
  /** Not retryable errors (a rejected key) end recognition for the call. */
  | { type: 'error'; code: string; message: string; retryable: boolean };

export interface SttStream {
  /** 16 kHz PCM16 mono. The array may be reused by the caller after this returns: copy it if kept. */
  sendAudio(samples: Int16Array): void;
  /** Flushes what was heard (Finalize), then closes; safe to call twice. */
  close(): Promise<void>;
}

export interface SttOpenOptions {
  /** Words to boost for this call (option names, yes/no words). */
  keyterms?: readonly string[];
}

export type SttCheck = { ok: true } | { ok: false; reason: string; retryable: boolean };

export interface SttProvider {
  readonly name: string;
  /** Opens one recognition stream for one call; `onEvent` receives everything it hears. */
  open(callId: string, onEvent: (event: SttEvent) => void, options?: SttOpenOptions): SttStream;
  /** Checks the credentials once (at startup), so a bad key is reported clearly, not per call. */
  check(): Promise<SttCheck>;
  /**
   * Whether the model and language calls are recognised with are available to this key (for
   * diagnostics; absent when the provider cannot tell).
   */
  checkModel?(): Promise<SttCheck>;
}
