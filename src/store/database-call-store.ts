import type { CallRecord, CallStore } from '../call/call-store';
import type { CallSnapshot, CallsRepository } from './calls';

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
    const snapshot: CallSnapshot = {
      id: record.id,
      provider: record.provider,
      providerCallId: record.providerCallId,
      questionnaire: record.questionnaire,
      questionnaireVersion: record.questionnaireVersion,
      status: record.status,
      startedAt: record.startedAt,
      endedAt: record.endedAt,
      answers: record.answers,
      flags: record.flags,
      ...(record.transferredTo !== undefined ? { transferredTo: record.transferredTo } : {}),
    };
    return this.calls.save(snapshot, this.instanceId);
  }

  async findByProviderCallId(provider: CallRecord['provider'], providerCallId: string): Promise<CallRecord[]> {
    return (await this.calls.findByProviderCallId(provider, providerCallId)) as CallRecord[];
  }
}
