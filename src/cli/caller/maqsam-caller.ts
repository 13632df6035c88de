import { randomInt } from 'node:crypto';
import WebSocket from 'ws';
import type { CallerAnswer, CallerOptions, TimelineEvent } from './twilio-caller';

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

const FRAME = 160;

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
  const answers: CallerAnswer[] = [...(options.answers ?? (options.dtmf ?? []).map((digits) => ({ dtmf: digits })))];
  const heard: Buffer[] = [];
  const pendingMarks = new Map<string, NodeJS.Timeout>();
  const timers = new Set<NodeJS.Timeout>();
  const later = (fn: () => void, ms: number) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
    return timer;
  };
  /** Speech being played into the line, after `options.audio`. */
  let speech: { audio: Uint8Array; offset: number } | null = null;
  let audioOffset = 0;
  let playheadMs = 0; // when the audio received so far will have finished playing
  let promptFrames = 0;
  let awaitingReplySince: number | null = null;
  let quietTimer: NodeJS.Timeout | null = null;
  let sender: NodeJS.Timeout | null = null;
  let setupSentAt = 0;
  /** call.redirect or call.hangup arrived, or the caller hung up: the line goes quiet. */
  let ending = false;
  const send = (text: string) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(text);
  };
  const hangUp = (reason: string) => {
    ending = true;
    if (ws.readyState !== WebSocket.OPEN) return;
    report.closedBy = 'caller';
    ws.close(1000, reason);
  };
  const stopLine = () => {
    ending = true;
    if (sender) clearTimeout(sender);
    if (quietTimer) clearTimeout(quietTimer);
    for (const timer of pendingMarks.values()) clearTimeout(timer);
    pendingMarks.clear();
  };

  const listening = () => {
    if (quietTimer) clearTimeout(quietTimer);
    quietTimer = null;
    if (ending || pendingMarks.size > 0) return;
    // Timers may fire a little early against performance.now(): wait for the audio to end.
    const stillPlayingMs = playheadMs - performance.now();
    if (stillPlayingMs > 0) {
      quietTimer = setTimeout(listening, stillPlayingMs + 1);
      return;
    }
    quietTimer = setTimeout(() => {
      if (speech || ending) return;
      const answer = answers.shift();
      // Nothing left to answer and the bridge is still asking: hang up like a caller would.
      if (answer === undefined) return hangUp('caller hung up');
      if ('dtmf' in answer) {
        emit({ t: t(), type: 'dtmf', digits: answer.dtmf });
        for (const message of dtmfMessages(answer.dtmf)) send(message);
        awaitingReplySince = performance.now();
        return;
      }
      emit({ t: t(), type: 'say', label: answer.label, durationMs: (answer.audio.length / 8000) * 1000 });
      speech = { audio: answer.audio, offset: 0 };
    }, options.quietMs ?? 300);
  };

  const echoMark = (label: string) => {
    pendingMarks.delete(label);
    report.marksEchoed.push(label);
    send(JSON.stringify({ type: 'call.mark', data: { label } }));
    listening();
  };

  // The caller's line: one 20 ms frame every 20 ms on a drift-corrected schedule, silence included.
  const startLine = () => {
    const silence = new Uint8Array(FRAME).fill(0xff);
    const lineStart = performance.now();
    let chunk = 0;
    const tick = () => {
      if (ending) return;
      let frame = silence;
      const source = options.audio && audioOffset < options.audio.length ? options.audio : null;
      if (source) {
        frame = new Uint8Array(FRAME).fill(0xff);
        frame.set(source.subarray(audioOffset, audioOffset + FRAME));
        audioOffset += FRAME;
      } else if (speech) {
        frame = new Uint8Array(FRAME).fill(0xff);
        frame.set(speech.audio.subarray(speech.offset, speech.offset + FRAME));
        speech.offset += FRAME;
        if (speech.offset >= speech.audio.length) {
          // The answer is spoken: the reply is timed from its last frame.
          speech = null;
          awaitingReplySince = performance.now();
        }
      }
      send(audioInputMessage(frame));
      chunk++;
      sender = setTimeout(tick, Math.max(0, lineStart + chunk * 20 - performance.now()));
    };
    tick();
  };

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
        return startLine();
      }
      case 'response.stream': {
        const audio = msg.data['audio'];
        if (typeof audio !== 'string') return void report.protocolErrors.push('response.stream without data.audio');
        const bytes = Buffer.from(audio, 'base64');
        heard.push(bytes);
        report.payloadSizes.push(bytes.length);
        promptFrames += bytes.length / FRAME;
        playheadMs = Math.max(playheadMs, now) + (bytes.length / 8000) * 1000;
        if (quietTimer) clearTimeout(quietTimer);
        quietTimer = null;
        if (awaitingReplySince !== null) {
          const latencyMs = now - awaitingReplySince;
          report.replyLatenciesMs.push(latencyMs);
          emit({ t: t(), type: 'reply', latencyMs: Math.round(latencyMs * 10) / 10 });
          awaitingReplySince = null;
        }
        return;
      }
      case 'call.mark': {
        const label = msg.data['label'];
        if (typeof label !== 'string') return void report.protocolErrors.push('call.mark without data.label');
        emit({ t: t(), type: 'prompt', frames: promptFrames, durationMs: promptFrames * 20 });
        promptFrames = 0;
        if (ending) return;
        const previous = pendingMarks.get(label);
        if (previous) clearTimeout(previous);
        pendingMarks.set(
          label,
          setTimeout(() => echoMark(label), Math.max(0, playheadMs - now)),
        );
        return;
      }
      case 'speech.started': {
        // Maqsam's clear: stop what is queued; the marks behind it come back now.
        emit({ t: t(), type: 'clear' });
        playheadMs = now;
        for (const [label, timer] of pendingMarks) {
          clearTimeout(timer);
          echoMark(label);
        }
        return;
      }
      case 'call.redirect': {
        report.redirected = true;
        emit({ t: t(), type: 'redirect' });
        stopLine();
        // Maqsam takes the caller to a human and disconnects the voice agent.
        return hangUp('redirected to a human');
      }
      case 'call.hangup': {
        report.bridgeHungUp = true;
        emit({ t: t(), type: 'bridge-hangup' });
        stopLine();
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
      stopLine();
      for (const timer of timers) clearTimeout(timer);
      if (error) return reject(error);
      report.heard = new Uint8Array(Buffer.concat(heard));
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
    ws.on('error', (error) => finish(error));
  });
}
