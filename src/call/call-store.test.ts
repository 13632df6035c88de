import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type CallRecord, FileCallStore } from './call-store';

function record(providerCallId: string, answers: number, id = randomUUID(), startedAt = '2026-01-01T00:00:00.000Z'): CallRecord {
  const base: CallRecord = {
    id,
    provider: 'twilio',
    providerCallId,
    questionnaire: 'q',
    questionnaireVersion: 1,
    status: 'in_progress',
    startedAt,
    endedAt: null,
    answers: {},
    flags: [],
  };
  for (let i = 0; i < answers; i++) {
    base.answers[`q${i}`] = { value: i, method: 'dtmf', transcript: null, confidence: 1, attempts: 1, answeredAt: base.startedAt };
  }
  return base;
}

describe('file call store', () => {
  test('many quick saves for one call land in order: the file holds the newest record, no temp files remain', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'store-'));
    const store = new FileCallStore(dir);
    const id = randomUUID();
    await Promise.all(Array.from({ length: 30 }, (_, i) => store.save(record('CA1', i + 1, id))));
    const saved = JSON.parse(readFileSync(store.fileFor(id), 'utf8')) as CallRecord;
    expect(Object.keys(saved.answers)).toHaveLength(30);
    expect(readdirSync(dir)).toEqual([`${id}.json`]);
  });

  test('a later save sees the record as it was when saved, not as it is mutated afterwards', async () => {
    const store = new FileCallStore(mkdtempSync(path.join(tmpdir(), 'store-')));
    const r = record('CA2', 1);
    const saving = store.save(r);
    r.answers['late'] = { value: 'x', method: 'voice', transcript: 'x', confidence: 1, attempts: 1, answeredAt: r.startedAt };
    await saving;
    expect(Object.keys((JSON.parse(readFileSync(store.fileFor(r.id), 'utf8')) as CallRecord).answers)).toEqual(['q0']);
  });

  test('the provider id never names a file: ids that used to sanitise alike, and a reused id, stay separate calls', async () => {
    const store = new FileCallStore(mkdtempSync(path.join(tmpdir(), 'store-')));
    await store.save(record('CAx.1', 1));
    await store.save(record('CAx/1', 2));
    await store.save(record('../../etc/passwd', 1));
    await store.save(record('CAx.1', 3, randomUUID(), '2026-01-02T00:00:00.000Z'));
    const attempts = await store.findByProviderCallId('twilio', 'CAx.1');
    expect(attempts.map((r) => Object.keys(r.answers).length)).toEqual([3, 1]);
    expect((await store.findByProviderCallId('twilio', 'CAx/1')).map((r) => Object.keys(r.answers).length)).toEqual([2]);
    expect(await store.findByProviderCallId('maqsam', 'CAx.1')).toEqual([]);
    await expect(store.save({ ...record('CA9', 0), id: '../../etc/passwd' })).rejects.toThrow('a call record needs its UUID');
  });

  test('a failed write rejects, and the next save (the whole record) lands once the disk is back', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'store-'));
    const blocked = path.join(dir, 'calls');
    writeFileSync(blocked, 'a file where the folder should be');
    const store = new FileCallStore(blocked);
    const id = randomUUID();
    await expect(store.save(record('CA3', 1, id))).rejects.toThrow();
    rmSync(blocked);
    await store.save(record('CA3', 2, id));
    expect(Object.keys((JSON.parse(readFileSync(store.fileFor(id), 'utf8')) as CallRecord).answers)).toEqual(['q0', 'q1']);
  });
});
