/**
 * Many simulated Twilio calls whose callers speak, from one process: one shared 5 ms timer (each
 * call served on every fourth tick, so calls keep different phases) sends each caller's line in
 * real time, 20 ms frames: utterances with silence between them, from a looped tape that each
 * call enters at a different point. Marks are echoed when the audio before them would have
 * played; no key is ever pressed. Traffic goes to 127.0.0.1 only.
 *
 * A caller's line starts with the first audio the bridge sends: by then the bridge has opened the
 * call's recognition stream (before its greeting), so the caller's n-th frame is the n-th 320
 * samples the recogniser receives, which is how the end of each utterance is found on the
 * recogniser's side (bench/deepgram-server.ts).
 */
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { MULAW_SILENCE } from '../src/audio/mulaw';
import { FRAME_BYTES } from '../src/speech/to-telephone';
import { twilioMediaMessage } from './codec';
import { BENCH_CALL_TAG } from './ipc';
import { epochNowMs, type UtteranceEnd } from './stand-in-ipc';

/** What the caller's line carries, looped: one frame each 20 ms. */
export interface CallerTape {
  /** Base64 μ-law, one per frame. */
  payloads: string[];
  /** True for the last frame of an utterance. */
  utteranceEnds: boolean[];
  speechFrames: number;
}

/** Recognition input per 8 kHz frame: 20 ms at 16 kHz, 16-bit. */
export const SAMPLES_16K_PER_FRAME = 320;
const FRAME_MS = 20;
const PHASES = 4;
const TICK_MS = FRAME_MS / PHASES;
const MEDIA_PREFIX = '{"event":"media"';

/** Each utterance preceded by a pause (cycled from `pausesMs`): a caller thinking, then answering. */
export function callerTape(utterances: readonly Uint8Array[][], pausesMs: readonly number[] = [1200, 800, 1600, 1000, 2000, 900]): CallerTape {
  const silence = Buffer.from(new Uint8Array(FRAME_BYTES).fill(MULAW_SILENCE)).toString('base64');
  const tape: CallerTape = { payloads: [], utteranceEnds: [], speechFrames: 0 };
  utterances.forEach((frames, i) => {
    const pauseFrames = Math.round((pausesMs[i % pausesMs.length] ?? 1000) / FRAME_MS);
    for (let n = 0; n < pauseFrames; n++) {
      tape.payloads.push(silence);
      tape.utteranceEnds.push(false);
    }
    frames.forEach((frame, n) => {
      tape.payloads.push(Buffer.from(frame).toString('base64'));
      tape.utteranceEnds.push(n === frames.length - 1);
    });
    tape.speechFrames += frames.length;
  });
  return tape;
}

export interface VoiceFleetOptions {
  /** ws://127.0.0.1:PORT/ws/telephony */
  url: string;
  calls: number;
  rampMs: number;
  questionnaire: string;
  tape: CallerTape;
}

export interface VoiceFleetStats {
  requested: number;
  opened: number;
  /** Opened and heard the bridge speak (their line has started). */
  answered: number;
  endedByBridge: Record<string, number>;
  errors: Record<string, number>;
  framesOut: number;
  framesIn: number;
  /** Utterances whose last frame was sent since the window started. */
  utteranceEnds: UtteranceEnd[];
}

class VoiceCall {
  readonly callSid = `CA${randomBytes(16).toString('hex')}`;
  readonly streamSid = `MZ${randomBytes(16).toString('hex')}`;
  ws: WebSocket | null = null;
  opened = false;
  closed = false;
  stopping = false;
  /** When the line started (first bridge audio), or null before. */
  lineStartMs: number | null = null;
  chunk = 0;
  playheadMs = 0;
  readonly marks: Array<{ name: string; dueMs: number }> = [];

  constructor(readonly tapeOffset: number) {}

  send(text: string): void {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(text);
  }
}

export class VoiceFleet {
  private readonly calls: VoiceCall[] = [];
  private timer: NodeJS.Timeout | null = null;
  private startMs = 0;
  private ticks = 0;
  private stats: VoiceFleetStats;

  constructor(private readonly options: VoiceFleetOptions) {
    const length = options.tape.payloads.length;
    // Entry points spread over the tape (a stride coprime with nothing in particular, then wrapped).
    for (let i = 0; i < options.calls; i++) this.calls.push(new VoiceCall(Math.floor((i * 0.618_034 * length) % length)));
    this.stats = this.emptyStats();
  }

  start(): void {
    this.startMs = performance.now();
    this.tick();
  }

  resetWindow(): void {
    const { opened, answered, endedByBridge, errors } = this.stats;
    this.stats = { ...this.emptyStats(), opened, answered, endedByBridge, errors };
  }

  snapshot(): VoiceFleetStats {
    return { ...this.stats, utteranceEnds: [...this.stats.utteranceEnds] };
  }

  /** Resolves once every call has heard the bridge (its line started) or failed. */
  async ramped(timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (this.calls.some((c) => c.lineStartMs === null && !c.closed) && performance.now() < deadline) await sleep(50);
  }

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

  private emptyStats(): VoiceFleetStats {
    return { requested: this.options.calls, opened: 0, answered: 0, endedByBridge: {}, errors: {}, framesOut: 0, framesIn: 0, utteranceEnds: [] };
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
      if (call.lineStartMs !== null && !call.closed && i % PHASES === phase) this.service(call, call.lineStartMs, now);
    }
    this.ticks++;
    this.timer = setTimeout(() => this.tick(), Math.max(0, this.startMs + this.ticks * TICK_MS - performance.now()));
  }

  private service(call: VoiceCall, lineStartMs: number, now: number): void {
    const { payloads, utteranceEnds } = this.options.tape;
    // One frame per 20 ms since the line started, catching up at most 5 after a stall.
    for (let n = 0; n < 5 && lineStartMs + call.chunk * FRAME_MS <= now + TICK_MS; n++) {
      const at = (call.tapeOffset + call.chunk) % payloads.length;
      call.send(twilioMediaMessage(call.streamSid, call.chunk, payloads[at]!));
      call.chunk++;
      this.stats.framesOut++;
      if (utteranceEnds[at]) this.stats.utteranceEnds.push([`${BENCH_CALL_TAG}${call.callSid}`, call.chunk * SAMPLES_16K_PER_FRAME, epochNowMs()]);
    }
    while (call.marks.length > 0 && call.marks[0]!.dueMs <= now) {
      const mark = call.marks.shift()!;
      call.send(JSON.stringify({ event: 'mark', sequenceNumber: String(call.chunk + 2), streamSid: call.streamSid, mark: { name: mark.name } }));
    }
  }

  private open(call: VoiceCall): void {
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

  private onMessage(call: VoiceCall, data: Buffer, isBinary: boolean): void {
    const now = performance.now();
    if (isBinary) return this.count(this.stats.errors, 'binary frame from the bridge');
    if (data.toString('latin1', 0, MEDIA_PREFIX.length) === MEDIA_PREFIX) {
      if (call.lineStartMs === null) {
        call.lineStartMs = now;
        this.stats.answered++;
      }
      this.stats.framesIn++;
      call.playheadMs = Math.max(call.playheadMs, now) + FRAME_MS;
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
