/**
 * The provider-neutral vocabulary of a media stream. Protocol adapters translate a provider's
 * JSON to and from these; everything past the adapter speaks only this.
 */

export const PROVIDERS = ['twilio', 'maqsam'] as const;
export type Provider = (typeof PROVIDERS)[number];

export interface StreamStart {
  type: 'start';
  /** The provider's id for this media stream (Twilio streamSid). */
  streamId: string;
  /** The provider's id for the phone call (Twilio callSid, Maqsam context id). */
  callId: string;
  /** Values the webhook put in the stream's parameters (questionnaire id…). */
  parameters: Readonly<Record<string, string>>;
  /** Caller and campaign details that prompts may use; health data: never logged at info. */
  context: Readonly<Record<string, string>>;
  /** Set when the provider states it; the bridge speaks 8 kHz μ-law only. */
  mediaFormat?: { encoding: string; sampleRateHz: number; channels: number };
  /** A credential sent inside the stream (Maqsam's `apiKey` in session.setup); null when absent. */
  authToken?: string | null;
}

export type InboundEvent =
  | { type: 'connected' }
  | StreamStart
  /** `payload` is base64 μ-law 8 kHz, decoded by the session into a reused buffer. */
  | { type: 'audio'; payload: string; timestampMs: number | null }
  | { type: 'dtmf'; digit: string }
  | { type: 'mark'; name: string }
  | { type: 'stop' };

export type OutboundCommand =
  /** μ-law 8 kHz, any whole number of bytes (the playout sends OUTBOUND_FRAME_MS frames); `payload`, its base64 when already made. */
  | { type: 'play'; audio: Uint8Array; payload?: string }
  | { type: 'mark'; name: string }
  | { type: 'clear' }
  | { type: 'ready' }
  | { type: 'hangup' }
  | { type: 'transfer'; number: string };

/** Why a message from the provider was not accepted; counted as `reason` in metrics. */
export type RejectReason = 'malformed_json' | 'unknown_event' | 'invalid_message';

export type DecodeResult = { ok: true; event: InboundEvent } | { ok: false; reason: RejectReason; detail: string };

/**
 * A stream's start checked against what its upgrade established (Twilio's per-call token,
 * Maqsam's apiKey when the upgrade carried no Auth header). `liveCall`: the start names a call
 * already in progress here (a second stream taking it over), for which expiry no longer applies.
 */
export type StartVerdict = { ok: true } | { ok: false; reason: string; detail: string };
export type StartCheck = (start: StreamStart, context: { liveCall: boolean }) => StartVerdict;

export interface ProtocolAdapter {
  readonly provider: Provider;
  /** Pure: one text frame in, one event or a rejection out. */
  decode(text: string): DecodeResult;
  /**
   * Pure: one command out as a text frame, or null when the provider has no message for it
   * (the session then acts another way, e.g. by closing the socket).
   */
  encode(command: OutboundCommand, streamId: string): string | null;
}
