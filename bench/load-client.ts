/**
 * Many simulated Twilio calls from one process, cheaply: one shared timer (5 ms ticks; each call
 * is served on every fourth tick, so calls keep different phases as real calls do instead of
 * arriving as one burst every 20 ms) sends every call's caller audio, echoes marks when the audio before them would have played, and presses a
 * key once the bridge has finished speaking (as placeCall does, without its per-call timers,
 * recordings or webhooks). Traffic goes to 127.0.0.1 only.
 */
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { encodeMulaw } from '../src/audio/mulaw';
import { speechLikeFrames, twilioMediaMessage } from './codec';

export interface FleetOptions {
  /** ws://127.0.0.1:PORT/ws/telephony */
  url: string;
  calls: number;
  rampMs: number;
  questionnaire: string;
  /** Line quiet for this long after the bridge's last audio before a key is pressed. */
  quietMs: number;
}

/**
 * Keys pressed in turn, each group once the bridge is listening: consent yes, no chest pain, not
 * breathless, pain 3 — then `*` (repeat the question) for ever, so calls never end by themselves.
 */
const SCRIPT: readonly (readonly string[])[] = [['1'], ['2'], ['2'], ['3', '#']];
const REPEAT: readonly string[] = ['*'];
const FRAME_MS = 20;
/** Calls are spread over this many phases of the 20 ms frame period. */
const PHASES = 4;
const TICK_MS = FRAME_MS / PHASES;
const MEDIA_PREFIX = '{"event":"media"';
const NO_REPLY_MS = 5000;

class LeanCall {
  readonly callSid = `CA${randomBytes(16).toString('hex')}`;
  readonly streamSid = `MZ${randomBytes(16).toString('hex')}`;
  ws: WebSocket | null = null;
  opened = false;
  closed = false;
  stopping = false;
  chunk = 0;
  firstMediaMs = 0;
  playheadMs = 0;
  lastAudioMs = 0;
  readonly marks: Array<{ name: string; dueMs: number }> = [];
  step = 0;
  awaitingSinceMs: number | null = null;
  framesIn = 0;

  send(text: string): void {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(text);
  }
}

export interface FleetStats {
  requested: number;
  opened: number;
  /** Opened and heard the bridge speak. */
  answered: number;
  /** Closed by the bridge before the caller hung up, by close code and reason. */
  endedByBridge: Record<string, number>;
  /** Socket errors and refused upgrades, by message. */
  errors: Record<string, number>;
  /** First bridge frame after the last key of a group, ms, as seen by this client. */
  replyLatenciesMs: number[];
  /** Key groups the bridge never answered within 5 s. */
  unanswered: number;
  keysPressed: number;
  framesOut: number;
  framesIn: number;
}

export class CallFleet {
  private readonly calls: LeanCall[] = [];
  private readonly payloads: string[];
  private timer: NodeJS.Timeout | null = null;
  private startMs = 0;
  private ticks = 0;
  private stats: FleetStats;

  constructor(private readonly options: FleetOptions) {
    this.payloads = speechLikeFrames(8000, 50).map((f) => Buffer.from(encodeMulaw(f)).toString('base64'));
    for (let i = 0; i < options.calls; i++) this.calls.push(new LeanCall());
    this.stats = this.emptyStats();
  }

  /** Opens the calls evenly over `rampMs`, then keeps every call's line going. */
  start(): void {
    this.startMs = performance.now();
    this.tick();
  }

  /** Counters restart here (the load window); connection counts are kept. */
  resetWindow(): void {
    const { opened, answered, endedByBridge, errors } = this.stats;
    this.stats = { ...this.emptyStats(), opened, answered, endedByBridge, errors };
  }

  snapshot(): FleetStats {
    return { ...this.stats, replyLatenciesMs: [...this.stats.replyLatenciesMs] };
  }

  /** Resolves once every call that was scheduled has opened or failed. */
  async ramped(timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (this.calls.some((c) => !c.opened && !c.closed) && performance.now() < deadline) await sleep(50);
  }

  /** Every caller hangs up (Twilio `stop`, then close); stragglers are terminated after `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const call of this.calls) {
      call.stopping = true;
      if (!call.ws) {
        call.closed = true;
        continue;
      }
      call.send(JSON.stringify({ event: 'stop', sequenceNumber: String(call.chunk + 2), streamSid: call.streamSid, stop: { accountSid: `AC${'0'.repeat(32)}`, callSid: call.callSid } }));
      call.ws.close(1000, 'caller hung up');
    }
    const deadline = performance.now() + graceMs;
    while (this.calls.some((c) => !c.closed) && performance.now() < deadline) await sleep(20);
    for (const call of this.calls) if (!call.closed) call.ws?.terminate();
  }

  private emptyStats(): FleetStats {
    return {
      requested: this.options.calls,
      opened: 0,
      answered: 0,
      endedByBridge: {},
      errors: {},
      replyLatenciesMs: [],
      unanswered: 0,
      keysPressed: 0,
      framesOut: 0,
      framesIn: 0,
    };
  }

  private count(record: Record<string, number>, key: string): void {
    record[key] = (record[key] ?? 0) + 1;
  }

  private tick(): void {
    const now = performance.now();
    const due = Math.min(this.calls.length, Math.floor(((now - this.startMs) / Math.max(1, this.options.rampMs)) * this.calls.length) + 1);
    const phase = this.ticks % PHASES;
    for (let i = 0; i < due; i++) {
      const call = this.calls[i]!;
      if (!call.ws && !call.closed) this.open(call);
      if (call.opened && !call.closed && i % PHASES === phase) this.service(call, now);
    }
    this.ticks++;
    this.timer = setTimeout(() => this.tick(), Math.max(0, this.startMs + this.ticks * TICK_MS - performance.now()));
  }

  private service(call: LeanCall, now: number): void {
    // The caller's line: one frame per 20 ms since the first, catching up at most 5 after a stall.
    for (let n = 0; n < 5 && call.firstMediaMs + call.chunk * FRAME_MS <= now + TICK_MS; n++) {
      call.send(twilioMediaMessage(call.streamSid, call.chunk, this.payloads[call.chunk % this.payloads.length]!));
      call.chunk++;
      this.stats.framesOut++;
    }
    while (call.marks.length > 0 && call.marks[0]!.dueMs <= now) {
      const mark = call.marks.shift()!;
      call.send(JSON.stringify({ event: 'mark', sequenceNumber: String(call.chunk + 2), streamSid: call.streamSid, mark: { name: mark.name } }));
    }
    if (call.awaitingSinceMs !== null) {
      if (now - call.awaitingSinceMs < NO_REPLY_MS) return;
      this.stats.unanswered++;
      call.awaitingSinceMs = null;
    }
    const quiet = call.framesIn > 0 && call.marks.length === 0 && now - Math.max(call.lastAudioMs, call.playheadMs) >= this.options.quietMs;
    if (!quiet) return;
    const keys = SCRIPT[call.step] ?? REPEAT;
    call.step++;
    for (const digit of keys) {
      call.send(JSON.stringify({ event: 'dtmf', streamSid: call.streamSid, sequenceNumber: String(call.chunk + 2), dtmf: { track: 'inbound_track', digit } }));
    }
    this.stats.keysPressed += keys.length;
    call.awaitingSinceMs = performance.now();
  }

  private open(call: LeanCall): void {
    const ws = new WebSocket(this.options.url, { perMessageDeflate: false });
    call.ws = ws;
    ws.on('open', () => {
      call.opened = true;
      this.stats.opened++;
      call.send(JSON.stringify({ event: 'connected', protocol: 'Call', version: '1.0.0' }));
      call.send(
        JSON.stringify({
          event: 'start',
          sequenceNumber: '1',
          streamSid: call.streamSid,
          start: {
            streamSid: call.streamSid,
            accountSid: `AC${'0'.repeat(32)}`,
            callSid: call.callSid,
            tracks: ['inbound'],
            customParameters: { questionnaire: this.options.questionnaire },
            mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
          },
        }),
      );
      call.firstMediaMs = performance.now();
    });
    ws.on('message', (data: Buffer, isBinary) => this.onMessage(call, data, isBinary));
    ws.on('unexpected-response', (_req, res) => {
      this.count(this.stats.errors, `upgrade refused: HTTP ${res.statusCode}`);
      call.closed = true;
      ws.terminate();
    });
    ws.on('error', (error) => this.count(this.stats.errors, `socket error: ${error.message}`));
    ws.on('close', (code, reason) => {
      call.closed = true;
      if (!call.stopping && call.opened) this.count(this.stats.endedByBridge, `${code} ${reason.toString()}`.trim());
    });
  }

  private onMessage(call: LeanCall, data: Buffer, isBinary: boolean): void {
    const now = performance.now();
    if (isBinary) return this.count(this.stats.errors, 'binary frame from the bridge');
    if (data.toString('latin1', 0, MEDIA_PREFIX.length) === MEDIA_PREFIX) {
      // The bridge sends 160-byte (20 ms) frames; the payload is not decoded here.
      if (call.framesIn === 0) this.stats.answered++;
      call.framesIn++;
      this.stats.framesIn++;
      call.lastAudioMs = now;
      call.playheadMs = Math.max(call.playheadMs, now) + FRAME_MS;
      if (call.awaitingSinceMs !== null) {
        this.stats.replyLatenciesMs.push(now - call.awaitingSinceMs);
        call.awaitingSinceMs = null;
      }
      return;
    }
    const msg = JSON.parse(data.toString()) as { event?: string; mark?: { name?: string } };
    if (msg.event === 'mark' && msg.mark?.name) call.marks.push({ name: msg.mark.name, dueMs: Math.max(now, call.playheadMs) });
    else if (msg.event === 'clear') {
      call.playheadMs = now;
      for (const mark of call.marks) mark.dueMs = now;
    }
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
