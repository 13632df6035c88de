import { FRAME_SAMPLES, RATE_HZ, rms } from './deepgram-audio';

/**
 * The stand-in's "speech recognition" for one connection: energy-based utterance detection on
 * the linear16 audio it receives, answered with scripted transcripts in Deepgram's live message
 * shapes. All times are computed from the audio (samples received on this connection, like
 * Deepgram's), never from the wall clock, so tests may send faster than real time.
 *
 * - A 20 ms frame whose RMS exceeds `rmsThreshold` is speech. The first speech frame of an
 *   utterance sends SpeechStarted (when vad_events=true) with its start time.
 * - While speech continues, an interim Results (is_final false) every `interimEveryMs` of audio
 *   (when interim_results=true), with the growing prefix of the next scripted text.
 * - After `endpointing` ms of silence: a final Results (is_final, speech_final) whose transcript is
 *   the next scripted text, with words spread evenly over the speech; `utterance_end_ms` of
 *   silence after the last word: UtteranceEnd.
 * - Finalize: a final with from_finalize true for speech in progress, or an empty one when audio
 *   arrived since the last final; nothing otherwise.
 */
export interface RecognizerSettings {
  endpointingMs: number;
  utteranceEndMs: number;
  interimResults: boolean;
  vadEvents: boolean;
  rmsThreshold: number;
  interimEveryMs: number;
  requestId: string;
}

export interface Script {
  peek(): string;
  take(): string;
}

const ms = (samples: number): number => (samples * 1000) / RATE_HZ;
const sec = (samples: number): number => Math.round((samples / RATE_HZ) * 1e6) / 1e6;

export class ScriptedRecognizer {
  private pending = new Int16Array(FRAME_SAMPLES);
  private pendingLength = 0;
  /** Samples processed (whole frames). */
  private position = 0;
  private speaking = false;
  private speechStart = 0;
  private speechEnd = 0;
  private lastInterimAt = 0;
  private interims = 0;
  private utteranceEndAfter: number | null = null;
  private finalizedUpTo = 0;

  constructor(
    private readonly settings: RecognizerSettings,
    private readonly script: Script,
    private readonly send: (message: Record<string, unknown>) => void,
  ) {}

  push(samples: Int16Array): void {
    let at = 0;
    while (at < samples.length) {
      const take = Math.min(FRAME_SAMPLES - this.pendingLength, samples.length - at);
      this.pending.set(samples.subarray(at, at + take), this.pendingLength);
      this.pendingLength += take;
      at += take;
      if (this.pendingLength === FRAME_SAMPLES) {
        this.frame(this.pending);
        this.pendingLength = 0;
      }
    }
  }

  /** Answers a Finalize (or the flush before CloseStream). */
  finalize(fromFinalize: boolean): void {
    if (this.speaking) {
      this.final(false, fromFinalize);
    } else if (this.position > this.finalizedUpTo) {
      this.results(true, false, fromFinalize, '', this.finalizedUpTo, this.position, []);
      this.finalizedUpTo = this.position;
    }
  }

  private frame(frame: Int16Array): void {
    const start = this.position;
    this.position += FRAME_SAMPLES;
    if (rms(frame) > this.settings.rmsThreshold) {
      if (!this.speaking) {
        this.speaking = true;
        this.speechStart = start;
        this.lastInterimAt = start;
        this.interims = 0;
        this.utteranceEndAfter = null;
        if (this.settings.vadEvents) this.send({ type: 'SpeechStarted', channel: [0], timestamp: sec(start) });
      }
      this.speechEnd = this.position;
      if (this.settings.interimResults && ms(this.position - this.lastInterimAt) >= this.settings.interimEveryMs) {
        this.lastInterimAt = this.position;
        this.interims += 1;
        const words = this.script.peek().split(/\s+/).filter(Boolean);
        const text = words.slice(0, Math.min(words.length, this.interims)).join(' ');
        this.results(false, false, false, text, this.speechStart, this.position, []);
      }
      return;
    }
    if (this.speaking && ms(this.position - this.speechEnd) >= this.settings.endpointingMs) this.final(true, false);
    if (this.utteranceEndAfter !== null && this.position - this.utteranceEndAfter >= (this.settings.utteranceEndMs * RATE_HZ) / 1000) {
      this.send({ type: 'UtteranceEnd', channel: [0, 1], last_word_end: sec(this.utteranceEndAfter) });
      this.utteranceEndAfter = null;
    }
  }

  private final(speechFinal: boolean, fromFinalize: boolean): void {
    const text = this.script.take();
    const words = text.split(/\s+/).filter(Boolean);
    const span = (this.speechEnd - this.speechStart) / Math.max(1, words.length);
    const timed = words.map((word, i) => ({
      word,
      start: sec(this.speechStart + i * span),
      end: sec(i === words.length - 1 ? this.speechEnd : this.speechStart + (i + 1) * span),
      confidence: 0.9,
      punctuated_word: word,
    }));
    this.results(true, speechFinal, fromFinalize, text, this.finalizedUpTo, this.position, timed);
    this.finalizedUpTo = this.position;
    this.speaking = false;
    this.utteranceEndAfter = words.length > 0 ? this.speechEnd : null;
  }

  private results(isFinal: boolean, speechFinal: boolean, fromFinalize: boolean, transcript: string, from: number, to: number, words: object[]): void {
    this.send({
      type: 'Results',
      channel_index: [0, 1],
      duration: sec(to - from),
      start: sec(from),
      is_final: isFinal,
      speech_final: speechFinal,
      ...(fromFinalize ? { from_finalize: true } : {}),
      channel: { alternatives: [{ transcript, confidence: transcript === '' ? 0 : 0.93, words }] },
      metadata: { request_id: this.settings.requestId, model_info: { name: 'stand-in', version: '0', arch: 'nova-3' }, model_uuid: 'stand-in' },
    });
  }

  /** Audio received, in seconds (for Metadata). */
  get durationSeconds(): number {
    return sec(this.position + this.pendingLength);
  }
}
