import type { SttEvent } from '../speech/stt';

/** What turn taking tells the call. */
export interface SpeechInputHooks {
  /** A whole answer: the finals of one utterance, joined. */
  utterance(text: string, confidence: number, receivedMs: number): void;
  /**
   * The caller is really speaking: barge-in. Enough words in an interim (`bargeInMinWords`), loud
   * speech lasting `bargeInMinMs`, or a final with any words (a one-word "نعم" is an answer).
   */
  speaking(): void;
  /** Words recognised, too few to interrupt a prompt: the caller is answering, no reprompt. */
  heard(): void;
  /** The caller's turn is over without words (ended, or none within `noWordsMs`): silence timing may resume. */
  quiet(): void;
  /** Recognition usable or not, after the degraded budget (or at once for a rejected key). */
  availability(available: boolean, reason: string): void;
  /** End of the caller's last word → its final result, in seconds. */
  finalLatency(seconds: number): void;
}

export interface SpeechInputOptions {
  /** Loud speech this long after SpeechStarted interrupts even before words are recognised. */
  bargeInMinMs: number;
  /** An interim result with at least this many words interrupts (a cough or echo rarely makes two). */
  bargeInMinWords: number;
  /** Speech with no words, or words with nothing after them, for this long ends the turn (finals so far are the answer). */
  noWordsMs: number;
  /** Quiet audio this long resets the loud-speech count (line noise never adds up over a call). */
  loudResetMs?: number;
  /** Recognition down this long makes the call switch to the keypad. */
  degradedAfterMs: number;
  /** Frame RMS (int16) above which a 20 ms frame counts as speech, not line noise. */
  speechRms?: number;
}

/**
 * Turn taking over a recognition stream: assembles final results into utterances, confirms
 * barge-in (SpeechStarted alone may be line noise, one word may be a cough or echo), and decides
 * when recognition counts as down. Times are on the call's audio clock (milliseconds of audio sent
 * to recognition), except the `noWordsMs` bound, which is wall time: it must end a turn even if
 * audio stops arriving.
 */
export class SpeechInput {
  private audioMs = 0;
  private finals: string[] = [];
  private confidence = 1;
  /** Audio time of the current SpeechStarted, until the utterance ends. */
  private speechSince: number | null = null;
  private loudMs = 0;
  private quietMs = 0;
  /** What the caller has shown this utterance: nothing yet, a word or so, or real speech (barge-in). */
  private floor: 'none' | 'heard' | 'speaking' = 'none';
  private words = false;
  private down = false;
  private degraded = false;
  private rejected = false;
  private degradeTimer: NodeJS.Timeout | null = null;
  private noWordsTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly hooks: SpeechInputHooks,
    private readonly options: SpeechInputOptions,
  ) {}

  get available(): boolean {
    return !this.degraded && !this.rejected;
  }

  /** Every 16 kHz frame sent to recognition: advances the audio clock, measures loudness. */
  onAudio(samples: Int16Array): void {
    const ms = samples.length / 16;
    this.audioMs += ms;
    if (this.speechSince === null || this.floor === 'speaking') return;
    let sum = 0;
    for (let i = 0; i < samples.length; i++) {
      const s = samples[i] as number;
      sum += s * s;
    }
    if (Math.sqrt(sum / Math.max(1, samples.length)) < (this.options.speechRms ?? 600)) {
      this.quietMs += ms;
      if (this.quietMs >= (this.options.loudResetMs ?? 200)) this.loudMs = 0;
      return;
    }
    this.quietMs = 0;
    this.loudMs += ms;
    if (this.loudMs < this.options.bargeInMinMs) return;
    this.confirm();
    // Loud but wordless: if no words follow, the turn ends as silence (see noWordsMs).
    if (!this.words) this.startNoWordsTimer();
  }

  onEvent(event: SttEvent, receivedMs: number): void {
    switch (event.type) {
      case 'speech_started':
        if (this.speechSince === null) {
          this.speechSince = event.atMs;
          this.loudMs = 0;
          this.quietMs = 0;
          if (!this.words) this.startNoWordsTimer();
        }
        return;
      case 'interim':
        return this.onWords(wordCount(event.text), false);
      case 'final':
        if (event.lastWordEndMs !== null) this.hooks.finalLatency(Math.max(0, this.audioMs - event.lastWordEndMs) / 1000);
        if (event.text.trim()) {
          this.onWords(wordCount(event.text), true);
          this.finals.push(event.text.trim());
          this.confidence = Math.min(this.confidence, event.confidence);
        }
        if (event.speechFinal) this.flush(receivedMs);
        return;
      case 'utterance_end':
        return this.flush(receivedMs);
      case 'status':
        return this.status(event.available, event.reason);
      case 'error':
        if (event.retryable) return this.status(false, event.message);
        this.rejected = true;
        this.clearDegradeTimer();
        this.hooks.availability(false, `${event.code}: ${event.message}`);
        return;
      default: {
        const unknown: never = event;
        throw new Error(`unhandled recognition event ${JSON.stringify(unknown)}`);
      }
    }
  }

  close(): void {
    this.clearDegradeTimer();
    this.clearNoWordsTimer();
  }

  /**
   * Words recognised. A final is an answer whatever its length, so it always takes the turn (and
   * stops an interruptible prompt); an interim needs `bargeInMinWords` to interrupt.
   */
  private onWords(count: number, final: boolean): void {
    if (count === 0) return;
    this.words = true;
    // Words restart the bound rather than end it: if recognition then goes quiet (a dropped
    // stream that reconnects, a final that never comes), the turn still ends.
    this.startNoWordsTimer();
    if (final || count >= this.options.bargeInMinWords) return this.confirm();
    if (this.floor !== 'none') return;
    this.floor = 'heard';
    this.hooks.heard();
  }

  private confirm(): void {
    if (this.floor === 'speaking') return;
    this.floor = 'speaking';
    this.hooks.speaking();
  }

  /** The utterance is over: hand its words to the call (if any) and reset. */
  private flush(receivedMs: number): void {
    const text = this.finals.join(' ');
    const confidence = this.confidence;
    this.reset();
    if (text) this.hooks.utterance(text, confidence, receivedMs);
    else this.hooks.quiet();
  }

  private reset(): void {
    this.finals = [];
    this.confidence = 1;
    this.speechSince = null;
    this.floor = 'none';
    this.words = false;
    this.loudMs = 0;
    this.quietMs = 0;
    this.clearNoWordsTimer();
  }

  private startNoWordsTimer(): void {
    this.clearNoWordsTimer();
    this.noWordsTimer = setTimeout(() => {
      this.noWordsTimer = null;
      // Nothing more is coming for this turn: without this, a held turn is dead air. Finals
      // already received are the caller's answer; without any, the turn ends as silence.
      if (this.finals.length > 0) return this.flush(performance.now());
      const held = this.floor !== 'none';
      this.reset();
      if (held) this.hooks.quiet();
    }, this.options.noWordsMs);
  }

  private clearNoWordsTimer(): void {
    if (this.noWordsTimer) clearTimeout(this.noWordsTimer);
    this.noWordsTimer = null;
  }

  private status(available: boolean, reason: string): void {
    if (this.rejected) return;
    if (!available) {
      if (this.down) return;
      this.down = true;
      this.degradeTimer = setTimeout(() => {
        this.degradeTimer = null;
        this.degraded = true;
        this.hooks.availability(false, reason);
      }, this.options.degradedAfterMs);
      return;
    }
    this.down = false;
    this.clearDegradeTimer();
    if (this.degraded) {
      this.degraded = false;
      this.hooks.availability(true, reason);
    }
  }

  private clearDegradeTimer(): void {
    if (this.degradeTimer) clearTimeout(this.degradeTimer);
    this.degradeTimer = null;
  }
}

function wordCount(text: string): number {
  const trimmed = text.trim();
  return trimmed ? trimmed.split(/\s+/).length : 0;
}
