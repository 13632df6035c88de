/**
 * `npm run bench -- --voice-floor [--calls N | --voice-steps ...]`: the voice scenario's callers
 * and Deepgram stand-in against bench/floor-server.ts instead of the bridge, so that the bridge's
 * CPU per call-second can be read against the socket work alone, measured the same way.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { loadCallerSpeech } from './caller-speech';
import { BridgeProcess, measureWindow, sleep } from './load';
import { StandInProcess } from './stand-in-process';
import { fixed } from './stats';
import { callerTape, VoiceFleet } from './voice-client';

export interface FloorResult {
  calls: number;
  seconds: number;
  cpuMsPerCallSecond: number;
  mainThreadMsPerCallSecond: number;
  readSyscallsPerCallSecond: number;
  writeSyscallsPerCallSecond: number;
  /** Other processes' CPU in the window (callers and stand-in excluded), % of one core. */
  otherPercent: number;
  /** Calls that heard the server and sent their line; audio messages the stand-in received per call-second. */
  callsAnswered: number;
  recognitionMessagesPerCallSecond: number;
  recognitionBytesPerCallSecond: number;
}

export async function runVoiceFloor(options: { calls: number; seconds: number; rampMs: number; interimMs: number; log: (line: string) => void; speechCacheDir?: string }): Promise<FloorResult> {
  const speech = await loadCallerSpeech(options.speechCacheDir);
  const tape = callerTape(speech.utterances);
  const standIn = StandInProcess.start(options.log, options.interimMs);
  let server: BridgeProcess | null = null;
  let fleet: VoiceFleet | null = null;
  try {
    const deepgram = await standIn.next('ready', 60_000);
    server = new BridgeProcess(
      fork(path.join(__dirname, 'floor-server.ts'), ['--deepgram-url', deepgram.url, '--deepgram-key', deepgram.apiKey, '--lifetime-ms', String((options.seconds + 120) * 1000)], {
        execArgv: ['--import', 'tsx'],
        cwd: path.resolve(__dirname, '..'),
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
    const { port } = await server.next('ready', 60_000);
    fleet = new VoiceFleet({ url: `ws://127.0.0.1:${port}/ws/telephony`, calls: options.calls, rampMs: options.rampMs, questionnaire: 'floor', tape });
    options.log(`voice floor: opening ${options.calls} speaking calls over ${options.rampMs} ms`);
    fleet.start();
    await fleet.ramped(options.rampMs + 15_000);
    await sleep(1000);
    const report = server.next('floor-window', 30_000);
    server.send({ type: 'window-start' });
    standIn.send({ type: 'window-start' });
    const { cpu, busyMs } = await measureWindow(options.seconds, options.log, 'voice floor');
    server.send({ type: 'window-end' });
    const [window, recognition] = await Promise.all([report, standIn.ask({ type: 'window-end' }, 'window')]);
    const active = (window.activeCalls.start + window.activeCalls.end) / 2;
    const callSeconds = active * (window.wallMs / 1000);
    const cpuMs = window.cpuUserMs + window.cpuSystemMs;
    const otherMs = busyMs - (cpu.user + cpu.system) / 1000 - cpuMs - recognition.cpuMs;
    return {
      calls: options.calls,
      seconds: window.wallMs / 1000,
      cpuMsPerCallSecond: cpuMs / callSeconds,
      mainThreadMsPerCallSecond: window.os ? (window.os.mainThreadShare * cpuMs) / callSeconds : Number.NaN,
      readSyscallsPerCallSecond: window.os ? window.os.readSyscalls / callSeconds : Number.NaN,
      writeSyscallsPerCallSecond: window.os ? window.os.writeSyscalls / callSeconds : Number.NaN,
      otherPercent: (Math.max(0, otherMs) / window.wallMs) * 100,
      callsAnswered: fleet.snapshot().answered,
      recognitionMessagesPerCallSecond: recognition.audioMessages / (active * (recognition.wallMs / 1000)),
      recognitionBytesPerCallSecond: recognition.audioBytes / (active * (recognition.wallMs / 1000)),
    };
  } finally {
    if (fleet) await fleet.stop(1000).catch(() => undefined);
    await server?.stop(3000);
    await standIn.stop(3000);
  }
}

export function formatFloor(r: FloorResult): string {
  return [
    `(v0) Voice floor: ${r.calls} speaking calls against a server doing only the unavoidable socket work (bench/floor-server.ts), ${fixed(r.seconds, 0)} s`,
    `  floor CPU                                   ${fixed(r.cpuMsPerCallSecond, 3)} ms per call per second of call (all threads; main thread ${fixed(r.mainThreadMsPerCallSecond, 3)} ms)`,
    `  system calls                                ${fixed(r.readSyscallsPerCallSecond, 1)} reads + ${fixed(r.writeSyscallsPerCallSecond, 1)} writes per call-second`,
    `  sent to recognition, per call               ${fixed(r.recognitionBytesPerCallSecond / 1000, 2)} kB/s, ${fixed(r.recognitionMessagesPerCallSecond, 1)} messages/s`,
    `  other processes in the window               ${fixed(r.otherPercent, 0)}% of one core`,
  ].join('\n');
}
