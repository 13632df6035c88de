import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AnswerRecord, CallStatus, FlagRecord } from '../questionnaire/types';
import type { Provider } from '../telephony/events';

/** What is kept of a call: written after every answer, so a crash loses nothing answered. */
export interface CallRecord {
  /** Ours: a UUID the bridge mints for every call. The provider's id is only an attribute. */
  id: string;
  provider: Provider;
  /** The provider's id for the call (Twilio CallSid, Maqsam context id); may repeat across attempts. */
  providerCallId: string;
  questionnaire: string;
  questionnaireVersion: number;
  /** `interrupted`: the instance carrying the call died; found and closed at the next start. */
  status: CallStatus | 'in_progress' | 'interrupted';
  startedAt: string;
  endedAt: string | null;
  answers: Record<string, AnswerRecord>;
  flags: FlagRecord[];
  /** Set when the call was handed to a person. */
  transferredTo?: string;
  /** Who placed the call: the patient (inbound) or the clinic (outbound). Inbound when absent. */
  direction?: 'inbound' | 'outbound';
  /** The clinic's reference for the patient (FHIR `Patient/<id>`), when the call is for a known one. */
  patientReference?: string | null;
  /** Timeline events to append with this write (each is written once; the record's other fields are whole state). */
  appendEvents?: CallEvent[];
}

/** One moment of a call's timeline. No answer values or transcripts here: those live in answers. */
export interface CallEvent {
  /** ISO 8601. */
  at: string;
  type: CallEventType;
  detail?: Record<string, string | number | boolean | null>;
}

export type CallEventType =
  | 'started'
  | 'prompt'
  | 'input'
  | 'no_input'
  | 'barge_in'
  | 'answer'
  | 'flag'
  | 'speech_unavailable'
  | 'speech_available'
  | 'stream_replaced'
  | 'transfer'
  | 'internal_error'
  | 'ended';

export interface CallStore {
  /** Writes the call's whole current state; a later save of the same call lands after an earlier one. */
  save(record: CallRecord): Promise<void>;
  /** Every call with this provider id, newest first. */
  findByProviderCallId(provider: Provider, providerCallId: string): Promise<CallRecord[]>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * One JSON file per call under `DATA_DIR/calls/<id>.json`, named by our own UUID (never by the
 * provider's id, so two calls can never share a file), replaced atomically (write a temporary
 * file, then rename), so a reader or a crash never sees half a record. Writes for one call are
 * serialized: the newest record always lands last.
 */
export class FileCallStore implements CallStore {
  private readonly chains = new Map<string, Promise<void>>();
  private ready: Promise<unknown> | null = null;

  constructor(private readonly dir: string) {}

  save(record: CallRecord): Promise<void> {
    if (!UUID.test(record.id)) return Promise.reject(new Error('a call record needs its UUID'));
    const snapshot = JSON.stringify(record, null, 2);
    const previous = this.chains.get(record.id) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.write(record.id, snapshot));
    this.chains.set(record.id, next);
    const cleanup = () => {
      if (this.chains.get(record.id) === next) this.chains.delete(record.id);
    };
    next.then(cleanup, cleanup);
    return next;
  }

  /** Reads every record in the folder: fine for tests and tools, not for a hot path. */
  async findByProviderCallId(provider: Provider, providerCallId: string): Promise<CallRecord[]> {
    let names: string[];
    try {
      names = (await readdir(this.dir)).filter((name) => name.endsWith('.json'));
    } catch {
      return [];
    }
    const records: CallRecord[] = [];
    for (const name of names) {
      try {
        const record = JSON.parse(await readFile(path.join(this.dir, name), 'utf8')) as CallRecord;
        if (record.provider === provider && record.providerCallId === providerCallId) records.push(record);
      } catch {
        // renamed away meanwhile, or not a record
      }
    }
    return records.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  fileFor(id: string): string {
    return path.join(this.dir, `${id}.json`);
  }

  private async write(id: string, json: string): Promise<void> {
    this.ready ??= mkdir(this.dir, { recursive: true }).catch((error: unknown) => {
      this.ready = null; // try again on the next save (the disk may be back)
      throw error;
    });
    await this.ready;
    const target = this.fileFor(id);
    const temp = `${target}.${process.pid}.tmp`;
    await writeFile(temp, json);
    await rename(temp, target);
  }
}
