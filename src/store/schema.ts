import { type ColumnType, type Generated, type RawBuilder, sql } from 'kysely';

/**
 * The tables as Kysely sees them. Both engines return the same JS values for every column:
 * timestamps as `Date`, int8 (counts, identities) as `number`, jsonb parsed, booleans, uuids as
 * strings. The repositories turn dates into ISO strings at the edge of the folder.
 */

/** Read as Date; written as Date or an ISO 8601 string. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** JSON text made by `jsonb()`: a JS value is never handed to a driver to serialise its own way. */
export type JsonText = string & { readonly __jsonText: true };
/** Read as the parsed value; written only through `jsonb()`. */
export type Jsonb = ColumnType<unknown, JsonText, JsonText>;

/**
 * A jsonb value that means the same on both drivers. `pg` sends a JS array as a Postgres array
 * and a JS string as raw text, so serialise here and cast from text: `$1::text::jsonb`.
 */
export function jsonb(value: unknown): RawBuilder<JsonText> {
  const text = JSON.stringify(value === undefined ? null : value);
  return sql<JsonText>`cast(cast(${text} as text) as jsonb)`;
}

export const CALL_STATUSES = ['in_progress', 'completed', 'stopped', 'escalated', 'opted_out', 'transferred', 'interrupted'] as const;
export type CallStatusColumn = (typeof CALL_STATUSES)[number];
export const CALL_DIRECTIONS = ['inbound', 'outbound'] as const;
export const ANSWER_METHODS = ['voice', 'dtmf'] as const;
export const FLAG_ACTIONS = ['emergency', 'transfer', 'flag'] as const;

export interface CallsTable {
  /** Ours, minted by the bridge. */
  id: string;
  provider: string;
  /** The provider's id for this attempt: an attribute, not unique (attempts may repeat it). */
  provider_call_id: string;
  questionnaire_id: string;
  questionnaire_version: number;
  patient_reference: string | null;
  direction: ColumnType<(typeof CALL_DIRECTIONS)[number], (typeof CALL_DIRECTIONS)[number] | undefined, (typeof CALL_DIRECTIONS)[number]>;
  status: CallStatusColumn;
  transferred_to: string | null;
  started_at: Timestamp;
  ended_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  /** The bridge instance running the call. */
  instance_id: string;
  heartbeat_at: ColumnType<Date, Date | string | undefined, Date | string>;
  /** The outbound attempt the call answered (null for inbound calls). */
  attempt_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** Set when retention removes the call's answers: how many it had. Null before (count the answers rows). */
  answer_count: ColumnType<number | null, never, number | null>;
  /** When retention removed this call's answers, events and flag values; null while they are kept. */
  purged_at: ColumnType<Date | null, never, Date | string | null>;
}

export interface AnswersTable {
  call_id: string;
  item: string;
  value: Jsonb;
  method: (typeof ANSWER_METHODS)[number];
  transcript: string | null;
  confidence: number;
  attempts: number;
  /** Null when no read-back was asked; false when the caller hung up before confirming. */
  confirmed: boolean | null;
  answered_at: Timestamp;
}

export interface FlagsTable {
  id: Generated<number>;
  call_id: string;
  item: string;
  action: (typeof FLAG_ACTIONS)[number];
  /** Null once retention has removed it (the row stays, for counts). */
  value: ColumnType<unknown, JsonText, JsonText | null>;
  raised_at: Timestamp;
  acknowledged_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  acknowledged_by: string | null;
}

export interface CallEventsTable {
  id: Generated<number>;
  call_id: string;
  at: ColumnType<Date, Date | string | undefined, Date | string>;
  type: string;
  detail: ColumnType<unknown, JsonText | undefined, JsonText>;
}

export interface QuestionnairesTable {
  id: string;
  version: number;
  definition: Jsonb;
  loaded_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ApiKeysTable {
  id: string;
  name: string;
  key_hash: string;
  /** The key's first characters, to tell keys apart in lists (never enough to use). */
  key_prefix: string;
  scopes: ColumnType<string[], JsonText, JsonText>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  created_by: string;
  revoked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  last_used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: ColumnType<Date, Date | string | undefined, never>;
  key_id: string | null;
  key_name: string;
  action: string;
  resource: string | null;
  source: string | null;
  detail: ColumnType<unknown, JsonText | undefined, never>;
}

/** Events a webhook subscription can ask for (`campaign.*` join when campaigns do). */
export const WEBHOOK_EVENT_TYPES = ['call.flagged', 'call.ended', 'call.transferred', 'attempt.ended', 'campaign.completed'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
/** Events a call has at most once (a unique index; a retried save cannot repeat them). */
export const ONCE_PER_CALL_EVENTS = ['call.ended', 'call.transferred'] as const satisfies readonly WebhookEventType[];
/** pending: to be (re)tried; delivered: the receiver answered 2xx; failed: given up after 24 h (replayable). */
export const WEBHOOK_DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface WebhookSubscriptionsTable {
  id: string;
  url: string;
  /** A JSON array of event types. */
  events: Jsonb;
  /** whsec_ + base64: kept usable, since every delivery is signed with it. */
  secret: string;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  disabled_at: NullableTimestamp;
}

export interface WebhookEventsTable {
  /** The webhook-id (msg_…). */
  id: string;
  seq: Generated<number>;
  type: string;
  call_id: string | null;
  /** The exact JSON body signed and sent. */
  body: string;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  /** `attempt.ended`: the attempt it reports (at most one such event per attempt). */
  attempt_id: ColumnType<string | null, string | null | undefined, never>;
}

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  event_id: string;
  subscription_id: string;
  call_id: string | null;
  event_seq: number;
  status: ColumnType<WebhookDeliveryStatus, WebhookDeliveryStatus | undefined, WebhookDeliveryStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  queued_at: ColumnType<Date, Date | string | undefined, Date | string>;
  give_up_at: ColumnType<Date, Date | string | undefined, Date | string>;
  lease_owner: string | null;
  lease_until: NullableTimestamp;
  last_attempt_at: NullableTimestamp;
  last_status: number | null;
  last_error: string | null;
  delivered_at: NullableTimestamp;
}

export interface CallAttemptsTable {
  id: string;
  phone: string;
  questionnaire_id: string;
  patient_reference: string | null;
  custom: ColumnType<Record<string, string>, JsonText | undefined, JsonText>;
  /** queued (not yet accepted by Twilio), then Twilio's CallStatus values; failed when Twilio refused it. */
  status: string;
  provider_call_id: string | null;
  /** Twilio's AnsweredBy (human, machine_start, …), when machine detection reported it. */
  answered_by: string | null;
  error: string | null;
  created_by: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  /** The campaign patient this attempt is for (null for a single call). */
  campaign_patient_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** outbound: we dialled; inbound: the patient called back and was matched by number. */
  direction: ColumnType<'outbound' | 'inbound', 'outbound' | 'inbound' | undefined, never>;
  /** False for a call-back whose number no carrier vouched for: it may not put the number on the do-not-call list. */
  caller_verified: ColumnType<boolean, boolean | undefined, never>;
  /** twilio: we dialled it, or a call-back to our Twilio number; maqsam: Maqsam's campaign dialled it, settled by its call's end (0013). */
  provider: ColumnType<'twilio' | 'maqsam', 'twilio' | 'maqsam' | undefined, never>;
}

export interface ConsoleUsersTable {
  id: string;
  username: string;
  display_name: string;
  /** scrypt$N$r$p$salt$hash (base64url). */
  password_hash: string;
  scopes: ColumnType<string[], JsonText, JsonText>;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  created_by: string;
  disabled_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface ConsoleSessionsTable {
  /** SHA-256 of the session cookie's value (the cookie itself is never stored). */
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  expires_at: ColumnType<Date, Date | string, Date | string>;
  revoked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface DoNotCallTable {
  phone: string;
  reason: string;
  source_call_id: string | null;
  added_by: string;
  added_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface CampaignsTable {
  id: string;
  name: string;
  questionnaire_id: string;
  settings: ColumnType<unknown, JsonText, JsonText>;
  /** active | paused | cancelled | completed */
  status: string;
  created_by: string;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  /** The earliest time the next dial may start (0012): paces calls per second across instances; null before the first dial. */
  next_dial_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface CampaignPatientsTable {
  id: string;
  campaign_id: string;
  position: number;
  phone: string;
  patient_reference: string | null;
  custom: ColumnType<Record<string, string>, JsonText | undefined, JsonText>;
  state: string;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  last_outcome: string | null;
  lease_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** The attempt of the current claim; null from the claim until the attempt is stored. */
  current_attempt_id: ColumnType<string | null, string | null | undefined, string | null>;
}

/** One running instance over a shared database (0010_instances). */
export interface InstancesTable {
  id: string;
  max_calls: number;
  draining: ColumnType<boolean, boolean | undefined, boolean>;
  version: string;
  started_at: ColumnType<Date, Date | string | undefined, Date | string>;
  heartbeat_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** One counted console sign-in (0011): `key` is an address block, or an address block and a name. */
export interface SignInAttemptsTable {
  id: Generated<number>;
  key: string;
  at: ColumnType<Date, Date | string | undefined, never>;
}

export interface Database {
  instances: InstancesTable;
  sign_in_attempts: SignInAttemptsTable;
  campaigns: CampaignsTable;
  campaign_patients: CampaignPatientsTable;
  do_not_call: DoNotCallTable;
  console_users: ConsoleUsersTable;
  console_sessions: ConsoleSessionsTable;
  call_attempts: CallAttemptsTable;
  api_keys: ApiKeysTable;
  audit_log: AuditLogTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  webhook_events: WebhookEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  calls: CallsTable;
  answers: AnswersTable;
  flags: FlagsTable;
  call_events: CallEventsTable;
  questionnaires: QuestionnairesTable;
}
