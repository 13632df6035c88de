import { gzipSync } from 'node:zlib';
import express, { type Router } from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import { createLogger } from '../src/observability/logger';
import { createMetrics } from '../src/observability/metrics';
import { createApp } from '../src/server/app';
import { Readiness } from '../src/server/readiness';
import { type TestBridge, startBridge } from './helpers/bridge';
import { type RawResponse, rawRequest } from './helpers/raw-http';
import { waitFor } from './helpers/wait';

// Client mistakes are client errors: a 4xx with a stable code, one warning line, no stack,
// and the bridge goes on answering.

let t: TestBridge;
beforeAll(async () => {
  t = await startBridge();
});
afterAll(() => t.close());
/** Where this test's log lines start: each test checks only what it caused. */
let logsFrom = 0;
beforeEach(() => {
  logsFrom = t.logs.length;
});

const FORM = 'application/x-www-form-urlencoded';

function post(path: string, headers: Record<string, string | number>, extraHead = ''): string {
  const lines = Object.entries({ Host: '127.0.0.1', ...headers }).map(([k, v]) => `${k}: ${v}\r\n`);
  return `POST ${path} HTTP/1.1\r\n${lines.join('')}${extraHead}\r\n`;
}

/** The status, the JSON code, then the warning logged for it. */
async function expectRefused(res: RawResponse, status: number, code: string): Promise<void> {
  expect({ status: res.status, body: JSON.parse(res.body) as unknown }).toEqual({ status, body: { error: code, message: expect.any(String) } });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  await expectWarned(code);
}

/** One warning per refusal (method, path, code, reason, no stack), no error line, and the bridge still answers. */
async function expectWarned(code: string): Promise<void> {
  const lines = t.logs.slice(logsFrom).filter((l) => l['code'] === code);
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) {
    expect(line).toMatchObject({ level: 40, method: expect.any(String), path: expect.any(String), reason: expect.any(String) });
    expect(line).not.toHaveProperty('err');
    expect(JSON.stringify(line)).not.toMatch(/stack|\n\s+at /);
  }
  expect(t.logs.filter((l) => (l['level'] as number) >= 50)).toEqual([]);
  expect((await fetch(`${t.base}/health`)).status).toBe(200);
}

describe('webhook bodies', () => {
  test('a 10 MB body is 413 body_too_large, answered before the upload ends', async () => {
    const total = 10 * 1024 * 1024;
    const res = await rawRequest(t.base, post('/twilio/voice', { 'Content-Type': FORM, 'Content-Length': total }), { bodyBytes: total });
    await expectRefused(res, 413, 'body_too_large');
    expect(res.headers['connection']).toBe('close');
    expect(res.sentBytes).toBeLessThan(total);
  });

  test('charset=utf-7 is 415 unsupported_charset', async () => {
    const body = 'CallSid=CA1';
    const res = await rawRequest(t.base, post('/twilio/voice', { 'Content-Type': `${FORM}; charset=utf-7`, 'Content-Length': body.length }), { bodyBytes: body });
    await expectRefused(res, 415, 'unsupported_charset');
    expect(JSON.parse(res.body)).toMatchObject({ message: expect.stringContaining('UTF-7') });
  });

  test('a gzip body that is garbage is 400 malformed_body', async () => {
    const body = Buffer.from('this is not gzip at all');
    const res = await rawRequest(t.base, post('/twilio/status', { 'Content-Type': FORM, 'Content-Encoding': 'gzip', 'Content-Length': body.length }), { bodyBytes: body });
    await expectRefused(res, 400, 'malformed_body');
  });

  test('a truncated gzip body is 400 malformed_body', async () => {
    const body = gzipSync('CallSid=CA1&CallStatus=completed').subarray(0, 12);
    const res = await rawRequest(t.base, post('/twilio/status', { 'Content-Type': FORM, 'Content-Encoding': 'gzip', 'Content-Length': body.length }), { bodyBytes: body });
    await expectRefused(res, 400, 'malformed_body');
  });

  test('an unsupported Content-Encoding is 415 unsupported_encoding', async () => {
    const body = 'CallSid=CA1';
    const res = await rawRequest(t.base, post('/twilio/voice', { 'Content-Type': FORM, 'Content-Encoding': 'compress', 'Content-Length': body.length }), { bodyBytes: body });
    await expectRefused(res, 415, 'unsupported_encoding');
  });

  test('over 1,000 form parameters is 413 too_many_parameters', async () => {
    const body = Array.from({ length: 1001 }, (_, i) => `p${i}=1`).join('&');
    const res = await rawRequest(t.base, post('/twilio/voice', { 'Content-Type': FORM, 'Content-Length': body.length }), { bodyBytes: body });
    await expectRefused(res, 413, 'too_many_parameters');
  });

  test('a body that ends before its Content-Length is 400 request_aborted', async () => {
    const res = await rawRequest(t.base, post('/twilio/voice', { 'Content-Type': FORM, 'Content-Length': 100 }), { bodyBytes: 'CallSid=CA1', endAfterBody: true });
    // The client is gone: Node itself answers 400 on the half-closed socket; the bridge only logs.
    expect(res.status).toBe(400);
    await waitFor(() => t.logs.some((l) => l['code'] === 'request_aborted'), 2000, 'a request_aborted warning');
    await expectWarned('request_aborted');
  });
});

describe('Host and forwarding headers', () => {
  test.each(['a b', '', 'a@b', 'host:99999', '[::1', 'exa mple.com:80'])('Host %j is 400 bad_host on any route', async (host) => {
    const res = await rawRequest(t.base, `GET /health HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
    await expectRefused(res, 400, 'bad_host');
  });

  test('valid hosts still pass: an IPv6 literal, a port, HTTP/1.0 without Host', async () => {
    for (const head of ['GET /health HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n', 'GET /health HTTP/1.1\r\nHost: bridge.example.com:443\r\n\r\n', 'GET /health HTTP/1.0\r\n\r\n']) {
      expect((await rawRequest(t.base, head)).status).toBe(200);
    }
  });

  test('a bad Host on a signed webhook is 400 bad_host', async () => {
    const body = 'CallSid=CA1';
    const res = await rawRequest(t.base, post('/twilio/voice', { Host: 'a b', 'X-Twilio-Signature': 'c2lnbmF0dXJl', 'Content-Type': FORM, 'Content-Length': body.length }), { bodyBytes: body });
    await expectRefused(res, 400, 'bad_host');
  });

  test.each([
    ['X-Forwarded-Host', 'a b'],
    ['X-Forwarded-Host', 'ok.example.com, a b'],
    ['X-Forwarded-Proto', 'ht tp'],
    ['X-Forwarded-Proto', 'https://x'],
  ])('a malformed %s (%j) on a signed webhook is 400 bad_forwarded_header', async (name, value) => {
    const body = 'CallSid=CA1';
    const res = await rawRequest(t.base, post('/twilio/voice', { [name]: value, 'X-Twilio-Signature': 'c2lnbmF0dXJl', 'Content-Type': FORM, 'Content-Length': body.length }), { bodyBytes: body });
    await expectRefused(res, 400, 'bad_forwarded_header');
  });

  test('a WebSocket upgrade with a bad Host is 400 bad_host, and the process lives on', async () => {
    const head = [
      'GET /ws/telephony HTTP/1.1',
      'Host: a b',
      'Upgrade: websocket',
      'Connection: Upgrade',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      'Sec-WebSocket-Version: 13',
      'X-Twilio-Signature: c2lnbmF0dXJl',
    ].join('\r\n');
    const res = await rawRequest(t.base, `${head}\r\n\r\n`);
    await expectRefused(res, 400, 'bad_host');
  });
});

describe('genuine bugs', () => {
  test('are still 500 internal, logged at error with the stack', async () => {
    const logs: Array<Record<string, unknown>> = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n')) if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const broken: Router = express.Router();
    broken.get('/broken', () => {
      throw new TypeError('a bug');
    });
    const app = createApp({ logger: createLogger({ level: 'info', destination }), metrics: createMetrics(), readiness: new Readiness(), routers: [broken] });
    const server = await new Promise<Server>((resolve) => {
      const s: Server = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/broken`);
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ error: 'internal', message: 'internal error' });
      expect(logs).toEqual([expect.objectContaining({ level: 50, msg: 'request failed', err: expect.objectContaining({ stack: expect.stringContaining('a bug') }) })]);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
