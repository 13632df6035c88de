import { define } from '../../test/helpers/questionnaires';
import { spokenBurst } from '../../test/helpers/voice';
import { HalfbandUpsampler } from '../audio/halfband-upsampler';
import { decodeMulaw } from '../audio/mulaw';
import { createLogger } from '../observability/logger';
import { createMetrics } from '../observability/metrics';
import type { SttEvent } from '../speech/stt';
import type { OutboundCommand } from '../telephony/events';
import { COMMIT_WAIT_MS, CallSession } from './call-session';
import type { CallRecord } from './call-store';
import { PlayoutClock } from './playout-clock';

/**
 * Turn taking through a real CallSession: the questionnaire machine, playout and SpeechInput,
 * with a scripted recogniser (the test sends its events), a provider that echoes marks 100 ms
 * after they are sent, and fake timers, so the no-input timer is observed by what gets said.
 */
const PROMPT_MS = 2000;
const NO_INPUT_MS = 6000;
const NO_WORDS_MS = 3000;

function startCall(options: { save?: (record: CallRecord) => Promise<void> } = {}) {
  jest.useFakeTimers();
  const said: string[] = [];
  const sent: OutboundCommand['type'][] = [];
  const saved: CallRecord[] = [];
  const metrics = createMetrics();
  let recognise: (event: SttEvent) => void = () => undefined;
  /** What the recogniser was sent, copied on arrival (the session reuses its buffer). */
  const heard: Int16Array[] = [];
  const definition = define({
    settings: { no_input_ms: NO_INPUT_MS },
    items: [
      { id: 'q1', type: 'boolean', text: 'Q1' },
      { id: 'q2', type: 'boolean', text: 'Q2' },
    ],
  });
  const prompt = (text: string) => {
    said.push(text);
    return new Uint8Array(8 * PROMPT_MS).fill(0xff);
  };
  const session: CallSession = new CallSession(
    {
      send: (command) => {
        sent.push(command.type);
        if (command.type === 'mark') setTimeout(() => session.onMark(command.name), 100);
      },
      close: () => undefined,
    },
    {
      provider: 'twilio',
      callId: 'CAturn',
      questionnaire: { definition, file: '/questionnaires/test.json' },
      context: {},
      prompts: { get: prompt, render: async (text) => prompt(text) },
      speech: {
        open: (onEvent) => {
          recognise = onEvent;
          return { sendAudio: (samples) => heard.push(samples.slice()), close: async () => undefined };
        },
        bargeInMinMs: 400,
        bargeInMinWords: 2,
        noWordsMs: NO_WORDS_MS,
        degradedAfterMs: 5000,
      },
      upsampler: new HalfbandUpsampler(),
      recorder: {
        save: (record, events) => {
          saved.push({ ...record, appendEvents: events ?? [] });
          return options.save ? options.save(record) : Promise.resolve();
        },
      },
      metrics,
      logger: createLogger({ level: 'silent' }),
      clock: new PlayoutClock(),
      leadMs: 80,
    },
  );
  session.start();
  calls.push(session);
  const answers = () => saved.at(-1)?.answers ?? {};
  /** The caller's line: μ-law audio as the provider sends it, 20 ms per message. */
  const speak = (ms: number) => {
    const audio = spokenBurst(ms);
    for (let i = 0; i < audio.length; i += 160) session.onAudio(Buffer.from(audio.subarray(i, i + 160)).toString('base64'));
  };
  const advance = (ms: number) => jest.advanceTimersByTime(ms);
  return { said, sent, saved, metrics, answers, recognise: (e: SttEvent) => recognise(e), speak, advance, heard, session };
}

const calls: CallSession[] = [];
afterEach(() => {
  for (const call of calls.splice(0)) call.onStreamEnded();
  jest.useRealTimers();
});

const final = (text: string): SttEvent => ({ type: 'final', text, confidence: 0.95, speechFinal: true, lastWordEndMs: null });

describe('caller audio to the recogniser', () => {
  test('is the whole μ-law stream upsampled in one pass: 2 samples per byte, bit-exact, any message size', () => {
    const { heard, session } = startCall();
    const audio = spokenBurst(300);
    const sizes = [160, 160, 100, 1, 219, 160];
    let at = 0;
    for (const size of sizes) {
      session.onAudio(Buffer.from(audio.subarray(at, at + size)).toString('base64'));
      at += size;
    }
    expect(heard.map((frame) => frame.length)).toEqual(sizes.map((size) => 2 * size));
    const expected = new HalfbandUpsampler().process(decodeMulaw(audio.subarray(0, at)));
    const received = new Int16Array(expected.length);
    let offset = 0;
    for (const frame of heard) {
      received.set(frame, offset);
      offset += frame.length;
    }
    expect(Array.from(received)).toEqual(Array.from(expected));
  });
});

describe('turn taking through a call', () => {
  test('a caller answering over the question is not told "I did not hear you" while still talking', () => {
    const { said, sent, answers, recognise, advance } = startCall();
    advance(PROMPT_MS + 500); // the greeting has played; Q1 is playing
    recognise({ type: 'speech_started', atMs: 2400 });
    recognise({ type: 'interim', text: 'نعم أنا', confidence: 0.6 });
    expect(sent).toContain('clear');
    advance(NO_INPUT_MS + 2000); // a long answer, or slow recognition: the caller still has the turn
    expect(said).toEqual(['GREETING', 'Q1']);
    recognise(final('نعم أنا موافق'));
    expect(answers()['q1']).toMatchObject({ value: true, method: 'voice' });
    expect(said).toEqual(['GREETING', 'Q1', 'Q2']);
  });

  test('a one-word interim over a prompt does not stop it; two words do', () => {
    const { sent, recognise, advance } = startCall();
    advance(500);
    recognise({ type: 'speech_started', atMs: 400 });
    recognise({ type: 'interim', text: 'نعم', confidence: 0.4 }); // a cough or the prompt's echo
    expect(sent).not.toContain('clear');
    recognise({ type: 'interim', text: 'نعم موافق', confidence: 0.6 });
    expect(sent).toContain('clear');
  });

  test('a one-word final over a prompt is the answer: the prompt stops and the next question is asked', () => {
    const { said, sent, answers, recognise, advance } = startCall();
    advance(PROMPT_MS + 500);
    recognise({ type: 'speech_started', atMs: 2400 });
    recognise(final('نعم'));
    expect(sent).toContain('clear');
    expect(answers()['q1']).toMatchObject({ value: true, transcript: 'نعم' });
    expect(said).toEqual(['GREETING', 'Q1', 'Q2']);
  });

  test('loud speech with no words holds the turn for noWordsMs, then the caller is reprompted', () => {
    const { said, recognise, speak, advance } = startCall();
    advance(2 * PROMPT_MS + 1000); // both prompts heard: listening
    recognise({ type: 'speech_started', atMs: 5000 });
    speak(600); // loud enough and long enough to take the turn, but no words ever come
    advance(NO_INPUT_MS);
    expect(said).not.toContain('NO_INPUT'); // the caller's speech paused the no-input timer
    advance(NO_WORDS_MS);
    expect(said).toContain('NO_INPUT'); // no dead air: the call moves on
  });

  test('line noise that never takes the turn does not keep postponing the reprompt', () => {
    const { said, recognise, advance } = startCall();
    advance(2 * PROMPT_MS + 1000); // listening since about 4.2 s
    for (let at = 6000; at <= 10_000; at += 2000) {
      recognise({ type: 'speech_started', atMs: at });
      recognise({ type: 'final', text: '', confidence: 0, speechFinal: true, lastWordEndMs: null });
      advance(2000);
    }
    expect(said).toContain('NO_INPUT');
  });
});

describe('nothing acknowledged that is not durable', () => {
  const plays = (sent: string[]) => sent.filter((type) => type === 'play').length;
  const slowCommits = async (metrics: ReturnType<typeof createMetrics>) => (await metrics.storeSlowCommits.get()).values[0]?.value;

  test('the next question is heard only once the answer before it is committed', async () => {
    let commit: () => void = () => undefined;
    const { sent, saved, metrics, recognise, advance } = startCall({
      // The first write (the call's start) lands at once; the answer's write waits for the test.
      save: (record) => (Object.keys(record.answers).length === 0 ? Promise.resolve() : new Promise<void>((resolve) => (commit = resolve))),
    });
    advance(2 * PROMPT_MS + 1000); // greeting and Q1 heard: listening
    const before = plays(sent);
    recognise(final('نعم'));
    expect(saved.at(-1)?.answers['q1']).toMatchObject({ value: true });
    await jest.advanceTimersByTimeAsync(400);
    expect(plays(sent)).toBe(before); // Q2 is queued but silent: the answer is not stored yet
    commit();
    await jest.advanceTimersByTimeAsync(100);
    expect(plays(sent)).toBeGreaterThan(before);
    expect(await slowCommits(metrics)).toBe(0);
  });

  test('a store that does not answer holds the next question for 500 ms at most, and counts it', async () => {
    const { sent, metrics, recognise, advance } = startCall({
      save: (record) => (Object.keys(record.answers).length === 0 ? Promise.resolve() : new Promise<void>(() => undefined)),
    });
    advance(2 * PROMPT_MS + 1000);
    const before = plays(sent);
    recognise(final('نعم'));
    await jest.advanceTimersByTimeAsync(COMMIT_WAIT_MS - 20);
    expect(plays(sent)).toBe(before);
    await jest.advanceTimersByTimeAsync(100);
    expect(plays(sent)).toBeGreaterThan(before); // no dead air beyond the bound
    expect(await slowCommits(metrics)).toBe(1);
  });

  test('the timeline goes with the saves: prompts, the input, the answer, the end', async () => {
    const { saved, recognise, advance } = startCall();
    advance(2 * PROMPT_MS + 1000);
    recognise(final('نعم'));
    await jest.advanceTimersByTimeAsync(10);
    calls.pop()?.onStreamEnded();
    const events = saved.flatMap((record) => record.appendEvents ?? []).map((e) => [e.type, e.detail ?? {}]);
    expect(events).toEqual([
      ['started', { questionnaire: 'test', version: 1, speech: true }],
      ['prompt', { key: 'prompt:greeting' }],
      ['prompt', { key: 'item:q1' }],
      ['input', { method: 'voice', confidence: 0.95 }],
      ['answer', { item: 'q1', method: 'voice', attempts: 1 }],
      ['prompt', { key: 'item:q2' }],
      ['ended', { status: 'stopped' }],
    ]);
    // Nothing the caller said is in the timeline: answers hold that.
    expect(JSON.stringify(events)).not.toContain('نعم');
  });
});
