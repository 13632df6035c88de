import type { CallSession } from './call-session';

export interface CallOutcome {
  status: CallSession['status'];
  transferTo: string | null;
}

/**
 * The calls this instance is carrying: the concurrency limit, takeover of a call by a newer
 * stream, the outcome of recently ended calls (Twilio asks for it when the stream ends), and
 * draining on shutdown.
 */
export class CallRegistry {
  private readonly calls = new Map<string, CallSession>();
  private readonly outcomes = new Map<string, CallOutcome>();
  private drainWaiters: Array<() => void> = [];

  constructor(
    readonly maxConcurrent: number,
    private readonly rememberOutcomes = 5000,
  ) {}

  get active(): number {
    return this.calls.size;
  }

  atCapacity(): boolean {
    return this.calls.size >= this.maxConcurrent;
  }

  get(callId: string): CallSession | undefined {
    const session = this.calls.get(callId);
    return session && !session.ended ? session : undefined;
  }

  add(session: CallSession): void {
    this.calls.set(session.callId, session);
  }

  /** Called when a session ends: it stops counting against the limit; its outcome is kept. */
  ended(session: CallSession): void {
    if (this.calls.get(session.callId) === session) this.calls.delete(session.callId);
    this.outcomes.set(session.callId, { status: session.status, transferTo: session.transferNumber });
    if (this.outcomes.size > this.rememberOutcomes) {
      const oldest = this.outcomes.keys().next().value;
      if (oldest !== undefined) this.outcomes.delete(oldest);
    }
    if (this.calls.size === 0) {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  outcome(callId: string): CallOutcome | undefined {
    return this.outcomes.get(callId);
  }

  /** Resolves when no call is active (at once if none is). */
  drained(): Promise<void> {
    if (this.calls.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }
}
