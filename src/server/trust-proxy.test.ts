import type { IncomingMessage } from 'node:http';
import { clientAddress, forwardedHeadersTrusted, parseTrustProxy } from './trust-proxy';

const request = (peer: string, forwardedFor?: string) =>
  ({ socket: { remoteAddress: peer }, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} }) as unknown as IncomingMessage;

const trustOf = (value: string | undefined) => {
  const parsed = parseTrustProxy(value);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.trust;
};

describe('TRUST_PROXY', () => {
  test('unset and false trust no one: forwarded headers are ignored', () => {
    for (const value of [undefined, '', 'false']) {
      expect(forwardedHeadersTrusted(request('127.0.0.1'), trustOf(value))).toBe(false);
      expect(clientAddress(request('10.0.0.5', '203.0.113.9'), trustOf(value))).toBe('10.0.0.5');
    }
  });

  test('true trusts every peer', () => {
    expect(forwardedHeadersTrusted(request('198.51.100.1'), trustOf('true'))).toBe(true);
    expect(clientAddress(request('10.0.0.5', '203.0.113.9'), trustOf('true'))).toBe('203.0.113.9');
  });

  test('a hop count trusts that many proxies from the nearest', () => {
    const trust = trustOf('1');
    expect(clientAddress(request('10.0.0.5', '198.51.100.7, 203.0.113.9'), trust)).toBe('203.0.113.9');
  });

  test('addresses, CIDR ranges and presets; IPv4-mapped peers match IPv4 ranges', () => {
    const trust = trustOf('loopback, 10.0.0.0/8, 192.0.2.1');
    expect(forwardedHeadersTrusted(request('::ffff:127.0.0.1'), trust)).toBe(true);
    expect(forwardedHeadersTrusted(request('::1'), trust)).toBe(true);
    expect(forwardedHeadersTrusted(request('10.20.30.40'), trust)).toBe(true);
    expect(forwardedHeadersTrusted(request('192.0.2.1'), trust)).toBe(true);
    expect(forwardedHeadersTrusted(request('192.0.2.2'), trust)).toBe(false);
    // A client behind our proxy cannot make itself a proxy by adding X-Forwarded-For entries.
    expect(clientAddress(request('10.0.0.5', '10.9.9.9, 203.0.113.9'), trust)).toBe('203.0.113.9');
    expect(clientAddress(request('10.0.0.5', 'spoofed, 203.0.113.9'), trust)).toBe('203.0.113.9');
  });

  test.each(['yes', '10.0.0.0/33', '300.1.1.1', 'loopback,,', 'fe80::/129'])('%s is refused with a message', (value) => {
    const parsed = parseTrustProxy(value);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(/is not an address, a CIDR range or one of loopback, linklocal, uniquelocal/);
  });
});
