/**
 * When to try a failed delivery again: exponential backoff with full jitter (a random delay
 * between 0 and min(cap, base · 2^(attempt−1))), so receivers coming back from an outage are not
 * hit by every instance's retries at the same moment. Past `giveUpAt` the delivery fails; the
 * last retry is moved up to `giveUpAt` rather than skipped.
 */
export interface BackoffPolicy {
  /** The first retry's ceiling. */
  baseMs: number;
  /** No retry waits longer than this. */
  capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1000, capMs: 60 * 60 * 1000 };

export type RetryDecision = { retry: true; at: Date } | { retry: false };

export function nextAttempt(attempt: number, now: Date, giveUpAt: Date, policy: BackoffPolicy, random: () => number = Math.random): RetryDecision {
  if (now.getTime() >= giveUpAt.getTime()) return { retry: false };
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(Math.max(attempt - 1, 0), 40));
  const at = Math.min(now.getTime() + random() * ceiling, giveUpAt.getTime());
  return { retry: true, at: new Date(at) };
}
