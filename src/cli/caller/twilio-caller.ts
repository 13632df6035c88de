import { randomBytes } from 'node:crypto';
import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import WebSocket from 'ws';
import { type CallerAnswer, CallerLine, callerAnswers, type LineEvent } from './caller-line';
import { type ParsedTwiml, parseTwiml } from './twiml';
import { BridgeUnreachableError } from './unreachable';

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

export type { CallerAnswer };

export type TimelineEvent =
  | { t: number; type: 'webhook'; status: number; busy: boolean }
  | { t: number; type: 'connected'; streamUrl: string }
  | LineEvent
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
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers, body: new URLSearchParams(params).toString() });
  } catch (error) {
    throw BridgeUnreachableError.from(url, error);
  }
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
  let opened = false;
  ws.once('open', () => {
    opened = true;
  });
  const streamSid = `MZ${randomBytes(16).toString('hex')}`;
  let chunk = 0;
  let callerHungUp = false;
  const send = (msg: object) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
  };

  const hangUp = () => {
    callerHungUp = true;
    send({ event: 'stop', sequenceNumber: '0', streamSid, stop: { accountSid: 'AC', callSid } });
    ws.close(1000, 'caller hung up');
  };

  const line = new CallerLine(
    { audio: options.audio, answers: callerAnswers(options), quietMs: options.quietMs },
    {
      sendFrame: (frame) => {
        const payload = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).toString('base64');
        send({
          event: 'media',
          sequenceNumber: String(chunk + 2),
          streamSid,
          media: { track: 'inbound', chunk: String(chunk + 1), timestamp: String(chunk * 20), payload },
        });
        chunk++;
      },
      sendDigits: (digits) => {
        for (const digit of digits) send({ event: 'dtmf', streamSid, sequenceNumber: '0', dtmf: { track: 'inbound_track', digit } });
      },
      echoMark: (name) => send({ event: 'mark', streamSid, sequenceNumber: '0', mark: { name } }),
      hangUp,
      emit,
      t,
    },
  );

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
      line.start();
    });

    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as { event: string; media?: { payload: string }; mark?: { name: string } };
      const now = performance.now();
      if (msg.event === 'media' && msg.media) line.onAudio(Buffer.from(msg.media.payload, 'base64'), now);
      else if (msg.event === 'mark' && msg.mark) line.onMark(msg.mark.name, now);
      else if (msg.event === 'clear') line.onClear(now);
    });

    ws.on('close', (code, reason) => {
      clearTimeout(deadline);
      line.stop();
      emit({ t: t(), type: 'hangup', by: callerHungUp ? 'caller' : 'bridge', code, reason: reason.toString() });
      resolve({ heard: line.heard(), payloadSizes: line.payloadSizes, replyLatenciesMs: line.replyLatenciesMs });
    });

    ws.on('unexpected-response', (_req, res) => {
      clearTimeout(deadline);
      reject(new Error(`stream upgrade refused: HTTP ${res.statusCode}`));
    });
    ws.on('error', (error) => {
      clearTimeout(deadline);
      reject(opened ? error : BridgeUnreachableError.from(url, error));
    });
  });
}
