import type { ExportedCall } from '../store/call-export';
import { CSV_COLUMNS, csvCell, csvHeader, csvRows, ndjsonLine } from './export-format';

const call: ExportedCall = {
  id: '3f0c2b1e-0000-4000-8000-000000000001',
  provider: 'twilio',
  providerCallId: 'CA1',
  patientReference: 'Patient/123',
  questionnaire: 'post-discharge',
  questionnaireVersion: 3,
  direction: 'inbound',
  status: 'escalated',
  startedAt: '2026-01-05T08:00:00.000Z',
  endedAt: '2026-01-05T08:03:00.000Z',
  transferredTo: null,
  answerCount: 2,
  purgedAt: null,
  answers: {
    weight: { value: -1.25, method: 'dtmf', transcript: null, confidence: 1, attempts: 1, confirmed: null, answeredAt: '2026-01-05T08:00:10.000Z' },
    notes: { value: 'قال "نعم"، ثم سكت', method: 'voice', transcript: '=HYPERLINK("http://x","y")', confidence: 0.5, attempts: 2, confirmed: false, answeredAt: '2026-01-05T08:00:20.000Z' },
  },
  flags: [
    { item: 'notes', action: 'flag', value: 'قال "نعم"، ثم سكت', raisedAt: '2026-01-05T08:00:21.000Z', acknowledgedAt: null, acknowledgedBy: null },
    { item: 'chest_pain', action: 'emergency', value: null, raisedAt: '2026-01-05T08:00:30.000Z', acknowledgedAt: null, acknowledgedBy: null },
  ],
};

describe('csv cells', () => {
  test.each([
    ['plain', 'plain'],
    ['نعم', 'نعم'],
    ['a,b', '"a,b"'],
    ['say "yes"', '"say ""yes"""'],
    ['two\r\nlines', '"two\r\nlines"'],
    ['=1+1', "'=1+1"],
    ['+966112345678', "'+966112345678"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['-1.25', '-1.25'],
    ['-7', '-7'],
    ['', ''],
  ])('%j is written %j', (text, written) => {
    expect(csvCell(text)).toBe(written);
  });
});

describe('csv rows', () => {
  test('one row per item with an answer or a flag, flag actions beside their item, JSON values', () => {
    const rows = csvRows(call);
    expect(rows).toHaveLength(3);
    for (const row of rows) expect(row.endsWith('\r\n')).toBe(true);
    expect(rows[0]).toBe(
      '3f0c2b1e-0000-4000-8000-000000000001,twilio,CA1,Patient/123,post-discharge,3,inbound,escalated,2026-01-05T08:00:00.000Z,2026-01-05T08:03:00.000Z,,weight,-1.25,dtmf,,1,1,,2026-01-05T08:00:10.000Z,\r\n',
    );
    expect(rows[1]).toContain(`,notes,"""قال \\""نعم\\""، ثم سكت""",voice,"'=HYPERLINK(""http://x"",""y"")",0.5,2,false,2026-01-05T08:00:20.000Z,flag\r\n`);
    expect(rows[2]).toMatch(/,chest_pain,,,,,,,,emergency\r\n$/);
  });

  test('a call with no answers and no flags is one row with empty item columns', () => {
    const rows = csvRows({ ...call, patientReference: null, answers: {}, flags: [], answerCount: 5, purgedAt: '2027-01-06T00:00:00.000Z' });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.split(',')).toHaveLength(CSV_COLUMNS.length);
    expect(rows[0]).toMatch(/,2027-01-06T00:00:00\.000Z,{9}\r\n$/);
  });

  test('the header names every column once', () => {
    expect(csvHeader()).toBe(`${CSV_COLUMNS.join(',')}\r\n`);
    expect(new Set(CSV_COLUMNS).size).toBe(CSV_COLUMNS.length);
  });
});

test('ndjson: one line per call, Arabic as UTF-8 text (not \\u escapes)', () => {
  const line = ndjsonLine(call);
  expect(line.endsWith('\n')).toBe(true);
  expect(line.indexOf('\n')).toBe(line.length - 1);
  expect(line).toContain('قال');
  expect(JSON.parse(line)).toEqual(call);
});
