import { AUTH_TOKEN, type TestBridge, startBridge } from './helpers/bridge';
import { RawStream } from './helpers/raw-stream';
import { waitFor } from './helpers/wait';

let t: TestBridge;
beforeAll(async () => {
  t = await startBridge({}, { keepaliveMs: 100 });
});
afterAll(() => t.close());


describe('keepalive pings', () => {
  test('a stream that answers pings stays open', async () => {
    const s = await RawStream.open(t.base, AUTH_TOKEN);
    s.start('CAalive');
    await new Promise((r) => setTimeout(r, 450));
    expect(s.ws.readyState).toBe(s.ws.OPEN);
    s.ws.close();
  });

  test('a peer that stops answering pings is dropped and the call ends as stopped', async () => {
    const s = await RawStream.open(t.base, AUTH_TOKEN, { autoPong: false });
    s.start('CAsilent');
    const closed = await s.closed;
    expect(closed.code).toBe(1006); // terminated, no closing handshake
    await waitFor(async () => (await t.saved('CAsilent')).status === 'stopped');
    expect(t.logs.some((l) => l['msg'] === 'no pong to the last keepalive ping; closing the stream' && l['callSid'] === 'CAsilent')).toBe(true);
  });
});
