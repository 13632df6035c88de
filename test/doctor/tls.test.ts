import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { checkTls } from '../../src/doctor/network-checks';
import { parseTarget } from '../../src/doctor/run';
import { selfSignedCertificate } from '../helpers/certificates';

/** The TLS check's verdicts on real handshakes with certificates made for each case. */
const DAY_MS = 86_400_000;

async function serve(certificate: { key: string; cert: string }): Promise<{ port: number; close(): Promise<void> }> {
  const server = https.createServer(certificate, (_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const now = Date.now();
const valid = selfSignedCertificate(new Date(now - DAY_MS), new Date(now + 100 * DAY_MS));
const expiring = selfSignedCertificate(new Date(now - DAY_MS), new Date(now + 10 * DAY_MS));
const elsewhere = selfSignedCertificate(new Date(now - DAY_MS), new Date(now + 100 * DAY_MS), 'DNS:bridge.example.com');

// Skipped without /usr/bin/openssl: the certificates cannot be made.
const withOpenssl = valid && expiring && elsewhere ? test : test.skip; // reason: needs openssl to make the certificates, which .ci/run installs

withOpenssl('a trusted certificate for the host passes; untrusted, expiring within 14 days, or for another name fails, each with its fix', async () => {
  const good = await serve(valid as { key: string; cert: string });
  const soon = await serve(expiring as { key: string; cert: string });
  const other = await serve(elsewhere as { key: string; cert: string });
  try {
    const target = (host: string, port: number) => parseTarget(`https://${host}:${port}`);
    const trusted = await checkTls(target('127.0.0.1', good.port), { timeoutMs: 3000, ca: valid?.cert });
    expect(trusted.status).toBe('pass');
    expect(trusted.saw).toMatch(/^valid for 127\.0\.0\.1 until \d{4}-\d\d-\d\d \((99|100) days\)/);

    const untrusted = await checkTls(target('127.0.0.1', good.port), { timeoutMs: 3000, ca: undefined });
    expect(untrusted).toMatchObject({ status: 'fail' });
    expect(untrusted.saw).toContain('the certificate is not trusted: DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(untrusted.fix).toContain('public CA');

    const renewSoon = await checkTls(target('127.0.0.1', soon.port), { timeoutMs: 3000, ca: expiring?.cert });
    expect(renewSoon.status).toBe('fail');
    expect(renewSoon.saw).toMatch(/^the certificate expires in (9|10) days/);

    // Trusted, but issued for bridge.example.com.
    const otherName = await checkTls(target('127.0.0.1', other.port), { timeoutMs: 3000, ca: elsewhere?.cert });
    expect(otherName.status).toBe('fail');
    expect(otherName.saw).toContain('does not cover 127.0.0.1');
    expect(otherName.fix).toContain('issue a certificate whose names include 127.0.0.1');
  } finally {
    await good.close();
    await soon.close();
    await other.close();
  }
});
