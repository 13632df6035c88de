import { agreement, code, frequency } from './testing/choice-scales';

describe('an answer left to someone else or to later is asked again', () => {
  test.each([
    'موافقه بس خليني اشاور بنتي',
    'انا موافق بس بدي استشير الدكتور تبعي',
    'غير موافق هلق بس بفكر فيها',
    'موافق بشرط يكون قريب من البيت',
    'محايد، لازم نسال ابوي',
  ])('%s', (text) => expect(code(text, agreement)).toBeNull());

  test.each([
    ['موافق', 'agree'],
    ['موافق، ابني سألني نفس الشي وقلتله موافق', 'agree'],
    ['مش موافق', 'disagree'],
    ['احيانا', 'sometimes'],
  ])('near miss: %s → %s', (text, expected) => expect(code(text, expected === 'sometimes' ? frequency : agreement)).toBe(expected));
});
