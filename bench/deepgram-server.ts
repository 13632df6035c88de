/**
 * The Deepgram stand-in (test/stand-ins/deepgram.ts, Deepgram's live WebSocket protocol) in its
 * own process for the voice bench, so its work is not counted in the bridge's CPU or event loop.
 * It answers every utterance with a "please repeat" transcript, so each call keeps listening and
 * the questionnaire repeats its question (as the keypad bench's `*`), and it times every audio
 * message it receives, per call (the bridge tags each stream with its call id, see
 * bench/bridge-server.ts). Started by bench/voice-load.ts over IPC; exits with its parent.
 */
import { parseArgs } from 'node:util';
import { DeepgramStandIn, type StandInConnection } from '../test/stand-ins/deepgram';
import { BENCH_CALL_TAG } from './ipc';
import { DEFAULT_DEEPGRAM_OPTIONS } from '../src/speech/deepgram/deepgram-options';
import { epochNowMs, type FromStandIn, type LatencyReport, type StandInWindow, type ToStandIn, type UtteranceEnd } from './stand-in-ipc';

const { values: args } = parseArgs({
  options: {
    'api-key': { type: 'string', default: 'bench-deepgram-key' },
    /** Transcripts queued per second (more than the callers can use: each utterance takes one). */
    'transcripts-per-second': { type: 'string', default: '200' },
    /** Speech between interim results: given by the bench (`--interim-ms`, see bench/run.ts). */
    'interim-ms': { type: 'string' },
  },
});
/** "Could you repeat the question?": an intent the questionnaire answers by asking again. */
const REPEAT_TRANSCRIPT = 'ممكن تعيد السؤال';

const send = (message: FromStandIn): void => {
  if (process.send) process.send(message);
};

/** One call's audio as it arrived: cumulative 16-bit samples after each message, and when. */
interface StreamTimes {
  samplesAfter: number[];
  atEpochMs: number[];
}

class AudioClock {
  readonly streams = new Map<string, StreamTimes>();
  private readonly byConnection = new Map<StandInConnection, StreamTimes | null>();
  reconnects = 0;
  audioMessages = 0;
  audioBytes = 0;
  textMessages = 0;
  textBytes = 0;

  onMessage(connection: StandInConnection, data: Buffer, isBinary: boolean): void {
    const at = epochNowMs();
    if (!isBinary) {
      this.textMessages++;
      this.textBytes += data.length;
      return;
    }
    this.audioMessages++;
    this.audioBytes += data.length;
    const stream = this.streamOf(connection);
    if (!stream) return;
    stream.samplesAfter.push((stream.samplesAfter.at(-1) ?? 0) + data.length / 2);
    stream.atEpochMs.push(at);
  }

  /** For each utterance end, when the message holding its last sample arrived, and the one holding the sample endpointing's silence after it. */
  latencies(utterances: readonly UtteranceEnd[]): LatencyReport {
    const report: LatencyReport = { type: 'latency', latenciesEpochMs: [], endpointLatenciesEpochMs: [], missing: 0 };
    const endpointSamples = DEFAULT_DEEPGRAM_OPTIONS.endpointing * 16;
    for (const [tag, endSamples, sentEpochMs] of utterances) {
      const stream = this.streams.get(tag);
      const arrivalOf = (samples: number) => {
        const index = stream ? firstAtLeast(stream.samplesAfter, samples) : -1;
        return index >= 0 ? stream?.atEpochMs[index] : undefined;
      };
      const arrival = arrivalOf(endSamples);
      if (arrival === undefined) report.missing++;
      else report.latenciesEpochMs.push([arrival, sentEpochMs]);
      const endpoint = arrivalOf(endSamples + endpointSamples);
      if (endpoint !== undefined) report.endpointLatenciesEpochMs.push([endpoint, sentEpochMs + DEFAULT_DEEPGRAM_OPTIONS.endpointing]);
    }
    return report;
  }

  resetCounts(): void {
    this.audioMessages = 0;
    this.audioBytes = 0;
    this.textMessages = 0;
    this.textBytes = 0;
  }

  /** The call's stream, keyed by its tag keyterm; null for an untagged connection or a second connection of one call. */
  private streamOf(connection: StandInConnection): StreamTimes | null {
    const known = this.byConnection.get(connection);
    if (known !== undefined) return known;
    const tag = connection.params.getAll('keyterm').find((term) => term.startsWith(BENCH_CALL_TAG));
    let stream: StreamTimes | null = null;
    if (tag && this.streams.has(tag)) this.reconnects++;
    else if (tag) {
      stream = { samplesAfter: [], atEpochMs: [] };
      this.streams.set(tag, stream);
    }
    this.byConnection.set(connection, stream);
    return stream;
  }
}

/** Index of the first value ≥ `target` in ascending `values`, or -1. */
function firstAtLeast(values: readonly number[], target: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((values[mid] ?? 0) < target) lo = mid + 1;
    else hi = mid;
  }
  return lo < values.length ? lo : -1;
}

const transcriptOf = (message: Record<string, unknown>): string =>
  (message.channel as { alternatives?: Array<{ transcript?: string }> } | undefined)?.alternatives?.[0]?.transcript ?? '';

const finalsWithWords = (standIn: DeepgramStandIn): number =>
  standIn.connections.reduce((sum, c) => sum + c.sent.filter((m) => m.type === 'Results' && m.is_final === true && transcriptOf(m) !== '').length, 0);

const interimsSent = (standIn: DeepgramStandIn): number => standIn.connections.reduce((sum, c) => sum + c.sent.filter((m) => m.type === 'Results' && m.is_final === false).length, 0);

async function main(): Promise<void> {
  const interimMs = Number(args['interim-ms']);
  if (!Number.isInteger(interimMs) || interimMs <= 0) throw new Error(`--interim-ms must be a whole number of milliseconds (got ${JSON.stringify(args['interim-ms'])})`);
  const clock = new AudioClock();
  const standIn = await DeepgramStandIn.start({
    apiKey: args['api-key'],
    interimEveryMs: interimMs,
    keepAudio: false,
    onMessage: (connection, data, isBinary) => clock.onMessage(connection, data, isBinary),
  });
  const perSecond = Number(args['transcripts-per-second']);
  standIn.script(Array(perSecond * 5).fill(REPEAT_TRANSCRIPT));
  const refill = setInterval(() => standIn.script(Array(perSecond).fill(REPEAT_TRANSCRIPT)), 1000);
  let window = { startMs: performance.now(), cpu: process.cpuUsage(), finals: 0, interims: 0 };
  const shutdown = async () => {
    clearInterval(refill);
    await standIn.close();
    process.exit(0);
  };
  process.on('message', (message: ToStandIn) => {
    switch (message.type) {
      case 'ping':
        return send({ type: 'pong', sentEpochMs: message.sentEpochMs, atEpochMs: epochNowMs() });
      case 'window-start':
        clock.resetCounts();
        window = { startMs: performance.now(), cpu: process.cpuUsage(), finals: finalsWithWords(standIn), interims: interimsSent(standIn) };
        return;
      case 'window-end': {
        const cpu = process.cpuUsage(window.cpu);
        const report: StandInWindow = {
          type: 'window',
          wallMs: performance.now() - window.startMs,
          audioMessages: clock.audioMessages,
          audioBytes: clock.audioBytes,
          textMessages: clock.textMessages,
          textBytes: clock.textBytes,
          connectionsOpen: standIn.connections.filter((c) => c.closed === null).length,
          connectionsTotal: standIn.connections.length,
          reconnects: clock.reconnects,
          finalsSent: finalsWithWords(standIn) - window.finals,
          interimsSent: interimsSent(standIn) - window.interims,
          cpuMs: (cpu.user + cpu.system) / 1000,
        };
        return send(report);
      }
      case 'latency':
        return send(clock.latencies(message.utterances));
      case 'shutdown':
        return void shutdown();
      default: {
        const unknown: never = message;
        throw new Error(`unknown message ${JSON.stringify(unknown)}`);
      }
    }
  });
  process.on('disconnect', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
  send({ type: 'ready', url: standIn.url, apiKey: standIn.apiKey, pid: process.pid });
}

main().catch((error: unknown) => {
  console.error('deepgram-server failed:', error);
  process.exit(1);
});
