import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { decodeMulaw, encodeMulaw } from '../audio/mulaw';
import { createResampler } from '../audio/resampler';
import { readWav, writeWavPcm16 } from '../audio/wav';
import { loadConfig } from '../config';
import { EspeakTtsProvider } from '../speech/espeak/espeak-tts';
import { renderTelephoneAudio } from '../speech/to-telephone';
import { type CallTimelineEvent, describeProviderEvent, parseCallProvider, parseMaqsamAuthMode, placeCallWith } from './caller/choose-caller';
import type { CallerAnswer, TimelineEvent } from './caller/twilio-caller';
import { BridgeUnreachableError } from './caller/unreachable';

/**
 * `npm run call -- [--url http://127.0.0.1:8080] [--questionnaire id] [--dtmf "1,2,7,385#"]
 * [--audio caller.wav] [--out heard.wav] [--json]`: one simulated Twilio call. Works against a
 * local bridge or a deployment (a smoke test). Signs with TWILIO_AUTH_TOKEN when it is set.
 * The call plays in real time, like a phone call.
 */
const DEFAULT_URL = 'http://127.0.0.1:8080';
const USAGE = [
  'usage: npm run call -- [--provider twilio|maqsam] [--maqsam-auth header|setup] [--url URL] [--questionnaire ID] [--dtmf "1,2,385#"] [--say "نعم"]... [--audio caller.wav] [--out heard.wav] [--json]',
  `--url is the bridge's base URL (default ${DEFAULT_URL}).`,
  'The call plays in real time, like a phone call: about two minutes for the shipped post-discharge questionnaire.',
  '(signs with TWILIO_AUTH_TOKEN, authenticates to Maqsam with MAQSAM_TOKEN, from the environment)',
].join('\n');

async function main(): Promise<number> {
  let args: ReturnType<typeof parse>;
  let provider: ReturnType<typeof parseCallProvider>;
  let maqsamAuthMode: ReturnType<typeof parseMaqsamAuthMode>;
  try {
    args = parse();
    provider = parseCallProvider(args.values.provider);
    maqsamAuthMode = parseMaqsamAuthMode(args.values['maqsam-auth']);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { values } = args;
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const json = values.json === true;
  const print = (event: CallTimelineEvent) => process.stdout.write(`${json ? JSON.stringify(event) : describeProviderEvent(event, describe)}\n`);
  const answers = await answersInOrder(args.tokens ?? []);
  const config = loadConfig();
  const report = await placeCallWith(provider, {
    baseUrl: values.url ?? DEFAULT_URL,
    ...(values.questionnaire ? { questionnaire: values.questionnaire } : {}),
    answers,
    ...(values.audio ? { audio: callerAudio(values.audio) } : {}),
    ...(config.twilioAuthToken ? { authToken: config.twilioAuthToken } : {}),
    ...(config.maqsamToken ? { maqsamToken: config.maqsamToken, maqsamAuthMode } : {}),
    onEvent: print,
  });
  if (values.out) {
    writeFileSync(values.out, writeWavPcm16(decodeMulaw(report.heard), 8000));
  }
  const latencies = [...report.replyLatenciesMs].sort((a, b) => a - b);
  const summary = {
    type: 'summary',
    busy: report.busy,
    heardSeconds: report.heard.length / 8000,
    replies: latencies.length,
    replyLatencyMsMax: latencies.length ? Math.round(latencies[latencies.length - 1]! * 10) / 10 : null,
    // Media that is not whole 20 ms telephony frames (the bridge sends OUTBOUND_FRAME_MS messages: 20, 40 or 60 ms).
    oddPayloads: report.payloadSizes.filter((n) => n === 0 || n % 160 !== 0).length,
  };
  process.stdout.write(`${json ? JSON.stringify(summary) : `heard ${summary.heardSeconds.toFixed(1)} s of audio; ${summary.replies} replies to answers, slowest ${summary.replyLatencyMsMax ?? '-'} ms`}\n`);
  return 0;
}

function parse() {
  return parseArgs({
    options: {
      url: { type: 'string' },
      questionnaire: { type: 'string' },
      dtmf: { type: 'string', multiple: true },
      say: { type: 'string', multiple: true },
      audio: { type: 'string' },
      out: { type: 'string' },
      json: { type: 'boolean' },
      provider: { type: 'string' },
      'maqsam-auth': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    tokens: true,
  });
}

/**
 * `--dtmf` groups (comma-separated) and `--say` sentences, in command-line order. Each sentence
 * is spoken by the embedded voice, as the caller, when the bridge asks.
 */
async function answersInOrder(tokens: NonNullable<ReturnType<typeof parse>['tokens']>): Promise<CallerAnswer[]> {
  const answers: CallerAnswer[] = [];
  let voice: EspeakTtsProvider | null = null;
  try {
    for (const token of tokens) {
      if (token.kind !== 'option' || token.value === undefined) continue;
      if (token.name === 'dtmf') {
        for (const group of token.value.split(',').map((g) => g.trim()).filter(Boolean)) answers.push({ dtmf: group });
      } else if (token.name === 'say') {
        voice ??= new EspeakTtsProvider({ workers: 1 });
        answers.push({ audio: await renderTelephoneAudio(voice.synthesize(token.value)), label: token.value });
      }
    }
  } finally {
    await voice?.close();
  }
  return answers;
}

/** A WAV of the caller's voice as 8 kHz μ-law. */
function callerAudio(file: string): Uint8Array {
  const wav = readWav(readFileSync(file));
  if (wav.sampleRateHz === 8000) return encodeMulaw(wav.samples);
  const resampler = createResampler({ inputRateHz: wav.sampleRateHz, outputRateHz: 8000 });
  const out = new Int16Array(resampler.maxOutputLength(wav.samples.length));
  const n = resampler.processInto(wav.samples, out);
  const tail = resampler.flush();
  const all = new Int16Array(n + tail.length);
  all.set(out.subarray(0, n));
  all.set(tail, n);
  return encodeMulaw(all);
}

function describe(e: TimelineEvent): string {
  const at = `${(e.t / 1000).toFixed(2).padStart(7)} s`;
  switch (e.type) {
    case 'webhook':
      return `${at}  webhook answered ${e.status}${e.busy ? ' (all lines busy)' : ''}`;
    case 'connected':
      return `${at}  stream open: ${e.streamUrl}`;
    case 'prompt':
      return `${at}  heard a prompt of ${(e.durationMs / 1000).toFixed(2)} s`;
    case 'dtmf':
      return `${at}  pressed ${e.digits}`;
    case 'say':
      return `${at}  said "${e.label}" (${(e.durationMs / 1000).toFixed(2)} s)`;
    case 'reply':
      return `${at}  first reply frame ${e.latencyMs} ms after the answer`;
    case 'clear':
      return `${at}  bridge cleared its audio (barge-in)`;
    case 'hangup':
      return `${at}  ${e.by === 'bridge' ? 'bridge ended the stream' : 'caller hung up'} (${e.code}${e.reason ? ` ${e.reason}` : ''})`;
    case 'next':
      return `${at}  after the stream: ${e.twiml === 'dial' ? `dial ${e.dial}` : e.twiml}`;
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const message =
      error instanceof BridgeUnreachableError
        ? `${error.message}: is it running? pass --url to call a bridge elsewhere (default ${DEFAULT_URL})`
        : (error as Error).message;
    process.stderr.write(`call failed: ${message}\n`);
    process.exitCode = 1;
  },
);
