/** Turns results into the human-readable tables, the budget verdicts and the --json object. */
import type { CodecResult } from './codec';
import type { LoadResult } from './load';
import { type Estimate, histogramQuantile } from './prometheus';
import { fixed, percentile, type Timing } from './stats';

export interface BudgetLine {
  budget: string;
  limit: string;
  measured: string;
  verdict: 'PASS' | 'OVER' | 'n/a';
  note?: string;
}

/** Load-derived figures, milliseconds unless named otherwise. */
export interface LoadFigures {
  callsRequested: number;
  callsOpened: number;
  callsAnswered: number;
  playoutLatenessP50Ms: number;
  playoutLatenessP99Ms: number;
  playoutLatenessP99Above: boolean;
  trueLatenessP50Ms: number;
  trueLatenessP99Ms: number;
  playoutTickP99Ms: number;
  inboundFrameP99Ms: number;
  inboundFrameMeanUs: number;
  eventLoopDelayP50Ms: number;
  eventLoopDelayP99Ms: number;
  eventLoopDelayMaxMs: number;
  promEventLoopLagP99Ms: number;
  cpuMsPerCallSecond: number;
  /** CPU above the idle bridge's, per call per second. */
  cpuMarginalMsPerCallSecond: number;
  cpuCoreShare: number;
  idleCoreShare: number;
  replyBridgeP50Ms: number;
  replyBridgeP95Ms: number;
  replyBridgeCount: number;
  replyClientP50Ms: number;
  replyClientP95Ms: number;
  replyClientCount: number;
  unanswered: number;
  framesInPerCallSecond: number;
  errors: Record<string, number>;
}

const ms = (e: Estimate) => e.value * 1000;

export function loadFigures(r: LoadResult): LoadFigures {
  const h = r.histograms;
  const seconds = r.bridge.wallMs / 1000;
  const activeCalls = (r.bridge.activeCalls.start + r.bridge.activeCalls.end) / 2;
  const cpuMs = r.bridge.cpuUserMs + r.bridge.cpuSystemMs;
  const idleCpuMs = r.idle.cpuUserMs + r.idle.cpuSystemMs;
  const lateness99 = histogramQuantile(h.playoutLateness, 0.99);
  const errors: Record<string, number> = { ...r.fleet.errors };
  for (const [k, v] of Object.entries(r.fleet.endedByBridge)) errors[`closed by bridge: ${k}`] = v;
  for (const [k, v] of Object.entries(r.rejected)) errors[`bridge rejected: ${k}`] = v;
  for (const [k, v] of Object.entries(r.closed?.errors ?? {})) errors[`bridge log error: ${k}`] = v;
  for (const [k, v] of Object.entries(r.closed?.warnings ?? {})) errors[`bridge log warning: ${k}`] = v;
  return {
    callsRequested: r.fleet.requested,
    callsOpened: r.fleet.opened,
    callsAnswered: r.fleet.answered,
    playoutLatenessP50Ms: ms(histogramQuantile(h.playoutLateness, 0.5)),
    playoutLatenessP99Ms: ms(lateness99),
    playoutLatenessP99Above: lateness99.above,
    trueLatenessP50Ms: r.bridge.trueLateness.p50Ms,
    trueLatenessP99Ms: r.bridge.trueLateness.p99Ms,
    playoutTickP99Ms: r.bridge.playoutTick.p99Ms,
    inboundFrameP99Ms: ms(histogramQuantile(h.inboundFrame, 0.99)),
    inboundFrameMeanUs: h.inboundFrame.count > 0 ? (h.inboundFrame.sum / h.inboundFrame.count) * 1e6 : Number.NaN,
    eventLoopDelayP50Ms: r.bridge.eventLoopDelay.p50Ms,
    eventLoopDelayP99Ms: r.bridge.eventLoopDelay.p99Ms,
    eventLoopDelayMaxMs: r.bridge.eventLoopDelay.maxMs,
    promEventLoopLagP99Ms: r.promEventLoopLagP99Ms,
    cpuMsPerCallSecond: activeCalls > 0 ? cpuMs / (activeCalls * seconds) : Number.NaN,
    cpuMarginalMsPerCallSecond: activeCalls > 0 ? (cpuMs / seconds - idleCpuMs / (r.idle.wallMs / 1000)) / activeCalls : Number.NaN,
    cpuCoreShare: cpuMs / r.bridge.wallMs,
    idleCoreShare: idleCpuMs / r.idle.wallMs,
    replyBridgeP50Ms: ms(histogramQuantile(h.replyLatencyDtmf, 0.5)),
    replyBridgeP95Ms: ms(histogramQuantile(h.replyLatencyDtmf, 0.95)),
    replyBridgeCount: h.replyLatencyDtmf.count,
    replyClientP50Ms: percentile(r.fleet.replyLatenciesMs, 50),
    replyClientP95Ms: percentile(r.fleet.replyLatenciesMs, 95),
    replyClientCount: r.fleet.replyLatenciesMs.length,
    unanswered: r.fleet.unanswered,
    framesInPerCallSecond: r.fleet.opened > 0 ? r.fleet.framesIn / (r.fleet.opened * seconds) : Number.NaN,
    errors,
  };
}

const verdict = (value: number, limit: number): BudgetLine['verdict'] => (Number.isNaN(value) ? 'n/a' : value <= limit ? 'PASS' : 'OVER');

export function budgets(codec: CodecResult | null, load: LoadFigures | null, calls: number): BudgetLine[] {
  const lines: BudgetLine[] = [];
  if (codec) {
    const total = codec.inbound.medianUs + codec.outbound.medianUs;
    lines.push({
      budget: 'Transcoding, both directions + JSON/base64, per call per 20 ms frame',
      limit: '≤ 8 µs',
      measured: `${fixed(total)} µs (in ${fixed(codec.inbound.medianUs)} + out ${fixed(codec.outbound.medianUs)}, medians)`,
      verdict: verdict(total, 8),
      note: `the bridge plays cached 8 kHz μ-law prompts, so its real outbound step is the message only: in + message = ${fixed(codec.inbound.medianUs + (codec.stages['out: Twilio media message']?.medianUs ?? Number.NaN))} µs`,
    });
    lines.push({
      budget: 'The 8 → 16 kHz resampler alone (μ-law in, as calls run it), per 20 ms frame',
      limit: '≤ 3 µs',
      measured: `${fixed(codec.upsample.medianUs)} µs median, ${fixed(codec.upsample.minUs)} µs fastest batch, ${fixed(codec.upsample.cpuMedianUs)} µs CPU`,
      verdict: verdict(codec.upsample.medianUs, 3),
    });
  }
  if (load) {
    const perCore =
      calls >= 300
        ? `at ${calls} calls on one bridge core (the budget's load is 300 calls per core)`
        : `at ${calls} calls on one bridge core, below the budget's load of 300 calls per core`;
    lines.push({
      budget: 'Reply latency after DTMF, cached prompt, p95 (bridge histogram)',
      limit: '≤ 20 ms',
      measured: `${fixed(load.replyBridgeP95Ms)} ms (n=${load.replyBridgeCount})`,
      verdict: verdict(load.replyBridgeP95Ms, 20),
      ...(load.replyBridgeCount === 0
        ? { note: 'no key was pressed in the window: the first comes after the 4-prompt opening (4 × --prompt-ms); use a longer --seconds' }
        : {}),
    });
    lines.push({
      budget: 'Playout lateness p99 (bridge histogram)',
      limit: '≤ 10 ms',
      measured: `${load.playoutLatenessP99Above ? '> ' : ''}${fixed(load.playoutLatenessP99Ms)} ms`,
      verdict: load.playoutLatenessP99Above ? 'OVER' : verdict(load.playoutLatenessP99Ms, 10),
      note: perCore,
    });
    lines.push({
      budget: 'Playout lateness p99 at the socket (bench probe)',
      limit: '≤ 10 ms',
      measured: `${fixed(load.trueLatenessP99Ms)} ms`,
      verdict: verdict(load.trueLatenessP99Ms, 10),
      note: perCore,
    });
    lines.push({
      budget: 'Event-loop delay p99 (bridge process)',
      limit: '≤ 10 ms',
      measured: `${fixed(load.eventLoopDelayP99Ms)} ms`,
      verdict: verdict(load.eventLoopDelayP99Ms, 10),
      note: perCore,
    });
  }
  return lines;
}

const row = (name: string, t: Timing) => `  ${name.padEnd(38)} ${fixed(t.medianUs).padStart(8)} µs  (min ${fixed(t.minUs)}, CPU ${fixed(t.cpuMedianUs)})`;

export function formatCodec(c: CodecResult): string {
  const lines = ['(a) Per 20 ms frame, one call, one core: median batch after warm-up (fastest batch, median batch in CPU time); fast 30 × 2,000, naive 20 × 50'];
  lines.push(row('inbound  fast', c.inbound));
  lines.push(`${row('inbound  naive (alawmulaw+wavefile)', c.naiveInbound)}  → ${fixed(c.naiveInbound.medianUs / c.inbound.medianUs, 0)}× the fast path`);
  lines.push(row('outbound fast', c.outbound));
  lines.push(`${row('outbound naive (alawmulaw+wavefile)', c.naiveOutbound)}  → ${fixed(c.naiveOutbound.medianUs / c.outbound.medianUs, 0)}× the fast path`);
  lines.push('  stages:');
  for (const [name, t] of Object.entries(c.stages)) lines.push(`  ${row(name, t).slice(2)}`);
  return lines.join('\n');
}

export function formatLoad(r: LoadResult, f: LoadFigures): string {
  const lines = [
    `(b) ${r.calls} calls, ${r.windowSeconds} s window after the ramp, prompts ${r.promptMs} ms tones, bridge in its own process`,
    `  calls requested / opened / heard audio      ${f.callsRequested} / ${f.callsOpened} / ${f.callsAnswered}  (bridge active at window start ${r.bridge.activeCalls.start}, end ${r.bridge.activeCalls.end})`,
    `  playout lateness p50 / p99 (histogram*)     ${fixed(f.playoutLatenessP50Ms)} / ${f.playoutLatenessP99Above ? '> ' : ''}${fixed(f.playoutLatenessP99Ms)} ms  (n=${r.histograms.playoutLateness.count})`,
    `  playout lateness at socket p50 / p99 / max  ${fixed(f.trueLatenessP50Ms)} / ${fixed(f.trueLatenessP99Ms)} / ${fixed(r.bridge.trueLateness.maxMs)} ms  (exact, bench probe: includes reaching the call within a tick;`,
    `                                              p90 ${fixed(r.bridge.trueLateness.p90Ms)}, p99.9 ${fixed(r.bridge.trueLateness.p999Ms)} ms)`,
    `  playout clock tick p50 / p99 / max          ${fixed(r.bridge.playoutTick.p50Ms, 3)} / ${fixed(f.playoutTickP99Ms, 3)} / ${fixed(r.bridge.playoutTick.maxMs, 3)} ms per tick (all calls pumped)`,
    `  frames sent per tick p50 / p99 / max        ${r.bridge.framesPerTick.p50} / ${r.bridge.framesPerTick.p99} / ${r.bridge.framesPerTick.max}`,
    `  GC pauses in the window                     ${formatGc(r.bridge.gc)}`,
    `  event-loop stalls > 20 ms                   ${formatStalls(r.bridge.stalls)}`,
    `  inbound frame p99 (histogram*) / mean       ${fixed(f.inboundFrameP99Ms, 4)} ms / ${fixed(f.inboundFrameMeanUs)} µs  (n=${r.histograms.inboundFrame.count}; keypad calls have no recogniser: JSON parse only, no transcoding)`,
    `  event-loop delay p50 / p99 / max            ${fixed(f.eventLoopDelayP50Ms)} / ${fixed(f.eventLoopDelayP99Ms)} / ${fixed(f.eventLoopDelayMaxMs)} ms  (monitorEventLoopDelay 1 ms, interval subtracted;`,
    '                                              per sample: one long stall is one sample, however many frames it delays)',
    `  prom-client nodejs_eventloop_lag_p99        ${fixed(f.promEventLoopLagP99Ms)} ms  (what /metrics shows: includes its 1 ms sampling interval)`,
    `  bridge CPU                                  ${fixed(f.cpuMsPerCallSecond, 3)} ms per call per second of call (${fixed(f.cpuCoreShare * 100, 1)}% of one core; user ${fixed(r.bridge.cpuUserMs, 0)} + sys ${fixed(r.bridge.cpuSystemMs, 0)} ms)`,
    `                                              ${fixed(f.cpuMarginalMsPerCallSecond, 3)} ms above the idle bridge (${fixed(f.idleCoreShare * 100, 1)}% of a core with no calls, probes included)`,
    `                                              → one core saturates at ≈ ${fixed(((1 - f.idleCoreShare) * 1000) / f.cpuMarginalMsPerCallSecond, 0)} calls; 300 calls would need ${fixed((f.idleCoreShare + (300 * f.cpuMarginalMsPerCallSecond) / 1000) * 100, 0)}% of a core`,
    `  store commit p50 / p99 / max (${r.bridge.storeCommit.engine})`.padEnd(46) +
      `${fixed(r.bridge.storeCommit.p50Ms)} / ${fixed(r.bridge.storeCommit.p99Ms)} / ${fixed(r.bridge.storeCommit.maxMs)} ms  (exact, n=${r.bridge.storeCommit.count}; the next question waits for it, 500 ms at most)`,
    `  reply latency after DTMF p50 / p95, bridge  ${fixed(f.replyBridgeP50Ms)} / ${fixed(f.replyBridgeP95Ms)} ms (histogram*, n=${f.replyBridgeCount})`,
    `  reply latency after DTMF p50 / p95, client  ${fixed(f.replyClientP50Ms)} / ${fixed(f.replyClientP95Ms)} ms (exact, key sent → first frame received, n=${f.replyClientCount}, unanswered ${f.unanswered})`,
    `  frames received per call per second         ${fixed(f.framesInPerCallSecond, 1)} (50 = continuous playout)`,
    `  bridge memory                               heap ${fixed(r.bridge.heapUsedMb, 0)} MB, rss ${fixed(r.bridge.rssMb, 0)} MB`,
    `  load generator (other process)              CPU ${fixed((r.generator.cpuMs / r.bridge.wallMs) * 100, 1)}% of a core, event-loop delay p99 ${fixed(r.generator.eventLoopDelayP99Ms)} ms`,
    `  machine: ${r.machine.cores} cores, in the window       ${fixed((r.machine.busyMs / r.bridge.wallMs) * 100, 0)}% of one core busy in total, other processes ≈ ${fixed(Math.max(0, r.machine.otherMs / r.bridge.wallMs) * 100, 0)}% (/proc/stat, coarse); load average ${fixed(r.machine.loadAverage1m)}`,
    `  calls ended at the bridge, by status        ${JSON.stringify(r.callsEnded)}`,
    `  errors                                      ${Object.keys(f.errors).length === 0 ? 'none' : ''}`,
  ];
  for (const [k, v] of Object.entries(f.errors)) lines.push(`    ${v} × ${k}`);
  if (r.machine.otherMs / r.bridge.wallMs > 0.25) {
    lines.push('  WARNING: other work used more than a quarter of a core during the window: latency figures are distorted.');
  }
  lines.push('  * from Prometheus histogram buckets, linear interpolation inside the bucket (as histogram_quantile);');
  lines.push('    bucket bounds: lateness 0.5/1/2/3/4/5/7.5/10/15/20 ms, inbound 10/20/30/50/75/100 µs…, reply 1/2/5/10/20/50 ms.');
  return lines.join('\n');
}

function formatStalls(stalls: LoadResult['bridge']['stalls']): string {
  if (stalls.length === 0) return 'none';
  const shown = [...stalls].sort((a, b) => b.gapMs - a.gapMs).slice(0, 5);
  const list = shown.map((s) => `${fixed(s.gapMs, 0)} ms at +${fixed(s.atMs / 1000, 1)} s (CPU ${fixed(s.cpuMs, 0)} ms)`).join(', ');
  return `${stalls.length}; longest: ${list}`;
}

function formatGc(gc: LoadResult['bridge']['gc']): string {
  const parts = Object.entries(gc).map(([kind, s]) => `${kind} ${s.count}× total ${fixed(s.totalMs, 0)} ms max ${fixed(s.maxMs, 1)} ms`);
  return parts.length > 0 ? parts.join('; ') : 'none';
}

export function formatBudgets(lines: readonly BudgetLine[]): string {
  const out = ['Budgets (informational):'];
  for (const b of lines) {
    out.push(`  ${b.verdict.padEnd(4)}  ${b.budget}: ${b.measured} (budget ${b.limit})${b.note ? `\n        ${b.note}` : ''}`);
  }
  return out.join('\n');
}
