import { MULAW_SILENCE } from '../audio/mulaw';
import { base64Of } from '../telephony/json-fields';
import type { PlayoutChannel, PlayoutClock } from './playout-clock';

export const FRAME_BYTES = 160;
export const FRAME_MS = 20;

/** Where a call's outbound audio goes (the provider's socket, through its protocol adapter). */
export interface PlayoutSink {
  /** `payload` is the frame's base64, made once per prompt frame and shared by every call playing it. */
  sendFrame(frame: Uint8Array, payload: string): void;
  sendMark(name: string): void;
  sendClear(): void;
}

export interface PlayoutOptions {
  /** Audio kept queued at the provider ahead of what the caller hears; barge-in drops at most this. */
  leadMs: number;
  /**
   * Audio per message to the provider, in ms: a whole number of 20 ms frames (default 20). 40 ms
   * halves the messages, and the socket writes that are most of a call's cost, for the same lead.
   */
  frameMs?: number;
  /** Called with each frame's lateness (send time minus scheduled send time) in seconds. */
  onLateness?: (seconds: number) => void;
  /** Called when the first frame of a segment is sent. */
  onSegmentStart?: () => void;
  /** Sending threw inside the shared clock: the clock has dropped this playout; the call must end. */
  onFailure?: (error: unknown) => void;
  /** How long past its expected end to wait for a mark that never comes back. */
  markGraceMs?: number;
  /**
   * A frame due within this long is sent now rather than a whole clock tick late (half the
   * clock's tick: the lead absorbs it).
   */
  earlyMs?: number;
}

interface Segment {
  name: string;
  /** μ-law 8 kHz, a whole number of frames; null while it is still being synthesized. */
  audio: Uint8Array | null;
  offset: number;
}

/**
 * One call's outbound audio: segments (prompts) queued in order, sent as frames of `frameMs`
 * (whole 20 ms telephony frames; a segment's last may be shorter) in real time by the shared clock, keeping `leadMs` queued at the provider. A mark follows each segment;
 * when every mark is back, the audio has been heard and `whenDrained` callbacks run.
 */
export class Playout implements PlayoutChannel {
  private readonly queue: Segment[] = [];
  private readonly outstanding = new Set<string>();
  private drainedCallbacks: Array<() => void> = [];
  private counter = 0;
  /** When the next frame will start playing at the provider (performance.now() time). */
  private nextPlayAt = 0;
  /** When the current run of frames began (audio became available after a pause). */
  private runStart = 0;
  private running = false;
  /** Latest time by which every outstanding mark should be back. */
  private markDeadline = 0;
  private attached = false;
  private closed = false;
  private readonly frameBytes: number;
  /** When the next frame is due (see PlayoutChannel); 0 whenever anything else may need doing. */
  wakeAtMs = 0;

  constructor(
    private readonly sink: PlayoutSink,
    private readonly clock: PlayoutClock,
    private readonly options: PlayoutOptions,
  ) {
    const frames = (options.frameMs ?? FRAME_MS) / FRAME_MS;
    if (!Number.isInteger(frames) || frames < 1) throw new RangeError(`frameMs must be a whole number of ${FRAME_MS} ms frames (got ${options.frameMs})`);
    this.frameBytes = frames * FRAME_BYTES;
  }

  /** Queues audio (or audio being synthesized); returns the segment's mark name. */
  enqueue(audio: Uint8Array | Promise<Uint8Array>): string {
    const segment: Segment = { name: `seg-${++this.counter}`, audio: null, offset: 0 };
    if (audio instanceof Uint8Array) segment.audio = wholeFrames(audio);
    else {
      audio.then(
        (bytes) => {
          segment.audio = wholeFrames(bytes);
          this.attach();
        },
        () => {
          // A failed synthesis is skipped: the call goes on with the next prompt.
          segment.audio = new Uint8Array(0);
          this.attach();
        },
      );
    }
    this.queue.push(segment);
    this.wakeAtMs = 0;
    this.attach();
    return segment.name;
  }

  /** The provider echoed a mark: the audio before it has played (or was cleared). */
  onMark(name: string): void {
    if (!this.outstanding.delete(name)) return;
    this.checkDrained();
  }

  /** Runs `callback` once everything queued so far has been heard (at once if nothing is). */
  whenDrained(callback: () => void): void {
    if (this.idle) callback();
    else this.drainedCallbacks.push(callback);
  }

  get idle(): boolean {
    return this.queue.length === 0 && this.outstanding.size === 0;
  }

  /** Barge-in: drop everything not yet heard and tell the provider to empty its buffer. */
  clear(): void {
    const hadAudio = !this.idle;
    this.queue.length = 0;
    this.outstanding.clear();
    this.nextPlayAt = 0;
    this.running = false;
    this.wakeAtMs = 0;
    if (hadAudio) this.sink.sendClear();
    this.checkDrained();
  }

  failed(error: unknown): void {
    this.attached = false;
    this.close();
    this.options.onFailure?.(error);
  }

  close(): void {
    this.closed = true;
    this.queue.length = 0;
    this.outstanding.clear();
    this.drainedCallbacks = [];
    this.detach();
  }

  pump(now: number): void {
    const { leadMs } = this.options;
    this.wakeAtMs = 0;
    while (!this.closed) {
      const segment = this.queue[0];
      if (!segment) {
        this.running = false;
        break;
      }
      if (segment.audio === null) {
        this.running = false; // still synthesizing; keep our place in line
        return;
      }
      if (segment.offset >= segment.audio.length) {
        this.finishSegment(segment, now);
        continue;
      }
      if (!this.running) {
        // Audio is available again after a pause: a new run starts now, right after whatever
        // the provider is still playing. Within a run, falling behind counts as lateness.
        this.running = true;
        this.runStart = now;
        if (this.nextPlayAt < now) this.nextPlayAt = now;
      }
      const sendAt = Math.max(this.nextPlayAt - leadMs, this.runStart);
      const dueAt = sendAt - (this.options.earlyMs ?? 0);
      if (now < dueAt) {
        // Until then every pump would end here (only enqueue and clear change the head's time).
        this.wakeAtMs = dueAt;
        return;
      }
      const lateMs = Math.max(0, now - sendAt);
      if (lateMs > leadMs + (this.frameBytes / FRAME_BYTES) * FRAME_MS) {
        // Far behind (the event loop stalled): the provider has already run dry, so restart the
        // timeline from now instead of bursting every overdue frame, which would stall it again.
        this.nextPlayAt = now;
        this.runStart = now;
      }
      if (segment.offset === 0) this.options.onSegmentStart?.();
      const frame = segment.audio.subarray(segment.offset, segment.offset + this.frameBytes);
      this.sink.sendFrame(frame, frameBase64(segment.audio, this.frameBytes, segment.offset / this.frameBytes, frame));
      this.options.onLateness?.(lateMs / 1000);
      segment.offset += frame.length;
      this.nextPlayAt += (frame.length / FRAME_BYTES) * FRAME_MS;
    }
    if (this.outstanding.size > 0 && now > this.markDeadline) {
      // A provider that never echoes marks must not leave the call waiting forever.
      this.outstanding.clear();
      this.checkDrained();
    }
    if (this.queue.length === 0 && this.outstanding.size === 0) this.detach();
  }

  private finishSegment(segment: Segment, now: number): void {
    this.queue.shift();
    if (segment.audio && segment.audio.length > 0) {
      this.outstanding.add(segment.name);
      this.sink.sendMark(segment.name);
      this.markDeadline = Math.max(this.nextPlayAt, now) + (this.options.markGraceMs ?? 2000);
    }
    this.checkDrained();
  }

  private checkDrained(): void {
    if (!this.idle || this.drainedCallbacks.length === 0) return;
    const callbacks = this.drainedCallbacks;
    this.drainedCallbacks = [];
    for (const callback of callbacks) callback();
  }

  private attach(): void {
    if (this.attached || this.closed) return;
    this.attached = true;
    this.clock.add(this);
  }

  private detach(): void {
    if (!this.attached) return;
    this.attached = false;
    this.clock.remove(this);
  }
}

/**
 * Each queued audio's frames as base64, by frame size, made as they are first sent. Prompts are
 * cached, so hundreds of calls play the same bytes: each frame is encoded once, not once per
 * call. Kept as long as the audio is (a WeakMap), and queued audio is never changed.
 */
const base64ByFrameSize = new Map<number, WeakMap<Uint8Array, string[]>>();

function frameBase64(audio: Uint8Array, frameBytes: number, index: number, frame: Uint8Array): string {
  let byAudio = base64ByFrameSize.get(frameBytes);
  if (!byAudio) {
    byAudio = new WeakMap();
    base64ByFrameSize.set(frameBytes, byAudio);
  }
  let frames = byAudio.get(audio);
  if (!frames) {
    frames = [];
    byAudio.set(audio, frames);
  }
  let encoded = frames[index];
  if (encoded === undefined) {
    encoded = base64Of(frame);
    frames[index] = encoded;
  }
  return encoded;
}

/** Pads audio with μ-law silence to a whole number of 20 ms frames (copying only if needed). */
export function wholeFrames(audio: Uint8Array): Uint8Array {
  const remainder = audio.length % FRAME_BYTES;
  if (remainder === 0) return audio;
  const padded = new Uint8Array(audio.length + FRAME_BYTES - remainder).fill(MULAW_SILENCE);
  padded.set(audio);
  return padded;
}
