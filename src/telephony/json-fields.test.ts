import { clip } from '../observability/clip';
import { describeValue, id, stringRecord } from './json-fields';

describe('bounded readers of provider JSON', () => {
  test('describeValue never serialises a whole value (a 9,000-deep array overflowed the stack)', () => {
    let deep: unknown = [];
    for (let i = 0; i < 9000; i++) deep = [deep];
    expect(describeValue(deep)).toBe('an array');
    expect(describeValue({ a: 1 })).toBe('an object');
    expect(describeValue('x'.repeat(10_000))).toBe(`"${'x'.repeat(40)}…"`);
    expect(describeValue(undefined)).toBe('undefined');
    expect(describeValue(42)).toBe('42');
  });

  test('ids are 1–128 printable characters', () => {
    expect(id('CA0123')).toBe('CA0123');
    expect(id(4242)).toBe('4242');
    expect(id('x'.repeat(129))).toBeNull();
    expect(id('')).toBeNull();
    expect(id('CA\n1')).toBeNull();
    expect(id({})).toBeNull();
  });

  test('parameter maps keep scalars and refuse what no provider sends', () => {
    expect(stringRecord({ a: 'x', b: 2, c: { nested: 1 }, d: null })).toEqual({ a: 'x', b: '2' });
    expect(stringRecord('not an object')).toEqual({});
    expect(stringRecord({ a: 'x'.repeat(501) })).toBeNull();
    expect(stringRecord({ ['k'.repeat(65)]: 'x' })).toBeNull();
    expect(stringRecord(Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, 'v'])))).toBeNull();
    // A __proto__ key (as JSON.parse makes one) never reaches any prototype, whatever its value.
    const parsed = stringRecord(JSON.parse('{"__proto__":"x","a":"b","constructor":"c"}'));
    expect(parsed).toEqual({ a: 'b', constructor: 'c' });
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  test('clip keeps short values and says how long a clipped one was', () => {
    expect(clip('short')).toBe('short');
    expect(clip('y'.repeat(30_000))).toBe(`${'y'.repeat(64)}…(30000 chars)`);
  });
});
