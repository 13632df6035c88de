import { code, frequency, severity } from './testing/choice-scales';

describe('it never leaves me', () => {
  test.each(['ما يتركني ابدا', 'ما بيسيبنيش خالص', 'مايفارقني', 'والله هو ما يفارقني ولا لحظه', 'ما بيفكني، كل يوم معي'])('%s is always', (text) => {
    expect(code(text, frequency)).toBe('always');
  });

  test.each([
    // it does not let me do something: not how often
    'ما يخليني انام',
    'ما بيسيبنيش اشتغل',
    // it leaves and comes back
    'ما يتركني بس ساعات يخف',
  ])('%s is not always', (text) => {
    expect(code(text, frequency)).not.toBe('always');
  });

  test('on a severity scale it names no option', () => {
    expect(code('ما يخليني', severity)).toBeNull();
  });
});
