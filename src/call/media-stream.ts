import type { RawData, WebSocket } from 'ws';
import { clip } from '../observability/clip';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { OutboundCommand, ProtocolAdapter, StartCheck, StreamStart } from '../telephony/events';
import type { CallRegistry } from './call-registry';
import type { CallSession, MediaLink } from './call-session';
import type { ServiceRoom } from './service-room';

/** WebSocket close codes the bridge uses (RFC 6455 §7.4.1 and the IANA registry). */
export const CLOSE = {
  normal: 1000,
  goingAway: 1001,
  unsupportedData: 1003,
  policyViolation: 1008,
  tooBig: 1009,
  internalError: 1011,
  tryAgainLater: 1013,
} as const;

/** A peer that has not finished the closing handshake by then is cut off. */
const CLOSE_GRACE_MS = 2000;

export interface MediaStreamDeps {
  adapter: ProtocolAdapter;
  registry: CallRegistry;
  metrics: Metrics;
  logger: Logger;
  /**
   * Builds the session for a new call (questionnaire choice, speech, prompts: the composition
   * root's business), or refuses the call: the stream is then closed with 1008 and the detail.
   */
  createSession(link: MediaLink, start: StreamStart, log: Logger): CallSession | SessionRefused;
  /**
   * Checks the start against what the upgrade established (Twilio's per-call token, Maqsam's
   * apiKey). Absent: the upgrade check was all there is (development mode, Maqsam's Auth header).
   */
  checkStart?: StartCheck;
  /** Told once the stream has started or closed: it no longer counts as a socket that proved nothing. */
  onSettled?: () => void;
  /** Query parameters of the stream URL (`?questionnaire=`), merged under the start's own. */
  query?: Readonly<Record<string, string>>;
  /** Parameters that authenticate the stream: checked, then kept away from the session and logs. */
  secretParameters?: readonly string[];
  keepaliveMs?: number;
  /** A stream that has not started (Twilio start, Maqsam session.setup) by then is closed. */
  startTimeoutMs?: number;
  /** Outbound bytes queued on a socket past which the peer is considered stuck. */
  maxBufferedBytes?: number;
  /**
   * Several instances: whether the service as a whole has room. A stream that reaches this
   * instance when it is full is still served if so (up to the registry's hard limit). Absent: one
   * instance, and its limit is the service's.
   */
  serviceRoom?: ServiceRoom;
}

/** A call the composition root will not run (e.g. an unknown questionnaire under UNKNOWN_QUESTIONNAIRE=reject). */
export interface SessionRefused {
  refused: { reason: string; detail: string };
}

/**
 * One provider WebSocket: decodes frames with the provider's adapter and feeds the call's
 * session. Bad frames are counted and logged and the call goes on; only a protocol breach that
 * makes the stream meaningless closes it. Once the bridge has decided to close a socket, nothing
 * more it sends is acted on. A throw while handling one message or timer closes this socket with
 * 1011 (the call's answers are already saved) and never reaches the process.
 */
export class MediaStream {
  private session: CallSession | null = null;
  private streamId = '';
  private superseded = false;
  /** The bridge has closed (or refused) this socket: every further message is dropped. */
  private closing = false;
  /** A start is waiting for the service's room (this instance is full). */
  private awaitingRoom = false;
  private alive = true;
  private readonly keepalive: NodeJS.Timeout;
  private startTimer: NodeJS.Timeout | null;
  private terminateTimer: NodeJS.Timeout | null = null;
  private readonly rejections = new Map<string, number>();
  private log: Logger;

  constructor(
    private readonly ws: WebSocket,
    private readonly deps: MediaStreamDeps,
  ) {
    this.log = deps.logger;
    // Up to 50 messages a second per call: a try/catch here, not a closure per message.
    ws.on('message', (data, isBinary) => {
      try {
        this.onMessage(data, isBinary);
      } catch (error) {
        this.failed('message', error);
      }
    });
    ws.on('close', (code, reason) => this.guard('close', () => this.onClose(code, reason.toString())));
    ws.on('error', (error: Error & { code?: string }) => {
      this.closing = true;
      if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') this.reject('too_big', 'message over the 64 KiB limit; closed with 1009');
      else this.reject('protocol_error', clip(error.message, 120));
    });
    ws.on('pong', () => {
      this.alive = true;
    });
    this.keepalive = setInterval(() => this.guard('timer', () => this.ping()), deps.keepaliveMs ?? 15_000);
    this.keepalive.unref();
    const startTimeoutMs = deps.startTimeoutMs ?? 15_000;
    this.startTimer = setTimeout(() => this.guard('timer', () => this.refuse('no_start', `no start message within ${startTimeoutMs} ms`)), startTimeoutMs);
    this.startTimer.unref();
  }

  /** Ends a stream that must not go on (failed authentication, no start), with close 1008 and the reason. */
  refuse(reason: string, detail: string): void {
    this.reject(reason, detail);
    this.closeSocket(CLOSE.policyViolation, detail);
  }

  private get provider() {
    return this.deps.adapter.provider;
  }

  /** Runs one handler; a throw closes this socket with 1011 instead of reaching the process. */
  private guard(scope: 'message' | 'close' | 'timer', handler: () => void): void {
    try {
      handler();
    } catch (error) {
      this.failed(scope, error);
    }
  }

  private failed(scope: 'message' | 'close' | 'timer', error: unknown): void {
    this.deps.metrics.internalErrors.inc({ scope });
    this.log.error({ err: error, scope }, 'internal error on a media stream; closing it with 1011 (answers given so far are saved)');
    if (scope !== 'close') this.closeSocket(CLOSE.internalError, 'internal error');
  }

  /** Closes from our side, drops whatever the peer still sends, and cuts a peer that never finishes the close. */
  private closeSocket(code: number, reason: string): void {
    this.closing = true;
    if (this.startTimer) clearTimeout(this.startTimer);
    this.startTimer = null;
    if (this.ws.readyState === this.ws.OPEN) this.ws.close(code, clip(reason, 120));
    if (!this.terminateTimer && this.ws.readyState !== this.ws.CLOSED) {
      this.terminateTimer = setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS);
      this.terminateTimer.unref();
    }
  }

  /**
   * Counts every rejection; logs the first of each reason on this stream and then every 100th
   * (a provider sending bad media sends 50 a second: one line each would drown the log).
   */
  private reject(reason: string, detail: string): void {
    this.deps.metrics.wsRejected.inc({ provider: this.provider, reason });
    const count = (this.rejections.get(reason) ?? 0) + 1;
    this.rejections.set(reason, count);
    if (count === 1 || count % 100 === 0) this.log.warn({ reason, detail: clip(detail, 160), count }, 'media stream message rejected');
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (this.closing) return;
    const receivedMs = performance.now();
    if (isBinary) {
      this.reject('binary_frame', 'binary frames are not part of the protocol');
      this.closeSocket(CLOSE.unsupportedData, 'binary frames are not accepted: send JSON text frames');
      return;
    }
    const decoded = this.deps.adapter.decode(data.toString());
    if (!decoded.ok) return this.reject(decoded.reason, decoded.detail);
    const event = decoded.event;
    switch (event.type) {
      case 'connected':
        return;
      case 'start':
        return this.onStart(event);
      case 'stop':
        this.session?.onStreamEnded();
        this.closeSocket(CLOSE.normal, 'stream stopped');
        return;
      default:
        break;
    }
    if (!this.session) {
      // The start is waiting for the service's room (this instance is full): the caller's first
      // frames are dropped, as a stream refused at capacity would drop them.
      if (this.awaitingRoom) return;
      return this.reject('before_start', `${event.type} before start`);
    }
    switch (event.type) {
      case 'audio':
        this.session.onAudio(event.payload);
        // The whole inbound path: JSON parse, decode, transcode, hand-off to recognition.
        this.deps.metrics.inboundFrame.observe((performance.now() - receivedMs) / 1000);
        return;
      case 'dtmf':
        return this.session.onDtmf(event.digit, receivedMs);
      case 'mark':
        return this.session.onMark(event.name);
    }
  }

  private onStart(received: StreamStart): void {
    if (this.session || this.awaitingRoom) return this.reject('duplicate_start', 'a second start on one stream');
    if (this.startTimer) clearTimeout(this.startTimer);
    this.startTimer = null;
    this.log = this.deps.logger.child({ callSid: clip(received.callId), streamSid: clip(received.streamId) });
    const existing = this.deps.registry.get(this.provider, received.callId);
    const verdict = this.deps.checkStart?.(received, { liveCall: existing !== undefined }) ?? { ok: true };
    if (!verdict.ok) return this.refuse(verdict.reason, verdict.detail);
    // A call that has ended stays ended: a new stream naming it would start it over and
    // overwrite what the patient answered.
    if (!existing && this.deps.registry.outcome(this.provider, received.callId)) {
      return this.refuse('call_ended', 'this call has already ended; a stream cannot start it again');
    }
    this.deps.onSettled?.();
    const parameters: Record<string, string> = { ...this.deps.query, ...received.parameters };
    for (const name of this.deps.secretParameters ?? []) delete parameters[name];
    const start: StreamStart = { ...received, parameters, authToken: null };
    this.streamId = start.streamId;
    if (start.mediaFormat && (start.mediaFormat.encoding !== 'audio/x-mulaw' || start.mediaFormat.sampleRateHz !== 8000)) {
      this.log.warn({ mediaFormat: { encoding: clip(start.mediaFormat.encoding), sampleRateHz: start.mediaFormat.sampleRateHz } }, 'unexpected media format; treating the audio as 8 kHz mu-law');
    }
    if (existing) {
      // Twilio sometimes opens a second stream for a call: it takes over (it passed the same
      // checks as the first, so naming the call's id alone is never enough).
      this.session = existing;
      existing.replaceLink(this.link());
      return;
    }
    if (this.deps.registry.atCapacity()) {
      const serviceRoom = this.deps.serviceRoom;
      if (!serviceRoom || this.deps.registry.atHardLimit()) return this.refuseAtCapacity();
      this.awaitingRoom = true;
      serviceRoom({ reserve: false }).then(
        (room) =>
          this.guard('timer', () => {
            this.awaitingRoom = false;
            if (this.closing) return;
            // Another stream of this call may have started meanwhile: this one must not run it twice.
            if (!room || this.deps.registry.atHardLimit() || this.deps.registry.get(this.provider, start.callId)) return this.refuseAtCapacity();
            this.log.info({ active: this.deps.registry.active, limit: this.deps.registry.maxConcurrent }, 'this instance is full but the service has room: serving the stream here');
            this.begin(start);
          }),
        () => this.refuseAtCapacity(),
      );
      return;
    }
    this.begin(start);
  }

  private refuseAtCapacity(): void {
    this.awaitingRoom = false;
    if (this.closing) return;
    this.reject('at_capacity', `${this.deps.registry.active} calls active`);
    this.closeSocket(CLOSE.tryAgainLater, 'bridge at capacity');
  }

  private begin(start: StreamStart): void {
    const session = this.deps.createSession(this.link(), start, this.log);
    if ('refused' in session) return this.refuse(session.refused.reason, session.refused.detail);
    this.session = session;
    this.deps.registry.add(session);
    // Providers that wait for it (Maqsam's session.ready) hear it before any audio.
    this.send({ type: 'ready' });
    session.start();
  }

  private link(): MediaLink {
    return {
      send: (command: OutboundCommand) => this.send(command),
      close: (code, reason) => {
        this.superseded = true;
        this.closeSocket(code, reason);
      },
    };
  }

  private send(command: OutboundCommand): void {
    if (this.superseded || this.ws.readyState !== this.ws.OPEN) return;
    const text = this.deps.adapter.encode(command, this.streamId);
    const ending = command.type === 'hangup' || command.type === 'transfer';
    if (text === null) {
      // Twilio has no message for these: closing the stream hands the call back to its TwiML.
      if (ending) this.closeSocket(CLOSE.normal, command.type === 'transfer' ? 'transfer' : 'call ended');
      return;
    }
    if (ending) {
      // Maqsam: say it, then close (after a transfer Maqsam closes first; this is the backstop).
      this.ws.send(text);
      const close = () => this.ws.readyState === this.ws.OPEN && this.closeSocket(CLOSE.normal, command.type === 'transfer' ? 'transfer' : 'call ended');
      if (command.type === 'hangup') close();
      else setTimeout(close, 5000).unref();
      return;
    }
    if (this.ws.bufferedAmount > (this.deps.maxBufferedBytes ?? 1 << 20)) {
      this.log.error({ bufferedBytes: this.ws.bufferedAmount }, 'provider is not reading the stream; closing it');
      this.ws.terminate();
      return;
    }
    this.ws.send(text);
  }

  private ping(): void {
    if (!this.alive) {
      this.log.warn('no pong to the last keepalive ping; closing the stream');
      this.ws.terminate();
      return;
    }
    this.alive = false;
    this.ws.ping();
  }

  private onClose(code: number, reason: string): void {
    this.closing = true;
    clearInterval(this.keepalive);
    if (this.startTimer) clearTimeout(this.startTimer);
    if (this.terminateTimer) clearTimeout(this.terminateTimer);
    this.deps.onSettled?.();
    this.log.info({ code, reason: clip(reason, 120) }, 'media stream closed');
    if (!this.superseded) this.session?.onStreamEnded();
  }
}
