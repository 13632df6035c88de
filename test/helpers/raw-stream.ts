import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import WebSocket from 'ws';
import { issueStreamToken, streamTokenKey } from '../../src/telephony/twilio/stream-token';

/** A hand-driven Twilio media stream, for tests that send what a well-behaved caller would not. */
export class RawStream {
  readonly received: Array<Record<string, unknown>> = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: Array<() => void> = [];

  /** The auth token the bridge checks, if any: `start` then carries the per-call token its webhook would issue. */
  private authToken: string | undefined;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.received.push(JSON.parse(data.toString()) as Record<string, unknown>);
      for (const w of this.waiters.splice(0)) w();
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  static open(base: string, authToken?: string, options: { path?: string; autoPong?: boolean; headers?: Record<string, string> } = {}): Promise<RawStream> {
    const url = `${base.replace(/^http/, 'ws')}${options.path ?? '/ws/telephony'}`;
    const headers: Record<string, string> = { ...options.headers, ...(authToken ? { 'x-twilio-signature': getExpectedTwilioSignature(authToken, url, {}) } : {}) };
    const ws = new WebSocket(url, { headers, autoPong: options.autoPong ?? true });
    return new Promise((resolve, reject) => {
      ws.once('open', () => {
        const stream = new RawStream(ws);
        stream.authToken = authToken;
        resolve(stream);
      });
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  send(msg: unknown): void {
    this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }

  /** Starts the stream as Twilio would after the voice webhook (with that webhook's per-call token, or `token`). */
  start(callSid: string, questionnaire = 'post-discharge', streamSid = `MZ-${callSid}`, token?: string, parameters: Record<string, string> = {}): void {
    const customParameters: Record<string, string> = { questionnaire, ...parameters };
    const issued = token ?? (this.authToken ? issueStreamToken(streamTokenKey(this.authToken), callSid) : undefined);
    if (issued !== undefined) customParameters['token'] = issued;
    this.send({ event: 'connected', protocol: 'Call', version: '1.0.0' });
    this.send({
      event: 'start',
      sequenceNumber: '1',
      streamSid,
      start: { streamSid, accountSid: 'AC1', callSid, tracks: ['inbound'], customParameters, mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 } },
    });
  }

  dtmf(digit: string): void {
    this.send({ event: 'dtmf', streamSid: 'MZ', dtmf: { track: 'inbound_track', digit } });
  }

  /** Echoes every mark received so far that has not been echoed (as if the audio had played). */
  echoMarks(): number {
    let n = 0;
    for (const msg of this.received) {
      if (msg['event'] === 'mark' && !msg['echoed']) {
        msg['echoed'] = true;
        this.send({ event: 'mark', streamSid: 'MZ', mark: msg['mark'] });
        n++;
      }
    }
    return n;
  }

  count(event: string): number {
    return this.received.filter((m) => m['event'] === event).length;
  }

  /** Resolves once `predicate` holds for what was received (checked on every message). */
  async until(predicate: (received: Array<Record<string, unknown>>) => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.received)) {
      if (Date.now() > deadline) throw new Error(`timed out; received ${this.received.map((m) => m['event']).join(',')}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }
}

/** An HTTP upgrade attempt that is expected to be refused: returns the status code. */
export function refusedUpgrade(url: string, headers: Record<string, string> = {}): Promise<number> {
  const ws = new WebSocket(url, { headers });
  return new Promise((resolve, reject) => {
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('open', () => reject(new Error('upgrade unexpectedly accepted')));
    ws.once('error', () => undefined);
  });
}
