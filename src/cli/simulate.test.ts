import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MINIMAL_YAML, QUESTIONNAIRES_DIR, shipped } from '../../test/helpers/questionnaires';
import { type SimulationLine, eventsForLine, simulate } from './simulate-core';

const ROOT = path.resolve(__dirname, '../..');

function run(id: 'post-discharge' | 'pre-visit-screening', turns: string[]): SimulationLine[] {
  return simulate(shipped(id), turns).filter((l): l is SimulationLine => l.type !== 'caller');
}

const nonSay = (lines: SimulationLine[]) => lines.filter((l) => l.type !== 'say');

describe('caller input lines', () => {
  test.each([
    ['نعم', [{ type: 'utterance', at: 5, text: 'نعم', confidence: 1 }]],
    ['', [{ type: 'no_input', at: 5 }]],
    ['   ', [{ type: 'no_input', at: 5 }]],
    ['#1', [{ type: 'dtmf', at: 5, digit: '1' }]],
    [
      '#38*5#',
      ['3', '8', '*', '5', '#'].map((digit) => ({ type: 'dtmf', at: 5, digit })),
    ],
  ])('%j', (line, events) => {
    expect(eventsForLine(line, 5)).toEqual(events);
  });
});

describe('post-discharge, end to end', () => {
  test('a caller who answers everything by voice completes it, with a temperature flag', () => {
    const lines = run('post-discharge', [
      'نعم موافق',
      'لا الحمد لله',
      'لا ما عندي',
      'اربعة',
      'ثمانية وثلاثين ونص',
      'نعم صح',
      'احيانا انسى',
      'ايوه في احمرار',
      'لا ما في ريحة',
      '',
    ]);
    expect(nonSay(lines)).toEqual([
      { type: 'answer', item: 'consent', value: true, method: 'voice' },
      { type: 'answer', item: 'chest_pain', value: false, method: 'voice' },
      { type: 'answer', item: 'breathless_at_rest', value: false, method: 'voice' },
      { type: 'answer', item: 'pain_score', value: 4, method: 'voice' },
      { type: 'answer', item: 'temperature', value: 38.5, method: 'voice' },
      { type: 'escalate', kind: 'flag', item: 'temperature' },
      { type: 'answer', item: 'medication', value: 'sometimes', method: 'voice' },
      { type: 'answer', item: 'wound_problem', value: true, method: 'voice' },
      { type: 'answer', item: 'wound_discharge_smell', value: false, method: 'voice' },
      {
        type: 'end',
        status: 'completed',
        answers: {
          consent: true,
          chest_pain: false,
          breathless_at_rest: false,
          pain_score: 4,
          temperature: 38.5,
          medication: 'sometimes',
          wound_problem: true,
          wound_discharge_smell: false,
        },
      },
    ]);
    const says = lines.filter((l) => l.type === 'say').map((l) => l.type === 'say' && l.text);
    expect(says).toContain('قلتَ ثمانية وثلاثون ونصف درجة، هل هذا صحيح؟');
    expect(says.at(-1)).toMatch(/^شكراً لك/);
  });

  test('chest pain escalates to an emergency and ends the call', () => {
    const lines = run('post-discharge', ['#1', 'ايوه عندي ألم في صدري', '#1', 'this line is never read']);
    expect(nonSay(lines)).toEqual([
      { type: 'answer', item: 'consent', value: true, method: 'dtmf' },
      { type: 'answer', item: 'chest_pain', value: true, method: 'voice' },
      { type: 'escalate', kind: 'emergency', item: 'chest_pain' },
      { type: 'end', status: 'escalated', answers: { consent: true, chest_pain: true } },
    ]);
    const last = lines.at(-2);
    expect(last?.type === 'say' && last.text).toMatch(/تسعة تسعة سبعة/);
  });

  test('declining consent opts out', () => {
    expect(nonSay(run('post-discharge', ['لا ما بدي']))).toEqual([
      { type: 'answer', item: 'consent', value: false, method: 'voice' },
      { type: 'end', status: 'opted_out', answers: { consent: false } },
    ]);
  });

  test('hanging up mid-way keeps the answers (status stopped)', () => {
    expect(nonSay(run('post-discharge', ['#1', '#2', '#2', '#7#'])).at(-1)).toEqual({
      type: 'end',
      status: 'stopped',
      answers: { consent: true, chest_pain: false, breathless_at_rest: false, pain_score: 7 },
    });
  });
});

describe('pre-visit-screening branching, end to end', () => {
  test('fever for three days transfers to the nurse', () => {
    const lines = run('pre-visit-screening', ['ايوه عندي سخونة', 'تلات ايام', 'نعم']);
    expect(nonSay(lines)).toEqual([
      { type: 'answer', item: 'fever', value: true, method: 'voice' },
      { type: 'answer', item: 'fever_days', value: 3, method: 'voice' },
      { type: 'escalate', kind: 'transfer', item: 'fever_days' },
      { type: 'end', status: 'transferred', answers: { fever: true, fever_days: 3 } },
    ]);
  });

  test('no fever and no cough skips both follow-ups; pregnancy branch asks the week', () => {
    const lines = run('pre-visit-screening', ['لا', 'لا ما عندي', 'ايوه', 'اربعة وعشرين', 'لا']);
    expect(lines.some((l) => l.type === 'say' && l.text.includes('منذ كم يوماً'))).toBe(false);
    expect(nonSay(lines).at(-1)).toEqual({
      type: 'end',
      status: 'completed',
      answers: { fever: false, cough: false, pregnant: true, weeks_pregnant: 24, allergies: 'لا' },
    });
  });

  test('a cough with blood is an emergency', () => {
    const lines = run('pre-visit-screening', ['لا', 'نعم', 'مع دم', 'نعم']);
    expect(nonSay(lines).slice(-2)).toEqual([
      { type: 'escalate', kind: 'emergency', item: 'cough_type' },
      { type: 'end', status: 'escalated', answers: { fever: false, cough: true, cough_type: 'blood' } },
    ]);
  });
});

describe('the simulate command', () => {
  const tsx = path.join(ROOT, 'node_modules/.bin/tsx');
  const cli = path.join(ROOT, 'src/cli/simulate.ts');

  test('--json prints exactly the JSON-lines contract and exits 0', () => {
    const out = spawnSync(tsx, [cli, path.join(QUESTIONNAIRES_DIR, 'post-discharge.yaml'), '--json'], { input: 'لا\n', encoding: 'utf8' });
    expect(out.status).toBe(0);
    const lines = out.stdout.trim().split('\n').map((l) => JSON.parse(l) as SimulationLine);
    expect(lines[0]).toEqual({ type: 'say', text: expect.stringMatching(/^مرحباً/) });
    expect(lines.slice(-2)).toEqual([
      { type: 'say', text: expect.stringMatching(/^حسناً، لن نكمل/) },
      { type: 'end', status: 'opted_out', answers: { consent: false } },
    ]);
  });

  test('human mode prints the dialogue', () => {
    const out = spawnSync(tsx, [cli, path.join(QUESTIONNAIRES_DIR, 'post-discharge.yaml')], { input: '#1\n', encoding: 'utf8' });
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('caller: #1');
    expect(out.stdout).toContain('[answer] consent = true (dtmf)');
    expect(out.stdout).toContain('[end] stopped, 1 answers');
  });

  test('an invalid questionnaire exits 2 with the validation error', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sim-'));
    const file = path.join(dir, 'broken.yaml');
    writeFileSync(file, MINIMAL_YAML.replace('type: boolean', 'type: boolean\n    max: 3'));
    const out = spawnSync(tsx, [cli, file, '--json'], { input: '', encoding: 'utf8' });
    expect(out.status).toBe(2);
    expect(out.stderr.trim()).toBe('broken.yaml: items[0].max: only integer and decimal items take max');
    expect(out.stdout).toBe('');
  });
});
