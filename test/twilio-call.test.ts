import { placeCall } from '../src/cli/caller/twilio-caller';
import { AUTH_TOKEN, type TestBridge, startBridge } from './helpers/bridge';
import { waitFor } from './helpers/wait';

let t: TestBridge;
beforeAll(async () => {
  t = await startBridge();
});
afterAll(() => t.close());

describe('a Twilio call answered on the keypad', () => {
  test('completes post-discharge end to end over real WebSockets', async () => {
    const report = await placeCall({
      baseUrl: t.base,
      questionnaire: 'post-discharge',
      authToken: AUTH_TOKEN,
      dtmf: ['1', '2', '2', '3#', '372#', '1', '1', '2'],
    });
    expect(report.busy).toBe(false);
    // The questionnaire, and the token that binds the stream to this call (v1.<expiry>.<HMAC>).
    expect(report.twiml.parameters).toEqual({ questionnaire: 'post-discharge', token: expect.stringMatching(/^v1\.\d+\.[A-Za-z0-9_-]{43}$/) });
    // The final write (with endedAt) lands just after the stream closes.
    await waitFor(async () => (await t.saved(report.callSid)).endedAt !== null, 5000, 'final call record');
    const saved = await t.saved(report.callSid);
    expect(saved.status).toBe('completed');
    expect(Object.fromEntries(Object.entries(saved.answers).map(([k, a]) => [k, a.value]))).toEqual({
      consent: true,
      chest_pain: false,
      breathless_at_rest: false,
      pain_score: 3,
      temperature: 37.2,
      medication: 'always',
      wound_problem: false,
    });
    expect(Object.values(saved.answers).every((a) => a.method === 'dtmf')).toBe(true);
    expect(saved.endedAt).not.toBeNull();
    expect(report.afterStream?.hangup).toBe(true);
    // 40 ms messages (OUTBOUND_FRAME_MS); a prompt with an odd number of 20 ms frames ends on a 20 ms one.
    expect(report.payloadSizes.every((n) => n === 320 || n === 160)).toBe(true);
    expect(report.payloadSizes.filter((n) => n === 320).length).toBeGreaterThan(report.payloadSizes.filter((n) => n === 160).length);
    expect(report.replyLatenciesMs).toHaveLength(8);
  });
});
