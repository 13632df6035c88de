import { closestMatch, editDistance } from './did-you-mean';

describe('did you mean', () => {
  test.each([
    ['required', 'required', 0],
    ['requird', 'required', 1],
    ['reqiured', 'required', 1],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
  ])('editDistance(%s, %s) = %d', (a, b, expected) => {
    expect(editDistance(a, b)).toBe(expected);
    expect(editDistance(b, a)).toBe(expected);
  });

  test('suggests the closest allowed key, and nothing when none is close', () => {
    const keys = ['id', 'type', 'text', 'required', 'red_flag', 'enable_when'];
    expect(closestMatch('requird', keys)).toBe('required');
    expect(closestMatch('Text', keys)).toBe('text');
    expect(closestMatch('redflag', keys)).toBe('red_flag');
    expect(closestMatch('colour', keys)).toBeUndefined();
    expect(closestMatch('ix', keys)).toBe('id');
  });
});
