import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import {
  UpgradeRefusedError,
  audioInputMessage,
  dtmfMessages,
  maqsamStreamUrl,
  maqsamTimestamp,
  parseBridgeFrame,
  placeMaqsamCall,
  sessionSetupMessage,
  upgradeHeaders,
} from './maqsam-caller';

describe('simulated Maqsam: messages', () => {
  test.each([
    ['http://127.0.0.1:8080', 'post-discharge', 'ws://127.0.0.1:8080/ws/maqsam?questionnaire=post-discharge'],
    ['https://bridge.example/', undefined, 'wss://bridge.example/ws/maqsam'],
    ['wss://bridge.example//', 'a b', 'wss://bridge.example/ws/maqsam?questionnaire=a%20b'],
  ])('%s with questionnaire %s opens %s', (base, questionnaire, url) => {
    expect(maqsamStreamUrl(base, questionnaire)).toBe(url);
  });

  test('the token goes in a header named Auth, bare, or in session.setup, never both', () => {
    expect(upgradeHeaders({ token: 'tok' })).toEqual({ Auth: 'tok' });
    expect(upgradeHeaders({ token: 'tok', authMode: 'setup' })).toEqual({});
    expect(upgradeHeaders({})).toEqual({});
    const base = { baseUrl: 'http://x', token: 'tok' };
    expect(sessionSetupMessage(base, 1, new Date(0))).not.toHaveProperty('apiKey');
    expect(sessionSetupMessage({ ...base, authMode: 'setup' }, 1, new Date(0))).toHaveProperty('apiKey', 'tok');
  });

  test('session.setup carries the context Maqsam documents', () => {
    const msg = sessionSetupMessage({ baseUrl: 'http://x', direction: 'inbound', custom: { patient_name: 'نور', visit: 3 } }, 123, new Date(Date.UTC(2025, 3, 7, 10)));
    expect(msg).toEqual({
      type: 'session.setup',
      data: {
        context: {
          id: 123,
          caller_number: '966500000000',
          callee_number: '966110000001',
          caller: 'Patient',
          callee: 'Clinic',
          inputs: ['AI'],
          direction: 'inbound',
          timestamp: '2025-04-07 10:00:00',
          custom: { patient_name: 'نور', visit: 3 },
        },
      },
    });
    expect(maqsamTimestamp(new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 678)))).toBe('2025-01-02 03:04:05');
  });

  test('one call.dtmf per key, and audio.input of exactly the frame', () => {
    expect(dtmfMessages('5#').map((m) => JSON.parse(m))).toEqual([
      { type: 'call.dtmf', data: { digit: '5' } },
      { type: 'call.dtmf', data: { digit: '#' } },
    ]);
    const frame = new Uint8Array([9, 0xff, 0x7f, 0]).subarray(1, 3);
    expect(JSON.parse(audioInputMessage(frame))).toEqual({ type: 'audio.input', data: { audio: '/38=' } });
  });

  test.each([
    ['{"type":"session.ready"}', { type: 'session.ready', data: {} }],
    ['{"type":"call.mark","data":{"label":"a"}}', { type: 'call.mark', data: { label: 'a' } }],
    ['{"type":"x","data":[1]}', { type: 'x', data: {} }],
    ['{"event":"media"}', null],
    ['[]', null],
    ['{"type":', null],
  ])('bridge frame %s', (text, parsed) => {
    expect(parseBridgeFrame(text)).toEqual(parsed);
  });
});

const servers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((close) => close()));
});

/** A stand-in for the bridge's side of the Maqsam socket, scripted per test. */
async function standIn(script: (ws: WebSocket, received: Array<{ at: number; msg: Record<string, unknown> }>, headers: Record<string, unknown>) => void) {
  const wss = new WebSocketServer({ port: 0 });
  await new Promise((resolve) => wss.once('listening', resolve));
  const seen: { headers: Record<string, unknown>; url: string; received: Array<{ at: number; msg: Record<string, unknown> }> } = { headers: {}, url: '', received: [] };
  wss.on('connection', (ws, req) => {
    seen.headers = req.headers;
    seen.url = req.url ?? '';
    ws.on('message', (data) => seen.received.push({ at: performance.now(), msg: JSON.parse(data.toString()) as Record<string, unknown> }));
    script(ws, seen.received, req.headers);
  });
  const base = `http://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  const close = () => {
    for (const client of wss.clients) client.terminate();
    return new Promise((resolve) => wss.close(resolve));
  };
  servers.push(close);
  return { base, seen, close };
}

const ofType = (received: Array<{ at: number; msg: Record<string, unknown> }>, type: string) => received.filter((r) => r.msg['type'] === type);
const play = (ms: number) => JSON.stringify({ type: 'response.stream', data: { audio: Buffer.alloc(ms * 8, 0x55).toString('base64') } });
const mark = (label: string) => JSON.stringify({ type: 'call.mark', data: { label } });

describe('simulated Maqsam: against a scripted bridge', () => {
  test('header auth, ready before audio, marks echoed after playback, keys one per message, hangs up when out of answers', async () => {
    let promptSentAt = 0;
    const bridge = await standIn((ws, received) => {
      ws.once('message', () => {
        ws.send('{"type":"session.ready"}');
        promptSentAt = performance.now();
        ws.send(play(300));
        ws.send(mark('p1'));
      });
      let answered = false;
      ws.on('message', () => {
        if (!answered && ofType(received, 'call.dtmf').length === 2 && ofType(received, 'call.mark').length === 1) {
          answered = true;
          ws.send(play(100));
          ws.send(mark('p2'));
        }
      });
    });
    const report = await placeMaqsamCall({ baseUrl: bridge.base, questionnaire: 'q1', token: 'tok-1', dtmf: ['12'], quietMs: 50, maxDurationMs: 5000 });
    const { received } = bridge.seen;
    expect(bridge.seen.headers['auth']).toBe('tok-1');
    expect(bridge.seen.url).toBe('/ws/maqsam?questionnaire=q1');
    expect(received[0]?.msg).toMatchObject({ type: 'session.setup', data: { context: { id: Number(report.callId), direction: 'outbound' } } });
    expect(received[0]?.msg).not.toHaveProperty('apiKey');
    expect(ofType(received, 'audio.input').length).toBeGreaterThan(10);
    expect(ofType(received, 'call.dtmf').map((r) => r.msg['data'])).toEqual([{ digit: '1' }, { digit: '2' }]);
    const echo = ofType(received, 'call.mark')[0];
    expect(echo?.msg).toEqual({ type: 'call.mark', data: { label: 'p1' } });
    expect((echo?.at ?? 0) - promptSentAt).toBeGreaterThanOrEqual(295);
    expect(report).toMatchObject({ ready: true, busy: false, redirected: false, bridgeHungUp: false, closedBy: 'caller', closeCode: 1000, protocolErrors: [] });
    expect(report.marksEchoed).toEqual(['p1', 'p2']);
    expect(report.heard.length).toBe(3200);
    expect(report.payloadSizes).toEqual([2400, 800]);
    expect(report.replyLatenciesMs).toHaveLength(1);
    expect(report.timeline.map((e) => e.type)).toEqual(['connected', 'ready', 'prompt', 'dtmf', 'reply', 'prompt', 'hangup']);
  });

  test('apiKey in session.setup; call.redirect makes Maqsam close the socket', async () => {
    const bridge = await standIn((ws) => {
      ws.once('message', () => {
        ws.send('{"type":"session.ready"}');
        setTimeout(() => ws.send('{"type":"call.redirect"}'), 60);
      });
    });
    const report = await placeMaqsamCall({ baseUrl: bridge.base, token: 'tok-2', authMode: 'setup', maxDurationMs: 5000 });
    expect(bridge.seen.headers['auth']).toBeUndefined();
    expect(bridge.seen.received[0]?.msg).toMatchObject({ type: 'session.setup', apiKey: 'tok-2' });
    expect(report).toMatchObject({ ready: true, redirected: true, closedBy: 'caller', closeCode: 1000, closeReason: 'redirected to a human' });
  });

  test('speech.started drops the queue and echoes the pending mark at once; call.hangup then a bridge close', async () => {
    let clearedAt = 0;
    const bridge = await standIn((ws, received) => {
      ws.once('message', () => {
        ws.send('{"type":"session.ready"}');
        ws.send(play(2000));
        ws.send(mark('long'));
        setTimeout(() => {
          clearedAt = performance.now();
          ws.send('{"type":"speech.started"}');
        }, 100);
      });
      ws.on('message', () => {
        if (ofType(received, 'call.mark').length === 1 && !ofType(received, 'done').length) {
          received.push({ at: 0, msg: { type: 'done' } });
          ws.send('{"type":"call.hangup"}');
          ws.close(1000, 'call ended');
        }
      });
    });
    const report = await placeMaqsamCall({ baseUrl: bridge.base, dtmf: ['1'], maxDurationMs: 5000 });
    const echo = ofType(bridge.seen.received, 'call.mark')[0];
    expect((echo?.at ?? 0) - clearedAt).toBeLessThan(200);
    expect(report).toMatchObject({ bridgeHungUp: true, closedBy: 'bridge', closeCode: 1000, marksEchoed: ['long'] });
    expect(report.timeline.map((e) => e.type)).toEqual(['connected', 'ready', 'prompt', 'clear', 'bridge-hangup', 'hangup']);
  });

  test.each([
    [1008, false],
    [1013, true],
  ])('a bridge that closes with %d before session.ready: ready false, busy %s', async (code, busy) => {
    const bridge = await standIn((ws) => ws.once('message', () => ws.close(code, 'no')));
    const report = await placeMaqsamCall({ baseUrl: bridge.base, maxDurationMs: 5000 });
    expect(report).toMatchObject({ ready: false, busy, closeCode: code, closedBy: 'bridge' });
    expect(ofType(bridge.seen.received, 'audio.input')).toHaveLength(0);
  });

  test('audio before session.ready is a protocol error; no ready in time and the caller leaves', async () => {
    const bridge = await standIn((ws) => ws.once('message', () => ws.send(play(20))));
    const report = await placeMaqsamCall({ baseUrl: bridge.base, readyTimeoutMs: 100, maxDurationMs: 5000 });
    expect(report.protocolErrors).toEqual(['response.stream before session.ready', 'no session.ready']);
    expect(report).toMatchObject({ ready: false, closedBy: 'caller', closeReason: 'no session.ready' });
  });

  test('a refused upgrade rejects with its HTTP status', async () => {
    const server = createServer();
    server.on('upgrade', (_req, socket) => socket.on('error', () => undefined).end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    servers.push(() => new Promise((resolve) => server.close(resolve)));
    const call = placeMaqsamCall({ baseUrl: base, maxDurationMs: 5000 });
    await expect(call).rejects.toBeInstanceOf(UpgradeRefusedError);
    await expect(call).rejects.toMatchObject({ status: 401 });
  });
});
