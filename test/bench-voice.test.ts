import { runVoiceLoad, type VoiceLoadResult } from '../bench/voice-load';
import { formatFloor, runVoiceFloor } from '../bench/voice-floor';
import { formatVoice, formatVoiceTable, type VoiceFigures, voiceFigures } from '../bench/voice-report';

/**
 * The voice benchmark end to end at a tiny size: three speaking calls for 3 s against the real
 * bridge (own process) and the Deepgram stand-in (own process). Its figures must be there and
 * sane; their size is the benchmark's business, not this test's.
 */
let result: VoiceLoadResult;
let figures: VoiceFigures;

beforeAll(async () => {
  result = await runVoiceLoad({ calls: 3, seconds: 3, rampMs: 300, promptMs: 3000, interimMs: 200, questionnaire: 'post-discharge', databaseUrl: null, profileDir: null, log: () => undefined });
  figures = voiceFigures(result);
}, 90_000);

test('every call opened, heard the bridge and streamed to recognition, with no errors', () => {
  expect(figures.callsOpened).toBe(3);
  expect(figures.callsAnswered).toBe(3);
  expect(figures.errors).toEqual({});
  expect(result.recognition.connectionsTotal).toBe(3);
  expect(result.recognition.audioBytes).toBeGreaterThan(0);
  // 3 calls × 50 frames/s × 3 s, each 20 ms of 16 kHz linear16 (640 bytes): about 288 kB.
  expect(result.recognition.audioBytes).toBeGreaterThan(0.8 * 3 * 3 * 50 * 640);
});

test('CPU, playout, event loop, inbound frame and traffic figures are finite and positive', () => {
  for (const name of ['cpuMsPerCallSecond', 'callsPerCore', 'playoutLatenessP99Ms', 'eventLoopDelayP99Ms', 'inboundFrameMeanUs', 'recognitionBytesPerSecond', 'recognitionMessagesPerSecond'] as const) {
    expect({ name, value: Number.isFinite(figures[name]) && figures[name] > 0 }).toEqual({ name, value: true });
  }
  expect(Number.isFinite(figures.playoutLatenessP50Ms)).toBe(true);
});

test('utterance ends were timed at the stand-in: latencies present, none missing, below a second', () => {
  // Each call's line has an utterance end within its first ~3 s, wherever it enters the loop.
  expect(figures.recognitionLatencyCount).toBeGreaterThan(0);
  expect(figures.recognitionLatencyMissing).toBe(0);
  expect(Number.isFinite(figures.recognitionLatencyP50Ms)).toBe(true);
  expect(Number.isFinite(figures.recognitionLatencyP99Ms)).toBe(true);
  // The audio Deepgram needs to end each utterance (endpointing's silence after it) arrives, and is not held back long by batching.
  expect(Number.isFinite(figures.endpointLatencyP50Ms)).toBe(true);
  expect(figures.endpointLatencyP99Ms).toBeLessThan(1000);
  for (const ms of result.utteranceLatency.samplesMs) expect(ms).toBeGreaterThanOrEqual(-1);
  expect(figures.recognitionLatencyMaxMs).toBeLessThan(1000);
});

test('the report and the table print every figure', () => {
  const text = `${formatVoice(result, figures)}\n${formatVoiceTable([{ result, figures }])}`;
  expect(text).toContain('calls per core implied');
  expect(text).toContain('recognition audio latency p50 / p99');
  expect(text).toMatch(/× \d+ cores/);
  expect(text).not.toContain('NaN');
  // The stand-in answers at the cadence it was given: interims while the callers speak, counted in the window.
  expect(result.recognition.interimsSent).toBeGreaterThan(0);
  expect(text).toContain(`and ${result.recognition.interimsSent} interims (one per 200 ms of speech) sent`);
});

// reason: the main thread's CPU ticks and the syscall counts are read from Linux's /proc
const withProc = process.platform === 'linux' ? test : test.skip; // reason: needs Linux's /proc
withProc("the bridge's main thread share and its system calls are measured", () => {
  expect(figures.mainThreadMsPerCallSecond).toBeGreaterThan(0);
  expect(figures.mainThreadMsPerCallSecond).toBeLessThanOrEqual(figures.cpuMsPerCallSecond);
  // Each caller sends 50 media messages a second; at 3 calls almost every one is its own read.
  expect(figures.readSyscallsPerCallSecond).toBeGreaterThan(30);
  // Prompt audio to the caller and audio to recognition.
  expect(figures.writeSyscallsPerCallSecond).toBeGreaterThan(5);
  expect(formatVoice(result, figures)).toContain('of it, main thread; system calls');
});

test('the floor server carries the same calls: every caller heard it, recognition got 16 kHz audio in 200 ms messages', async () => {
  const floor = await runVoiceFloor({ calls: 3, seconds: 3, rampMs: 300, interimMs: 200, log: () => undefined });
  expect(floor.callsAnswered).toBe(3);
  // 32 kB of 16-bit 16 kHz audio a second per call, in 5 messages (a little under while the window cuts one).
  expect(floor.recognitionBytesPerCallSecond).toBeGreaterThan(0.8 * 32_000);
  expect(floor.recognitionBytesPerCallSecond).toBeLessThan(1.2 * 32_000);
  expect(floor.recognitionMessagesPerCallSecond).toBeGreaterThan(4);
  expect(floor.recognitionMessagesPerCallSecond).toBeLessThan(6);
  expect(floor.cpuMsPerCallSecond).toBeGreaterThan(0);
  expect(formatFloor(floor)).toContain('floor CPU');
  expect(formatVoiceTable([{ result, figures, floor }])).toContain('floor ms/call-s');
}, 60_000);
