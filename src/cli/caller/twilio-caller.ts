import { randomBytes } from 'node:crypto';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import WebSocket from 'ws';
import { type ParsedTwiml, parseTwiml } from './twiml';

/**
 * A simulated Twilio: does what Twilio does for one inbound call, against a local bridge or a
 * deployment. Signs and POSTs the voice webhook, opens the stream its TwiML names, streams the
 * caller's audio in real time, echoes marks when the audio before them would have finished
 * playing, presses keys when the bridge is listening, and asks the Connect action what next.
 */
export interface CallerOptions {
  baseUrl: string;
  questionnaire?: string;
  /** Digit groups; each is sent once the bridge has finished speaking and is listening. */
  dtmf?: string[];
  /**
   * The caller's answers in order, keys or speech (μ-law 8 kHz), each given when the bridge is
   * listening. Used instead of `dtmf` when set.
   */
  answers?: CallerAnswer[];
  /** The caller's voice, μ-law 8 kHz, streamed from the start (silence after it). */
  audio?: Uint8Array;
  authToken?: string;
  callSid?: string;
  to?: string;
  /** How long the line must stay quiet after the bridge's last mark before a key is pressed. */
  quietMs?: number;
  /** Hang up this long after the stream opens, whatever is happening (a caller who gives up). */
  hangUpAfterMs?: number;
  maxDurationMs?: number;
  onEvent?: (event: TimelineEvent) => void;
}

export type CallerAnswer = { dtmf: string } | { audio: Uint8Array; label: string };

export type TimelineEvent =
  | { t: number; type: 'webhook'; status: number; busy: boolean }
  | { t: number; type: 'connected'; streamUrl: string }
  | { t: number; type: 'prompt'; frames: number; durationMs: number }
  | { t: number; type: 'dtmf'; digits: string }
  | { t: number; type: 'say'; label: string; durationMs: number }
  | { t: number; type: 'reply'; latencyMs: number }
  | { t: number; type: 'clear' }
  | { t: number; type: 'hangup'; by: 'bridge' | 'caller'; code: number; reason: string }
  | { t: number; type: 'next'; twiml: 'hangup' | 'dial' | 'none'; dial?: string };

export interface CallReport {
  callSid: string;
  twiml: ParsedTwiml;
  busy: boolean;
  timeline: TimelineEvent[];
  /** Everything the bridge played, μ-law 8 kHz, in order (cleared audio included). */
  heard: Uint8Array;
  /** Sizes of every media payload received, in bytes. */
  payloadSizes: number[];
  replyLatenciesMs: number[];
  afterStream: ParsedTwiml | null;
}

const FRAME = 160;

export async function placeCall(options: CallerOptions): Promise<CallReport> {
  const callSid = options.callSid ?? `CA${randomBytes(16).toString('hex')}`;
  const started = performance.now();
  const timeline: TimelineEvent[] = [];
  const emit = (event: TimelineEvent) => {
    timeline.push(event);
    options.onEvent?.(event);
  };
  const t = () => Math.round(performance.now() - started);
  const base = options.baseUrl.replace(/\/+$/, '');
  const query = options.questionnaire ? `?questionnaire=${encodeURIComponent(options.questionnaire)}` : '';
  const params = {
    CallSid: callSid,
    AccountSid: `AC${'0'.repeat(32)}`,
    From: '+966500000000',
    To: options.to ?? '+966110000001',
    CallStatus: 'ringing',
    Direction: 'inbound',
  };
  const voice = await postSigned(`${base}/twilio/voice${query}`, params, options.authToken);
  if (voice.status !== 200) throw new Error(`POST /twilio/voice answered ${voice.status}: ${voice.body.slice(0, 200)}`);
  const twiml = parseTwiml(voice.body);
  const busy = !twiml.streamUrl;
  emit({ t: t(), type: 'webhook', status: voice.status, busy });
  const report: CallReport = { callSid, twiml, busy, timeline, heard: new Uint8Array(0), payloadSizes: [], replyLatenciesMs: [], afterStream: null };
  if (busy || !twiml.streamUrl) return report;

  const stream = await runStream(twiml, callSid, options, emit, t);
  report.heard = stream.heard;
  report.payloadSizes = stream.payloadSizes;
  report.replyLatenciesMs = stream.replyLatenciesMs;
  if (twiml.connectAction) {
    const after = await postSigned(twiml.connectAction, { ...params, CallStatus: 'in-progress' }, options.authToken);
    report.afterStream = parseTwiml(after.body);
    const next = report.afterStream.dial ? 'dial' : report.afterStream.hangup ? 'hangup' : 'none';
    emit({ t: t(), type: 'next', twiml: next, ...(report.afterStream.dial ? { dial: report.afterStream.dial } : {}) });
  }
  return report;
}

async function postSigned(url: string, params: Record<string, string>, authToken?: string): Promise<{ status: number; body: string }> {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (authToken) headers['x-twilio-signature'] = getExpectedTwilioSignature(authToken, url, params);
  const res = await fetch(url, { method: 'POST', headers, body: new URLSearchParams(params).toString() });
  return { status: res.status, body: await res.text() };
}

interface StreamResult {
  heard: Uint8Array;
  payloadSizes: number[];
  replyLatenciesMs: number[];
}

function runStream(
  twiml: ParsedTwiml,
  callSid: string,
  options: CallerOptions,
  emit: (e: TimelineEvent) => void,
  t: () => number,
): Promise<StreamResult> {
  const url = twiml.streamUrl as string;
  const headers: Record<string, string> = {};
  if (options.authToken) headers['x-twilio-signature'] = getExpectedTwilioSignature(options.authToken, url, {});
  const ws = new WebSocket(url, { headers });
  const streamSid = `MZ${randomBytes(16).toString('hex')}`;
  const answers: CallerAnswer[] = [...(options.answers ?? (options.dtmf ?? []).map((digits) => ({ dtmf: digits })))];
  /** Speech being played into the line, after `options.audio`. */
  let speech: { audio: Uint8Array; offset: number } | null = null;
  const heard: Buffer[] = [];
  const payloadSizes: number[] = [];
  const replyLatenciesMs: number[] = [];
  const pendingMarks = new Map<string, NodeJS.Timeout>();
  let playheadMs = 0; // when the audio received so far will have finished playing
  let promptFrames = 0;
  let awaitingReplySince: number | null = null;
  let quietTimer: NodeJS.Timeout | null = null;
  let sender: NodeJS.Timeout | null = null;
  let audioOffset = 0;
  let callerHungUp = false;
  const silence = Buffer.alloc(FRAME, 0xff);
  const send = (msg: object) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
  };

  const hangUp = () => {
    callerHungUp = true;
    send({ event: 'stop', sequenceNumber: '0', streamSid, stop: { accountSid: 'AC', callSid } });
    ws.close(1000, 'caller hung up');
  };

  const listening = () => {
    if (quietTimer) clearTimeout(quietTimer);
    quietTimer = null;
    if (pendingMarks.size > 0) return;
    // Timers may fire a little early against performance.now(): wait for the audio to end.
    const stillPlayingMs = playheadMs - performance.now();
    if (stillPlayingMs > 0) {
      quietTimer = setTimeout(listening, stillPlayingMs + 1);
      return;
    }
    quietTimer = setTimeout(() => {
      if (speech) return; // still answering
      const answer = answers.shift();
      // Nothing left to answer and the bridge is still asking: hang up like a caller would.
      if (answer === undefined) return hangUp();
      if ('dtmf' in answer) {
        emit({ t: t(), type: 'dtmf', digits: answer.dtmf });
        for (const digit of answer.dtmf) send({ event: 'dtmf', streamSid, sequenceNumber: '0', dtmf: { track: 'inbound_track', digit } });
        awaitingReplySince = performance.now();
        return;
      }
      emit({ t: t(), type: 'say', label: answer.label, durationMs: (answer.audio.length / 8000) * 1000 });
      speech = { audio: answer.audio, offset: 0 };
    }, options.quietMs ?? 300);
  };

  const echoMark = (name: string) => {
    pendingMarks.delete(name);
    send({ event: 'mark', streamSid, sequenceNumber: '0', mark: { name } });
    listening();
  };

  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => {
      ws.terminate();
      reject(new Error(`call did not end within ${options.maxDurationMs ?? 120_000} ms`));
    }, options.maxDurationMs ?? 120_000);

    ws.on('open', () => {
      emit({ t: t(), type: 'connected', streamUrl: url });
      if (options.hangUpAfterMs !== undefined) setTimeout(hangUp, options.hangUpAfterMs).unref();
      send({ event: 'connected', protocol: 'Call', version: '1.0.0' });
      send({
        event: 'start',
        sequenceNumber: '1',
        streamSid,
        start: {
          streamSid,
          accountSid: `AC${'0'.repeat(32)}`,
          callSid,
          tracks: ['inbound'],
          customParameters: twiml.parameters,
          mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
        },
      });
      // The caller's line: one 20 ms frame every 20 ms, on a drift-corrected schedule.
      let chunk = 0;
      const sendStart = performance.now();
      const tick = () => {
        const audio = options.audio;
        let frame: Buffer = silence;
        if (audio && audioOffset < audio.length) {
          frame = Buffer.alloc(FRAME, 0xff);
          frame.set(audio.subarray(audioOffset, audioOffset + FRAME));
          audioOffset += FRAME;
        } else if (speech) {
          frame = Buffer.alloc(FRAME, 0xff);
          frame.set(speech.audio.subarray(speech.offset, speech.offset + FRAME));
          speech.offset += FRAME;
          if (speech.offset >= speech.audio.length) {
            // The answer is spoken: the reply is timed from its last frame.
            speech = null;
            awaitingReplySince = performance.now();
          }
        }
        send({
          event: 'media',
          sequenceNumber: String(chunk + 2),
          streamSid,
          media: { track: 'inbound', chunk: String(chunk + 1), timestamp: String(chunk * 20), payload: frame.toString('base64') },
        });
        chunk++;
        sender = setTimeout(tick, Math.max(0, sendStart + chunk * 20 - performance.now()));
      };
      tick();
    });

    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as { event: string; media?: { payload: string }; mark?: { name: string } };
      const now = performance.now();
      if (msg.event === 'media' && msg.media) {
        const bytes = Buffer.from(msg.media.payload, 'base64');
        heard.push(bytes);
        payloadSizes.push(bytes.length);
        promptFrames += bytes.length / FRAME;
        playheadMs = Math.max(playheadMs, now) + (bytes.length / 8000) * 1000;
        if (quietTimer) clearTimeout(quietTimer);
        quietTimer = null;
        if (awaitingReplySince !== null) {
          const latencyMs = now - awaitingReplySince;
          replyLatenciesMs.push(latencyMs);
          emit({ t: t(), type: 'reply', latencyMs: Math.round(latencyMs * 10) / 10 });
          awaitingReplySince = null;
        }
      } else if (msg.event === 'mark' && msg.mark) {
        const name = msg.mark.name;
        emit({ t: t(), type: 'prompt', frames: promptFrames, durationMs: promptFrames * 20 });
        promptFrames = 0;
        pendingMarks.set(name, setTimeout(() => echoMark(name), Math.max(0, playheadMs - now)));
      } else if (msg.event === 'clear') {
        emit({ t: t(), type: 'clear' });
        playheadMs = now;
        for (const [name, timer] of pendingMarks) {
          clearTimeout(timer);
          echoMark(name);
        }
      }
    });

    ws.on('close', (code, reason) => {
      clearTimeout(deadline);
      if (sender) clearTimeout(sender);
      if (quietTimer) clearTimeout(quietTimer);
      for (const timer of pendingMarks.values()) clearTimeout(timer);
      emit({ t: t(), type: 'hangup', by: callerHungUp ? 'caller' : 'bridge', code, reason: reason.toString() });
      resolve({ heard: new Uint8Array(Buffer.concat(heard)), payloadSizes, replyLatenciesMs });
    });

    ws.on('unexpected-response', (_req, res) => {
      clearTimeout(deadline);
      reject(new Error(`stream upgrade refused: HTTP ${res.statusCode}`));
    });
    ws.on('error', (error) => {
      clearTimeout(deadline);
      reject(error);
    });
  });
}
