import { issueStreamToken, streamTokenKey, verifyStreamToken } from './stream-token';

const key = streamTokenKey('auth-token-0123456789');
const NOW = Date.UTC(2026, 11, 4, 12, 0, 0);

describe('per-call stream tokens', () => {
  const token = issueStreamToken(key, 'CA1', NOW, 300);

  test('a token verifies for its own CallSid until it expires', () => {
    expect(token).toMatch(/^v1\.\d+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyStreamToken(key, 'CA1', token, { nowMs: NOW })).toEqual({ ok: true });
    expect(verifyStreamToken(key, 'CA1', token, { nowMs: NOW + 300_000 })).toEqual({ ok: true });
    expect(verifyStreamToken(key, 'CA1', token, { nowMs: NOW + 301_000 })).toEqual({ ok: false, reason: 'expired_token' });
  });

  test('a live call may be re-streamed with its token after expiry', () => {
    expect(verifyStreamToken(key, 'CA1', token, { nowMs: NOW + 3_600_000, ignoreExpiry: true })).toEqual({ ok: true });
  });

  test.each([
    ['another call', 'CA2', token, 'bad_token'],
    ['another key', 'CA1', issueStreamToken(streamTokenKey('other-token-000000'), 'CA1', NOW), 'bad_token'],
    ['a moved expiry', 'CA1', token.replace(/^v1\.(\d+)\./, (_m, e: string) => `v1.${Number(e) + 1000}.`), 'bad_token'],
    ['no token', 'CA1', undefined, 'missing_token'],
    ['an empty token', 'CA1', '', 'missing_token'],
    ['a truncated MAC', 'CA1', token.slice(0, -1), 'malformed_token'],
    ['another version', 'CA1', token.replace(/^v1/, 'v2'), 'malformed_token'],
    ['a huge token', 'CA1', 'v1.1.'.padEnd(10_000, 'A'), 'malformed_token'],
  ])('%s is refused', (_name, callSid, given, reason) => {
    expect(verifyStreamToken(key, callSid, given, { nowMs: NOW })).toEqual({ ok: false, reason });
  });

  test('the key is derived from the auth token, never the token itself', () => {
    expect(key.toString('utf8')).not.toContain('auth-token');
    expect(streamTokenKey('auth-token-0123456789').equals(key)).toBe(true);
  });
});
