import type { DeepgramClient } from '@deepgram/sdk';
import type { SttEvent, SttStream } from '../stt';
import { mapDeepgramMessage } from './deepgram-events';
import { type DeepgramLogger, type DeepgramSttOptions, backoffDelayMs } from './deepgram-options';
import { type ConnectionFailure, type ListenArgs, ListenConnection } from './listen-connection';
import { PcmRing } from './pcm-ring';

export const SAMPLE_RATE_HZ = 16_000;
const SAMPLES_PER_MS = SAMPLE_RATE_HZ / 1000;
/** The reconnect buffer is sent in pieces of at most this many samples (0.5 s). */
const FLUSH_PIECE = 8000;
/**
 * A connection must stay up this long before the backoff starts again from `initialMs`: a server
 * that accepts and then drops at once is retried with growing delays, not in a tight loop.
 */
const STABLE_UPTIME_MS = 2000;
/**
 * Batching (chunkMs > 20) measures each frame's loudness: at or above this RMS a frame is speech,
 * as the barge-in detector (SpeechInput's speechRms) counts it.
 */
const SPEECH_RMS = 600;
/**
 * After speech, quiet audio is gathered like any other until Deepgram's endpointing has passed on
 * our clock; then what was gathered goes at once, and the audio after it for this long in short
 * messages (TAIL_CHUNK_MS), since Deepgram's own end of speech may come a little after ours.
 */
const TAIL_MARGIN_MS = 200;
/** In that tail, audio goes in messages of at most this long: at most 20 ms more for Deepgram to wait on. */
const TAIL_CHUNK_MS = 40;
/**
 * Silence past Deepgram's utterance end (most of a call: the caller listening to a question) is
 * gathered into messages of this long: nothing waits on it, since the first frame of speech
 * flushes it at once. Deepgram recommends messages of 20 to 250 ms.
 */
const QUIET_CHUNK_MS = 240;
/** After CloseStream, how long to let Deepgram send its last messages and close first. */
const CLOSE_STREAM_WAIT_MS = 250;
/** Upgrade refusals that retrying cannot fix. */
const FATAL_HTTP: Record<number, { code: string; message: string }> = {
  400: { code: 'bad_request', message: 'Deepgram rejected the stream parameters (400)' },
  401: { code: 'unauthorized', message: 'Deepgram rejected the API key (401): check DEEPGRAM_API_KEY' },
  402: { code: 'payment_required', message: 'Deepgram refused the stream (402): the project has no credit' },
  403: { code: 'unauthorized', message: 'Deepgram refused the API key (403): check its scopes' },
};

export interface DeepgramStreamStats {
  /** Connections opened (1 + successful reconnects). */
  connections: number;
  /** Samples received by sendAudio (the call clock, in samples). */
  samplesIn: number;
  /** Samples dropped from the reconnect buffer (outages longer than bufferMs). */
  samplesDropped: number;
  /** Samples currently buffered, waiting for a connection. */
  samplesBuffered: number;
  keepAlivesSent: number;
}

type State = 'connecting' | 'open' | 'waiting' | 'closing' | 'closed' | 'failed';

/**
 * One call's recognition stream: one Deepgram live connection at a time, replaced with backoff
 * when lost, for as long as the call lasts.
 *
 * Audio clock: every sample given to sendAudio advances the call clock. While no connection is
 * open, audio goes into a bounded buffer (bufferMs; beyond it the oldest is dropped and counted).
 * When a connection opens, its first sample is the oldest buffered one, so its offset on the call
 * clock is `samples received − samples buffered` (audio sent on earlier connections plus audio
 * dropped); the buffer is flushed first, then live audio follows. Audio already written to a
 * connection that then drops is not re-sent: Deepgram may or may not have heard it.
 */
export class DeepgramSttStream implements SttStream {
  private state: State = 'connecting';
  private connection: ListenConnection | null = null;
  private readonly ring: PcmRing;
  /**
   * Live audio gathered into one message before it is sent (unused at `chunkMs` 20: frames go as
   * they come): `chunkMs` of speech, TAIL_CHUNK_MS in the tail after it, QUIET_CHUNK_MS of silence.
   */
  private readonly batch: Int16Array;
  private batchFill = 0;
  private readonly chunkSamples: number;
  private readonly tailChunkSamples: number;
  /** Quiet samples since the last frame of speech (batching only); starts as long-quiet. */
  private quietSamples = Number.POSITIVE_INFINITY;
  private readonly endpointSamples: number;
  private readonly tailSamples: number;
  /** Quiet after which Deepgram may send UtteranceEnd (the answer on a noisy line, where no speech_final comes). */
  private readonly utteranceEndSamples: number;
  private samplesIn = 0;
  private offsetSamples = 0;
  private connections = 0;
  private keepAlivesSent = 0;
  private failures = 0;
  private announcedDown = false;
  private attemptStartedAt = 0;
  private openedAt = 0;
  private lastSendAt = 0;
  private sendFailedAt: number | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private keepAliveTimer: NodeJS.Timeout | null = null;
  private finalizeWaiter: (() => void) | null = null;
  private closeWaiter: (() => void) | null = null;
  private closing: Promise<void> | null = null;

  constructor(
    private readonly client: DeepgramClient,
    private readonly args: ListenArgs,
    private readonly options: DeepgramSttOptions,
    private readonly onEvent: (event: SttEvent) => void,
    private readonly log: DeepgramLogger,
  ) {
    this.ring = new PcmRing(Math.max(1, Math.round(options.bufferMs * SAMPLES_PER_MS)));
    this.chunkSamples = Math.max(1, Math.round(options.chunkMs * SAMPLES_PER_MS));
    this.tailChunkSamples = Math.min(this.chunkSamples, TAIL_CHUNK_MS * SAMPLES_PER_MS);
    // At chunkMs 20 (no batching) nothing is gathered past a telephony frame, silence included.
    const batching = options.chunkMs > 20;
    this.batch = new Int16Array(batching ? Math.max(this.chunkSamples, QUIET_CHUNK_MS * SAMPLES_PER_MS) : this.chunkSamples);
    this.endpointSamples = options.endpointing * SAMPLES_PER_MS;
    this.tailSamples = (options.endpointing + TAIL_MARGIN_MS) * SAMPLES_PER_MS;
    this.utteranceEndSamples = Math.max(options.utteranceEndMs * SAMPLES_PER_MS, this.tailSamples);
    this.connect();
  }

  sendAudio(samples: Int16Array): void {
    if (this.state === 'closing' || this.state === 'closed' || this.state === 'failed') return;
    this.samplesIn += samples.length;
    if (this.state === 'open' && this.connection !== null) {
      if (this.batchFill > 0 || samples.length < this.chunkSamples) {
        // Gathered into one message (chunkMs of speech, longer of silence); sent whole. What does not
        // fit starts the next one. Except where a caller would wait on it: the first frame of speech
        // (Deepgram's SpeechStarted, barge-in), and the silence after speech from the moment
        // endpointing's count is complete (Deepgram then sends the final result); those go at once,
        // with what was gathered before them, and the tail after it goes in short messages.
        const size = this.batchSize();
        const urgent = this.urgent(samples);
        let at = 0;
        while (at < samples.length) {
          const take = Math.max(0, Math.min(size - this.batchFill, samples.length - at));
          this.batch.set(samples.subarray(at, at + take), this.batchFill);
          this.batchFill += take;
          at += take;
          if (this.batchFill >= size && !this.sendBatch()) {
            this.ring.write(samples.subarray(at));
            return;
          }
        }
        if (urgent) this.sendBatch();
        return;
      }
      if (this.connection.sendMedia(samples)) {
        this.lastSendAt = Date.now();
        return;
      }
      // The socket is closing (its close event follows); give up on it if that takes too long.
      this.sendFailedAt ??= Date.now();
      if (Date.now() - this.sendFailedAt > this.options.connectTimeoutMs) this.connection.abandon('socket stuck closing');
    }
    const dropped = this.ring.write(samples);
    if (dropped > 0) this.options.hooks.droppedAudioSeconds?.(dropped / SAMPLE_RATE_HZ);
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  /**
   * Whether this frame must not wait in the batch: speech starting, or silence that completes
   * endpointing's count or the utterance end's.
   */
  private urgent(samples: Int16Array): boolean {
    let sum = 0;
    for (let i = 0; i < samples.length; i++) {
      const s = samples[i] as number;
      sum += s * s;
    }
    if (sum >= SPEECH_RMS * SPEECH_RMS * samples.length) {
      const onset = this.quietSamples >= this.tailSamples;
      this.quietSamples = 0;
      return onset;
    }
    const before = this.quietSamples;
    this.quietSamples += samples.length;
    // A pause shorter than endpointing (between words) ends nothing: gathered. From the moment
    // endpointing's silence is complete on our clock, Deepgram may be about to end the utterance;
    // and when the utterance end's is, to send UtteranceEnd.
    const after = this.quietSamples;
    return (before < this.endpointSamples && after >= this.endpointSamples) || (before < this.utteranceEndSamples && after >= this.utteranceEndSamples);
  }

  /**
   * How much audio a frame joins (see `batch`), by the quiet counted before it: the frame that
   * completes endpointing goes with the speech before it, the frames after it in the tail.
   */
  private batchSize(): number {
    if (this.quietSamples >= this.utteranceEndSamples) return this.batch.length;
    if (this.quietSamples >= this.tailSamples) return this.chunkSamples;
    if (this.quietSamples >= this.endpointSamples) return this.tailChunkSamples;
    return this.chunkSamples;
  }

  /**
   * Sends the gathered audio (all of it, or what has been gathered so far before a Finalize).
   * False when the socket would not take it: the audio then waits in the reconnect buffer.
   */
  private sendBatch(): boolean {
    if (this.batchFill === 0) return true;
    const audio = this.batch.subarray(0, this.batchFill);
    if (this.connection?.sendMedia(audio)) {
      this.lastSendAt = Date.now();
      this.batchFill = 0;
      return true;
    }
    this.sendFailedAt ??= Date.now();
    if (this.connection !== null && Date.now() - this.sendFailedAt > this.options.connectTimeoutMs) this.connection.abandon('socket stuck closing');
    const dropped = this.ring.write(audio);
    if (dropped > 0) this.options.hooks.droppedAudioSeconds?.(dropped / SAMPLE_RATE_HZ);
    this.batchFill = 0;
    return false;
  }

  stats(): DeepgramStreamStats {
    return {
      connections: this.connections,
      samplesIn: this.samplesIn,
      samplesDropped: this.ring.dropped,
      samplesBuffered: this.ring.size,
      keepAlivesSent: this.keepAlivesSent,
    };
  }

  private connect(): void {
    this.state = 'connecting';
    this.attemptStartedAt = performance.now();
    const connection = new ListenConnection(
      {
        open: () => this.onOpen(connection),
        message: (data) => this.onMessage(data),
        lost: (failure) => this.onLost(connection, failure),
      },
      this.options.connectTimeoutMs,
    );
    this.connection = connection;
    void connection.start(this.client, this.args);
  }

  private onOpen(connection: ListenConnection): void {
    if (connection !== this.connection || this.state !== 'connecting') return;
    const connectMs = performance.now() - this.attemptStartedAt;
    this.options.hooks.connectSeconds?.(connectMs / 1000, 'ok');
    if (this.failures > 0) this.options.hooks.reconnect?.('success');
    this.state = 'open';
    this.openedAt = performance.now();
    this.sendFailedAt = null;
    this.connections += 1;
    this.offsetSamples = this.samplesIn - this.ring.size;
    const flushedSamples = this.ring.size;
    try {
      this.ring.drain((run) => {
        for (let at = 0; at < run.length; at += FLUSH_PIECE) {
          if (!connection.sendMedia(run.subarray(at, at + FLUSH_PIECE))) throw new Error('socket closed during flush');
        }
      });
    } catch {
      // The socket went down while flushing: what was not sent stays buffered for the next one.
    }
    this.lastSendAt = Date.now();
    this.scheduleKeepAlive(this.options.keepAliveMs);
    const fields = {
      connectMs: Math.round(connectMs),
      offsetMs: this.offsetMs(),
      flushedMs: flushedSamples / SAMPLES_PER_MS,
      droppedMs: this.ring.dropped / SAMPLES_PER_MS,
    };
    this.log.info({ ...fields, connection: this.connections }, 'deepgram stream connected');
    if (this.announcedDown) {
      this.announcedDown = false;
      this.emit({ type: 'status', available: true, reason: 'reconnected' });
    }
  }

  private onMessage(data: unknown): void {
    if (this.state === 'closed' || this.state === 'failed') return;
    const mapped = mapDeepgramMessage(data, this.offsetMs());
    for (const event of mapped.events) this.emit(event);
    if (mapped.fromFinalize) this.finalizeWaiter?.();
    if (mapped.metadata !== null) this.log.debug({ requestId: mapped.metadata.requestId }, 'deepgram stream metadata');
  }

  private onLost(connection: ListenConnection, failure: ConnectionFailure): void {
    if (connection !== this.connection) return;
    // Gathered but never sent: it waits for the next connection like any audio heard meanwhile.
    if (this.batchFill > 0) {
      this.ring.write(this.batch.subarray(0, this.batchFill));
      this.batchFill = 0;
    }
    this.connection = null;
    this.clearKeepAlive();
    if (this.state === 'closing') {
      this.finalizeWaiter?.();
      this.closeWaiter?.();
      return;
    }
    const wasOpen = this.state === 'open';
    if (wasOpen && performance.now() - this.openedAt >= STABLE_UPTIME_MS) this.failures = 0;
    if (!wasOpen) {
      this.options.hooks.connectSeconds?.((performance.now() - this.attemptStartedAt) / 1000, failure.kind === 'timeout' ? 'timeout' : 'error');
      if (this.failures > 0) this.options.hooks.reconnect?.('failure');
    }
    const fatal = failure.httpStatus === undefined ? undefined : FATAL_HTTP[failure.httpStatus];
    if (fatal !== undefined) {
      this.state = 'failed';
      this.ring.clear();
      this.log.warn({ httpStatus: failure.httpStatus, code: fatal.code }, 'deepgram stream refused; not retrying');
      this.emit({ type: 'error', code: fatal.code, message: fatal.message, retryable: false });
      return;
    }
    const delayMs = backoffDelayMs(this.options.retry, this.failures);
    this.failures += 1;
    this.log.warn({ reason: failure.reason, wasOpen, retry: this.failures, delayMs }, 'deepgram stream lost; retrying');
    if (!this.announcedDown) {
      this.announcedDown = true;
      this.emit({ type: 'status', available: false, reason: failure.reason });
    }
    this.state = 'waiting';
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.state === 'waiting') this.connect();
    }, delayMs);
  }

  private scheduleKeepAlive(delayMs: number): void {
    this.keepAliveTimer = setTimeout(() => {
      this.keepAliveTimer = null;
      if (this.state !== 'open') return;
      const idleMs = Date.now() - this.lastSendAt;
      if (idleMs >= this.options.keepAliveMs) {
        if (this.connection?.sendControl('KeepAlive')) this.keepAlivesSent += 1;
        this.lastSendAt = Date.now();
        this.scheduleKeepAlive(this.options.keepAliveMs);
      } else {
        this.scheduleKeepAlive(this.options.keepAliveMs - idleMs);
      }
    }, delayMs);
    this.keepAliveTimer.unref();
  }

  private clearKeepAlive(): void {
    if (this.keepAliveTimer !== null) clearTimeout(this.keepAliveTimer);
    this.keepAliveTimer = null;
  }

  private async shutdown(): Promise<void> {
    const wasOpen = this.state === 'open';
    this.state = 'closing';
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.clearKeepAlive();
    this.ring.clear();
    const connection = this.connection;
    if (wasOpen && connection !== null) {
      // What was gathered for the next message is heard before the Finalize.
      if (this.batchFill > 0 && connection.sendMedia(this.batch.subarray(0, this.batchFill))) this.lastSendAt = Date.now();
      this.batchFill = 0;
      // Nothing sent on this connection: nothing to finalize, no result to wait for.
      const sentAudio = this.samplesIn > this.offsetSamples;
      if (sentAudio && connection.sendControl('Finalize')) {
        await this.waitFor((done) => (this.finalizeWaiter = done), this.options.finalizeTimeoutMs);
      }
      if (this.connection === connection && connection.sendControl('CloseStream')) {
        await this.waitFor((done) => (this.closeWaiter = done), CLOSE_STREAM_WAIT_MS);
      }
    }
    this.finalizeWaiter = null;
    this.closeWaiter = null;
    this.connection?.dispose();
    this.connection = null;
    this.state = 'closed';
  }

  /** Resolves when the callback passed to `arm` is called, or after `timeoutMs`. */
  private waitFor(arm: (done: () => void) => void, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      arm(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private offsetMs(): number {
    return this.offsetSamples / SAMPLES_PER_MS;
  }

  private emit(event: SttEvent): void {
    try {
      this.onEvent(event);
    } catch (error) {
      this.log.warn({ err: error, eventType: event.type }, 'stt event handler threw');
    }
  }
}
