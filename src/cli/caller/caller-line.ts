/**
 * The caller's end of a simulated phone line, whatever carries it (Twilio Media Streams, Maqsam):
 * plays the bridge's audio on a clock, echoes each mark when the audio before it would have
 * finished playing, notices when the bridge is listening and gives the next answer (keys or
 * speech), streams one 20 ms μ-law frame every 20 ms, times the bridge's replies, and hangs up
 * when it has nothing left to say. The protocol around it turns its callbacks into messages.
 */

/** One answer: keys, or speech (μ-law 8 kHz) given when the bridge is listening. */
export type CallerAnswer = { dtmf: string } | { audio: Uint8Array; label: string };

/** What the line itself puts on the call's timeline. */
export type LineEvent =
  | { t: number; type: 'prompt'; frames: number; durationMs: number }
  | { t: number; type: 'dtmf'; digits: string }
  | { t: number; type: 'say'; label: string; durationMs: number }
  | { t: number; type: 'reply'; latencyMs: number }
  | { t: number; type: 'clear' };

/** 20 ms of μ-law 8 kHz. */
export const FRAME = 160;

export interface CallerLineOptions {
  /** The caller's voice, μ-law 8 kHz, streamed from the start (answers and silence after it). */
  audio?: Uint8Array;
  answers: readonly CallerAnswer[];
  /** How long the line must stay quiet after the bridge's last mark before an answer is given. */
  quietMs?: number;
}

export interface CallerLineCallbacks {
  /** One 20 ms frame of the caller's line (silence is 0xFF). */
  sendFrame(frame: Uint8Array): void;
  sendDigits(digits: string): void;
  /** The audio before this mark has played. */
  echoMark(name: string): void;
  /** Out of answers while the bridge is still asking. */
  hangUp(): void;
  emit(event: LineEvent): void;
  /** Milliseconds since the call began, for the timeline. */
  t(): number;
}

/** The answers in `answers`, else one per digit group in `dtmf`. */
export function callerAnswers(options: { answers?: readonly CallerAnswer[]; dtmf?: readonly string[] }): CallerAnswer[] {
  return [...(options.answers ?? (options.dtmf ?? []).map((digits) => ({ dtmf: digits })))];
}

export class CallerLine {
  /** Sizes of every audio payload received, in bytes. */
  readonly payloadSizes: number[] = [];
  /** From keys sent, or the last frame of a spoken answer, to the bridge's next audio. */
  readonly replyLatenciesMs: number[] = [];
  private readonly received: Uint8Array[] = [];
  private readonly answers: CallerAnswer[];
  private readonly pendingMarks = new Map<string, NodeJS.Timeout>();
  /** Speech being played into the line, after `options.audio`. */
  private speech: { audio: Uint8Array; offset: number } | null = null;
  private audioOffset = 0;
  /** When the audio received so far will have finished playing. */
  private playheadMs = 0;
  private promptFrames = 0;
  private awaitingReplySince: number | null = null;
  private quietTimer: NodeJS.Timeout | null = null;
  private sender: NodeJS.Timeout | null = null;
  /** The call is ending: no more frames, answers or marks taken. */
  private ending = false;

  constructor(
    private readonly options: CallerLineOptions,
    private readonly on: CallerLineCallbacks,
  ) {
    this.answers = [...options.answers];
  }

  /** Everything the bridge played, μ-law 8 kHz, in order (cleared audio included). */
  heard(): Uint8Array {
    return new Uint8Array(Buffer.concat(this.received));
  }

  /** Starts the caller's line: one frame every 20 ms on a drift-corrected schedule, silence included. */
  start(): void {
    const silence = new Uint8Array(FRAME).fill(0xff);
    const lineStart = performance.now();
    let chunk = 0;
    const tick = () => {
      if (this.ending) return;
      let frame = silence;
      const audio = this.options.audio;
      if (audio && this.audioOffset < audio.length) {
        frame = new Uint8Array(FRAME).fill(0xff);
        frame.set(audio.subarray(this.audioOffset, this.audioOffset + FRAME));
        this.audioOffset += FRAME;
      } else if (this.speech) {
        const speech = this.speech;
        frame = new Uint8Array(FRAME).fill(0xff);
        frame.set(speech.audio.subarray(speech.offset, speech.offset + FRAME));
        speech.offset += FRAME;
        if (speech.offset >= speech.audio.length) {
          // The answer is spoken: the reply is timed from its last frame.
          this.speech = null;
          this.awaitingReplySince = performance.now();
        }
      }
      this.on.sendFrame(frame);
      chunk++;
      this.sender = setTimeout(tick, Math.max(0, lineStart + chunk * 20 - performance.now()));
    };
    tick();
  }

  /** The bridge's audio, queued to play after what it sent before. */
  onAudio(bytes: Uint8Array, now = performance.now()): void {
    this.received.push(bytes);
    this.payloadSizes.push(bytes.length);
    this.promptFrames += bytes.length / FRAME;
    this.playheadMs = Math.max(this.playheadMs, now) + (bytes.length / 8000) * 1000;
    this.clearQuietTimer();
    if (this.awaitingReplySince !== null) {
      const latencyMs = now - this.awaitingReplySince;
      this.replyLatenciesMs.push(latencyMs);
      this.on.emit({ t: this.on.t(), type: 'reply', latencyMs: Math.round(latencyMs * 10) / 10 });
      this.awaitingReplySince = null;
    }
  }

  /** The bridge's mark: echoed once the audio before it has played (a repeated name replaces the first). */
  onMark(name: string, now = performance.now()): void {
    this.on.emit({ t: this.on.t(), type: 'prompt', frames: this.promptFrames, durationMs: this.promptFrames * 20 });
    this.promptFrames = 0;
    if (this.ending) return;
    const previous = this.pendingMarks.get(name);
    if (previous) clearTimeout(previous);
    this.pendingMarks.set(
      name,
      setTimeout(() => this.echoMark(name), Math.max(0, this.playheadMs - now)),
    );
  }

  /** The bridge cut its audio: nothing queued plays, and the marks behind it come back now. */
  onClear(now = performance.now()): void {
    this.on.emit({ t: this.on.t(), type: 'clear' });
    this.playheadMs = now;
    for (const [name, timer] of this.pendingMarks) {
      clearTimeout(timer);
      this.echoMark(name);
    }
  }

  /** The call is ending: the line goes quiet and gives no more answers (pending marks still come back). */
  end(): void {
    this.ending = true;
  }

  /** The call is over: as `end`, and every timer is cancelled. */
  stop(): void {
    this.ending = true;
    if (this.sender) clearTimeout(this.sender);
    this.clearQuietTimer();
    for (const timer of this.pendingMarks.values()) clearTimeout(timer);
    this.pendingMarks.clear();
  }

  private echoMark(name: string): void {
    this.pendingMarks.delete(name);
    this.on.echoMark(name);
    this.listening();
  }

  private clearQuietTimer(): void {
    if (this.quietTimer) clearTimeout(this.quietTimer);
    this.quietTimer = null;
  }

  /** No marks pending and the audio played: after `quietMs` of quiet, the next answer (or hang up). */
  private listening(): void {
    this.clearQuietTimer();
    if (this.ending || this.pendingMarks.size > 0) return;
    // Timers may fire a little early against performance.now(): wait for the audio to end.
    const stillPlayingMs = this.playheadMs - performance.now();
    if (stillPlayingMs > 0) {
      this.quietTimer = setTimeout(() => this.listening(), stillPlayingMs + 1);
      return;
    }
    this.quietTimer = setTimeout(() => {
      if (this.speech || this.ending) return; // still answering
      const answer = this.answers.shift();
      // Nothing left to answer and the bridge is still asking: hang up like a caller would.
      if (answer === undefined) return this.on.hangUp();
      if ('dtmf' in answer) {
        this.on.emit({ t: this.on.t(), type: 'dtmf', digits: answer.dtmf });
        this.on.sendDigits(answer.dtmf);
        this.awaitingReplySince = performance.now();
        return;
      }
      this.on.emit({ t: this.on.t(), type: 'say', label: answer.label, durationMs: (answer.audio.length / 8000) * 1000 });
      this.speech = { audio: answer.audio, offset: 0 };
    }, this.options.quietMs ?? 300);
  }
}
