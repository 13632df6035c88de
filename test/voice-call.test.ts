import { decodeMulaw } from '../src/audio/mulaw';
import type { CallRecord } from '../src/call/call-store';
import { placeCall } from '../src/cli/caller/twilio-caller';
import { DeepgramSttProvider } from '../src/speech/deepgram/deepgram-stt';
import { AUTH_TOKEN, type TestBridge, startBridge } from './helpers/bridge';
import { RawStream } from './helpers/raw-stream';
import { TimedStt, spokenBurst } from './helpers/voice';
import { waitFor } from './helpers/wait';
import { DeepgramStandIn } from './stand-ins/deepgram';

const KEY = 'dg-test-key-123456';
let deepgram: DeepgramStandIn;
let stt: TimedStt;
let t: TestBridge;

beforeAll(async () => {
  deepgram = await DeepgramStandIn.start({ apiKey: KEY });
  stt = new TimedStt(new DeepgramSttProvider({ apiKey: KEY, baseUrl: deepgram.url, retry: { initialMs: 50, maxMs: 200 } }));
  // Loud speech alone never interrupts here (3 s is longer than any burst sent): barge-in is by words.
  t = await startBridge({ STT_DEGRADED_AFTER_MS: '1000', BARGE_IN_MIN_MS: '3000' }, { stt });
});
afterAll(async () => {
  await t.close();
  await deepgram.close();
});

const metricsText = async () => (await fetch(`${t.base}/metrics`)).text();
const values = (r: CallRecord) => Object.fromEntries(Object.entries(r.answers).map(([k, a]) => [k, a.value]));

describe('answers by voice through /ws/telephony and Deepgram (stand-in, real SDK)', () => {
  test('a caller completes post-discharge by speaking', async () => {
    deepgram.script(['نعم موافق', 'لا الحمد لله', 'لا ما عندي', 'اربعة', 'سبعة وثلاثين', 'دايما', 'لا', 'لا شكرا']);
    const burst = spokenBurst();
    const report = await placeCall({
      baseUrl: t.base,
      authToken: AUTH_TOKEN,
      answers: Array.from({ length: 8 }, (_, i) => ({ audio: burst, label: `answer ${i + 1}` })),
      maxDurationMs: 60_000,
    });
    await waitFor(async () => (await t.saved(report.callSid)).endedAt !== null);
    const saved = (await t.saved(report.callSid));
    expect(saved.status).toBe('completed');
    expect(values(saved)).toEqual({
      consent: true,
      chest_pain: false,
      breathless_at_rest: false,
      pain_score: 4,
      temperature: 37,
      medication: 'always',
      wound_problem: false,
      concern: 'لا شكرا',
    });
    expect(saved.answers['pain_score']).toMatchObject({ method: 'voice', transcript: 'اربعة', attempts: 1 });
    const metrics = await metricsText();
    expect(Number(/^bridge_reply_latency_seconds_count\{provider="twilio",input="voice"\} (\d+)$/m.exec(metrics)?.[1])).toBe(8);
    expect(Number(/^bridge_stt_final_latency_seconds_count (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(8);
  }, 90_000);

  test('the stream carried the call: nova-3, Arabic, 16 kHz linear16, keyterms from the questionnaire', () => {
    const params = deepgram.connections[0]?.params;
    expect(params?.get('model')).toBe('nova-3');
    expect(params?.get('language')).toBe('ar');
    expect(params?.get('encoding')).toBe('linear16');
    expect(params?.get('sample_rate')).toBe('16000');
    expect(params?.getAll('keyterm')).toEqual(expect.arrayContaining(['نعم', 'لا', 'دائماً']));
  });
});

describe('barge-in', () => {
  test('speaking over the greeting clears it within one frame of the second word being recognised', async () => {
    deepgram.script(['نعم موافق']);
    const s = await RawStream.open(t.base, AUTH_TOKEN);
    const arrivals: Array<{ at: number; event: string }> = [];
    s.ws.on('message', (data) => arrivals.push({ at: performance.now(), event: (JSON.parse(data.toString()) as { event: string }).event }));
    const startedAt = performance.now();
    s.start('CAbargein');
    await s.until((r) => r.some((m) => m['event'] === 'media'));
    // The caller talks over the greeting: 1.2 s of "speech" in real time.
    const speech = spokenBurst(1200);
    for (let i = 0; i < speech.length; i += 160) {
      s.send({ event: 'media', media: { payload: Buffer.from(speech.subarray(i, i + 160)).toString('base64') } });
      await new Promise((r) => setTimeout(r, 20));
    }
    await s.until((r) => r.some((m) => m['event'] === 'clear'));
    // Then the line goes quiet, as a phone line does (Twilio keeps sending silence).
    const silence = Buffer.alloc(160, 0xff).toString('base64');
    for (let i = 0; i < 75; i++) s.send({ event: 'media', media: { payload: silence } });
    const ours = stt.events.filter((e) => e.at > startedAt);
    const speechStarted = ours.find((e) => e.event.type === 'speech_started');
    const words = (e: (typeof ours)[number]) => (e.event.type === 'interim' ? e.event.text.split(/\s+/).filter(Boolean).length : 0);
    const oneWord = ours.find((e) => words(e) === 1);
    const twoWords = ours.find((e) => words(e) >= 2);
    const clear = arrivals.find((a) => a.event === 'clear');
    expect(speechStarted).toBeDefined();
    expect(oneWord).toBeDefined();
    expect(twoWords).toBeDefined();
    // Neither SpeechStarted nor one word (a cough, the prompt's echo) interrupted; BARGE_IN_MIN_WORDS
    // (2) words did, within a frame (20 ms).
    expect(clear!.at).toBeGreaterThan(twoWords!.at);
    expect(clear!.at - twoWords!.at).toBeLessThan(20);
    expect(await metricsText()).toMatch(/^bridge_barge_ins_total\{provider="twilio"\} 1$/m);
    await waitFor(async () => (await t.saved('CAbargein')).answers['consent']?.value === true);
    s.ws.close();
  }, 30_000);

  test('line noise alone does not interrupt', async () => {
    const s = await RawStream.open(t.base, AUTH_TOKEN);
    s.start('CAnoise');
    await s.until((r) => r.some((m) => m['event'] === 'media'));
    const hiss = Buffer.from(spokenBurst(1000, 3000, 120)).toString('base64');
    for (let i = 0; i < 50; i++) s.send({ event: 'media', media: { payload: hiss } });
    await s.until((r) => r.some((m) => m['event'] === 'mark'));
    expect(s.count('clear')).toBe(0);
    s.ws.close();
  });
});

describe('recognition outages', () => {
  const silence = Buffer.alloc(160, 0xff).toString('base64');
  async function speak(s: RawStream, ms: number): Promise<void> {
    const burst = spokenBurst(ms);
    for (let i = 0; i < burst.length; i += 160) {
      s.send({ event: 'media', media: { payload: Buffer.from(burst.subarray(i, i + 160)).toString('base64') } });
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  async function quiet(s: RawStream, frames: number): Promise<void> {
    for (let i = 0; i < frames; i++) {
      s.send({ event: 'media', media: { payload: silence } });
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  test('recognition dropped mid-answer and restored: the answer is still heard', async () => {
    deepgram.script(['نعم موافق']);
    const startedAt = performance.now();
    const s = await RawStream.open(t.base, AUTH_TOKEN);
    s.start('CAblip');
    await s.until((r) => r.filter((m) => m['event'] === 'mark').length >= 2);
    await speak(s, 300);
    deepgram.dropConnections(1011);
    await speak(s, 300); // spoken while the connection is down: buffered, then sent
    await quiet(s, 60);
    await waitFor(async () => (await t.saved('CAblip')).answers['consent']?.value === true, 8000);
    const statuses = stt.events.filter((e) => e.at > startedAt && e.event.type === 'status').map((e) => e.event);
    expect(statuses).toEqual([
      { type: 'status', available: false, reason: expect.any(String) },
      { type: 'status', available: true, reason: expect.any(String) },
    ]);
    // A blip shorter than the budget never switched the caller to the keypad.
    expect(t.logs.some((l) => l['callSid'] === 'CAblip' && l['msg'] === 'speech recognition unavailable: keypad answers')).toBe(false);
    s.ws.close();
  }, 30_000);

  test('recognition down from the start: the call switches to the keypad with a notice, and back when it returns', async () => {
    deepgram.refuseConnections();
    const s = await RawStream.open(t.base, AUTH_TOKEN);
    s.start('CAdown');
    await waitFor(() => t.logs.some((l) => l['callSid'] === 'CAdown' && l['msg'] === 'speech recognition unavailable: keypad answers'), 5000);
    expect(await metricsText()).toMatch(/^bridge_stt_degraded_calls_total [1-9]/m);
    s.echoMarks();
    s.dtmf('1');
    await waitFor(async () => (await t.saved('CAdown')).answers['consent']?.method === 'dtmf');
    deepgram.restore();
    await waitFor(() => t.logs.some((l) => l['callSid'] === 'CAdown' && l['msg'] === 'speech recognition is back: voice answers again'), 5000);
    s.ws.close();
  }, 30_000);
});

describe('the audio Deepgram receives', () => {
  test('is 16 kHz PCM whose spectrum matches the mu-law tone the caller sent', async () => {
    const before = deepgram.connections.length;
    const s = await RawStream.open(t.base, AUTH_TOKEN);
    s.start('CAspectrum');
    await waitFor(() => deepgram.connections.length > before);
    const tone = spokenBurst(500, 1000, 8000);
    for (let i = 0; i < tone.length; i += 160) s.send({ event: 'media', media: { payload: Buffer.from(tone.subarray(i, i + 160)).toString('base64') } });
    await waitFor(() => deepgram.received(before).length >= 8000);
    s.ws.close();
    const pcm = deepgram.received(before).subarray(1000, 7000); // past the resampler's start-up
    const at = (hz: number) => goertzel(pcm, 16000, hz);
    expect(at(1000)).toBeGreaterThan(1000 * at(3000));
    expect(at(1000)).toBeGreaterThan(1000 * at(7000)); // the 8→16 kHz image of 1 kHz would be at 7 kHz
    const expected = decodeMulaw(tone);
    const rms = (x: Int16Array) => Math.sqrt(x.reduce((a, v) => a + v * v, 0) / x.length);
    expect(rms(pcm) / rms(expected.subarray(500, 3500))).toBeCloseTo(1, 1);
  });
});

function goertzel(x: Int16Array, rate: number, hz: number): number {
  let re = 0;
  let im = 0;
  for (let i = 0; i < x.length; i++) {
    re += (x[i] ?? 0) * Math.cos((2 * Math.PI * hz * i) / rate);
    im -= (x[i] ?? 0) * Math.sin((2 * Math.PI * hz * i) / rate);
  }
  return (re * re + im * im) / x.length ** 2;
}
