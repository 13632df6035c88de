/**
 * The voice scenario: N concurrent calls whose callers speak, the real bridge in its own process
 * with speech recognition on, and the Deepgram stand-in in a third process. The bridge measures
 * itself (CPU, event loop, playout), the stand-in measures what reached recognition and when.
 * Every child is stopped on every way out.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { STREAM_PATH } from '../src/telephony/twilio/webhook';
import { loadCallerSpeech } from './caller-speech';
import type { ClosedReport, WindowReport } from './ipc';
import { measureWindow, scrape, sleep, startBridgeProcess } from './load';
import { diffHistogram, type HistogramSnapshot, readByLabel, readHistogram } from './prometheus';
import type { StandInWindow } from './stand-in-ipc';
import { StandInProcess } from './stand-in-process';
import { callerTape, VoiceFleet, type VoiceFleetStats } from './voice-client';

export interface VoiceLoadOptions {
  calls: number;
  seconds: number;
  rampMs: number;
  promptMs: number;
  /** Speech between the stand-in's interim results. */
  interimMs: number;
  questionnaire: string;
  databaseUrl: string | null;
  profileDir: string | null;
  log: (line: string) => void;
  /** Where the synthesised caller speech is cached (default: the system temp folder). */
  speechCacheDir?: string;
}

export interface VoiceLoadResult {
  calls: number;
  windowSeconds: number;
  promptMs: number;
  interimMs: number;
  bridge: WindowReport;
  idle: WindowReport;
  closed: ClosedReport | null;
  histograms: { playoutLateness: HistogramSnapshot; inboundFrame: HistogramSnapshot; replyLatencyVoice: HistogramSnapshot; sttFinalLatency: HistogramSnapshot };
  /** What the stand-in received from the bridge in the window. */
  recognition: StandInWindow;
  /** End of each utterance the caller finished in the window → the stand-in received its last audio. */
  utteranceLatency: { samplesMs: number[]; endpointMs: number[]; missing: number; clockOffsetMs: number; clockUncertaintyMs: number };
  sttReconnects: Record<string, number>;
  sttDroppedAudioSeconds: number;
  rejected: Record<string, number>;
  callsEnded: Record<string, number>;
  fleet: Omit<VoiceFleetStats, 'utteranceEnds'> & { utterancesEnded: number };
  tape: { seconds: number; speechSeconds: number; utterances: number; synthesised: boolean; cacheFile: string };
  generator: { cpuMs: number; eventLoopDelayP99Ms: number };
  machine: { cores: number; cpuModel: string; busyMs: number; otherMs: number; loadAverage1m: number };
}

function windowHistograms(start: string, end: string): VoiceLoadResult['histograms'] {
  const diff = (name: string, labels: Record<string, string> = {}) => diffHistogram(readHistogram(end, name, labels), readHistogram(start, name, labels));
  return {
    playoutLateness: diff('bridge_playout_lateness_seconds'),
    inboundFrame: diff('bridge_inbound_frame_seconds'),
    replyLatencyVoice: diff('bridge_reply_latency_seconds', { input: 'voice' }),
    sttFinalLatency: diff('bridge_stt_final_latency_seconds'),
  };
}

const sumOf = (record: Record<string, number>): number => Object.values(record).reduce((a, b) => a + b, 0);

export async function runVoiceLoad(options: VoiceLoadOptions): Promise<VoiceLoadResult> {
  const speech = await loadCallerSpeech(options.speechCacheDir);
  options.log(`voice: caller speech ${speech.synthesised ? 'synthesised with espeak and cached in' : 'read from'} ${speech.cacheFile}`);
  const tape = callerTape(speech.utterances);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bridge-bench-'));
  const standIn = StandInProcess.start(options.log, options.interimMs);
  let bridge: ReturnType<typeof startBridgeProcess> | null = null;
  const killChildren = () => {
    if (standIn.running) standIn.child.kill('SIGTERM');
    if (bridge?.running) bridge.child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  };
  const interrupted = () => {
    options.log('voice: interrupted; stopping the bridge and the stand-in');
    void Promise.all([bridge?.stop(2000), standIn.stop(2000)]).finally(() => process.exit(130));
  };
  process.once('exit', killChildren);
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  let fleet: VoiceFleet | null = null;
  try {
    const deepgram = await standIn.next('ready', 60_000);
    bridge = startBridgeProcess(options, dataDir, 'bench', ['--deepgram-url', deepgram.url, '--deepgram-key', deepgram.apiKey]);
    const { port } = await bridge.next('ready', 60_000);
    const base = `http://127.0.0.1:${port}`;
    await scrape(base);
    bridge.send({ type: 'window-start' });
    await sleep(2000);
    const idle = await askWindow(bridge);

    fleet = new VoiceFleet({ url: `ws://127.0.0.1:${port}${STREAM_PATH}`, calls: options.calls, rampMs: options.rampMs, questionnaire: options.questionnaire, tape });
    options.log(`voice: opening ${options.calls} speaking calls over ${options.rampMs} ms`);
    fleet.start();
    await fleet.ramped(options.rampMs + 15_000);
    await sleep(1000);

    const first = await scrape(base);
    bridge.send({ type: 'window-start' });
    standIn.send({ type: 'window-start' });
    fleet.resetWindow();
    const { generatorEld, cpu, busyMs, loadAverage1m } = await measureWindow(options.seconds, options.log, 'voice');
    const [window, recognition] = await Promise.all([askWindow(bridge), standIn.ask({ type: 'window-end' }, 'window')]);
    const { utteranceEnds, ...fleetStats } = fleet.snapshot();
    const last = await scrape(base);

    // The last utterances of the window reach the stand-in a moment later.
    await sleep(500);
    const clock = await standIn.clockOffset();
    const latency = await standIn.ask({ type: 'latency', utterances: utteranceEnds }, 'latency');
    const samplesMs = latency.latenciesEpochMs.map(([arrival, sent]) => arrival - clock.offsetMs - sent);
    const endpointMs = latency.endpointLatenciesEpochMs.map(([arrival, sent]) => arrival - clock.offsetMs - sent);

    options.log('voice: hanging up');
    await fleet.stop();
    await sleep(300);
    const final = await scrape(base);
    const closedReport = bridge.next('closed', 15_000).catch(() => null);
    bridge.send({ type: 'shutdown' });
    const closed = await closedReport;
    await within(bridge.exited, 5000);
    const generatorCpuMs = (cpu.user + cpu.system) / 1000;
    return {
      calls: options.calls,
      windowSeconds: options.seconds,
      promptMs: options.promptMs,
      interimMs: options.interimMs,
      bridge: window,
      idle,
      closed,
      histograms: windowHistograms(first, last),
      recognition,
      utteranceLatency: { samplesMs, endpointMs, missing: latency.missing, clockOffsetMs: clock.offsetMs, clockUncertaintyMs: clock.uncertaintyMs },
      sttReconnects: readByLabel(final, 'bridge_stt_reconnects_total', 'outcome'),
      sttDroppedAudioSeconds: sumOf(readByLabel(final, 'bridge_stt_dropped_audio_seconds_total')),
      rejected: readByLabel(final, 'bridge_ws_messages_rejected_total', 'reason'),
      callsEnded: readByLabel(final, 'bridge_calls_total', 'status'),
      fleet: { ...fleetStats, utterancesEnded: utteranceEnds.length },
      tape: { seconds: tape.payloads.length / 50, speechSeconds: tape.speechFrames / 50, utterances: speech.utterances.length, synthesised: speech.synthesised, cacheFile: speech.cacheFile },
      generator: { cpuMs: generatorCpuMs, eventLoopDelayP99Ms: Math.max(0, generatorEld.percentile(99) / 1e6 - 1) },
      machine: {
        cores: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        busyMs,
        otherMs: busyMs - generatorCpuMs - window.cpuUserMs - window.cpuSystemMs - recognition.cpuMs,
        loadAverage1m,
      },
    };
  } finally {
    if (fleet) await fleet.stop(1000).catch(() => undefined);
    await bridge?.stop(5000);
    await standIn.stop(3000);
    rmSync(dataDir, { recursive: true, force: true });
    process.removeListener('exit', killChildren);
    process.removeListener('SIGINT', interrupted);
    process.removeListener('SIGTERM', interrupted);
  }
}

/** `promise`, or nothing after `ms`; the timer is cleared either way (no handle left behind). */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

function askWindow(bridge: ReturnType<typeof startBridgeProcess>): Promise<WindowReport> {
  const report = bridge.next('window', 30_000);
  bridge.send({ type: 'window-end' });
  return report;
}
