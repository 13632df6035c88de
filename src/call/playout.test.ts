import { FRAME_BYTES, Playout, type PlayoutSink, wholeFrames } from './playout';
import { PlayoutClock } from './playout-clock';
import * as jsonFields from '../telephony/json-fields';

/** A sink that records what was sent and when (the test drives time by calling pump). */
class Recorder implements PlayoutSink {
  readonly sent: Array<{ at: number; kind: 'frame' | 'mark' | 'clear'; detail: string | number }> = [];
  now = 0;
  sendFrame(frame: Uint8Array) {
    this.sent.push({ at: this.now, kind: 'frame', detail: frame[0] ?? -1 });
  }
  sendMark(name: string) {
    this.sent.push({ at: this.now, kind: 'mark', detail: name });
  }
  sendClear() {
    this.sent.push({ at: this.now, kind: 'clear', detail: '' });
  }
  frames(): number {
    return this.sent.filter((s) => s.kind === 'frame').length;
  }
}

/** Frames whose first byte tells them apart: segment `id`, frame k → byte id*10+k (k < 10). */
function audio(id: number, frames: number): Uint8Array {
  const a = new Uint8Array(frames * FRAME_BYTES);
  for (let k = 0; k < frames; k++) a[k * FRAME_BYTES] = id * 10 + k;
  return a;
}

function setup(leadMs = 80) {
  const sink = new Recorder();
  const clock = new PlayoutClock(5, () => sink.now);
  const lateness: number[] = [];
  const playout = new Playout(sink, clock, { leadMs, onLateness: (s) => lateness.push(s), markGraceMs: 1000 });
  const at = (ms: number) => {
    sink.now = ms;
    playout.pump(ms);
  };
  return { sink, playout, clock, lateness, at };
}

afterEach(() => jest.useRealTimers());

describe('paced playout', () => {
  test('sends the lead at once, then one frame per 20 ms, then a mark', () => {
    const { sink, playout, at, clock } = setup(80);
    playout.enqueue(audio(1, 8));
    at(0);
    expect(sink.frames()).toBe(5); // frames playing at 0, 20, 40, 60, 80 ms: 80 ms queued ahead
    at(19);
    expect(sink.frames()).toBe(5);
    at(20);
    expect(sink.frames()).toBe(6);
    at(60);
    expect(sink.frames()).toBe(8);
    expect(sink.sent.at(-1)).toEqual({ at: 60, kind: 'mark', detail: 'seg-1' });
    expect(sink.sent.filter((s) => s.kind === 'frame').map((s) => s.detail)).toEqual([10, 11, 12, 13, 14, 15, 16, 17]);
    clock.stop();
  });

  test('40 ms frames: each message carries two 20 ms frames, bit-exact and paced 40 ms apart; an odd last frame goes alone', () => {
    const sink = new Recorder();
    const clock = new PlayoutClock(5, () => sink.now);
    const bytes: Uint8Array[] = [];
    const sent: number[] = [];
    const playout = new Playout(
      {
        sendFrame: (frame) => {
          bytes.push(frame.slice());
          sent.push(sink.now);
        },
        sendMark: (name) => sink.sendMark(name),
        sendClear: () => sink.sendClear(),
      },
      clock,
      { leadMs: 80, frameMs: 40, markGraceMs: 1000 },
    );
    const first = audio(1, 5); // 100 ms: 40 + 40 + 20
    const second = audio(2, 4); // 80 ms: 40 + 40
    playout.enqueue(first);
    playout.enqueue(second);
    for (let ms = 0; ms <= 200; ms += 5) {
      sink.now = ms;
      playout.pump(ms);
    }
    expect(bytes.map((b) => b.length)).toEqual([320, 320, 160, 320, 320]);
    const joined = new Uint8Array(bytes.reduce((n, b) => n + b.length, 0));
    let at = 0;
    for (const b of bytes) {
      joined.set(b, at);
      at += b.length;
    }
    const expected = new Uint8Array(first.length + second.length);
    expected.set(first);
    expected.set(second, first.length);
    expect(joined).toEqual(expected);
    // Playing at 0, 40, 80 (20 ms), 100, 140 ms, each sent 80 ms ahead: the short frame moves the timeline by 20 ms, not 40.
    expect(sent).toEqual([0, 0, 0, 20, 60]);
    expect(sink.sent.map((s) => s.detail)).toEqual(['seg-1', 'seg-2']);
    clock.stop();
  });

  test('each frame goes with its base64, made once for every call playing the same prompt', () => {
    const encode = jest.spyOn(jsonFields, 'base64Of');
    const prompt = audio(3, 6).map((b, i) => (b === 0 ? i % 251 : b));
    const clock = new PlayoutClock(5, () => 0);
    const heard: Array<Array<{ frame: Uint8Array; payload: string }>> = [[], []];
    const calls = heard.map(
      (into) =>
        new Playout(
          { sendFrame: (frame, payload) => into.push({ frame: frame.slice(), payload }), sendMark: () => undefined, sendClear: () => undefined },
          clock,
          { leadMs: 200, frameMs: 40 },
        ),
    );
    for (const call of calls) {
      call.enqueue(prompt);
      call.pump(0);
    }
    for (const sent of heard) {
      expect(sent).toHaveLength(3);
      for (const { frame, payload } of sent) expect(new Uint8Array(Buffer.from(payload, 'base64'))).toEqual(frame);
    }
    expect(encode).toHaveBeenCalledTimes(3); // not 6
    encode.mockRestore();
    clock.stop();
  });

  test('a frame size that is not whole 20 ms frames is refused', () => {
    const clock = new PlayoutClock(5, () => 0);
    expect(() => new Playout(new Recorder(), clock, { leadMs: 80, frameMs: 30 })).toThrow('frameMs must be a whole number of 20 ms frames (got 30)');
    clock.stop();
  });

  test('never has more than the lead queued ahead of real time', () => {
    const { sink, playout, at, clock } = setup(100);
    playout.enqueue(audio(1, 9));
    playout.enqueue(audio(2, 9));
    for (let ms = 0; ms <= 400; ms += 5) {
      at(ms);
      const playedMs = ms; // audio started playing at 0
      const sentMs = sink.frames() * 20;
      expect(sentMs - playedMs).toBeLessThanOrEqual(100 + 20);
    }
    expect(sink.frames()).toBe(18);
    clock.stop();
  });

  test('consecutive prompts play back to back, each followed by its mark', () => {
    const { sink, playout, at, clock } = setup(40);
    playout.enqueue(audio(1, 2));
    playout.enqueue(audio(2, 2));
    at(0);
    at(20);
    expect(sink.sent.map((s) => s.detail)).toEqual([10, 11, 'seg-1', 20, 21, 'seg-2']);
    clock.stop();
  });

  test('lateness is measured against the schedule', () => {
    const { playout, at, lateness, clock } = setup(0);
    playout.enqueue(audio(1, 3));
    at(0);
    at(27); // frame 1 was due at 20
    at(40);
    expect(lateness.map((s) => Math.round(s * 1000))).toEqual([0, 7, 0]);
    clock.stop();
  });

  test('after a stall it restarts from now instead of bursting every overdue frame', () => {
    const { sink, playout, at, lateness, clock } = setup(40);
    playout.enqueue(audio(1, 9));
    playout.enqueue(audio(2, 9));
    at(0);
    expect(sink.frames()).toBe(3);
    at(500); // the event loop was stuck for half a second
    // Not 25 frames at once: the late frame, then the lead refilled (40 ms = 2 frames).
    expect(sink.frames()).toBe(6);
    expect(Math.round(lateness.at(-3)! * 1000)).toBe(480);
    at(520);
    expect(sink.frames()).toBe(7);
    clock.stop();
  });

  test('a frame due within earlyMs goes now rather than a tick late', () => {
    const sink = new Recorder();
    const clock = new PlayoutClock(5, () => sink.now);
    const playout = new Playout(sink, clock, { leadMs: 0, earlyMs: 2.5 });
    playout.enqueue(audio(1, 3));
    playout.pump(0);
    sink.now = 18;
    playout.pump(18);
    expect(sink.frames()).toBe(2);
    clock.stop();
  });

  test('on the shared clock, a playing call is pumped only when a frame is due; a clear and a new prompt wake it at once', () => {
    jest.useFakeTimers({ now: 0 });
    const sent: Array<[number, string | number]> = [];
    const sink: PlayoutSink = {
      sendFrame: (frame) => sent.push([Date.now(), frame[0] ?? -1]),
      sendMark: (name) => sent.push([Date.now(), name]),
      sendClear: () => sent.push([Date.now(), 'clear']),
    };
    const clock = new PlayoutClock(5, () => Date.now());
    const playout = new Playout(sink, clock, { leadMs: 80, frameMs: 40, earlyMs: 2.5, markGraceMs: 1000 });
    const pumps: number[] = [];
    const pump = playout.pump.bind(playout);
    playout.pump = (now: number) => {
      pumps.push(now);
      pump(now);
    };
    playout.enqueue(audio(1, 8)); // 160 ms: four 40 ms messages
    jest.advanceTimersByTime(100);
    // The lead at the first tick, then one message per 40 ms, each at the first tick at or after its time less earlyMs.
    expect(sent).toEqual([[5, 10], [5, 12], [5, 14], [45, 16], [45, 'seg-1']]);
    // Pumped at 5 and 45, then every tick while the mark is out (a mark that never comes back is timed out by the pump).
    expect(pumps.filter((t) => t <= 45)).toEqual([5, 45]);
    playout.onMark('seg-1');
    jest.advanceTimersByTime(20); // drained: off the clock
    expect(clock.size).toBe(0);

    // A long prompt, waiting for its next frame's time when the caller barges in: cleared, and the
    // next prompt goes at the next tick, not at the time the cleared one was waiting for.
    sent.length = 0;
    playout.enqueue(audio(2, 20));
    jest.advanceTimersByTime(10);
    expect(playout.wakeAtMs).toBeGreaterThan(Date.now() + 20);
    playout.clear();
    playout.enqueue(audio(3, 2));
    const cleared = Date.now();
    jest.advanceTimersByTime(10);
    expect(sent.filter(([, what]) => what === 30)).toEqual([[cleared + 5 - (cleared % 5), 30]]);
    clock.stop();
  });

  test('whenDrained waits for every mark to come back', () => {
    const { playout, at, clock } = setup();
    const drained = jest.fn();
    playout.enqueue(audio(1, 1));
    playout.enqueue(audio(2, 1));
    playout.whenDrained(drained);
    at(0);
    playout.onMark('seg-1');
    expect(drained).not.toHaveBeenCalled();
    playout.onMark('seg-2');
    expect(drained).toHaveBeenCalledTimes(1);
    const immediately = jest.fn();
    playout.whenDrained(immediately);
    expect(immediately).toHaveBeenCalledTimes(1);
    clock.stop();
  });

  test('clear drops what is unsent, tells the provider, and counts as drained', () => {
    const { sink, playout, at, clock } = setup(40);
    const drained = jest.fn();
    playout.enqueue(audio(1, 10));
    playout.whenDrained(drained);
    at(0);
    playout.clear();
    expect(sink.sent.at(-1)?.kind).toBe('clear');
    expect(drained).toHaveBeenCalledTimes(1);
    at(200);
    expect(sink.frames()).toBe(3);
    playout.onMark('seg-1'); // the late echo of a cleared mark changes nothing
    clock.stop();
  });

  test('a segment still being synthesized holds its place in line', async () => {
    const { sink, playout, at, clock } = setup(40);
    let resolve: (a: Uint8Array) => void = () => undefined;
    playout.enqueue(audio(1, 1));
    playout.enqueue(new Promise<Uint8Array>((r) => (resolve = r)));
    playout.enqueue(audio(3, 1));
    at(0);
    expect(sink.sent.map((s) => s.detail)).toEqual([10, 'seg-1']);
    resolve(audio(2, 1));
    await Promise.resolve();
    at(100);
    expect(sink.sent.map((s) => s.detail)).toEqual([10, 'seg-1', 20, 'seg-2', 30, 'seg-3']);
    clock.stop();
  });

  test('a provider that never echoes marks does not leave the call waiting forever', () => {
    const { playout, at, clock } = setup(0);
    const drained = jest.fn();
    playout.enqueue(audio(1, 2));
    playout.whenDrained(drained);
    at(0);
    at(20);
    at(900);
    expect(drained).not.toHaveBeenCalled();
    at(1100);
    expect(drained).toHaveBeenCalledTimes(1);
    clock.stop();
  });

  test('wholeFrames pads with mu-law silence only when needed', () => {
    const exact = new Uint8Array(320);
    expect(wholeFrames(exact)).toBe(exact);
    const padded = wholeFrames(new Uint8Array(161).fill(1));
    expect(padded.length).toBe(320);
    expect(padded[160]).toBe(1);
    expect([...padded.subarray(161)].every((b) => b === 0xff)).toBe(true);
  });
});
