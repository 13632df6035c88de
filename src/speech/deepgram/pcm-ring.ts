/**
 * A bounded FIFO of PCM16 samples: the audio heard while the recognizer is (re)connecting.
 * Writing past capacity drops the oldest samples and counts them. The storage is allocated once,
 * at the first write, so a stream that never loses its connection never pays for it.
 */
export class PcmRing {
  private storage: Int16Array | null = null;
  private start = 0;
  private length = 0;
  private droppedTotal = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a whole number ≥ 1, got ${capacity}`);
  }

  /** Samples currently held. */
  get size(): number {
    return this.length;
  }

  /** Samples dropped since construction because the ring was full. */
  get dropped(): number {
    return this.droppedTotal;
  }

  /** Copies `samples` in; returns how many of the oldest samples were dropped to make room. */
  write(samples: Int16Array): number {
    this.storage ??= new Int16Array(this.capacity);
    const storage = this.storage;
    let input = samples;
    let dropped = 0;
    if (input.length > this.capacity) {
      dropped += input.length - this.capacity;
      input = input.subarray(input.length - this.capacity);
    }
    const overflow = this.length + input.length - this.capacity;
    if (overflow > 0) {
      this.start = (this.start + overflow) % this.capacity;
      this.length -= overflow;
      dropped += overflow;
    }
    const end = (this.start + this.length) % this.capacity;
    const first = Math.min(input.length, this.capacity - end);
    storage.set(input.subarray(0, first), end);
    storage.set(input.subarray(first), 0);
    this.length += input.length;
    this.droppedTotal += dropped;
    return dropped;
  }

  /**
   * Hands the held samples, oldest first, to `send` as at most two views of the storage (valid
   * only during the call), then empties the ring. If `send` throws, the samples not yet handed
   * over stay in the ring and the error propagates.
   */
  drain(send: (samples: Int16Array) => void): void {
    const storage = this.storage;
    while (storage !== null && this.length > 0) {
      const run = Math.min(this.length, this.capacity - this.start);
      send(storage.subarray(this.start, this.start + run));
      this.start = (this.start + run) % this.capacity;
      this.length -= run;
    }
    this.start = 0;
  }

  /** Empties the ring (the samples are not counted as dropped). */
  clear(): void {
    this.start = 0;
    this.length = 0;
  }
}
