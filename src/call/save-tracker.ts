import type { CallRecord, CallStore } from './call-store';

/**
 * The store as the bridge hands it to calls, counting writes still in flight, so a shutdown can
 * wait until every call's final record has landed before the process exits.
 */
export class SaveTracker implements CallStore {
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly store: CallStore) {}

  save(record: CallRecord): Promise<void> {
    const saving = this.store.save(record);
    this.pending.add(saving);
    const done = () => this.pending.delete(saving);
    saving.then(done, done);
    return saving;
  }

  findByProviderCallId(...args: Parameters<CallStore['findByProviderCallId']>): ReturnType<CallStore['findByProviderCallId']> {
    return this.store.findByProviderCallId(...args);
  }

  get inFlight(): number {
    return this.pending.size;
  }

  /** Resolves once no write is in flight (writes started meanwhile are waited for too); returns how many failed. */
  async idle(): Promise<number> {
    let failed = 0;
    while (this.pending.size > 0) {
      const results = await Promise.allSettled([...this.pending]);
      failed += results.filter((r) => r.status === 'rejected').length;
    }
    return failed;
  }
}
