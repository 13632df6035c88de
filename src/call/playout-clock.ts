/**
 * One clock for every call's outbound audio: a single self-correcting timer loop, not a timer
 * per call. Each tick asks every registered channel to send what is due by now.
 */
export interface PlayoutChannel {
  /**
   * Before this time (performance.now() ms) the channel has nothing to send and nothing to check:
   * the clock does not pump it. 0 (or absent): pumped every tick. A 40 ms frame is due every
   * eighth 5 ms tick, so a playing call is skipped on the seven between.
   */
  readonly wakeAtMs?: number;
  /** Sends every frame due by `nowMs` (performance.now() time). */
  pump(nowMs: number): void;
  /** `pump` threw: the channel has been removed from the clock and must end its call. */
  failed?(error: unknown): void;
}

export class PlayoutClock {
  private readonly channels = new Set<PlayoutChannel>();
  private timer: NodeJS.Timeout | null = null;
  private nextTickMs = 0;

  constructor(
    /** How often channels are pumped; frames are 20 ms, so 5 ms keeps lateness under 5 ms. */
    readonly tickMs = 5,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Channels whose pump threw (each was dropped; the clock went on for the others). */
  failures = 0;

  add(channel: PlayoutChannel): void {
    this.channels.add(channel);
    if (!this.timer) {
      this.nextTickMs = this.now();
      this.schedule();
    }
  }

  remove(channel: PlayoutChannel): void {
    this.channels.delete(channel);
    if (this.channels.size === 0) this.stop();
  }

  get size(): number {
    return this.channels.size;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    this.nextTickMs += this.tickMs;
    const delay = Math.max(0, this.nextTickMs - this.now());
    this.timer = setTimeout(() => this.tick(), delay);
    // Calls' sockets keep the process alive; the clock alone must not.
    this.timer.unref();
  }

  private tick(): void {
    let now = this.now();
    // After a stall, do not try to catch up tick by tick: pump once and resume from now.
    if (now - this.nextTickMs > 4 * this.tickMs) this.nextTickMs = now;
    // The clock is read again after each pump: time spent on earlier calls in this tick is lateness too.
    for (const channel of this.channels) {
      if ((channel.wakeAtMs ?? 0) > now) continue;
      try {
        channel.pump(now);
        now = this.now();
      } catch (error) {
        now = this.now();
        // One call's bug must not stop every other call's audio: drop that call, keep the clock.
        this.failures++;
        this.channels.delete(channel);
        try {
          channel.failed?.(error);
        } catch {
          // Its own failure handling failed too; the channel is already gone from the clock.
        }
      }
    }
    if (this.channels.size > 0) this.schedule();
    else this.timer = null;
  }
}
