import type { CallRecord, CallStore } from '../call/call-store';
import type { CallsRepository } from './calls';

/**
 * The call path's CallStore over the database: each save writes the call's whole state in one
 * short transaction (the call row, every answer by item, flags not yet stored), tagged with the
 * instance carrying the call so that a crash can be found and closed at the next start.
 */
export class DatabaseCallStore implements CallStore {
  constructor(
    private readonly calls: CallsRepository,
    private readonly instanceId: string,
  ) {}

  save(record: CallRecord): Promise<void> {
    // A CallRecord is a CallSnapshot: the same fields, with the questionnaire's own value types.
    return this.calls.save(record, this.instanceId);
  }

  async findByProviderCallId(provider: CallRecord['provider'], providerCallId: string): Promise<CallRecord[]> {
    return (await this.calls.findByProviderCallId(provider, providerCallId)) as CallRecord[];
  }
}
