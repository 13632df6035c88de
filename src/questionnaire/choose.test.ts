import { chooseQuestionnaire, truncateId } from './choose';

const known = new Set(['post-discharge', 'pre-visit-screening']);
const base = { known, defaultId: 'post-discharge', policy: 'default' as const };

describe('chooseQuestionnaire', () => {
  test('a known named id wins over the called number and the default', () => {
    expect(chooseQuestionnaire({ ...base, named: 'pre-visit-screening', byNumber: 'post-discharge' })).toEqual({
      outcome: 'chosen',
      id: 'pre-visit-screening',
    });
  });

  test('nothing named: the called number, else the default, without a report', () => {
    expect(chooseQuestionnaire({ ...base, named: undefined, byNumber: 'pre-visit-screening' })).toEqual({ outcome: 'chosen', id: 'pre-visit-screening' });
    expect(chooseQuestionnaire({ ...base, named: '', byNumber: undefined })).toEqual({ outcome: 'chosen', id: 'post-discharge' });
    expect(chooseQuestionnaire({ ...base, named: ['x'], byNumber: undefined })).toEqual({ outcome: 'chosen', id: 'post-discharge' });
  });

  test('an unknown named id under "default" falls back visibly (called number, else default)', () => {
    expect(chooseQuestionnaire({ ...base, named: 'post-dischrage', byNumber: 'pre-visit-screening' })).toEqual({
      outcome: 'fallback',
      id: 'pre-visit-screening',
      named: 'post-dischrage',
    });
    expect(chooseQuestionnaire({ ...base, named: 'nope' })).toEqual({ outcome: 'fallback', id: 'post-discharge', named: 'nope' });
  });

  test('an unknown named id under "reject" refuses the call', () => {
    expect(chooseQuestionnaire({ ...base, policy: 'reject', named: 'nope', byNumber: 'pre-visit-screening' })).toEqual({ outcome: 'rejected', named: 'nope' });
    expect(chooseQuestionnaire({ ...base, policy: 'reject', named: undefined })).toEqual({ outcome: 'chosen', id: 'post-discharge' });
  });

  test('the unknown id is truncated to 64 characters (it comes from the caller side)', () => {
    const long = 'x'.repeat(500);
    const choice = chooseQuestionnaire({ ...base, named: long });
    expect(choice.outcome === 'fallback' && choice.named).toBe(`${'x'.repeat(64)}…`);
    expect(truncateId('عيادة'.repeat(20))).toHaveLength(65);
    expect(truncateId('short')).toBe('short');
  });
});
