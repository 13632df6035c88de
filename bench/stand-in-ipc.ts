/** Messages between the voice bench (parent) and bench/deepgram-server.ts (child, over IPC). */

/** One utterance the caller finished: the stream's tag, its end in 16 kHz samples, and when its last frame was sent. */
export type UtteranceEnd = [tag: string, endSamples: number, sentEpochMs: number];

export type ToStandIn =
  | { type: 'ping'; sentEpochMs: number }
  | { type: 'window-start' }
  | { type: 'window-end' }
  | { type: 'latency'; utterances: UtteranceEnd[] }
  | { type: 'shutdown' };

/** What the stand-in received from the bridge during the window. */
export interface StandInWindow {
  type: 'window';
  wallMs: number;
  /** Binary (audio) messages and their bytes. */
  audioMessages: number;
  audioBytes: number;
  /** Text messages (KeepAlive, Finalize, CloseStream). */
  textMessages: number;
  textBytes: number;
  /** Connections open at the end of the window, and opened since the stand-in started. */
  connectionsOpen: number;
  connectionsTotal: number;
  /** Connections whose call already had one (a reconnect): their audio is not timed. */
  reconnects: number;
  /** Finals with words sent (the repeat phrase the callers "say"). */
  finalsSent: number;
  /** Interim results sent (one per `--interim-ms` of speech). */
  interimsSent: number;
  /** The stand-in process's own CPU in the window (it shares the machine with the bridge). */
  cpuMs: number;
}

export interface LatencyReport {
  type: 'latency';
  /** End of an utterance sent by the caller → the stand-in received its last audio, ms (clock offset applied by the parent). */
  latenciesEpochMs: Array<[arrivalEpochMs: number, sentEpochMs: number]>;
  /**
   * The same utterance end plus the bridge's endpointing silence (300 ms): when the stand-in had all
   * the audio Deepgram needs to end the utterance, against when the caller sent it. This is the delay
   * batching could add to a final result.
   */
  endpointLatenciesEpochMs: Array<[arrivalEpochMs: number, sentEpochMs: number]>;
  /** Utterances whose stream the stand-in never saw, or whose end never arrived. */
  missing: number;
}

export type FromStandIn =
  | { type: 'ready'; url: string; apiKey: string; pid: number }
  | { type: 'pong'; sentEpochMs: number; atEpochMs: number }
  | StandInWindow
  | LatencyReport;

/** Milliseconds since the epoch with sub-millisecond resolution; comparable across processes on one machine (up to an offset the parent measures). */
export const epochNowMs = (): number => performance.timeOrigin + performance.now();
