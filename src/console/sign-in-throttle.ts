import { type Kysely, sql } from 'kysely';
import type { Database } from '../store/schema';

/** Sign-ins allowed per address and name, and per address, in the window, before 429. */
export const SIGN_IN_LIMITS = { perName: 5, perAddress: 30, windowSeconds: 15 * 60 } as const;

export type ThrottleVerdict = { ok: true; taken: number[] } | { ok: false; retryAfterSeconds: number };

/**
 * Console sign-ins counted in the database, so a guesser spreading attempts over every instance
 * behind the load balancer gets no more than one instance would give. An attempt is counted
 * before its password is checked (so parallel guesses count too): it is written first, then the
 * window is counted with it included; an attempt over a limit takes itself back and is refused.
 * Concurrent attempts can only be refused too often, never let through too often. A success
 * takes back the name's count and this attempt's mark on the address.
 */
export class SignInThrottle {
  private attempts = 0;
  /**
   * Keys the database has refused, until when (ms): a flood of guesses from one address is
   * refused here without touching the database that carries calls. Only ever refuses more.
   */
  private readonly refusedUntil = new Map<string, number>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly limits: { perName: number; perAddress: number; windowSeconds: number } = SIGN_IN_LIMITS,
  ) {}

  async take(address: string, username: string): Promise<ThrottleVerdict> {
    const byName = `${address}|${username}`;
    const now = Date.now();
    const until = Math.max(this.refusedUntil.get(address) ?? 0, this.refusedUntil.get(byName) ?? 0);
    if (until > now) return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)) };
    if (++this.attempts % 100 === 0) await this.prune();
    const taken = await this.db
      .insertInto('sign_in_attempts')
      .values([{ key: byName }, { key: address }])
      .returning('id')
      .execute();
    const ids = taken.map((row) => row.id);
    const counts = await this.db
      .selectFrom('sign_in_attempts')
      .select(['key', sql<number>`count(*)::int`.as('n'), sql<Date>`min(at)`.as('oldest')])
      .where('key', 'in', [byName, address])
      .where(sql<boolean>`at > now() - make_interval(secs => ${this.limits.windowSeconds})`)
      .groupBy('key')
      .execute();
    const over = counts.filter((row) => row.n > (row.key === address ? this.limits.perAddress : this.limits.perName));
    if (over.length === 0) return { ok: true, taken: ids };
    await this.db.deleteFrom('sign_in_attempts').where('id', 'in', ids).execute();
    // Each key over its limit is refused until its oldest counted attempt leaves the window; this attempt, until all are.
    let refusedUntil = 0;
    for (const row of over) {
      const until = new Date(row.oldest).getTime() + this.limits.windowSeconds * 1000;
      this.refusedUntil.set(row.key, until);
      refusedUntil = Math.max(refusedUntil, until);
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((refusedUntil - Date.now()) / 1000)) };
  }

  /** A correct password: the name's failures are forgotten, and this attempt no longer counts against the address. */
  async succeeded(address: string, username: string, taken: number[]): Promise<void> {
    await this.db
      .deleteFrom('sign_in_attempts')
      .where((eb) => eb.or([eb('key', '=', `${address}|${username}`), eb('id', 'in', taken)]))
      .execute();
  }

  /** Drops attempts older than the window (they no longer count), and expired refusals held here. */
  async prune(): Promise<void> {
    const now = Date.now();
    for (const [key, until] of this.refusedUntil) if (until <= now) this.refusedUntil.delete(key);
    await this.db.deleteFrom('sign_in_attempts').where(sql<boolean>`at <= now() - make_interval(secs => ${this.limits.windowSeconds})`).execute();
  }
}
