import path from 'node:path';
import { loadConfig } from './config';
import { isBridgeError } from './errors';

function failure(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (isBridgeError(error, 'CONFIG_INVALID')) return error.message;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('configuration', () => {
  test('embedded defaults need no environment at all', () => {
    expect(loadConfig({})).toEqual({
      nodeEnv: 'development',
      outboundFrameMs: 40,
      buildId: 'dev',
      port: 8080,
      logLevel: 'info',
      logHealthData: false,
      questionnairesDir: path.resolve('questionnaires'),
      defaultQuestionnaire: 'post-discharge',
      unknownQuestionnaire: 'default',
      dataDir: path.resolve('data'),
      databaseUrl: undefined,
      dataRetentionDays: 365,
      instanceId: expect.any(String),
      publicUrl: undefined,
      webhook: undefined,
      twilioAuthToken: undefined,
      maqsamToken: undefined,
      trustProxy: expect.any(Function),
      maxPendingStreams: 200,
      maxPendingStreamsPerAddress: 50,
      maxConcurrentCalls: 100,
      campaignLeaseSeconds: 900,
      instanceHeartbeat: { everySeconds: 10, staleSeconds: 60 },
      consoleDigits: 'latn',
      consoleTimeZone: 'Asia/Riyadh',
      ttsProvider: 'espeak',
      questionnaireByNumber: {},
      elevenLabs: undefined,
      deepgram: undefined,
      sttLanguage: 'ar',
      bargeInMinMs: 400,
      bargeInMinWords: 2,
      speechNoWordsMs: 3000,
      sttDegradedAfterMs: 5000,
    });
  });

  test('an instance is taken for dead only after three missed heartbeats at least', () => {
    expect(loadConfig({ INSTANCE_HEARTBEAT_SECONDS: '1', INSTANCE_STALE_SECONDS: '3' }).instanceHeartbeat).toEqual({ everySeconds: 1, staleSeconds: 3 });
    expect(() => loadConfig({ INSTANCE_HEARTBEAT_SECONDS: '10', INSTANCE_STALE_SECONDS: '20' })).toThrow(
      'invalid configuration: INSTANCE_STALE_SECONDS="20": must be at least 3 × INSTANCE_HEARTBEAT_SECONDS (30)',
    );
    expect(() => loadConfig({ INSTANCE_HEARTBEAT_SECONDS: '0' })).toThrow('INSTANCE_HEARTBEAT_SECONDS="0": must be ≥ 1');
  });

  test('values are read and coerced', () => {
    expect(loadConfig({ PORT: '0', LOG_LEVEL: 'debug', DATA_DIR: '/tmp/x', DEFAULT_QUESTIONNAIRE: 'pre-visit-screening' })).toMatchObject({
      port: 0,
      logLevel: 'debug',
      dataDir: '/tmp/x',
      defaultQuestionnaire: 'pre-visit-screening',
    });
  });

  test('an empty value counts as unset', () => {
    expect(loadConfig({ PORT: '' }).port).toBe(8080);
  });

  test.each([
    [{ PORT: 'eighty' }, 'PORT="eighty": must be a port number'],
    [{ PORT: '70000' }, 'PORT="70000": must be between 0 and 65535'],
    [{ PORT: '80.5' }, 'PORT="80.5": must be a whole number'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL="loud": must be one of fatal, error, warn, info, debug, trace, silent'],
    [{ DEFAULT_QUESTIONNAIRE: 'Post Discharge' }, 'DEFAULT_QUESTIONNAIRE="Post Discharge": must be a questionnaire id'],
    [{ UNKNOWN_QUESTIONNAIRE: 'hangup' }, 'UNKNOWN_QUESTIONNAIRE="hangup": must be default or reject'],
  ])('%j is rejected naming the variable', (env, expected) => {
    expect(failure(env)).toContain(expected);
  });

  test('UNKNOWN_QUESTIONNAIRE=reject is read', () => {
    expect(loadConfig({ UNKNOWN_QUESTIONNAIRE: 'reject' }).unknownQuestionnaire).toBe('reject');
  });

  test('PUBLIC_URL loses a trailing slash; the number map is JSON', () => {
    const config = loadConfig({ PUBLIC_URL: 'https://bridge.example.com/', QUESTIONNAIRE_BY_NUMBER: '{"+966112345678":"pre-visit-screening"}' });
    expect(config.publicUrl).toBe('https://bridge.example.com');
    expect(config.questionnaireByNumber).toEqual({ '+966112345678': 'pre-visit-screening' });
  });

  test('production refuses to start without the Twilio auth token', () => {
    expect(failure({ NODE_ENV: 'production' })).toContain('TWILIO_AUTH_TOKEN="": is required when NODE_ENV=production');
    expect(failure({ NODE_ENV: 'production', TWILIO_AUTH_TOKEN: 'abcdef123456' })).toContain('MAQSAM_TOKEN="": is required when NODE_ENV=production');
    expect(failure({ NODE_ENV: 'production', TWILIO_AUTH_TOKEN: 'abcdef123456', MAQSAM_TOKEN: 'maqsam-token-0123456789' })).toContain(
      'BRIDGE_API_KEY="": is required when NODE_ENV=production',
    );
    const apiKey = 'k'.repeat(32);
    expect(failure({ NODE_ENV: 'production', TWILIO_AUTH_TOKEN: 'abcdef123456', MAQSAM_TOKEN: 'maqsam-token-0123456789', BRIDGE_API_KEY: apiKey })).toContain(
      'PUBLIC_URL="": is required when NODE_ENV=production',
    );
    expect(failure({ BRIDGE_API_KEY: 'short' })).toContain('BRIDGE_API_KEY');
    const prod = loadConfig({ NODE_ENV: 'production', TWILIO_AUTH_TOKEN: 'abcdef123456', MAQSAM_TOKEN: 'maqsam-token-0123456789', BRIDGE_API_KEY: apiKey, PUBLIC_URL: 'https://bridge.example.com' });
    expect([prod.twilioAuthToken, prod.maqsamToken, prod.publicUrl]).toEqual(['abcdef123456', 'maqsam-token-0123456789', 'https://bridge.example.com']);
  });

  test('outbound calls: off without Twilio REST settings; a partial set names what is missing; an API key pair or the auth token', () => {
    const sid = `AC${'0'.repeat(32)}`;
    expect(loadConfig({}).twilioRest).toBeUndefined();
    expect(failure({ TWILIO_ACCOUNT_SID: sid })).toContain('outbound calls need TWILIO_FROM_NUMBER, TWILIO_API_KEY and TWILIO_API_SECRET, or TWILIO_AUTH_TOKEN');
    expect(failure({ TWILIO_ACCOUNT_SID: sid, TWILIO_FROM_NUMBER: '+966112345678', TWILIO_API_KEY: `SK${'1'.repeat(32)}` })).toContain('TWILIO_API_SECRET');
    expect(failure({ TWILIO_FROM_NUMBER: '0112345678' })).toContain('TWILIO_FROM_NUMBER');
    expect(loadConfig({ TWILIO_ACCOUNT_SID: sid, TWILIO_FROM_NUMBER: '+966112345678', TWILIO_AUTH_TOKEN: 'auth-token-0123' }).twilioRest).toEqual({ accountSid: sid, fromNumber: '+966112345678', username: sid, password: 'auth-token-0123', baseUrl: undefined });
  });

  test('TRUST_PROXY: off by default; true, hops and address lists are understood', () => {
    const peer = '10.1.2.3';
    expect(loadConfig({}).trustProxy(peer, 0)).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy(peer, 0)).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8' }).trustProxy(peer, 0)).toBe(true);
    expect(loadConfig({ TRUST_PROXY: 'loopback' }).trustProxy(peer, 0)).toBe(false);
  });

  test.each([
    [{ PUBLIC_URL: 'bridge.example.com' }, 'PUBLIC_URL="bridge.example.com": must be the public https:// URL'],
    [{ MAX_CONCURRENT_CALLS: '0' }, 'MAX_CONCURRENT_CALLS="0": must be ≥ 1'],
    [{ QUESTIONNAIRE_BY_NUMBER: '{oops' }, 'QUESTIONNAIRE_BY_NUMBER="{oops": must be JSON'],
    [{ QUESTIONNAIRE_BY_NUMBER: '{"0501234567":"x"}' }, 'keys must be E.164 numbers'],
    [{ TTS_PROVIDER: 'polly' }, 'TTS_PROVIDER="polly": must be espeak or elevenlabs'],
    [{ TTS_PROVIDER: 'elevenlabs' }, 'TTS_PROVIDER="elevenlabs": needs ELEVENLABS_API_KEY and ELEVENLABS_VOICE_ID (missing: ELEVENLABS_API_KEY, ELEVENLABS_VOICE_ID)'],
    [{ DEEPGRAM_URL: 'deepgram.local' }, 'DEEPGRAM_URL="deepgram.local": must be an http(s) URL'],
    [{ BARGE_IN_MIN_MS: '10' }, 'BARGE_IN_MIN_MS="10": must be ≥ 100'],
    [{ TRUST_PROXY: 'yes' }, 'TRUST_PROXY="yes": "yes" is not an address, a CIDR range or one of loopback, linklocal, uniquelocal'],
    [{ MAX_PENDING_STREAMS: '0' }, 'MAX_PENDING_STREAMS="0": must be ≥ 1'],
    [{ INSTANCE_ID: 'bridge 1' }, 'INSTANCE_ID="bridge 1": must be 1–64 letters, digits'],
    [{ DEEPGRAM_MIP_OPT_OUT: 'yes' }, 'DEEPGRAM_MIP_OPT_OUT="yes": must be true or false'],
    [{ LOG_HEALTH_DATA: '1' }, 'LOG_HEALTH_DATA="1": must be true or false'],
    [{ BARGE_IN_MIN_WORDS: '0' }, 'BARGE_IN_MIN_WORDS="0": must be ≥ 1'],
    [{ SPEECH_NO_WORDS_MS: 'soon' }, 'SPEECH_NO_WORDS_MS="soon": must be a number'],
    [{ CONSOLE_TIME_ZONE: '+03:00' }, 'CONSOLE_TIME_ZONE="+03:00": must be an IANA time zone name such as Asia/Riyadh'],
  ])('%j is rejected with what to do', (env, expected) => {
    expect(failure(env)).toContain(expected);
  });

  test('Deepgram is asked not to keep call audio unless DEEPGRAM_MIP_OPT_OUT=false; health data stays out of logs unless LOG_HEALTH_DATA=true', () => {
    expect(loadConfig({ DEEPGRAM_API_KEY: 'dg-key-123' }).deepgram).toEqual({ apiKey: 'dg-key-123', url: undefined, mipOptOut: true, chunkMs: 200 });
    expect(loadConfig({ DEEPGRAM_API_KEY: 'dg-key-123', DEEPGRAM_MIP_OPT_OUT: 'false' }).deepgram?.mipOptOut).toBe(false);
    expect(loadConfig({ LOG_LEVEL: 'debug' }).logHealthData).toBe(false);
    expect(loadConfig({ LOG_HEALTH_DATA: 'true' }).logHealthData).toBe(true);
  });

  test('OUTBOUND_FRAME_MS: 40 ms by default; whole telephony frames from 20 to 60 ms', () => {
    expect(loadConfig({}).outboundFrameMs).toBe(40);
    expect(loadConfig({ OUTBOUND_FRAME_MS: '20' }).outboundFrameMs).toBe(20);
    expect(failure({ OUTBOUND_FRAME_MS: '30' })).toContain('OUTBOUND_FRAME_MS="30": must be a multiple of 20');
    expect(failure({ OUTBOUND_FRAME_MS: '100' })).toContain('OUTBOUND_FRAME_MS="100": must be ≤ 60');
  });

  test('DEEPGRAM_CHUNK_MS: whole telephony frames from 20 to 240 ms (Deepgram recommends 20–250), 200 by default', () => {
    expect(loadConfig({ DEEPGRAM_API_KEY: 'dg-key-123' }).deepgram?.chunkMs).toBe(200);
    expect(loadConfig({ DEEPGRAM_API_KEY: 'dg-key-123', DEEPGRAM_CHUNK_MS: '20' }).deepgram?.chunkMs).toBe(20);
    expect(loadConfig({ DEEPGRAM_API_KEY: 'dg-key-123', DEEPGRAM_CHUNK_MS: '240' }).deepgram?.chunkMs).toBe(240);
    expect(failure({ DEEPGRAM_API_KEY: 'dg-key-123', DEEPGRAM_CHUNK_MS: '50' })).toContain('DEEPGRAM_CHUNK_MS="50": must be a multiple of 20');
    expect(failure({ DEEPGRAM_API_KEY: 'dg-key-123', DEEPGRAM_CHUNK_MS: '260' })).toContain('DEEPGRAM_CHUNK_MS="260": must be ≤ 240');
  });

  test('DATABASE_URL: a postgres:// or postgresql:// URL, read as given', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://bridge:secret@db.internal:5432/bridge' }).databaseUrl).toBe('postgres://bridge:secret@db.internal:5432/bridge');
    expect(loadConfig({ DATABASE_URL: 'postgresql:///bridge?host=/var/run/postgresql' }).databaseUrl).toBe('postgresql:///bridge?host=/var/run/postgresql');
    expect(loadConfig({ DATABASE_URL: '' }).databaseUrl).toBeUndefined();
  });

  test.each([
    ['mysql://bridge@db/bridge', 'DATABASE_URL="mysql://bridge@db/bridge": must be a postgres:// or postgresql:// URL'],
    ['db.internal:5432', 'DATABASE_URL="db.internal:5432": must be a postgres:// or postgresql:// URL'],
    ['not a url', 'DATABASE_URL="not a url": must be a postgres:// or postgresql:// URL'],
  ])('DATABASE_URL=%j is rejected naming the variable', (value, expected) => {
    expect(failure({ DATABASE_URL: value })).toContain(expected);
  });

  test('DATA_RETENTION_DAYS: whole days, 365 unless set', () => {
    expect(loadConfig({ DATA_RETENTION_DAYS: '30' }).dataRetentionDays).toBe(30);
    expect(loadConfig({ DATA_RETENTION_DAYS: '' }).dataRetentionDays).toBe(365);
  });

  test.each([
    ['0', 'DATA_RETENTION_DAYS="0": must be at least 1 (days); to keep records longer, give a larger number'],
    ['-5', 'DATA_RETENTION_DAYS="-5": must be at least 1'],
    ['1.5', 'DATA_RETENTION_DAYS="1.5": must be a whole number of days'],
    ['a year', 'DATA_RETENTION_DAYS="a year": must be a whole number of days'],
    ['100000', 'DATA_RETENTION_DAYS="100000": must be at most 36500'],
  ])('DATA_RETENTION_DAYS=%j is rejected naming the variable', (value, expected) => {
    expect(failure({ DATA_RETENTION_DAYS: value })).toContain(expected);
  });

  test('a rejected DATABASE_URL never shows its password', () => {
    const message = failure({ DATABASE_URL: 'mysql://bridge:s3cret-pass@db.internal/bridge' });
    expect(message).toContain('DATABASE_URL="mysql://bridge:***@db.internal/bridge"');
    expect(message).not.toContain('s3cret-pass');
  });

  const SECRET = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;

  test('WEBHOOK_URL with WEBHOOK_SECRET: every event unless WEBHOOK_EVENTS narrows them', () => {
    expect(loadConfig({ WEBHOOK_URL: 'https://clinic.example/hooks', WEBHOOK_SECRET: SECRET }).webhook).toEqual({
      url: 'https://clinic.example/hooks',
      secret: SECRET,
      events: ['call.flagged', 'call.ended', 'call.transferred', 'attempt.ended', 'campaign.completed'],
    });
    expect(loadConfig({ WEBHOOK_URL: 'http://127.0.0.1:9000/x', WEBHOOK_SECRET: SECRET, WEBHOOK_EVENTS: ' call.flagged,call.flagged ' }).webhook?.events).toEqual(['call.flagged']);
  });

  test.each([
    [{ WEBHOOK_URL: 'https://clinic.example/hooks' }, 'WEBHOOK_SECRET="": is required when WEBHOOK_URL is set'],
    [{ WEBHOOK_SECRET: SECRET }, 'WEBHOOK_URL="": WEBHOOK_SECRET is set but no receiver is'],
    [{ WEBHOOK_URL: 'ftp://clinic.example/hooks', WEBHOOK_SECRET: SECRET }, 'WEBHOOK_URL="ftp://clinic.example/hooks": must be the https:// URL'],
    [{ WEBHOOK_URL: 'https://clinic.example/hooks', WEBHOOK_SECRET: 'hunter2-not-a-secret' }, 'WEBHOOK_SECRET="***": must be whsec_ followed by the base64 of at least 24 random bytes'],
    [{ WEBHOOK_URL: 'https://clinic.example/hooks', WEBHOOK_SECRET: `whsec_${Buffer.alloc(16).toString('base64')}` }, 'WEBHOOK_SECRET="***": must be whsec_'],
    [{ WEBHOOK_URL: 'https://clinic.example/hooks', WEBHOOK_SECRET: SECRET, WEBHOOK_EVENTS: 'call.flagged,call.exploded' }, 'WEBHOOK_EVENTS="call.flagged,call.exploded": must be a comma-separated list'],
    [
      { NODE_ENV: 'production', TWILIO_AUTH_TOKEN: 'x'.repeat(32), MAQSAM_TOKEN: 'y'.repeat(32), BRIDGE_API_KEY: 'k'.repeat(32), PUBLIC_URL: 'https://bridge.example', WEBHOOK_URL: 'http://clinic.example/hooks', WEBHOOK_SECRET: SECRET },
      'WEBHOOK_URL="http://clinic.example/hooks": must be https:// when NODE_ENV=production',
    ],
  ])('webhook settings %j are rejected naming the variable', (env, expected) => {
    const message = failure(env);
    expect(message).toContain(expected);
    expect(message).not.toContain('hunter2');
  });

  test('every bad variable is named at once', () => {
    const message = failure({ PORT: 'x', LOG_LEVEL: 'y' });
    expect(message).toContain('PORT="x"');
    expect(message).toContain('LOG_LEVEL="y"');
  });
});
