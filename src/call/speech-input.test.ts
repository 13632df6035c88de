import type { SttEvent } from '../speech/stt';
import { SpeechInput, type SpeechInputHooks, type SpeechInputOptions } from './speech-input';

function setup(options: Partial<SpeechInputOptions> = {}) {
  const log: string[] = [];
  const hooks: SpeechInputHooks = {
    utterance: (text, confidence) => log.push(`utterance:${text}@${confidence}`),
    speaking: () => log.push('speaking'),
    heard: () => log.push('heard'),
    quiet: () => log.push('quiet'),
    availability: (available, reason) => log.push(`available:${available}:${reason}`),
    finalLatency: (s) => log.push(`latency:${s.toFixed(2)}`),
  };
  const input = new SpeechInput(hooks, { bargeInMinMs: 300, bargeInMinWords: 2, noWordsMs: 3000, degradedAfterMs: 5000, ...options });
  created.push(input);
  const send = (e: SttEvent) => input.onEvent(e, 0);
  const frames = (n: number, amplitude: number) => {
    for (let i = 0; i < n; i++) input.onAudio(new Int16Array(320).fill(amplitude).map((v, k) => (k % 2 ? v : -v)));
  };
  return { log, input, send, frames };
}

const created: SpeechInput[] = [];
afterEach(() => {
  for (const input of created.splice(0)) input.close();
  jest.useRealTimers();
});

describe('turn taking', () => {
  test('finals are joined into one utterance at speech_final, with the lowest confidence', () => {
    const { log, send } = setup();
    send({ type: 'speech_started', atMs: 0 });
    send({ type: 'final', text: 'ثمانية و', confidence: 0.9, speechFinal: false, lastWordEndMs: null });
    send({ type: 'final', text: 'ثلاثين ونص', confidence: 0.7, speechFinal: true, lastWordEndMs: null });
    expect(log).toEqual(['speaking', 'utterance:ثمانية و ثلاثين ونص@0.7']);
  });

  test('UtteranceEnd delivers finals that never got speech_final', () => {
    const { log, send } = setup();
    send({ type: 'final', text: 'نعم', confidence: 0.95, speechFinal: false, lastWordEndMs: null });
    send({ type: 'utterance_end', lastWordEndMs: null });
    expect(log).toEqual(['speaking', 'utterance:نعم@0.95']);
  });

  test('speech that ends without words (a cough, line noise) is quiet, not an utterance', () => {
    const { log, send } = setup();
    send({ type: 'speech_started', atMs: 0 });
    send({ type: 'final', text: '', confidence: 0, speechFinal: true, lastWordEndMs: null });
    expect(log).toEqual(['quiet']);
  });

  test('final latency is audio elapsed since the last word ended, on the call clock', () => {
    const { log, send, frames } = setup();
    frames(100, 0); // 2 s of audio sent
    send({ type: 'final', text: 'لا', confidence: 1, speechFinal: true, lastWordEndMs: 1500 });
    expect(log[0]).toBe('latency:0.50');
  });
});

describe('barge-in', () => {
  test('SpeechStarted alone does not interrupt; one interim word holds the turn; bargeInMinWords words interrupt', () => {
    const { log, send } = setup({ bargeInMinWords: 2 });
    send({ type: 'speech_started', atMs: 0 });
    expect(log).toEqual([]);
    send({ type: 'interim', text: '', confidence: 0 });
    expect(log).toEqual([]);
    send({ type: 'interim', text: 'لا', confidence: 0.5 }); // a cough or echo often makes one word
    expect(log).toEqual(['heard']);
    send({ type: 'interim', text: 'لا ما', confidence: 0.5 });
    send({ type: 'interim', text: 'لا ما عندي', confidence: 0.5 });
    expect(log).toEqual(['heard', 'speaking']);
  });

  test('bargeInMinWords 1: the first interim word interrupts', () => {
    const { log, send } = setup({ bargeInMinWords: 1 });
    send({ type: 'interim', text: 'لا', confidence: 0.5 });
    expect(log).toEqual(['speaking']);
  });

  test('a one-word final is an answer: it takes the turn (stopping an interruptible prompt) and is delivered', () => {
    const { log, send } = setup({ bargeInMinWords: 3 });
    send({ type: 'speech_started', atMs: 0 });
    send({ type: 'interim', text: 'نعم', confidence: 0.6 });
    send({ type: 'final', text: 'نعم', confidence: 0.9, speechFinal: true, lastWordEndMs: null });
    expect(log).toEqual(['heard', 'speaking', 'utterance:نعم@0.9']);
  });

  test('one word and loud speech lasting bargeInMinMs interrupts (words or duration)', () => {
    const { log, send, frames } = setup({ bargeInMinMs: 300, bargeInMinWords: 2 });
    send({ type: 'speech_started', atMs: 0 });
    frames(5, 4000); // 100 ms
    send({ type: 'interim', text: 'لا', confidence: 0.5 });
    frames(10, 4000); // 300 ms
    expect(log).toEqual(['heard', 'speaking']);
  });

  test('loud speech lasting bargeInMinMs interrupts before any words', () => {
    const { log, send, frames } = setup({ bargeInMinMs: 300 });
    send({ type: 'speech_started', atMs: 0 });
    frames(14, 4000); // 280 ms
    expect(log).toEqual([]);
    frames(1, 4000); // 300 ms
    expect(log).toEqual(['speaking']);
  });

  test('loud bursts separated by silence do not add up to bargeInMinMs', () => {
    const { log, send, frames } = setup({ bargeInMinMs: 300 });
    send({ type: 'speech_started', atMs: 0 });
    for (let burst = 0; burst < 10; burst++) {
      frames(10, 4000); // 200 ms of a click or crackle
      frames(15, 0); // 300 ms of silence
    }
    expect(log).toEqual([]);
  });

  test('a short gap inside speech does not reset the count', () => {
    const { log, send, frames } = setup({ bargeInMinMs: 300 });
    send({ type: 'speech_started', atMs: 0 });
    frames(10, 4000);
    frames(5, 0); // 100 ms between syllables
    frames(5, 4000);
    expect(log).toEqual(['speaking']);
  });

  test('quiet line noise after SpeechStarted never interrupts', () => {
    const { log, send, frames } = setup({ bargeInMinMs: 300 });
    send({ type: 'speech_started', atMs: 0 });
    frames(100, 150); // 2 s of hiss
    expect(log).toEqual([]);
  });
});

describe('speech without words', () => {
  test('loud speech with no words within noWordsMs ends the turn as quiet', () => {
    jest.useFakeTimers();
    const { log, send, frames } = setup({ bargeInMinMs: 300, noWordsMs: 3000 });
    send({ type: 'speech_started', atMs: 0 });
    frames(15, 4000);
    expect(log).toEqual(['speaking']);
    jest.advanceTimersByTime(2999);
    expect(log).toEqual(['speaking']);
    jest.advanceTimersByTime(1);
    expect(log).toEqual(['speaking', 'quiet']);
  });

  test('words before the bound restart it: a final that follows within it is the answer', () => {
    jest.useFakeTimers();
    const { log, send, frames } = setup({ bargeInMinMs: 300, noWordsMs: 3000 });
    send({ type: 'speech_started', atMs: 0 });
    frames(15, 4000);
    jest.advanceTimersByTime(2000);
    send({ type: 'interim', text: 'سبعة', confidence: 0.5 });
    jest.advanceTimersByTime(2900);
    expect(log).toEqual(['speaking']);
    send({ type: 'final', text: 'سبعة وثلاثين', confidence: 0.8, speechFinal: true, lastWordEndMs: null });
    expect(log).toEqual(['speaking', 'utterance:سبعة وثلاثين@0.8']);
  });

  test('a SpeechStarted that no words follow lapses: later noise needs a new SpeechStarted to count', () => {
    jest.useFakeTimers();
    const { log, send, frames } = setup({ bargeInMinMs: 300, noWordsMs: 3000 });
    send({ type: 'speech_started', atMs: 0 });
    jest.advanceTimersByTime(3000);
    expect(log).toEqual([]); // it never held the turn, so nothing to resume
    frames(30, 4000);
    expect(log).toEqual([]);
    send({ type: 'speech_started', atMs: 4000 });
    frames(15, 4000);
    expect(log).toEqual(['speaking']);
  });
});

describe('recognition outages', () => {
  test('down past the budget switches to the keypad; back switches to voice', () => {
    jest.useFakeTimers();
    const { log, send, input } = setup({ degradedAfterMs: 5000 });
    send({ type: 'status', available: false, reason: 'connection lost' });
    jest.advanceTimersByTime(4999);
    expect(log).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(log).toEqual(['available:false:connection lost']);
    expect(input.available).toBe(false);
    send({ type: 'status', available: true, reason: 'reconnected' });
    expect(log).toEqual(['available:false:connection lost', 'available:true:reconnected']);
  });

  test('a short blip changes nothing for the caller', () => {
    jest.useFakeTimers();
    const { log, send } = setup({ degradedAfterMs: 5000 });
    send({ type: 'status', available: false, reason: 'connection lost' });
    jest.advanceTimersByTime(1200);
    send({ type: 'status', available: true, reason: 'reconnected' });
    jest.advanceTimersByTime(10_000);
    expect(log).toEqual([]);
  });

  test('a rejected key switches to the keypad at once and for good', () => {
    jest.useFakeTimers();
    const { log, send } = setup();
    send({ type: 'error', code: 'unauthorized', message: 'DEEPGRAM_API_KEY rejected', retryable: false });
    send({ type: 'status', available: true, reason: 'reconnected' });
    expect(log).toEqual(['available:false:unauthorized: DEEPGRAM_API_KEY rejected']);
  });
});

describe('a turn whose recognition goes quiet still ends', () => {
  test('one word heard, then the stream drops and comes back: the turn ends as silence after noWordsMs', () => {
    jest.useFakeTimers();
    const { log, send } = setup();
    send({ type: 'speech_started', atMs: 0 });
    send({ type: 'interim', text: 'نعم', confidence: 0.9 });
    send({ type: 'status', available: false, reason: 'dropped' });
    send({ type: 'status', available: true, reason: 'reconnected' });
    jest.advanceTimersByTime(2999);
    expect(log).toEqual(['heard']);
    jest.advanceTimersByTime(1);
    expect(log).toEqual(['heard', 'quiet']);
  });

  test('finals that never get speech_final or UtteranceEnd are delivered as the answer after noWordsMs', () => {
    jest.useFakeTimers();
    const { log, send } = setup();
    send({ type: 'final', text: 'سبعة', confidence: 0.8, speechFinal: false, lastWordEndMs: null });
    jest.advanceTimersByTime(3000);
    expect(log).toEqual(['speaking', 'utterance:سبعة@0.8']);
  });

  test('words keep the turn open while they keep coming', () => {
    jest.useFakeTimers();
    const { log, send } = setup();
    send({ type: 'speech_started', atMs: 0 });
    for (let i = 0; i < 5; i++) {
      jest.advanceTimersByTime(2000);
      send({ type: 'interim', text: 'نعم', confidence: 0.9 });
    }
    expect(log).toEqual(['heard']);
  });
});
