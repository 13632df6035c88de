import type { Provider } from '../telephony/events';
import type { CallSession } from './call-session';

export interface CallOutcome {
  status: CallSession['status'];
  transferTo: string | null;
}

/**
 * The calls this instance is carrying: the concurrency limit, takeover of a call by a newer
 * stream, the outcome of recently ended calls (Twilio asks for it when the stream ends), and
 * draining on shutdown. Calls are keyed by provider and the provider's call id: an id is only
 * unique within its provider, and a Maqsam stream must never reach a Twilio call by naming its
 * CallSid.
 */
export class CallRegistry {
  private readonly calls = new Map<string, CallSession>();
  private readonly outcomes = new Map<string, CallOutcome>();
  private drainWaiters: Array<() => void> = [];

  constructor(
    readonly maxConcurrent: number,
    private readonly rememberOutcomes = 5000,
    /** Told when the first call starts (true) and when the last one ends (false). */
    private readonly onBusyChange: (busy: boolean) => void = () => {},
  ) {}

  get active(): number {
    return this.calls.size;
  }

  atCapacity(): boolean {
    return this.calls.size >= this.maxConcurrent;
  }

  /**
   * Past the limit, a stream is still served when the service has room on other instances (the
   * load balancer sent it here), but never beyond a quarter over this instance's own limit: the
   * process stays within what its CPU was sized for.
   */
  atHardLimit(): boolean {
    return this.calls.size >= Math.ceil(this.maxConcurrent * 1.25);
  }

  get(provider: Provider, callId: string): CallSession | undefined {
    const session = this.calls.get(keyOf(provider, callId));
    return session && !session.ended ? session : undefined;
  }

  add(session: CallSession): void {
    const wasIdle = this.calls.size === 0;
    this.calls.set(keyOf(session.provider, session.callId), session);
    if (wasIdle) this.onBusyChange(true);
  }

  /** Called when a session ends: it stops counting against the limit; its outcome is kept. */
  ended(session: CallSession): void {
    const key = keyOf(session.provider, session.callId);
    const removed = this.calls.get(key) === session && this.calls.delete(key);
    this.outcomes.set(key, { status: session.status, transferTo: session.transferNumber });
    if (this.outcomes.size > this.rememberOutcomes) {
      const oldest = this.outcomes.keys().next().value;
      if (oldest !== undefined) this.outcomes.delete(oldest);
    }
    if (this.calls.size === 0) {
      if (removed) this.onBusyChange(false);
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  /** How a recently ended call ended (the last 5,000 are kept), or undefined. */
  outcome(provider: Provider, callId: string): CallOutcome | undefined {
    return this.outcomes.get(keyOf(provider, callId));
  }

  /** The calls in progress now. */
  live(): CallSession[] {
    return [...this.calls.values()].filter((session) => !session.ended);
  }

  /** Resolves when no call is active (at once if none is). */
  drained(): Promise<void> {
    if (this.calls.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }
}

const keyOf = (provider: Provider, callId: string): string => `${provider}:${callId}`;
