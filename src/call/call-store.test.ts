import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type CallRecord, FileCallStore } from './call-store';

function record(callSid: string, answers: number): CallRecord {
  const base: CallRecord = {
    callSid,
    provider: 'twilio',
    questionnaire: 'q',
    questionnaireVersion: 1,
    status: 'in_progress',
    startedAt: '2026-01-01T00:00:00.000Z',
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
    await Promise.all(Array.from({ length: 30 }, (_, i) => store.save(record('CA1', i + 1))));
    const saved = JSON.parse(readFileSync(store.fileFor('CA1'), 'utf8')) as CallRecord;
    expect(Object.keys(saved.answers)).toHaveLength(30);
    expect(readdirSync(dir)).toEqual(['CA1.json']);
  });

  test('a later save sees the record as it was when saved, not as it is mutated afterwards', async () => {
    const store = new FileCallStore(mkdtempSync(path.join(tmpdir(), 'store-')));
    const r = record('CA2', 1);
    const saving = store.save(r);
    r.answers['late'] = { value: 'x', method: 'voice', transcript: 'x', confidence: 1, attempts: 1, answeredAt: r.startedAt };
    await saving;
    expect(Object.keys((JSON.parse(readFileSync(store.fileFor('CA2'), 'utf8')) as CallRecord).answers)).toEqual(['q0']);
  });

  test('a call id from the provider cannot name a path outside the folder', () => {
    const store = new FileCallStore('/data/calls');
    expect(store.fileFor('../../etc/passwd')).toBe('/data/calls/______etc_passwd.json');
  });

  test('a failed write rejects, and the next save (the whole record) lands once the disk is back', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'store-'));
    const blocked = path.join(dir, 'calls');
    writeFileSync(blocked, 'a file where the folder should be');
    const store = new FileCallStore(blocked);
    await expect(store.save(record('CA3', 1))).rejects.toThrow();
    rmSync(blocked);
    await store.save(record('CA3', 2));
    expect(Object.keys((JSON.parse(readFileSync(store.fileFor('CA3'), 'utf8')) as CallRecord).answers)).toEqual(['q0', 'q1']);
  });
});
