import type { CheckStatus } from '../diagnostics/report';

export type { CheckStatus } from '../diagnostics/report';

/** One verdict of the doctor: what it tried, what it saw, and (unless it passed) the fix. */
export interface DoctorCheck {
  /** Stable id, e.g. `dns`, `tls`, `ws.telephony`, `inside.speech.key`: what CI gates and the README refer to. */
  id: string;
  title: string;
  status: CheckStatus;
  tried: string;
  saw: string;
  /** One or two lines; absent on a pass. */
  fix?: string;
  /** The README section that explains this check (an anchor in README.md). */
  section: string;
  ms: number;
}

export interface DoctorReport {
  /** The base URL checked (origin only). */
  url: string;
  ok: boolean;
  counts: Record<CheckStatus, number>;
  checks: DoctorCheck[];
}

/** The bridge under test, from --url. */
export interface Target {
  /** `https://host[:port]`, no path. */
  origin: string;
  /** `wss://host[:port]` (ws:// for http). */
  wsOrigin: string;
  host: string;
  port: number;
  secure: boolean;
  /** A loopback or private address: plain http is fine there, not for Twilio. */
  local: boolean;
}

/** What the doctor holds (from its environment, read by config.ts) and how long it waits. */
export interface DoctorOptions {
  providers: { twilio: boolean; maqsam: boolean };
  /** --twilio: check the account's phone numbers through Twilio's REST API. */
  twilioNumbers: boolean;
  /** --quick: skip the long hold. */
  quick: boolean;
  /** BRIDGE_API_KEY: diagnostic streams and GET /api/v1/diagnostics. */
  apiKey: string | undefined;
  /** TWILIO_AUTH_TOKEN: the signed upgrade, as Twilio would send it. */
  twilioAuthToken: string | undefined;
  /** MAQSAM_TOKEN: the Auth header upgrade, as Maqsam would send it. */
  maqsamToken: string | undefined;
  twilioRest: { accountSid: string; username: string; password: string; baseUrl: string | undefined; number: string | undefined } | undefined;
  /** Extra trusted certificates (PEM), e.g. a private CA in front of a staging bridge. */
  ca: string | undefined;
  /** How long the stream is held open with pings (70 s). */
  holdMs: number;
  /** WebSocket pings during the hold, this often (15 s, like the bridge's keepalive). */
  pingMs: number;
  /** Frames a proxy may hold back before the stream counts as buffered. */
  maxHoldBackMs: number;
  /** Upgrades in the burst, all within one second. */
  burst: number;
  /** Each network step gives up after this long. */
  timeoutMs: number;
}

export const DEFAULT_DOCTOR_OPTIONS: Omit<DoctorOptions, 'apiKey' | 'twilioAuthToken' | 'maqsamToken' | 'twilioRest' | 'ca'> = {
  providers: { twilio: true, maqsam: true },
  twilioNumbers: false,
  quick: false,
  holdMs: 70_000,
  pingMs: 15_000,
  maxHoldBackMs: 100,
  burst: 20,
  timeoutMs: 5000,
};
