import { hostname } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { BridgeError } from './errors';
import { E164, E164_MESSAGE, isTimeZoneName } from './identifiers';
import { BUILD_ID_PATTERN, BUILT_ID } from './version';
import { type TrustProxy, parseTrustProxy } from './server/trust-proxy';
import { UNKNOWN_QUESTIONNAIRE_POLICIES, type UnknownQuestionnairePolicy } from './questionnaire/choose';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from './store/schema';

/**
 * The only reader of the environment. Everything else receives a `Config`.
 * A bad value stops startup with a message that names the variable and what it expects.
 */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  BUILD_ID: z.string().regex(BUILD_ID_PATTERN, 'must be 1–64 letters, digits, ".", "_", "+" or "-" (a commit, an image tag)').optional(),
  PORT: z.coerce
    .number({ error: 'must be a port number' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535')
    .default(8080),
  LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  LOG_HEALTH_DATA: z.stringbool({ truthy: ['true'], falsy: ['false'], error: 'must be true or false' }).default(false),
  QUESTIONNAIRES_DIR: z.string().min(1, 'must not be empty').default('questionnaires'),
  DEFAULT_QUESTIONNAIRE: z
    .string()
    .regex(/^[a-z0-9-]+$/, 'must be a questionnaire id: lowercase letters, digits and "-"')
    .default('post-discharge'),
  UNKNOWN_QUESTIONNAIRE: z.enum(UNKNOWN_QUESTIONNAIRE_POLICIES, { error: 'must be default or reject' }).default('default'),
  DATA_DIR: z.string().min(1, 'must not be empty').default('data'),
  INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1–64 letters, digits, ".", "_" or "-" (a name for this bridge instance)')
    .optional(),
  DATA_RETENTION_DAYS: z.coerce
    .number({ error: 'must be a whole number of days, e.g. 365' })
    .int('must be a whole number of days, e.g. 365')
    .min(1, 'must be at least 1 (days); to keep records longer, give a larger number such as 3650')
    .max(36_500, 'must be at most 36500 (100 years)')
    .default(365),
  DATABASE_URL: z
    .string()
    .refine(isPostgresUrl, 'must be a postgres:// or postgresql:// URL, e.g. postgres://bridge:secret@db.internal:5432/bridge; unset it to use the embedded database in DATA_DIR/db')
    .optional(),
  WEBHOOK_URL: z
    .url({ protocol: /^https?$/, error: 'must be the https:// URL of the clinic\'s webhook receiver, e.g. https://clinic.example/hooks/bridge' })
    .optional(),
  WEBHOOK_SECRET: z
    .string()
    .refine(
      isWebhookSecret,
      'must be whsec_ followed by the base64 of at least 24 random bytes (Standard Webhooks), e.g. the output of: node -e "console.log(\'whsec_\'+require(\'crypto\').randomBytes(32).toString(\'base64\'))"',
    )
    .optional(),
  WEBHOOK_EVENTS: z
    .string()
    .transform((text) => text.split(',').map((name) => name.trim()).filter(Boolean))
    .pipe(z.array(z.enum(WEBHOOK_EVENT_TYPES, { error: `must be a comma-separated list of ${WEBHOOK_EVENT_TYPES.join(', ')}` })).min(1, 'must name at least one event'))
    .optional(),
  PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be the public https:// URL of this service, e.g. https://bridge.example.com' })
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  TWILIO_AUTH_TOKEN: z.string().min(8, 'must be the Twilio auth token').optional(),
  MAQSAM_TOKEN: z.string().min(16, 'must be at least 16 characters (a random token you give Maqsam)').optional(),
  TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be AC followed by 32 hex digits (Twilio console → Account info)').optional(),
  TWILIO_FROM_NUMBER: z.string().regex(E164, E164_MESSAGE).optional(),
  TWILIO_API_KEY: z.string().regex(/^SK[0-9a-fA-F]{32}$/, 'must be SK followed by 32 hex digits').optional(),
  TWILIO_API_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  TWILIO_API_BASE_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  BRIDGE_API_KEY: z.string().min(32, 'must be at least 32 characters (e.g. openssl rand -base64 32)').optional(),
  TRUST_PROXY: z.string().default('false'),
  MAX_PENDING_STREAMS: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be ≥ 1').default(200),
  MAX_PENDING_STREAMS_PER_ADDRESS: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be ≥ 1').default(50),
  CONSOLE_DIGITS: z.enum(['latn', 'arab'], { error: 'must be latn (0123456789) or arab (٠١٢٣٤٥٦٧٨٩)' }).default('latn'),
  CONSOLE_TIME_ZONE: z.string().max(64).refine(isTimeZoneName, 'must be an IANA time zone name such as Asia/Riyadh').default('Asia/Riyadh'),
  CAMPAIGN_LEASE_SECONDS: z.coerce.number({ error: 'must be a number of seconds' }).int('must be a whole number').min(5, 'must be ≥ 5').max(86_400, 'must be ≤ 86400').default(900),
  INSTANCE_HEARTBEAT_SECONDS: z.coerce.number({ error: 'must be a number of seconds' }).int('must be a whole number').min(1, 'must be ≥ 1').max(60, 'must be ≤ 60').default(10),
  INSTANCE_STALE_SECONDS: z.coerce.number({ error: 'must be a number of seconds' }).int('must be a whole number').min(3, 'must be ≥ 3').max(3600, 'must be ≤ 3600').default(60),
  MAX_CONCURRENT_CALLS: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be ≥ 1').default(100),
  TTS_PROVIDER: z.enum(['espeak', 'elevenlabs'], { error: 'must be espeak or elevenlabs' }).default('espeak'),
  ELEVENLABS_API_KEY: z.string().min(8, 'must be the ElevenLabs API key').optional(),
  ELEVENLABS_VOICE_ID: z.string().regex(/^[A-Za-z0-9]{8,40}$/, 'must be an ElevenLabs voice id').optional(),
  ELEVENLABS_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  DEEPGRAM_API_KEY: z.string().min(8, 'must be the Deepgram API key').optional(),
  DEEPGRAM_URL: z.url({ protocol: /^(https?|wss?)$/, error: 'must be an http(s) URL, e.g. http://deepgram.internal:8080' }).optional(),
  DEEPGRAM_MIP_OPT_OUT: z.stringbool({ truthy: ['true'], falsy: ['false'], error: 'must be true or false' }).default(true),
  DEEPGRAM_CHUNK_MS: z.coerce.number({ error: 'must be a number of milliseconds' }).int('must be a whole number').min(20, 'must be ≥ 20').max(240, 'must be ≤ 240').refine((ms) => ms % 20 === 0, 'must be a multiple of 20 (the telephony frame)').default(200),
  OUTBOUND_FRAME_MS: z.coerce.number({ error: 'must be a number of milliseconds' }).int('must be a whole number').min(20, 'must be ≥ 20').max(60, 'must be ≤ 60 (a longer frame is a longer barge-in tail)').refine((ms) => ms % 20 === 0, 'must be a multiple of 20 (the telephony frame)').default(40),
  STT_LANGUAGE: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'must be a language code such as ar or ar-SA').default('ar'),
  BARGE_IN_MIN_MS: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(100, 'must be ≥ 100').max(3000, 'must be ≤ 3000').default(400),
  BARGE_IN_MIN_WORDS: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be ≥ 1').max(10, 'must be ≤ 10').default(2),
  SPEECH_NO_WORDS_MS: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1000, 'must be ≥ 1000').max(15000, 'must be ≤ 15000').default(3000),
  STT_DEGRADED_AFTER_MS: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(500, 'must be ≥ 500').default(5000),
  QUESTIONNAIRE_BY_NUMBER: z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be JSON' });
        return z.NEVER;
      }
    })
    .pipe(
      z
        .record(z.string(), z.string(), { error: 'must be a JSON object mapping called numbers to questionnaire ids' })
        .superRefine((map, ctx) => {
          for (const [number, id] of Object.entries(map)) {
            if (!/^\+[0-9]{6,15}$/.test(number)) {
              ctx.addIssue({ code: 'custom', message: `key "${number}": keys must be E.164 numbers such as +966112345678` });
            }
            if (!/^[a-z0-9-]+$/.test(id)) ctx.addIssue({ code: 'custom', message: `value "${id}": values must be questionnaire ids` });
          }
        }),
    )
    .default({}),
});

export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  /** Which build this is, for /health (BUILD_ID, else the id `npm run build` recorded, else `dev`). */
  buildId: string;
  port: number;
  logLevel: (typeof LOG_LEVELS)[number];
  /** Answer values and transcripts in debug logs; off unless LOG_HEALTH_DATA=true (a level alone never adds them). */
  logHealthData: boolean;
  questionnairesDir: string;
  defaultQuestionnaire: string;
  /** A call naming an unknown questionnaire: run the default (logged, counted) or refuse the call. */
  unknownQuestionnaire: UnknownQuestionnairePolicy;
  dataDir: string;
  /** Shared Postgres (postgres:// URL); undefined: the embedded database in DATA_DIR/db, one process at a time. */
  databaseUrl: string | undefined;
  /** Answers, transcripts and call events of calls older than this many days are deleted daily (the call rows and counts stay). */
  dataRetentionDays: number;
  /** Names this instance on the calls it carries (INSTANCE_ID, default the host name), so a crash can be found at restart. */
  instanceId: string;
  /** The WEBHOOK_URL subscription: events signed with `secret` (whsec_…); undefined when WEBHOOK_URL is unset. */
  webhook: { url: string; secret: string; events: WebhookEventType[] } | undefined;
  /** Public base URL (https://host), or undefined: then derived from each request's Host. */
  publicUrl: string | undefined;
  /** Undefined means development mode: unsigned webhooks and streams are accepted. */
  twilioAuthToken: string | undefined;
  /** Undefined means development mode: unauthenticated Maqsam streams are accepted. */
  maqsamToken: string | undefined;
  /** The bootstrap admin key of the clinic API (/api, /fhir); undefined: the API is off. */
  bridgeApiKey: string | undefined;
  /** Outbound calls through Twilio's REST API; undefined: POST /api/v1/calls answers 503 outbound_off. */
  twilioRest: { accountSid: string; fromNumber: string; username: string; password: string; baseUrl: string | undefined } | undefined;
  /** Which peers' X-Forwarded-* headers are believed (TRUST_PROXY; default: none). */
  trustProxy: TrustProxy;
  /** Upgraded sockets that have not started yet, in total and per source address. */
  maxPendingStreams: number;
  maxPendingStreamsPerAddress: number;
  maxConcurrentCalls: number;
  /** The digits the console's Arabic pages show numbers in. */
  consoleDigits: 'latn' | 'arab';
  /** The clinic's time zone: the console's days (date filters, the overview) and times are read in it. */
  consoleTimeZone: string;
  /** How long a campaign claim (or a matched call-back) is held before any instance checks on it. */
  campaignLeaseSeconds: number;
  /**
   * Several instances over one database: each writes its heartbeat this often; an instance
   * silent for `staleSeconds` is taken for dead (its calls closed as interrupted by another, its
   * capacity no longer counted). INSTANCE_HEARTBEAT_SECONDS (10), INSTANCE_STALE_SECONDS (60).
   */
  instanceHeartbeat: { everySeconds: number; staleSeconds: number };
  ttsProvider: 'espeak' | 'elevenlabs';
  elevenLabs: { apiKey: string; voiceId: string; url: string | undefined } | undefined;
  /** Undefined: no speech recognition; callers answer on the keypad. */
  /** mipOptOut: ask Deepgram not to keep call audio for model improvement (mip_opt_out=true). */
  deepgram: { apiKey: string; url: string | undefined; mipOptOut: boolean; chunkMs: number } | undefined;
  sttLanguage: string;
  /** Prompt audio goes to the provider in messages of this many ms (whole 20 ms frames). */
  outboundFrameMs: number;
  /** Caller speech over a prompt must last this long (or show words) before it interrupts. */
  bargeInMinMs: number;
  /** An interim result with this many words interrupts a prompt; a final with any words is an answer. */
  bargeInMinWords: number;
  /** Speech with no words recognised for this long counts as silence again (the no-input timer resumes). */
  speechNoWordsMs: number;
  /** Recognition down this long switches a call to keypad answers. */
  sttDegradedAfterMs: number;
  /** Called number (E.164) → questionnaire id. */
  questionnaireByNumber: Readonly<Record<string, string>>;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Empty strings mean "unset" (docker-compose writes VAR= for blank values).
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      const value = env[name] ?? '';
      const shown = name === 'DATABASE_URL' ? withoutPassword(value) : name === 'WEBHOOK_SECRET' ? '***' : value;
      return `${name}=${JSON.stringify(shown)}: ${issue.message}`;
    });
    throw new BridgeError('CONFIG_INVALID', `invalid configuration: ${lines.join('; ')}`);
  }
  const e = parsed.data;
  if (e.TTS_PROVIDER === 'elevenlabs' && (!e.ELEVENLABS_API_KEY || !e.ELEVENLABS_VOICE_ID)) {
    throw new BridgeError(
      'CONFIG_INVALID',
      `invalid configuration: TTS_PROVIDER="elevenlabs": needs ELEVENLABS_API_KEY and ELEVENLABS_VOICE_ID (missing: ${[
        e.ELEVENLABS_API_KEY ? '' : 'ELEVENLABS_API_KEY',
        e.ELEVENLABS_VOICE_ID ? '' : 'ELEVENLABS_VOICE_ID',
      ]
        .filter(Boolean)
        .join(', ')}); or unset TTS_PROVIDER to use the embedded voice`,
    );
  }
  if (e.INSTANCE_STALE_SECONDS < 3 * e.INSTANCE_HEARTBEAT_SECONDS) {
    throw new BridgeError(
      'CONFIG_INVALID',
      `invalid configuration: INSTANCE_STALE_SECONDS="${e.INSTANCE_STALE_SECONDS}": must be at least 3 × INSTANCE_HEARTBEAT_SECONDS (${3 * e.INSTANCE_HEARTBEAT_SECONDS}), or one late heartbeat would get a live instance's calls closed as interrupted`,
    );
  }
  if (e.NODE_ENV === 'production' && !e.TWILIO_AUTH_TOKEN) {
    throw new BridgeError(
      'CONFIG_INVALID',
      'invalid configuration: TWILIO_AUTH_TOKEN="": is required when NODE_ENV=production (without it anyone could place calls through the bridge); set it to the Twilio account auth token',
    );
  }
  if (e.NODE_ENV === 'production' && !e.MAQSAM_TOKEN) {
    throw new BridgeError(
      'CONFIG_INVALID',
      'invalid configuration: MAQSAM_TOKEN="": is required when NODE_ENV=production (without it anyone could open a Maqsam stream); set it to the token configured in the Maqsam integration',
    );
  }
  if (e.NODE_ENV === 'production' && !e.BRIDGE_API_KEY) {
    throw new BridgeError(
      'CONFIG_INVALID',
      'invalid configuration: BRIDGE_API_KEY="": is required when NODE_ENV=production (the clinic API reads health data); set it to a random secret of at least 32 characters',
    );
  }
  if (e.NODE_ENV === 'production' && !e.PUBLIC_URL) {
    throw new BridgeError(
      'CONFIG_INVALID',
      'invalid configuration: PUBLIC_URL="": is required when NODE_ENV=production (webhook signatures and stream URLs must not depend on request headers); set it to the public https:// URL of this service',
    );
  }
  if (e.WEBHOOK_URL && !e.WEBHOOK_SECRET) {
    throw new BridgeError(
      'CONFIG_INVALID',
      `invalid configuration: WEBHOOK_SECRET="": is required when WEBHOOK_URL is set (every webhook is signed with it); set it to whsec_ followed by the base64 of 32 random bytes, and give the same value to the receiver`,
    );
  }
  if (e.WEBHOOK_SECRET && !e.WEBHOOK_URL) {
    throw new BridgeError('CONFIG_INVALID', 'invalid configuration: WEBHOOK_URL="": WEBHOOK_SECRET is set but no receiver is; set WEBHOOK_URL too, or unset WEBHOOK_SECRET');
  }
  if (e.NODE_ENV === 'production' && e.WEBHOOK_URL?.startsWith('http:')) {
    throw new BridgeError(
      'CONFIG_INVALID',
      `invalid configuration: WEBHOOK_URL=${JSON.stringify(e.WEBHOOK_URL)}: must be https:// when NODE_ENV=production (webhooks carry health data)`,
    );
  }
  const trust = parseTrustProxy(e.TRUST_PROXY);
  if (!trust.ok) throw new BridgeError('CONFIG_INVALID', `invalid configuration: TRUST_PROXY=${JSON.stringify(e.TRUST_PROXY)}: ${trust.message}`);
  return {
    nodeEnv: e.NODE_ENV,
    buildId: e.BUILD_ID ?? BUILT_ID ?? 'dev',
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    logHealthData: e.LOG_HEALTH_DATA,
    questionnairesDir: path.resolve(e.QUESTIONNAIRES_DIR),
    defaultQuestionnaire: e.DEFAULT_QUESTIONNAIRE,
    unknownQuestionnaire: e.UNKNOWN_QUESTIONNAIRE,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    dataRetentionDays: e.DATA_RETENTION_DAYS,
    instanceId: e.INSTANCE_ID ?? (hostname().replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 64) || 'bridge'),
    webhook: e.WEBHOOK_URL && e.WEBHOOK_SECRET ? { url: e.WEBHOOK_URL, secret: e.WEBHOOK_SECRET, events: [...new Set(e.WEBHOOK_EVENTS ?? WEBHOOK_EVENT_TYPES)] } : undefined,
    publicUrl: e.PUBLIC_URL,
    twilioAuthToken: e.TWILIO_AUTH_TOKEN,
    maqsamToken: e.MAQSAM_TOKEN,
    bridgeApiKey: e.BRIDGE_API_KEY,
    twilioRest: twilioRestOf(e),
    trustProxy: trust.trust,
    maxPendingStreams: e.MAX_PENDING_STREAMS,
    maxPendingStreamsPerAddress: e.MAX_PENDING_STREAMS_PER_ADDRESS,
    maxConcurrentCalls: e.MAX_CONCURRENT_CALLS,
    campaignLeaseSeconds: e.CAMPAIGN_LEASE_SECONDS,
    instanceHeartbeat: { everySeconds: e.INSTANCE_HEARTBEAT_SECONDS, staleSeconds: e.INSTANCE_STALE_SECONDS },
    consoleDigits: e.CONSOLE_DIGITS,
    consoleTimeZone: e.CONSOLE_TIME_ZONE,
    ttsProvider: e.TTS_PROVIDER,
    elevenLabs:
      e.ELEVENLABS_API_KEY && e.ELEVENLABS_VOICE_ID ? { apiKey: e.ELEVENLABS_API_KEY, voiceId: e.ELEVENLABS_VOICE_ID, url: e.ELEVENLABS_URL } : undefined,
    deepgram: e.DEEPGRAM_API_KEY ? { apiKey: e.DEEPGRAM_API_KEY, url: e.DEEPGRAM_URL, mipOptOut: e.DEEPGRAM_MIP_OPT_OUT, chunkMs: e.DEEPGRAM_CHUNK_MS } : undefined,
    sttLanguage: e.STT_LANGUAGE,
    outboundFrameMs: e.OUTBOUND_FRAME_MS,
    bargeInMinMs: e.BARGE_IN_MIN_MS,
    bargeInMinWords: e.BARGE_IN_MIN_WORDS,
    speechNoWordsMs: e.SPEECH_NO_WORDS_MS,
    sttDegradedAfterMs: e.STT_DEGRADED_AFTER_MS,
    questionnaireByNumber: e.QUESTIONNAIRE_BY_NUMBER,
  };
}

function isPostgresUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'postgres:' || url.protocol === 'postgresql:';
  } catch {
    return false;
  }
}

/** whsec_ + base64 of ≥ 24 bytes: the Standard Webhooks secret format. */
function isWebhookSecret(text: string): boolean {
  const match = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(text);
  if (!match?.[1] || match[1].length % 4 !== 0) return false;
  return Buffer.from(match[1], 'base64').length >= 24;
}

/** A database URL in an error message keeps its user and host but never its password. */
function withoutPassword(text: string): string {
  return text.replace(/(\/\/[^/@:]*:)[^/@]*@/, '$1***@');
}

/** The REST credentials: the account SID with an API key pair, or with the auth token. */
function twilioRestOf(e: z.infer<typeof schema>): Config['twilioRest'] {
  const any = e.TWILIO_ACCOUNT_SID || e.TWILIO_FROM_NUMBER || e.TWILIO_API_KEY || e.TWILIO_API_SECRET;
  if (!any) return undefined;
  const missing = [
    e.TWILIO_ACCOUNT_SID ? '' : 'TWILIO_ACCOUNT_SID',
    e.TWILIO_FROM_NUMBER ? '' : 'TWILIO_FROM_NUMBER',
    e.TWILIO_API_KEY || e.TWILIO_AUTH_TOKEN ? '' : 'TWILIO_API_KEY and TWILIO_API_SECRET, or TWILIO_AUTH_TOKEN',
    e.TWILIO_API_KEY && !e.TWILIO_API_SECRET ? 'TWILIO_API_SECRET' : '',
  ].filter(Boolean);
  if (missing.length > 0) {
    throw new BridgeError('CONFIG_INVALID', `invalid configuration: outbound calls need ${missing.join(', ')} (set them all, or none to turn outbound calls off)`);
  }
  return {
    accountSid: e.TWILIO_ACCOUNT_SID as string,
    fromNumber: e.TWILIO_FROM_NUMBER as string,
    username: e.TWILIO_API_KEY ?? (e.TWILIO_ACCOUNT_SID as string),
    password: e.TWILIO_API_KEY ? (e.TWILIO_API_SECRET as string) : (e.TWILIO_AUTH_TOKEN as string),
    baseUrl: e.TWILIO_API_BASE_URL,
  };
}

/** What `npm run doctor` takes from its environment: the credentials it checks the bridge with. */
export interface DoctorConfig {
  bridgeApiKey: string | undefined;
  twilioAuthToken: string | undefined;
  maqsamToken: string | undefined;
  /** Twilio's REST API (read only), for --twilio; undefined without an account SID and credentials. */
  twilioRest: { accountSid: string; username: string; password: string; baseUrl: string | undefined; number: string | undefined } | undefined;
}

const doctorSchema = z.object({
  BRIDGE_API_KEY: z.string().min(1).optional(),
  TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
  MAQSAM_TOKEN: z.string().min(1).optional(),
  TWILIO_ACCOUNT_SID: schema.shape.TWILIO_ACCOUNT_SID,
  TWILIO_API_KEY: schema.shape.TWILIO_API_KEY,
  TWILIO_API_SECRET: z.string().min(1).optional(),
  TWILIO_API_BASE_URL: schema.shape.TWILIO_API_BASE_URL,
  TWILIO_FROM_NUMBER: schema.shape.TWILIO_FROM_NUMBER,
});

/** The doctor's environment: only what it uses is read, so a partial bridge configuration in the shell does not stop it. */
export function loadDoctorConfig(env: Record<string, string | undefined> = process.env): DoctorConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([name, value]) => value !== undefined && value !== '' && name in doctorSchema.shape));
  const parsed = doctorSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${String(issue.path[0] ?? 'environment')}: ${issue.message}`);
    throw new BridgeError('CONFIG_INVALID', `invalid doctor environment: ${lines.join('; ')}`);
  }
  const e = parsed.data;
  const password = e.TWILIO_API_KEY ? e.TWILIO_API_SECRET : e.TWILIO_AUTH_TOKEN;
  return {
    bridgeApiKey: e.BRIDGE_API_KEY,
    twilioAuthToken: e.TWILIO_AUTH_TOKEN,
    maqsamToken: e.MAQSAM_TOKEN,
    twilioRest:
      e.TWILIO_ACCOUNT_SID && password
        ? { accountSid: e.TWILIO_ACCOUNT_SID, username: e.TWILIO_API_KEY ?? e.TWILIO_ACCOUNT_SID, password, baseUrl: e.TWILIO_API_BASE_URL, number: e.TWILIO_FROM_NUMBER }
        : undefined,
  };
}
