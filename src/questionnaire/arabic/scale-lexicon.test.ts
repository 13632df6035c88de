import { scalePoints } from './choice-mentions';
import { type ChoiceOption, matchChoice } from './match-choice';
import { formsOf, isNearMiss, scalePointOf } from './scale-lexicon';

describe('scalePointOf', () => {
  test.each([
    ['دائماً', 'frequency', 'always'],
    ['غالباً', 'frequency', 'often'],
    ['أحياناً', 'frequency', 'sometimes'],
    ['نادراً', 'frequency', 'rarely'],
    ['أبداً', 'frequency', 'never'],
    ['لا يوجد', 'severity', 'none'],
    ['خفيف', 'severity', 'mild'],
    ['متوسط', 'severity', 'moderate'],
    ['شديد', 'severity', 'severe'],
    ['موافق', 'agreement', 'agree'],
    ['محايد', 'agreement', 'neutral'],
    ['غير موافق', 'agreement', 'disagree'],
    ['كل يوم', 'adherence', 'daily'],
    ['بعض الأيام', 'adherence', 'some_days'],
    ['توقفت عنه', 'adherence', 'stopped'],
  ])('%s is %s/%s', (display, scale, point) => {
    expect(scalePointOf(display)).toEqual({ scale, point });
  });

  test.each(['كل شهر', 'ألم في الصدر', 'موافق بشدة', ''])('%j is no known point', (display) => {
    expect(scalePointOf(display)).toBeNull();
  });

  test.each(['كتير', 'قليل', 'وايد', 'بين بين'])('%s belongs to two scales, so names no point', (display) => {
    expect(scalePointOf(display)).toBeNull();
  });

  test('every form of a point names that point when used as a display', () => {
    for (const display of ['دائماً', 'أحياناً', 'شديد', 'غير موافق']) {
      const point = scalePointOf(display);
      expect(point).not.toBeNull();
      for (const form of formsOf(point ?? { scale: 'frequency', point: 'x' })) {
        const named = scalePointOf(form);
        if (named !== null) expect(named).toEqual(point);
      }
    }
    expect(scalePointOf('على طول')).toEqual({ scale: 'frequency', point: 'always' });
  });

  test('near misses are real words, not misspellings', () => {
    expect(isNearMiss('بدا')).toBe(true);
    expect(isNearMiss('ابدا')).toBe(false);
  });
});

describe('scalePoints of an option list', () => {
  test('an option next to its own qualified variant takes no built-in forms', () => {
    const likert: ChoiceOption[] = [
      { code: 'strongly-agree', display: 'موافق بشدة' },
      { code: 'agree', display: 'موافق' },
      { code: 'neutral', display: 'محايد' },
      { code: 'disagree', display: 'غير موافق' },
      { code: 'strongly-disagree', display: 'غير موافق بشدة' },
    ];
    expect([...scalePoints(likert).keys()]).toEqual(['neutral']);
    // "معارض" is a built-in form of "غير موافق", which a five-point list must not guess at.
    expect(matchChoice('معارض بشدة', likert)?.kind).not.toBe('match');
  });

  test('a negated variant is a different point and does not count', () => {
    const agreement: ChoiceOption[] = [
      { code: 'agree', display: 'موافق' },
      { code: 'disagree', display: 'غير موافق' },
    ];
    expect([...scalePoints(agreement).keys()]).toEqual(['agree', 'disagree']);
  });
});
