import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Provider } from '../telephony/events';
import type { AnswerRecord, CallStatus, FlagRecord } from '../questionnaire/types';

/** What is kept of a call: written after every answer, so a crash loses nothing answered. */
export interface CallRecord {
  callSid: string;
  provider: Provider;
  questionnaire: string;
  questionnaireVersion: number;
  status: CallStatus | 'in_progress';
  startedAt: string;
  endedAt: string | null;
  answers: Record<string, AnswerRecord>;
  flags: FlagRecord[];
  /** Set when the call was handed to a person. */
  transferredTo?: string;
}

export interface CallStore {
  save(record: CallRecord): Promise<void>;
}

/**
 * One JSON file per call under `DATA_DIR/calls/`, replaced atomically (write a temporary file,
 * then rename), so a reader or a crash never sees half a record. Writes for one call are
 * serialized: the newest record always lands last.
 */
export class FileCallStore implements CallStore {
  private readonly chains = new Map<string, Promise<void>>();
  private ready: Promise<unknown> | null = null;

  constructor(private readonly dir: string) {}

  save(record: CallRecord): Promise<void> {
    const snapshot = JSON.stringify(record, null, 2);
    const previous = this.chains.get(record.callSid) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.write(record.callSid, snapshot));
    this.chains.set(record.callSid, next);
    const cleanup = () => {
      if (this.chains.get(record.callSid) === next) this.chains.delete(record.callSid);
    };
    next.then(cleanup, cleanup);
    return next;
  }

  fileFor(callSid: string): string {
    return path.join(this.dir, `${safeName(callSid)}.json`);
  }

  private async write(callSid: string, json: string): Promise<void> {
    this.ready ??= mkdir(this.dir, { recursive: true }).catch((error: unknown) => {
      this.ready = null; // try again on the next save (the disk may be back)
      throw error;
    });
    await this.ready;
    const target = this.fileFor(callSid);
    const temp = `${target}.${process.pid}.tmp`;
    await writeFile(temp, json);
    await rename(temp, target);
  }
}

/** Call ids come from the provider: keep them from naming a path outside the folder. */
function safeName(callSid: string): string {
  return callSid.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 128) || 'unnamed';
}
