import { readFileSync } from 'node:fs';
import path from 'node:path';
import { formatReport, loadLabelledSet } from '../../cli/understanding';
import { evaluate, judge, type LabelledCase, parseCases } from './evaluate';

const SET = path.resolve(__dirname, '../../../fixtures/understanding');

test('on the labelled set nothing is wrong: every case is understood or asked again', () => {
  const cases = loadLabelledSet(SET);
  const report = evaluate(cases);
  // The table for the notes and the README (npm run understanding prints the same).
  console.log(formatReport(report, false));
  expect(report.wrong.map(({ case: c, outcome }) => `${c.source} "${c.utterance}": expected ${c.expected}, got ${outcome}`)).toEqual([]);
  expect(report.total.cases).toBe(cases.length);
  // The README's table says what this run measures.
  const readme = readFileSync(path.resolve(__dirname, '../../../README.md'), 'utf8');
  const { cases: n, right, asked, wrong } = report.total;
  expect(readme).toContain(`| **all** | ${n} | ${right} | ${asked} | ${wrong} | ${((100 * right) / n).toFixed(1)} % |`);
});

const a = (over: Partial<LabelledCase>): LabelledCase => ({ source: 't:1', type: 'boolean', context: '-', utterance: 'x', expected: 'yes', dialect: '', ...over });

test('asking again is never wrong; a different value or an unasked-for intent is', () => {
  expect(judge(a({ expected: 'yes' }), 'yes')).toBe('right');
  expect(judge(a({ expected: 'yes' }), 'ask')).toBe('asked');
  expect(judge(a({ expected: 'yes' }), 'repeat')).toBe('asked');
  expect(judge(a({ expected: 'no' }), 'yes')).toBe('wrong');
  expect(judge(a({ expected: 'no' }), 'stop')).toBe('wrong');
  expect(judge(a({ expected: 'ask' }), 'no')).toBe('wrong');
  expect(judge(a({ expected: 'ask' }), 'ask')).toBe('right');
  expect(judge(a({ type: 'decimal', context: '34..43', expected: '39.5' }), '39.50')).toBe('right');
  expect(judge(a({ type: 'decimal', context: '34..43', expected: '39.5' }), '39')).toBe('wrong');
  expect(judge(a({ type: 'integer', context: '1..10', expected: 'stop' }), 'stop')).toBe('right');
});

test('a malformed line is refused with its place', () => {
  expect(() => parseCases('boolean\t-\tنعم\n', 'x.tsv')).toThrow('x.tsv:1: expected "type<TAB>context<TAB>utterance<TAB>expected[<TAB>dialect]"');
  expect(() => parseCases('choice\tcolours\tاحمر\tred\n', 'x.tsv')).toThrow('x.tsv:1: unknown option set "colours"');
  expect(() => parseCases('# a comment\n\ninteger\tone-ten\tخمسة\t5\n', 'x.tsv')).toThrow("x.tsv:3: a number's context is min..max");
  expect(() => parseCases('boolean\tyesterday\tنعم\tyes\n', 'x.tsv')).toThrow('x.tsv:1: a yes/no question\'s context is -, now, past or medication');
});
