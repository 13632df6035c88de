import { randomInt } from 'node:crypto';
import WebSocket from 'ws';
import { CallerLine, callerAnswers } from './caller-line';
import type { CallerOptions, TimelineEvent } from './twilio-caller';
import { BridgeUnreachableError } from './unreachable';

/**
 * A simulated Maqsam: does what Maqsam does for one voice-agent call, against a local bridge or
 * a deployment. Opens the bridge's Maqsam endpoint (token in the `Auth` header or as `apiKey` in
 * session.setup), sends session.setup, waits for session.ready, then streams the caller's line
 * every 20 ms (silence included, as Maqsam does), plays response.stream audio on a clock, echoes
 * call.mark when the audio before it would have played, and answers when the bridge listens.
 * Maqsam has no hang-up message: a caller who is done closes the socket.
 */
export interface MaqsamCallerOptions extends Omit<CallerOptions, 'authToken' | 'callSid' | 'to' | 'onEvent'> {
  /** The token the bridge expects (its MAQSAM_TOKEN); without it no credential is sent. */
  token?: string;
  /** How the token travels: the `Auth` header on the upgrade (default) or `apiKey` in session.setup. */
  authMode?: 'header' | 'setup';
  /** Maqsam's context id (a number in Maqsam's example); random when absent. */
  callId?: string | number;
  direction?: 'outbound' | 'inbound';
  callerNumber?: string;
  calleeNumber?: string;
  /** Campaign variables, sent as context.custom (patient_name, questionnaire…). */
  custom?: Readonly<Record<string, string | number>>;
  /** The bridge's endpoint; `questionnaire` goes in its query string. */
  path?: string;
  /** Close the socket when session.ready has not come this long after session.setup. */
  readyTimeoutMs?: number;
  /** After call.hangup, close the socket this long later if the bridge has not (Maqsam resumes its flow). */
  endGraceMs?: number;
  onEvent?: (event: MaqsamTimelineEvent) => void;
}

export type MaqsamTimelineEvent =
  | TimelineEvent
  | { t: number; type: 'ready'; latencyMs: number }
  | { t: number; type: 'redirect' }
  | { t: number; type: 'bridge-hangup' };

export interface MaqsamCallReport {
  callId: string;
  /** The bridge closed with 1013 (at capacity) before session.ready: the call was not taken. */
  busy: boolean;
  ready: boolean;
  /** From session.setup sent to session.ready received. */
  readyLatencyMs: number | null;
  /** call.redirect arrived (the simulated Maqsam then closes, as Maqsam does). */
  redirected: boolean;
  /** call.hangup arrived. */
  bridgeHungUp: boolean;
  closeCode: number;
  closeReason: string;
  /** Who closed the socket: the bridge, or this side (the caller hanging up, or Maqsam after a redirect). */
  closedBy: 'bridge' | 'caller';
  timeline: MaqsamTimelineEvent[];
  /** Everything the bridge played, μ-law 8 kHz, in order (audio cut by speech.started included). */
  heard: Uint8Array;
  /** Sizes of every response.stream payload received, in bytes. */
  payloadSizes: number[];
  replyLatenciesMs: number[];
  /** Marks echoed back, in order. */
  marksEchoed: string[];
  /** What Maqsam would not accept: frames that are not JSON, unknown types, audio before session.ready. */
  protocolErrors: string[];
}

/** The bridge refused the WebSocket upgrade with an HTTP status. */
export class UpgradeRefusedError extends Error {
  constructor(readonly status: number) {
    super(`stream upgrade refused: HTTP ${status}`);
    this.name = 'UpgradeRefusedError';
  }
}

/** `http(s)://HOST` (or `ws(s)://`) to the bridge's Maqsam endpoint, with the questionnaire in the query. */
export function maqsamStreamUrl(baseUrl: string, questionnaire?: string, path = '/ws/maqsam'): string {
  const base = baseUrl.replace(/\/+$/, '').replace(/^http(s?):\/\//i, (_m, s: string) => `ws${s}://`);
  const query = questionnaire ? `?questionnaire=${encodeURIComponent(questionnaire)}` : '';
  return `${base}${path}${query}`;
}

/** The upgrade's headers: Maqsam's literal `Auth` header, bare token, in header mode. */
export function upgradeHeaders(options: Pick<MaqsamCallerOptions, 'token' | 'authMode'>): Record<string, string> {
  return options.token && (options.authMode ?? 'header') === 'header' ? { Auth: options.token } : {};
}

/** Maqsam's context timestamp, `YYYY-MM-DD HH:MM:SS` (UTC here). */
export function maqsamTimestamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** Maqsam's first message: the call's context, and the token in setup mode. */
export function sessionSetupMessage(options: MaqsamCallerOptions, callId: string | number, now: Date): Record<string, unknown> {
  const outbound = (options.direction ?? 'outbound') === 'outbound';
  const clinic = '966110000001';
  const patient = '966500000000';
  return {
    type: 'session.setup',
    ...(options.token && options.authMode === 'setup' ? { apiKey: options.token } : {}),
    data: {
      context: {
        id: callId,
        caller_number: options.callerNumber ?? (outbound ? clinic : patient),
        callee_number: options.calleeNumber ?? (outbound ? patient : clinic),
        caller: outbound ? 'Clinic' : 'Patient',
        callee: outbound ? 'Patient' : 'Clinic',
        inputs: ['AI'],
        direction: outbound ? 'outbound' : 'inbound',
        timestamp: maqsamTimestamp(now),
        custom: { ...(options.custom ?? {}) },
      },
    },
  };
}

/** One call.dtmf per key, as Maqsam sends them. */
export function dtmfMessages(digits: string): string[] {
  return [...digits].map((digit) => JSON.stringify({ type: 'call.dtmf', data: { digit } }));
}

export function audioInputMessage(frame: Uint8Array): string {
  return `{"type":"audio.input","data":{"audio":"${Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).toString('base64')}"}}`;
}

/** A frame from the bridge, or null when it is not a JSON object with a string `type`. */
export function parseBridgeFrame(text: string): { type: string; data: Record<string, unknown> } | null {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) return null;
  const { type, data } = msg as { type?: unknown; data?: unknown };
  if (typeof type !== 'string') return null;
  return { type, data: typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : {} };
}

export function placeMaqsamCall(options: MaqsamCallerOptions): Promise<MaqsamCallReport> {
  const callId = options.callId ?? randomInt(1, 2 ** 47);
  const started = performance.now();
  const t = () => Math.round(performance.now() - started);
  const report: MaqsamCallReport = {
    callId: String(callId),
    busy: false,
    ready: false,
    readyLatencyMs: null,
    redirected: false,
    bridgeHungUp: false,
    closeCode: 0,
    closeReason: '',
    closedBy: 'bridge',
    timeline: [],
    heard: new Uint8Array(0),
    payloadSizes: [],
    replyLatenciesMs: [],
    marksEchoed: [],
    protocolErrors: [],
  };
  const emit = (event: MaqsamTimelineEvent) => {
    report.timeline.push(event);
    options.onEvent?.(event);
  };
  const url = maqsamStreamUrl(options.baseUrl, options.questionnaire, options.path);
  const ws = new WebSocket(url, { headers: upgradeHeaders(options) });
  const timers = new Set<NodeJS.Timeout>();
  const later = (fn: () => void, ms: number) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
    return timer;
  };
  let setupSentAt = 0;
  const send = (text: string) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(text);
  };
  /** Close from this side; the line goes quiet first. */
  const hangUp = (reason: string) => {
    line.end();
    if (ws.readyState !== WebSocket.OPEN) return;
    report.closedBy = 'caller';
    ws.close(1000, reason);
  };
  // The caller's line streams every 20 ms once session.ready has come, silence included.
  const line = new CallerLine(
    { audio: options.audio, answers: callerAnswers(options), quietMs: options.quietMs },
    {
      sendFrame: (frame) => send(audioInputMessage(frame)),
      sendDigits: (digits) => {
        for (const message of dtmfMessages(digits)) send(message);
      },
      echoMark: (label) => {
        report.marksEchoed.push(label);
        send(JSON.stringify({ type: 'call.mark', data: { label } }));
      },
      hangUp: () => hangUp('caller hung up'),
      emit,
      t,
    },
  );

  const onFrame = (text: string) => {
    const msg = parseBridgeFrame(text);
    if (!msg) return void report.protocolErrors.push(`not a JSON message with a type: ${text.slice(0, 60)}`);
    const now = performance.now();
    if (!report.ready && msg.type !== 'session.ready') report.protocolErrors.push(`${msg.type} before session.ready`);
    switch (msg.type) {
      case 'session.ready': {
        if (report.ready) return void report.protocolErrors.push('a second session.ready');
        report.ready = true;
        report.readyLatencyMs = now - setupSentAt;
        emit({ t: t(), type: 'ready', latencyMs: Math.round(report.readyLatencyMs * 10) / 10 });
        return line.start();
      }
      case 'response.stream': {
        const audio = msg.data['audio'];
        if (typeof audio !== 'string') return void report.protocolErrors.push('response.stream without data.audio');
        return line.onAudio(Buffer.from(audio, 'base64'), now);
      }
      case 'call.mark': {
        const label = msg.data['label'];
        if (typeof label !== 'string') return void report.protocolErrors.push('call.mark without data.label');
        return line.onMark(label, now);
      }
      case 'speech.started': {
        // Maqsam's clear: stop what is queued; the marks behind it come back now.
        return line.onClear(now);
      }
      case 'call.redirect': {
        report.redirected = true;
        emit({ t: t(), type: 'redirect' });
        line.stop();
        // Maqsam takes the caller to a human and disconnects the voice agent.
        return hangUp('redirected to a human');
      }
      case 'call.hangup': {
        report.bridgeHungUp = true;
        emit({ t: t(), type: 'bridge-hangup' });
        line.stop();
        later(() => hangUp('call.hangup'), options.endGraceMs ?? 1000);
        return;
      }
      default:
        report.protocolErrors.push(`unknown type ${msg.type.slice(0, 40)}`);
    }
  };

  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error: Error | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      line.stop();
      for (const timer of timers) clearTimeout(timer);
      if (error) return reject(error);
      report.heard = line.heard();
      report.payloadSizes = line.payloadSizes;
      report.replyLatenciesMs = line.replyLatenciesMs;
      resolve(report);
    };
    const maxDurationMs = options.maxDurationMs ?? 120_000;
    const deadline = setTimeout(() => {
      ws.terminate();
      finish(new Error(`call did not end within ${maxDurationMs} ms`));
    }, maxDurationMs);

    ws.on('open', () => {
      emit({ t: t(), type: 'connected', streamUrl: url });
      if (options.hangUpAfterMs !== undefined) later(() => hangUp('caller hung up'), options.hangUpAfterMs);
      setupSentAt = performance.now();
      send(JSON.stringify(sessionSetupMessage(options, callId, new Date())));
      later(() => {
        if (report.ready) return;
        report.protocolErrors.push('no session.ready');
        hangUp('no session.ready');
      }, options.readyTimeoutMs ?? 10_000);
    });
    ws.on('message', (data, isBinary) => {
      if (isBinary) return void report.protocolErrors.push('a binary frame');
      onFrame(data.toString());
    });
    ws.on('close', (code, reason) => {
      if (settled) return;
      report.closeCode = code;
      report.closeReason = reason.toString();
      report.busy = !report.ready && code === 1013;
      emit({ t: t(), type: 'hangup', by: report.closedBy, code, reason: report.closeReason });
      finish(null);
    });
    ws.on('unexpected-response', (req, res) => {
      res.resume();
      req.destroy();
      finish(new UpgradeRefusedError(res.statusCode ?? 0));
    });
    ws.on('error', (error) => finish(report.timeline.some((e) => e.type === 'connected') ? error : BridgeUnreachableError.from(url, error)));
  });
}
