/**
 * The floor under a voice call's cost (`npm run bench -- --voice-floor`): a server that does only
 * the socket work the bridge's design cannot avoid, for the same traffic, so the bridge's figure
 * can be read against it on the same machine at the same hour. Per call it
 *
 * - receives the provider's 50 media messages a second (ws, JSON.parse, base64);
 * - sends recognition 16 kHz 16-bit audio (each μ-law sample looked up and doubled: no filter) in
 *   200 ms messages, over a WebSocket to the Deepgram stand-in, and receives (parses, drops) what
 *   the stand-in answers;
 * - sends the caller a 40 ms media message every 40 ms from one shared 20 ms clock, its payload
 *   made once for every call.
 *
 * Nothing else: no questionnaire, store, metrics, logs, pacing per call, barge-in or end-of-speech
 * flush. It is not a bridge and lives in bench/ only. Same IPC as bench/bridge-server.ts: `ready`
 * once listening, `window-start`, `window-end` (answered with a `floor-window`), `shutdown`.
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import WebSocket, { WebSocketServer } from 'ws';
import { decodeMulawSample, MULAW_SILENCE } from '../src/audio/mulaw';
import { BENCH_CALL_TAG, type FromBridge, type ToBridge } from './ipc';
import { procCounters, procWindow } from './proc';

const { values: args } = parseArgs({
  options: {
    'deepgram-url': { type: 'string' },
    'deepgram-key': { type: 'string' },
    'lifetime-ms': { type: 'string', default: '300000' },
  },
});
if (!args['deepgram-url'] || !args['deepgram-key']) throw new Error('floor-server needs --deepgram-url and --deepgram-key');

const send = (message: FromBridge): void => {
  if (process.send) process.send(message);
};

const MULAW_TO_PCM = Int16Array.from({ length: 256 }, (_, code) => decodeMulawSample(code));
/** 200 ms at 16 kHz. */
const BATCH_SAMPLES = 3200;
const OUTBOUND_PAYLOAD = Buffer.alloc(320, MULAW_SILENCE).toString('base64');

interface Call {
  caller: WebSocket;
  streamSid: string;
  recognition: WebSocket | null;
  batch: Int16Array;
  fill: number;
}

const calls = new Set<Call>();
const mulaw = Buffer.alloc(400);

function onStart(call: Call, msg: Record<string, unknown>): void {
  const start = msg['start'] as { streamSid?: string; callSid?: string } | undefined;
  call.streamSid = String(start?.streamSid ?? msg['streamSid'] ?? '');
  const query = new URLSearchParams({
    model: 'nova-3', language: 'ar', encoding: 'linear16', sample_rate: '16000', channels: '1',
    interim_results: 'true', endpointing: '300', utterance_end_ms: '1000', vad_events: 'true',
    keyterm: `${BENCH_CALL_TAG}${String(start?.callSid ?? '')}`,
  });
  const recognition = new WebSocket(`${args['deepgram-url']!.replace(/^http/, 'ws')}/v1/listen?${query}`, {
    headers: { Authorization: `Token ${args['deepgram-key']}` },
    perMessageDeflate: false,
  });
  recognition.on('message', (data: Buffer, isBinary) => {
    if (!isBinary) JSON.parse(data.toString());
  });
  recognition.on('error', () => undefined);
  recognition.on('open', () => {
    call.recognition = recognition;
    calls.add(call);
  });
}

function onMedia(call: Call, payload: string): void {
  const bytes = mulaw.write(payload, 'base64');
  for (let i = 0; i < bytes; i++) {
    const sample = MULAW_TO_PCM[mulaw[i] as number] as number;
    call.batch[call.fill++] = sample;
    call.batch[call.fill++] = sample;
    if (call.fill === BATCH_SAMPLES) {
      call.recognition?.send(Buffer.from(call.batch.buffer, 0, BATCH_SAMPLES * 2));
      call.fill = 0;
    }
  }
}

const http = createServer((_req, res) => res.writeHead(404).end());
const wss = new WebSocketServer({ server: http, path: '/ws/telephony', perMessageDeflate: false });
wss.on('connection', (caller) => {
  const call: Call = { caller, streamSid: '', recognition: null, batch: new Int16Array(BATCH_SAMPLES), fill: 0 };
  caller.on('message', (data: Buffer) => {
    const msg = JSON.parse(data.toString()) as Record<string, unknown>;
    if (msg['event'] === 'media') return onMedia(call, (msg['media'] as { payload: string }).payload);
    if (msg['event'] === 'start') return onStart(call, msg);
  });
  caller.on('close', () => {
    calls.delete(call);
    call.recognition?.close();
  });
  caller.on('error', () => undefined);
});

let ticks = 0;
setInterval(() => {
  if (++ticks % 2 !== 0) return;
  for (const call of calls) call.caller.send(`{"event":"media","streamSid":${JSON.stringify(call.streamSid)},"media":{"payload":"${OUTBOUND_PAYLOAD}"}}`);
}, 20);

let window = { startMs: performance.now(), cpu: process.cpuUsage(), proc: procCounters(), calls: 0 };
process.on('message', (message: ToBridge) => {
  if (message.type === 'window-start') window = { startMs: performance.now(), cpu: process.cpuUsage(), proc: procCounters(), calls: calls.size };
  if (message.type === 'window-end') {
    const cpu = process.cpuUsage(window.cpu);
    send({
      type: 'floor-window',
      wallMs: performance.now() - window.startMs,
      cpuUserMs: cpu.user / 1000,
      cpuSystemMs: cpu.system / 1000,
      activeCalls: { start: window.calls, end: calls.size },
      os: procWindow(window.proc, procCounters()),
    });
  }
  if (message.type === 'shutdown') process.exit(0);
});
process.on('disconnect', () => process.exit(0));
setTimeout(() => process.exit(0), Number(args['lifetime-ms'])).unref();
http.listen(0, '127.0.0.1', () => {
  const address = http.address();
  send({ type: 'ready', port: typeof address === 'object' && address ? address.port : 0, pid: process.pid });
});
