import type { SttEvent } from '../speech/stt';

/** What turn taking tells the call. */
export interface SpeechInputHooks {
  /** A whole answer: the finals of one utterance, joined. */
  utterance(text: string, confidence: number, receivedMs: number): void;
  /** The caller is really speaking (words recognised, or loud speech long enough): barge-in. */
  speaking(): void;
  /** Speech that started has ended (with or without words): silence timing may resume. */
  quiet(): void;
  /** Recognition usable or not, after the degraded budget (or at once for a rejected key). */
  availability(available: boolean, reason: string): void;
  /** End of the caller's last word → its final result, in seconds. */
  finalLatency(seconds: number): void;
}

export interface SpeechInputOptions {
  /** Loud speech this long after SpeechStarted interrupts even before words are recognised. */
  bargeInMinMs: number;
  /** Recognition down this long makes the call switch to the keypad. */
  degradedAfterMs: number;
  /** Frame RMS (int16) above which a 20 ms frame counts as speech, not line noise. */
  speechRms?: number;
}

/**
 * Turn taking over a recognition stream: assembles final results into utterances, confirms
 * barge-in (SpeechStarted alone may be line noise), and decides when recognition counts as down.
 * Times are on the call's audio clock (milliseconds of audio sent to recognition).
 */
export class SpeechInput {
  private audioMs = 0;
  private finals: string[] = [];
  private confidence = 1;
  /** Audio time of the current SpeechStarted, until the utterance ends. */
  private speechSince: number | null = null;
  private loudMs = 0;
  private confirmed = false;
  private down = false;
  private degraded = false;
  private rejected = false;
  private degradeTimer: NodeJS.Timeout | null = null;

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
    if (this.speechSince === null || this.confirmed) return;
    let sum = 0;
    for (let i = 0; i < samples.length; i++) {
      const s = samples[i] as number;
      sum += s * s;
    }
    if (Math.sqrt(sum / Math.max(1, samples.length)) >= (this.options.speechRms ?? 600)) {
      this.loudMs += ms;
      if (this.loudMs >= this.options.bargeInMinMs) this.confirm();
    }
  }

  onEvent(event: SttEvent, receivedMs: number): void {
    switch (event.type) {
      case 'speech_started':
        if (this.speechSince === null) {
          this.speechSince = event.atMs;
          this.loudMs = 0;
          this.confirmed = false;
        }
        return;
      case 'interim':
        if (event.text.trim()) this.confirm();
        return;
      case 'final':
        if (event.lastWordEndMs !== null) this.hooks.finalLatency(Math.max(0, this.audioMs - event.lastWordEndMs) / 1000);
        if (event.text.trim()) {
          this.confirm();
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
  }

  private confirm(): void {
    if (this.confirmed) return;
    this.confirmed = true;
    this.hooks.speaking();
  }

  /** The utterance is over: hand its words to the call (if any) and reset. */
  private flush(receivedMs: number): void {
    const text = this.finals.join(' ');
    const confidence = this.confidence;
    this.finals = [];
    this.confidence = 1;
    this.speechSince = null;
    this.confirmed = false;
    this.loudMs = 0;
    if (text) this.hooks.utterance(text, confidence, receivedMs);
    else this.hooks.quiet();
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
