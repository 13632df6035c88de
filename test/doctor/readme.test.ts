import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SECTIONS } from '../../src/doctor/sections';

/** The README and the doctor agree: its troubleshooting starts with the doctor, and every section a check points to exists. */
const README = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
const anchors = new Set(
  README.split('\n')
    .filter((line) => /^#{1,6} /.test(line))
    .map((line) => `#${line.replace(/^#+ /, '').toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-')}`),
);

test('the troubleshooting section starts with "run `npm run doctor`"', () => {
  const start = README.indexOf('## Troubleshooting\n');
  expect(start).toBeGreaterThan(0);
  expect(README.slice(start).split('\n')[2]).toMatch(/^Run `npm run doctor`/);
});

test('every README section a check points to exists', () => {
  for (const [name, anchor] of Object.entries(SECTIONS)) expect({ name, exists: anchors.has(anchor) }).toEqual({ name, exists: true });
});

test('the checks table names every check id the doctor can print, and BUILD_ID is configured', () => {
  const ids = ['dns', 'tls', 'http1', 'health', 'ready', 'ws.telephony', 'ws.maqsam', 'twilio.signed-upgrade', 'maqsam.auth-upgrade', 'stream.round-trip.telephony', 'stream.round-trip.maqsam', 'stream.unbuffered', 'stream.hold', 'stream.burst', 'inside.speech.key', 'inside.speech.model', 'inside.voice', 'inside.store', 'inside.disk', 'inside.clock', 'inside.webhooks', 'inside.public-url', 'twilio.number'];
  const table = README.slice(README.indexOf('| check | passes when | read |'), README.indexOf('### Diagnostic streams'));
  for (const id of ids) expect({ id, documented: table.includes(`\`${id}\``) }).toEqual({ id, documented: true });
  expect(README).toMatch(/^\| `BUILD_ID` \|/m);
  expect(README).not.toContain('../shared');
});
