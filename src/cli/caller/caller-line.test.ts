import { type CallerAnswer, CallerLine, type CallerLineOptions, callerAnswers, FRAME, type LineEvent } from './caller-line';

function setup(options: Partial<CallerLineOptions> = {}) {
  const frames: Uint8Array[] = [];
  const digits: string[] = [];
  const marks: string[] = [];
  const events: LineEvent[] = [];
  let hangUps = 0;
  const line = new CallerLine(
    { answers: [], quietMs: 100, ...options },
    {
      sendFrame: (frame) => frames.push(frame.slice()),
      sendDigits: (d) => digits.push(d),
      echoMark: (name) => marks.push(name),
      hangUp: () => hangUps++,
      emit: (event) => events.push(event),
      t: () => 0,
    },
  );
  return { line, frames, digits, marks, events, hangUps: () => hangUps };
}

const types = (events: LineEvent[]) => events.map((e) => e.type);

beforeEach(() => jest.useFakeTimers({ doNotFake: [] }));
afterEach(() => jest.useRealTimers());

describe('CallerLine', () => {
  test('callerAnswers: answers win over dtmf, dtmf groups become key answers', () => {
    const say: CallerAnswer = { audio: new Uint8Array(8), label: 'x' };
    expect(callerAnswers({ answers: [say], dtmf: ['1'] })).toEqual([say]);
    expect(callerAnswers({ dtmf: ['12', '3'] })).toEqual([{ dtmf: '12' }, { dtmf: '3' }]);
    expect(callerAnswers({})).toEqual([]);
  });

  test('streams the caller audio, then silence, one frame per 20 ms', () => {
    const { line, frames } = setup({ audio: new Uint8Array(FRAME + 10).fill(7) });
    line.start();
    expect(frames).toHaveLength(1);
    jest.advanceTimersByTime(60);
    expect(frames).toHaveLength(4);
    expect(frames.every((f) => f.length === FRAME)).toBe(true);
    expect(frames[0]?.every((b) => b === 7)).toBe(true);
    expect(frames[1]?.subarray(0, 10).every((b) => b === 7)).toBe(true);
    expect(frames[1]?.subarray(10).every((b) => b === 0xff)).toBe(true);
    expect(frames[2]?.every((b) => b === 0xff)).toBe(true);
    line.stop();
    jest.advanceTimersByTime(100);
    expect(frames).toHaveLength(4);
  });

  test('echoes a mark once its audio has played, then presses keys after the quiet and times the reply', () => {
    const { line, digits, marks, events } = setup({ answers: [{ dtmf: '42' }] });
    line.onAudio(new Uint8Array(FRAME * 5)); // 100 ms
    line.onMark('m1');
    expect(events).toEqual([{ t: 0, type: 'prompt', frames: 5, durationMs: 100 }]);
    jest.advanceTimersByTime(99);
    expect(marks).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(marks).toEqual(['m1']);
    jest.advanceTimersByTime(99);
    expect(digits).toEqual([]);
    jest.advanceTimersByTime(2);
    expect(digits).toEqual(['42']);
    jest.advanceTimersByTime(250);
    line.onAudio(new Uint8Array(FRAME));
    expect(types(events)).toEqual(['prompt', 'dtmf', 'reply']);
    expect(line.replyLatenciesMs).toHaveLength(1);
    expect(line.replyLatenciesMs[0]).toBeGreaterThanOrEqual(250);
    expect(line.payloadSizes).toEqual([FRAME * 5, FRAME]);
    expect(line.heard()).toHaveLength(FRAME * 6);
  });

  test('new audio during the quiet holds the answer back', () => {
    const { line, digits } = setup({ answers: [{ dtmf: '1' }] });
    line.onMark('m1');
    jest.advanceTimersByTime(50);
    line.onAudio(new Uint8Array(FRAME));
    jest.advanceTimersByTime(500);
    expect(digits).toEqual([]);
  });

  test('speaks an answer into the line and times the reply from its last frame', () => {
    const speech = new Uint8Array(FRAME * 2).fill(9);
    const { line, frames, events } = setup({ answers: [{ audio: speech, label: 'yes' }] });
    line.start();
    line.onMark('m1');
    jest.advanceTimersByTime(100); // the mark comes back at once (nothing playing), then the quiet
    expect(events.at(-1)).toEqual({ t: 0, type: 'say', label: 'yes', durationMs: 40 });
    jest.advanceTimersByTime(60);
    const spoken = frames.filter((f) => f.every((b) => b === 9));
    expect(spoken).toHaveLength(2);
    expect(frames.at(-1)?.every((b) => b === 0xff)).toBe(true);
    line.onAudio(new Uint8Array(FRAME));
    expect(events.at(-1)?.type).toBe('reply');
    line.stop();
  });

  test('clear echoes pending marks at once; out of answers, it hangs up', () => {
    const s = setup();
    s.line.onAudio(new Uint8Array(FRAME * 50)); // 1 s
    s.line.onMark('a');
    s.line.onMark('b');
    s.line.onClear();
    expect(s.marks).toEqual(['a', 'b']);
    expect(types(s.events)).toEqual(['prompt', 'prompt', 'clear']);
    jest.advanceTimersByTime(101);
    expect(s.hangUps()).toBe(1);
  });

  test('end: marks are no longer taken and no answer is given, but pending echoes still come back', () => {
    const s = setup({ answers: [{ dtmf: '1' }] });
    s.line.onMark('a');
    s.line.end();
    s.line.onMark('b');
    jest.advanceTimersByTime(500);
    expect(s.marks).toEqual(['a']);
    expect(s.digits).toEqual([]);
    expect(s.hangUps()).toBe(0);
  });
});
