/** The voice scenario's figures, its per-run block and the table over several sizes. */
import { cpus } from 'node:os';
import { DEFAULT_DEEPGRAM_OPTIONS } from '../src/speech/deepgram/deepgram-options';
import { type Estimate, histogramQuantile } from './prometheus';
import { fixed, percentile } from './stats';
import type { FloorResult } from './voice-floor';
import type { VoiceLoadResult } from './voice-load';

/** Milliseconds unless named otherwise. */
export interface VoiceFigures {
  calls: number;
  callsOpened: number;
  callsAnswered: number;
  /** Bridge CPU (user + system, every thread) per call per second of call. */
  cpuMsPerCallSecond: number;
  /** The same above the idle bridge's CPU. */
  cpuMarginalMsPerCallSecond: number;
  /** 1000 / cpuMsPerCallSecond: calls one core would carry at this cost. */
  callsPerCore: number;
  cpuCoreShare: number;
  idleCoreShare: number;
  playoutLatenessP50Ms: number;
  playoutLatenessP99Ms: number;
  playoutLatenessP99Above: boolean;
  trueLatenessP99Ms: number;
  eventLoopDelayP99Ms: number;
  /** The bridge's own bridge_inbound_frame_seconds: parse, decode, resample, hand-off, per media message. */
  inboundFrameMeanUs: number;
  inboundFrameP99Us: number;
  /** All bridge CPU in the window over the media messages it received (an upper bound per frame: playout included). */
  cpuPerInboundFrameUs: number;
  /** Of cpuMsPerCallSecond, the main thread's (the rest: GC helpers, workers); NaN without /proc. */
  mainThreadMsPerCallSecond: number;
  /** Read and write system calls per call per second of call; NaN without /proc. */
  readSyscallsPerCallSecond: number;
  writeSyscallsPerCallSecond: number;
  recognitionLatencyP50Ms: number;
  recognitionLatencyP99Ms: number;
  recognitionLatencyMaxMs: number;
  recognitionLatencyCount: number;
  recognitionLatencyMissing: number;
  endpointLatencyP50Ms: number;
  endpointLatencyP99Ms: number;
  recognitionBytesPerSecond: number;
  recognitionMessagesPerSecond: number;
  recognitionBytesPerCallSecond: number;
  recognitionMessagesPerCallSecond: number;
  finalsSent: number;
  interimsSent: number;
  replyVoiceP50Ms: number;
  replyVoiceCount: number;
  errors: Record<string, number>;
}

const ms = (e: Estimate) => e.value * 1000;

export function voiceFigures(r: VoiceLoadResult): VoiceFigures {
  const h = r.histograms;
  const seconds = r.bridge.wallMs / 1000;
  const activeCalls = (r.bridge.activeCalls.start + r.bridge.activeCalls.end) / 2;
  const cpuMs = r.bridge.cpuUserMs + r.bridge.cpuSystemMs;
  const idleShare = (r.idle.cpuUserMs + r.idle.cpuSystemMs) / r.idle.wallMs;
  const lateness99 = histogramQuantile(h.playoutLateness, 0.99);
  const recognitionSeconds = r.recognition.wallMs / 1000;
  const recognitionMessages = r.recognition.audioMessages + r.recognition.textMessages;
  const recognitionBytes = r.recognition.audioBytes + r.recognition.textBytes;
  const perCallSecond = activeCalls > 0 ? activeCalls * seconds : Number.NaN;
  const cpuPerCallSecond = cpuMs / perCallSecond;
  const errors: Record<string, number> = { ...r.fleet.errors };
  for (const [k, v] of Object.entries(r.fleet.endedByBridge)) errors[`closed by bridge: ${k}`] = v;
  for (const [k, v] of Object.entries(r.rejected)) errors[`bridge rejected: ${k}`] = v;
  for (const [k, v] of Object.entries(r.closed?.errors ?? {})) errors[`bridge log error: ${k}`] = v;
  for (const [k, v] of Object.entries(r.closed?.warnings ?? {})) errors[`bridge log warning: ${k}`] = v;
  for (const [k, v] of Object.entries(r.sttReconnects)) if (v > 0) errors[`recognition reconnect: ${k}`] = v;
  if (r.recognition.reconnects > 0) errors['stand-in: second connection for a call (its audio is not timed)'] = r.recognition.reconnects;
  if (r.sttDroppedAudioSeconds > 0) errors['recognition audio dropped, seconds'] = r.sttDroppedAudioSeconds;
  return {
    calls: r.calls,
    callsOpened: r.fleet.opened,
    callsAnswered: r.fleet.answered,
    cpuMsPerCallSecond: cpuPerCallSecond,
    cpuMarginalMsPerCallSecond: (cpuMs / seconds - idleShare * 1000) / activeCalls,
    callsPerCore: 1000 / cpuPerCallSecond,
    cpuCoreShare: cpuMs / r.bridge.wallMs,
    idleCoreShare: idleShare,
    playoutLatenessP50Ms: ms(histogramQuantile(h.playoutLateness, 0.5)),
    playoutLatenessP99Ms: ms(lateness99),
    playoutLatenessP99Above: lateness99.above,
    trueLatenessP99Ms: r.bridge.trueLateness.p99Ms,
    eventLoopDelayP99Ms: r.bridge.eventLoopDelay.p99Ms,
    inboundFrameMeanUs: h.inboundFrame.count > 0 ? (h.inboundFrame.sum / h.inboundFrame.count) * 1e6 : Number.NaN,
    inboundFrameP99Us: ms(histogramQuantile(h.inboundFrame, 0.99)) * 1000,
    cpuPerInboundFrameUs: h.inboundFrame.count > 0 ? (cpuMs * 1000) / h.inboundFrame.count : Number.NaN,
    recognitionLatencyP50Ms: percentile(r.utteranceLatency.samplesMs, 50),
    recognitionLatencyP99Ms: percentile(r.utteranceLatency.samplesMs, 99),
    recognitionLatencyMaxMs: r.utteranceLatency.samplesMs.length > 0 ? Math.max(...r.utteranceLatency.samplesMs) : Number.NaN,
    recognitionLatencyCount: r.utteranceLatency.samplesMs.length,
    recognitionLatencyMissing: r.utteranceLatency.missing,
    endpointLatencyP50Ms: percentile(r.utteranceLatency.endpointMs, 50),
    endpointLatencyP99Ms: percentile(r.utteranceLatency.endpointMs, 99),
    recognitionBytesPerSecond: recognitionBytes / recognitionSeconds,
    recognitionMessagesPerSecond: recognitionMessages / recognitionSeconds,
    recognitionBytesPerCallSecond: recognitionBytes / (activeCalls * recognitionSeconds),
    recognitionMessagesPerCallSecond: recognitionMessages / (activeCalls * recognitionSeconds),
    finalsSent: r.recognition.finalsSent,
    interimsSent: r.recognition.interimsSent,
    replyVoiceP50Ms: ms(histogramQuantile(h.replyLatencyVoice, 0.5)),
    replyVoiceCount: h.replyLatencyVoice.count,
    errors,
    mainThreadMsPerCallSecond: r.bridge.os ? (r.bridge.os.mainThreadShare * cpuMs) / perCallSecond : Number.NaN,
    readSyscallsPerCallSecond: r.bridge.os ? r.bridge.os.readSyscalls / perCallSecond : Number.NaN,
    writeSyscallsPerCallSecond: r.bridge.os ? r.bridge.os.writeSyscalls / perCallSecond : Number.NaN,
  };
}

/** Date, machine and Node version: the heading every voice result is printed under. */
export function machineLine(now = new Date()): string {
  const all = cpus();
  return `${now.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${all[0]?.model ?? 'unknown CPU'} × ${all.length} cores, Node ${process.version}`;
}

export function formatVoice(r: VoiceLoadResult, f: VoiceFigures): string {
  const lines = [
    `(v) Voice: ${r.calls} speaking calls, ${r.windowSeconds} s window after the ramp; bridge, Deepgram stand-in and callers in three processes`,
    `  caller line                                 ${r.tape.utterances} espeak utterances (${fixed(r.tape.speechSeconds, 1)} s of speech in a ${fixed(r.tape.seconds, 1)} s loop with pauses), real time, 20 ms frames`,
    `  calls requested / opened / heard audio      ${r.calls} / ${f.callsOpened} / ${f.callsAnswered}  (bridge active at window start ${r.bridge.activeCalls.start}, end ${r.bridge.activeCalls.end})`,
    `  bridge CPU                                  ${fixed(f.cpuMsPerCallSecond, 3)} ms per call per second of call (user ${fixed(r.bridge.cpuUserMs, 0)} + sys ${fixed(r.bridge.cpuSystemMs, 0)} ms, all threads; ${fixed(f.cpuCoreShare * 100, 1)}% of one core)`,
    `                                              ${fixed(f.cpuMarginalMsPerCallSecond, 3)} ms above the idle bridge (${fixed(f.idleCoreShare * 100, 1)}% of a core with no calls)`,
    ...(r.bridge.os
      ? [
          `  of it, main thread; system calls            ${fixed(f.mainThreadMsPerCallSecond, 3)} ms per call-second (the rest: GC helpers, workers); ${fixed(f.readSyscallsPerCallSecond, 1)} reads + ${fixed(f.writeSyscallsPerCallSecond, 1)} writes per call-second`,
        ]
      : []),
    `  calls per core implied                      ≈ ${fixed(f.callsPerCore, 0)} (1000 / CPU per call-second); ≈ ${fixed(((1 - f.idleCoreShare) * 1000) / f.cpuMarginalMsPerCallSecond, 0)} from the marginal cost`,
    `  playout lateness p50 / p99 (histogram*)     ${fixed(f.playoutLatenessP50Ms)} / ${f.playoutLatenessP99Above ? '> ' : ''}${fixed(f.playoutLatenessP99Ms)} ms  (n=${r.histograms.playoutLateness.count}; at the socket, bench probe: p99 ${fixed(f.trueLatenessP99Ms)} ms)`,
    `  event-loop delay p50 / p99 / max            ${fixed(r.bridge.eventLoopDelay.p50Ms)} / ${fixed(f.eventLoopDelayP99Ms)} / ${fixed(r.bridge.eventLoopDelay.maxMs)} ms  (monitorEventLoopDelay 1 ms, interval subtracted)`,
    `  inbound frame, bridge metric mean / p99*    ${fixed(f.inboundFrameMeanUs, 1)} / ${fixed(f.inboundFrameP99Us, 0)} µs per media message (n=${r.histograms.inboundFrame.count}: parse, decode, resample, hand-off)`,
    `  all bridge CPU per inbound frame            ${fixed(f.cpuPerInboundFrameUs, 1)} µs (window CPU / media messages received: includes playout and recognition sockets)`,
    `  recognition audio latency p50 / p99 / max   ${fixed(f.recognitionLatencyP50Ms)} / ${fixed(f.recognitionLatencyP99Ms)} / ${fixed(f.recognitionLatencyMaxMs)} ms  (caller sent an utterance's last frame → stand-in received`,
    `                                              its last audio; n=${f.recognitionLatencyCount}, missing ${f.recognitionLatencyMissing}, clocks aligned to ±${fixed(r.utteranceLatency.clockUncertaintyMs, 3)} ms)`,
    `  endpoint audio latency p50 / p99            ${fixed(f.endpointLatencyP50Ms)} / ${fixed(f.endpointLatencyP99Ms)} ms  (the same, ${DEFAULT_DEEPGRAM_OPTIONS.endpointing} ms of silence after it: all Deepgram`,
    `                                              needs to end the utterance; what batching could add to a final result)`,
    `  sent to recognition                         ${fixed(f.recognitionBytesPerSecond / 1000, 1)} kB/s, ${fixed(f.recognitionMessagesPerSecond, 0)} messages/s; per call ${fixed(f.recognitionBytesPerCallSecond / 1000, 2)} kB/s, ${fixed(f.recognitionMessagesPerCallSecond, 1)} messages/s`,
    `  recognition answers                         ${f.finalsSent} finals ("please repeat") and ${f.interimsSent} interims (one per ${r.interimMs} ms of speech) sent; bridge reply to a voice answer p50 ${fixed(f.replyVoiceP50Ms)} ms* (n=${f.replyVoiceCount})`,
    `  bridge memory                               heap ${fixed(r.bridge.heapUsedMb, 0)} MB, rss ${fixed(r.bridge.rssMb, 0)} MB; GC ${formatGc(r.bridge.gc)}`,
    `  other processes                             callers ${fixed((r.generator.cpuMs / r.bridge.wallMs) * 100, 1)}% of a core (event-loop p99 ${fixed(r.generator.eventLoopDelayP99Ms)} ms), stand-in ${fixed((r.recognition.cpuMs / r.recognition.wallMs) * 100, 1)}%`,
    `  machine: ${r.machine.cores} cores, in the window       ${fixed((r.machine.busyMs / r.bridge.wallMs) * 100, 0)}% of one core busy in total, other processes ≈ ${fixed(Math.max(0, r.machine.otherMs / r.bridge.wallMs) * 100, 0)}%; load average ${fixed(r.machine.loadAverage1m)}`,
    `  calls ended at the bridge, by status        ${JSON.stringify(r.callsEnded)}`,
    `  errors                                      ${Object.keys(f.errors).length === 0 ? 'none' : ''}`,
  ];
  for (const [k, v] of Object.entries(f.errors)) lines.push(`    ${v} × ${k}`);
  if (r.machine.otherMs / r.bridge.wallMs > 0.25) lines.push('  WARNING: other work used more than a quarter of a core during the window: latency figures are distorted.');
  lines.push('  * from Prometheus histogram buckets (linear interpolation inside the bucket).');
  return lines.join('\n');
}

function formatGc(gc: VoiceLoadResult['bridge']['gc']): string {
  const parts = Object.entries(gc).map(([kind, s]) => `${kind} ${s.count}× ${fixed(s.totalMs, 0)} ms`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

/** One row per size: what README tables carry. */
export function formatVoiceTable(rows: ReadonlyArray<{ result: VoiceLoadResult; figures: VoiceFigures; floor?: FloorResult }>, now = new Date()): string {
  const withFloor = rows.some((row) => row.floor);
  const header = ['calls', 'CPU ms/call-s', ...(withFloor ? ['floor ms/call-s'] : []), 'calls/core', 'playout p50/p99 ms', 'ELD p99 ms', 'inbound µs/frame', 'recog. latency p50/p99 ms', 'endpoint p50/p99 ms', 'to recog. kB/s, msg/s', 'load 1m'];
  const body = rows.map(({ result: r, figures: f, floor }) => [
    String(r.calls),
    fixed(f.cpuMsPerCallSecond, 2),
    ...(withFloor ? [floor ? fixed(floor.cpuMsPerCallSecond, 2) : '—'] : []),
    fixed(f.callsPerCore, 0),
    `${fixed(f.playoutLatenessP50Ms)} / ${f.playoutLatenessP99Above ? '>' : ''}${fixed(f.playoutLatenessP99Ms)}`,
    fixed(f.eventLoopDelayP99Ms),
    fixed(f.inboundFrameMeanUs, 1),
    `${fixed(f.recognitionLatencyP50Ms)} / ${fixed(f.recognitionLatencyP99Ms)}`,
    `${fixed(f.endpointLatencyP50Ms)} / ${fixed(f.endpointLatencyP99Ms)}`,
    `${fixed(f.recognitionBytesPerSecond / 1000, 0)}, ${fixed(f.recognitionMessagesPerSecond, 0)}`,
    fixed(r.machine.loadAverage1m),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [
    `Voice scenario, ${machineLine(now)}`,
    line(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...body.map(line),
  ].join('\n');
}
