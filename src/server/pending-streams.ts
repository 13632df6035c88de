/**
 * Caps sockets that are upgraded but not yet started (Twilio `start`, Maqsam `session.setup`):
 * before that a socket has proved nothing, so a flood of them must not hold unbounded memory and
 * timers. Legitimate providers start within milliseconds, so only a flood meets the caps.
 */
export type Admission =
  | { ok: true; release: () => void }
  | { ok: false; reason: 'pending_total' | 'pending_per_address'; refusedCount: number; logNow: boolean };

export class PendingStreams {
  private total = 0;
  private readonly byAddress = new Map<string, number>();
  private refused = 0;

  constructor(private readonly limits: { maxPending: number; maxPendingPerAddress: number }) {}

  get size(): number {
    return this.total;
  }

  admit(address: string): Admission {
    const mine = this.byAddress.get(address) ?? 0;
    const reason = this.total >= this.limits.maxPending ? 'pending_total' : mine >= this.limits.maxPendingPerAddress ? 'pending_per_address' : null;
    if (reason) {
      this.refused++;
      // The first refusal and every 100th: a flood must not become a flood of log lines.
      return { ok: false, reason, refusedCount: this.refused, logNow: this.refused === 1 || this.refused % 100 === 0 };
    }
    this.total++;
    this.byAddress.set(address, mine + 1);
    let held = true;
    return {
      ok: true,
      release: () => {
        if (!held) return;
        held = false;
        this.total--;
        const left = (this.byAddress.get(address) ?? 1) - 1;
        if (left <= 0) this.byAddress.delete(address);
        else this.byAddress.set(address, left);
      },
    };
  }
}
