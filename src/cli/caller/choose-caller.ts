import { type MaqsamCallReport, type MaqsamCallerOptions, type MaqsamTimelineEvent, placeMaqsamCall } from './maqsam-caller';
import { type CallReport, type CallerOptions, type TimelineEvent, placeCall } from './twilio-caller';

/**
 * One simulated call through either provider, for the `call` CLI. Both reports carry what the
 * CLI summarises (`busy`, `heard`, `payloadSizes`, `replyLatenciesMs`); Maqsam's timeline adds
 * three events, which `describeProviderEvent` words.
 */
export const CALL_PROVIDERS = ['twilio', 'maqsam'] as const;
export type CallProvider = (typeof CALL_PROVIDERS)[number];

/** Every event either caller reports: Twilio's, plus Maqsam's ready, redirect and bridge-hangup. */
export type CallTimelineEvent = MaqsamTimelineEvent;

export interface ProviderCallOptions extends Omit<CallerOptions, 'onEvent'> {
  onEvent?: (event: CallTimelineEvent) => void;
  /** Maqsam: the bridge's MAQSAM_TOKEN. (`authToken` is Twilio's, for signing.) */
  maqsamToken?: string;
  /** Maqsam: send the token as the `Auth` header (default) or as `apiKey` in session.setup. */
  maqsamAuthMode?: MaqsamCallerOptions['authMode'];
  /** Maqsam: campaign variables for session.setup's context.custom. */
  custom?: MaqsamCallerOptions['custom'];
}

export function placeCallWith(provider: CallProvider, options: ProviderCallOptions): Promise<CallReport | MaqsamCallReport> {
  const { maqsamToken, maqsamAuthMode, custom, authToken, callSid, to, ...shared } = options;
  switch (provider) {
    case 'twilio':
      return placeCall({
        ...shared,
        ...(authToken !== undefined ? { authToken } : {}),
        ...(callSid !== undefined ? { callSid } : {}),
        ...(to !== undefined ? { to } : {}),
      });
    case 'maqsam':
      return placeMaqsamCall({
        ...shared,
        ...(maqsamToken !== undefined ? { token: maqsamToken } : {}),
        ...(maqsamAuthMode !== undefined ? { authMode: maqsamAuthMode } : {}),
        ...(custom !== undefined ? { custom } : {}),
        ...(callSid !== undefined ? { callId: callSid } : {}),
      });
  }
}

/** `--provider`: absent means Twilio. Throws a message fit for the usage line. */
export function parseCallProvider(value: string | undefined): CallProvider {
  if (value === undefined) return 'twilio';
  const found = CALL_PROVIDERS.find((p) => p === value.toLowerCase());
  if (!found) throw new Error(`--provider must be one of ${CALL_PROVIDERS.join(', ')}, not "${value}"`);
  return found;
}

/** `--maqsam-auth`: absent means the `Auth` header. */
export function parseMaqsamAuthMode(value: string | undefined): 'header' | 'setup' {
  if (value === undefined || value === 'header') return 'header';
  if (value === 'setup') return 'setup';
  throw new Error(`--maqsam-auth must be header or setup, not "${value}"`);
}

/** Words for Maqsam's own events; every other event is worded by `describeCommon` (the CLI's). */
export function describeProviderEvent(e: CallTimelineEvent, describeCommon: (e: TimelineEvent) => string): string {
  const at = `${(e.t / 1000).toFixed(2).padStart(7)} s`;
  switch (e.type) {
    case 'ready':
      return `${at}  session.ready ${e.latencyMs} ms after session.setup`;
    case 'redirect':
      return `${at}  bridge redirected the caller to a human (call.redirect)`;
    case 'bridge-hangup':
      return `${at}  bridge ended its part (call.hangup)`;
    default:
      return describeCommon(e);
  }
}
