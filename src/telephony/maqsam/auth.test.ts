import type { IncomingHttpHeaders } from 'node:http';
import { tokenFromHeaders, tokensMatch } from './auth';

describe('tokenFromHeaders', () => {
  test.each<[string, IncomingHttpHeaders | Record<string, string>, string | null]>([
    ['Maqsam Auth header, as Node lower-cases it', { auth: 'tok-123' }, 'tok-123'],
    ['Auth header spelt as Maqsam documents it', { Auth: 'tok-123' }, 'tok-123'],
    ['Auth with surrounding spaces', { auth: '  tok-123 ' }, 'tok-123'],
    ['Authorization: Bearer', { authorization: 'Bearer tok-123' }, 'tok-123'],
    ['Authorization: bearer, any case', { Authorization: 'bearer   tok-123' }, 'tok-123'],
    ['Auth before Authorization', { auth: 'a', authorization: 'Bearer b' }, 'a'],
    ['Authorization of another scheme', { authorization: 'Basic dXNlcjpwYXNz' }, null],
    ['Bearer without a token', { authorization: 'Bearer ' }, null],
    ['an empty Auth', { auth: '' }, null],
    ['no credential', { host: 'bridge' }, null],
  ])('%s', (_name, headers, token) => {
    expect(tokenFromHeaders(headers)).toBe(token);
  });

  test('a repeated header uses its first value', () => {
    expect(tokenFromHeaders({ auth: ['first', 'second'] })).toBe('first');
  });
});

describe('tokensMatch', () => {
  const token = 'a-long-random-token-0123456789';
  test('the same token matches', () => expect(tokensMatch(token, `${token}`)).toBe(true));
  test.each([
    ['another token of the same length', 'a-long-random-token-0123456780'],
    ['a prefix', token.slice(0, 10)],
    ['a longer token', `${token}x`],
    ['empty', ''],
    ['null', null],
  ])('%s does not match', (_name, given) => expect(tokensMatch(token, given)).toBe(false));
  test('an empty configured token matches nothing, not even empty', () => expect(tokensMatch('', '')).toBe(false));
  test('non-ASCII tokens compare by their UTF-8 bytes', () => {
    expect(tokensMatch('رمز-سري', 'رمز-سري')).toBe(true);
    expect(tokensMatch('رمز-سري', 'رمز-سرى')).toBe(false);
  });
});
