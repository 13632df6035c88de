/**
 * Speech recognition behind our own interface. Audio in: 16 kHz mono PCM16 from the inbound
 * transcoder. Events out, typed; vendor details stay in their folder.
 */
export type SttEvent =
  | { type: 'speech_started'; atMs: number }
  | { type: 'interim'; text: string; confidence: number }
  | { type: 'final'; text: string; confidence: number; speechFinal: boolean; lastWordEndMs: number | null }
  | { type: 'utterance_end'; lastWordEndMs: number | null }
  | { type: 'error'; code: string; message: string; retryable: boolean };

export interface SttStream {
  /** 16 kHz PCM16 mono; the stream may buffer while (re)connecting. */
  sendAudio(samples: Int16Array): void;
  /** Words to boost for the question being asked (option names, yes/no). */
  setHints(words: readonly string[]): void;
  /** Flushes what was heard and closes; safe to call twice. */
  close(): Promise<void>;
}

export interface SttProvider {
  readonly name: string;
  /** Opens one recognition stream for one call; `onEvent` receives everything it hears. */
  open(callId: string, onEvent: (event: SttEvent) => void): SttStream;
}
