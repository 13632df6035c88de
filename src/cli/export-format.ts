import type { ExportedCall } from '../store/call-export';

/**
 * The export's two formats, as pure functions of a call.
 *
 * ndjson: one call per line, answers by item, flags in the order raised.
 *
 * csv (RFC 4180): one row per item a call has an answer or a flag for, and one row with empty
 * item columns for a call with neither (hung up early, or purged without flags), so every call
 * is counted. UTF-8 with a byte order mark, without which Excel reads Arabic as mojibake; CRLF
 * line ends. Transcripts are the caller's own words: a cell that starts with = + - @ (or a tab
 * or CR) would run as a formula in a spreadsheet, so it gets a leading apostrophe. Plain numbers
 * (-1.25) are left alone: a number cannot call anything.
 */
export const CSV_BOM = '\uFEFF';

export const CSV_COLUMNS = [
  'call_id',
  'provider',
  'provider_call_id',
  'patient_reference',
  'questionnaire',
  'questionnaire_version',
  'direction',
  'status',
  'started_at',
  'ended_at',
  'purged_at',
  'item',
  'value',
  'method',
  'transcript',
  'confidence',
  'attempts',
  'confirmed',
  'answered_at',
  'flags',
] as const;

export function ndjsonLine(call: ExportedCall): string {
  return `${JSON.stringify(call)}\n`;
}

export function csvHeader(): string {
  return csvLine(CSV_COLUMNS);
}

/** The call's rows, each a CRLF-terminated line. */
export function csvRows(call: ExportedCall): string[] {
  const base = [
    call.id,
    call.provider,
    call.providerCallId,
    call.patientReference ?? '',
    call.questionnaire,
    String(call.questionnaireVersion),
    call.direction,
    call.status,
    call.startedAt,
    call.endedAt ?? '',
    call.purgedAt ?? '',
  ];
  const items = [...Object.keys(call.answers)];
  for (const flag of call.flags) if (!items.includes(flag.item)) items.push(flag.item);
  if (items.length === 0) return [csvLine([...base, ...Array<string>(CSV_COLUMNS.length - base.length).fill('')])];
  return items.map((item) => {
    const answer = Object.hasOwn(call.answers, item) ? call.answers[item] : undefined;
    const flags = call.flags.filter((f) => f.item === item).map((f) => f.action);
    return csvLine([
      ...base,
      item,
      answer ? JSON.stringify(answer.value) : '',
      answer?.method ?? '',
      answer?.transcript ?? '',
      answer ? String(answer.confidence) : '',
      answer ? String(answer.attempts) : '',
      answer?.confirmed === null || answer?.confirmed === undefined ? '' : String(answer.confirmed),
      answer?.answeredAt ?? '',
      flags.join(' '),
    ]);
  });
}

export function csvLine(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/** One field: neutralised if a spreadsheet would run it, quoted if it holds , " CR or LF. */
export function csvCell(text: string): string {
  const safe = FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
