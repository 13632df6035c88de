import { type Kysely, type Migration, type MigrationProvider, sql } from 'kysely';
import { ANSWER_METHODS, CALL_DIRECTIONS, CALL_STATUSES, FLAG_ACTIONS, ONCE_PER_CALL_EVENTS, WEBHOOK_DELIVERY_STATUSES } from './schema';

/**
 * Migrations live in code (not read from a folder at run time), so they work the same from
 * src/ under tsx and from dist/. Names sort in the order they run; never edit one that shipped.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_calls': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('calls')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('provider_call_id', 'text', (c) => c.notNull())
        .addColumn('questionnaire_id', 'text', (c) => c.notNull())
        .addColumn('questionnaire_version', 'integer', (c) => c.notNull())
        .addColumn('patient_reference', 'text')
        .addColumn('direction', 'text', (c) => c.notNull().defaultTo('inbound'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('transferred_to', 'text')
        .addColumn('started_at', 'timestamptz', (c) => c.notNull())
        .addColumn('ended_at', 'timestamptz')
        .addColumn('instance_id', 'text', (c) => c.notNull())
        .addColumn('heartbeat_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addCheckConstraint('calls_direction_check', oneOf('direction', CALL_DIRECTIONS))
        .addCheckConstraint('calls_status_check', oneOf('status', CALL_STATUSES))
        .execute();
      await db.schema.createIndex('calls_provider_call_id_idx').on('calls').columns(['provider', 'provider_call_id']).execute();
      // closeInterrupted and heartbeat look for one instance's open calls.
      await db.schema.createIndex('calls_open_by_instance_idx').on('calls').column('instance_id').where(sql.ref('status'), '=', 'in_progress').execute();

      await db.schema
        .createTable('answers')
        .addColumn('call_id', 'uuid', (c) => c.notNull().references('calls.id').onDelete('cascade'))
        .addColumn('item', 'text', (c) => c.notNull())
        .addColumn('value', 'jsonb', (c) => c.notNull())
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('transcript', 'text')
        .addColumn('confidence', 'double precision', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('confirmed', 'boolean')
        .addColumn('answered_at', 'timestamptz', (c) => c.notNull())
        .addPrimaryKeyConstraint('answers_pkey', ['call_id', 'item'])
        .addCheckConstraint('answers_method_check', oneOf('method', ANSWER_METHODS))
        .execute();

      await db.schema
        .createTable('flags')
        .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
        .addColumn('call_id', 'uuid', (c) => c.notNull().references('calls.id').onDelete('cascade'))
        .addColumn('item', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('value', 'jsonb', (c) => c.notNull())
        .addColumn('raised_at', 'timestamptz', (c) => c.notNull())
        .addColumn('acknowledged_at', 'timestamptz')
        .addColumn('acknowledged_by', 'text')
        .addUniqueConstraint('flags_call_item_action_key', ['call_id', 'item', 'action'])
        .addCheckConstraint('flags_action_check', oneOf('action', FLAG_ACTIONS))
        .execute();

      await db.schema
        .createTable('call_events')
        .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
        .addColumn('call_id', 'uuid', (c) => c.notNull().references('calls.id').onDelete('cascade'))
        .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('detail', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
        .execute();
      await db.schema.createIndex('call_events_call_at_idx').on('call_events').columns(['call_id', 'at']).execute();

      await db.schema
        .createTable('questionnaires')
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('definition', 'jsonb', (c) => c.notNull())
        .addColumn('loaded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('questionnaires_pkey', ['id', 'version'])
        .execute();
    },
  },
  /**
   * DATA_RETENTION_DAYS: a purged call keeps its row (status, questionnaire, times) and how many
   * answers it had, so aggregate counts survive the health data. A purged flag keeps its row
   * (item, action, time) with a null value.
   */
  '0002_retention': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .alterTable('calls')
        .addColumn('answer_count', 'integer')
        .addColumn('purged_at', 'timestamptz')
        .execute();
      await db.schema.alterTable('flags').alterColumn('value', (c) => c.dropNotNull()).execute();
      // The retention job looks for calls not yet purged by the time they ended (or started).
      await db.schema
        .createIndex('calls_retention_idx')
        .on('calls')
        .expression(sql`coalesce(ended_at, started_at), id`)
        .where(sql.ref('purged_at'), 'is', null)
        .execute();
      // The export reads calls by start time, in pages.
      await db.schema.createIndex('calls_started_at_idx').on('calls').columns(['started_at', 'id']).execute();
    },
  },
  '0003_api': {
    async up(db: Kysely<unknown>): Promise<void> {
      // Clinic API keys: only a hash of each key is kept (keys are 256 random bits, so one SHA-256 suffices).
      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('key_hash', 'text', (c) => c.notNull().unique())
        .addColumn('key_prefix', 'text', (c) => c.notNull())
        .addColumn('scopes', 'jsonb', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'timestamptz')
        .addColumn('last_used_at', 'timestamptz')
        .execute();
      // Who read or changed health data, when, from where. Append-only.
      await db.schema
        .createTable('audit_log')
        .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
        .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('key_id', 'uuid')
        .addColumn('key_name', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('resource', 'text')
        .addColumn('source', 'text')
        .addColumn('detail', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
        .execute();
      await db.schema.createIndex('audit_log_at_idx').on('audit_log').column('at').execute();
      // The results API lists calls newest first (0002's calls_started_at_idx), by questionnaire or patient.
      await db.schema.createIndex('calls_patient_idx').on('calls').column('patient_reference').execute();
    },
  },
  /**
   * Outgoing webhooks through an outbox: an event row (and one delivery per matching subscription)
   * is written in the same transaction as the flag or call state that caused it, and delivered
   * later by whichever instance leases it. 0003 belongs to the clinic API.
   */
  '0004_webhooks': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('webhook_subscriptions')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        .addColumn('url', 'text', (c) => c.notNull())
        // A JSON array of event types, e.g. ["call.flagged", "call.ended"].
        .addColumn('events', 'jsonb', (c) => c.notNull())
        // Kept as given (whsec_ + base64), not hashed: every delivery is signed with it (HMAC),
        // so the bridge needs the key itself. Never returned after the subscription is created.
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('disabled_at', 'timestamptz')
        .execute();

      await db.schema
        .createTable('webhook_events')
        // The Standard Webhooks message id (webhook-id): msg_ + 32 hex digits, the same on every retry.
        .addColumn('id', 'text', (c) => c.primaryKey())
        // Commit order of events, for delivering one call's events in order.
        .addColumn('seq', 'bigint', (c) => c.notNull().unique().generatedAlwaysAsIdentity())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('call_id', 'uuid', (c) => c.references('calls.id').onDelete('cascade'))
        // The exact JSON body that is signed and sent (text, not jsonb, so its bytes never change).
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      // A call ends, and is transferred, at most once: a retried or late save cannot repeat those events.
      await db.schema
        .createIndex('webhook_events_once_per_call_key')
        .on('webhook_events')
        .columns(['call_id', 'type'])
        .unique()
        .where(sql<boolean>`type in (${sql.join(ONCE_PER_CALL_EVENTS.map((t) => sql.lit(t)))})`)
        .execute();

      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
        .addColumn('event_id', 'text', (c) => c.notNull().references('webhook_events.id').onDelete('cascade'))
        .addColumn('subscription_id', 'uuid', (c) => c.notNull().references('webhook_subscriptions.id').onDelete('cascade'))
        // Copied from the event: the claim keeps one call's deliveries to one receiver in order.
        .addColumn('call_id', 'uuid')
        .addColumn('event_seq', 'bigint', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        // When it was queued (or replayed): the age of the oldest undelivered event is measured from here.
        .addColumn('queued_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('give_up_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now() + interval '24 hours'`))
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', 'timestamptz')
        .addColumn('last_attempt_at', 'timestamptz')
        .addColumn('last_status', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('delivered_at', 'timestamptz')
        .addUniqueConstraint('webhook_deliveries_event_subscription_key', ['event_id', 'subscription_id'])
        .addCheckConstraint('webhook_deliveries_status_check', oneOf('status', WEBHOOK_DELIVERY_STATUSES))
        .execute();
      // The claim: due deliveries, and whether an earlier one of the same call and receiver is still pending.
      await db.schema.createIndex('webhook_deliveries_due_idx').on('webhook_deliveries').columns(['next_attempt_at', 'event_seq']).where(sql.ref('status'), '=', 'pending').execute();
      await db.schema
        .createIndex('webhook_deliveries_order_idx')
        .on('webhook_deliveries')
        .columns(['subscription_id', 'call_id', 'event_seq'])
        .where(sql.ref('status'), '=', 'pending')
        .execute();
      await db.schema.createIndex('webhook_deliveries_event_idx').on('webhook_deliveries').column('event_id').execute();
    },
  },
  /** Outbound calls: one row per attempt to reach a patient (dialled at most once, by its id). */
  '0005_outbound': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('call_attempts')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        // The patient's number: needed to dial, so stored here and nowhere else; never logged.
        .addColumn('phone', 'text', (c) => c.notNull())
        .addColumn('questionnaire_id', 'text', (c) => c.notNull())
        .addColumn('patient_reference', 'text')
        // Prompt variables ({custom.NAME}, the patient's name): health data, read by the call only.
        .addColumn('custom', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('provider_call_id', 'text')
        .addColumn('answered_by', 'text')
        .addColumn('error', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema.createIndex('call_attempts_provider_call_idx').on('call_attempts').column('provider_call_id').execute();
    },
  },
  /** Opt-outs: numbers never called again, and which attempt a call came from. */
  '0006_do_not_call': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('do_not_call')
        .addColumn('phone', 'text', (c) => c.primaryKey())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('source_call_id', 'uuid')
        .addColumn('added_by', 'text', (c) => c.notNull())
        .addColumn('added_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema.alterTable('calls').addColumn('attempt_id', 'uuid').execute();
    },
  },
  /** Campaigns: patients to call in order, inside a calling window, with retries; each dial is an attempt. */
  '0007_campaigns': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('campaigns')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('questionnaire_id', 'text', (c) => c.notNull())
        .addColumn('settings', 'jsonb', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createTable('campaign_patients')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        .addColumn('campaign_id', 'uuid', (c) => c.notNull().references('campaigns.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('phone', 'text', (c) => c.notNull())
        .addColumn('patient_reference', 'text')
        .addColumn('custom', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
        // pending → calling → done | gave_up | do_not_call | cancelled (pending again for a retry)
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('last_outcome', 'text')
        .addColumn('lease_until', 'timestamptz')
        .addUniqueConstraint('campaign_patients_position_key', ['campaign_id', 'position'])
        .execute();
      await db.schema.createIndex('campaign_patients_due_idx').on('campaign_patients').columns(['campaign_id', 'next_attempt_at', 'position']).where(sql.ref('state'), '=', 'pending').execute();
      await db.schema.alterTable('call_attempts').addColumn('campaign_patient_id', 'uuid').execute();
    },
  },
  /**
   * Call-backs: a patient who rings back after a missed campaign call is matched by the number
   * (an `inbound` attempt); attempts of one campaign patient are looked up by patient.
   */
  '0008_callbacks': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('call_attempts').addColumn('direction', 'text', (c) => c.notNull().defaultTo('outbound')).execute();
      // A call-back from a number the carrier did not vouch for: linked, but it cannot opt the patient out.
      await db.schema.alterTable('call_attempts').addColumn('caller_verified', 'boolean', (c) => c.notNull().defaultTo(true)).execute();
      // The attempt of the patient's current claim (null between claiming and storing the attempt).
      await db.schema.alterTable('campaign_patients').addColumn('current_attempt_id', 'uuid').execute();
      await db.schema.createIndex('call_attempts_campaign_patient_idx').on('call_attempts').column('campaign_patient_id').execute();
      // Dialled attempts still waiting for a final status: checked at Twilio when their callbacks are overdue.
      await db.schema
        .createIndex('call_attempts_unsettled_idx')
        .on('call_attempts')
        .column('updated_at')
        .where(sql<boolean>`provider_call_id is not null and direction = 'outbound' and status not in ('completed', 'busy', 'no-answer', 'failed', 'canceled', 'abandoned')`)
        .execute();
      await db.schema
        .createIndex('campaign_patients_callback_idx')
        .on('campaign_patients')
        .column('phone')
        .where(sql<boolean>`state in ('pending', 'gave_up')`)
        .execute();
      // `attempt.ended` is written at most once per attempt, whichever callback or save gets there first.
      await db.schema.alterTable('webhook_events').addColumn('attempt_id', 'uuid').execute();
      await db.schema.createIndex('webhook_events_once_per_attempt_key').on('webhook_events').columns(['attempt_id', 'type']).unique().where(sql.ref('attempt_id'), 'is not', null).execute();
    },
  },
  /** The clinic console: named, revocable accounts (scrypt password hashes) and their sessions (only a hash of each cookie). */
  '0009_console': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('console_users')
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('scopes', 'jsonb', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('disabled_at', 'timestamptz')
        .execute();
      await db.schema
        .createTable('console_sessions')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'uuid', (c) => c.notNull().references('console_users.id').onDelete('cascade'))
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
        .addColumn('revoked_at', 'timestamptz')
        .execute();
      await db.schema.createIndex('console_sessions_user_idx').on('console_sessions').column('user_id').execute();
      // The console's landing page: open red flags, newest first.
      await db.schema.createIndex('flags_open_idx').on('flags').column('id').where(sql.ref('acknowledged_at'), 'is', null).execute();
    },
  },
  /**
   * Several instances over one database: each running instance's row (its call limit, whether it
   * drains, its last heartbeat), so the service's free capacity is the sum over live instances.
   * Additive only: the previous version runs on this schema unchanged (rolling upgrades).
   */
  '0010_instances': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('instances')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('max_calls', 'integer', (c) => c.notNull())
        .addColumn('draining', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('heartbeat_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      // The count of calls in progress per instance reads calls_open_by_instance_idx (0001).
    },
  },
  /** Failed console sign-ins, counted in the database so every instance sees every guess. */
  '0011_sign_in_attempts': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('sign_in_attempts')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema.createIndex('sign_in_attempts_key_at_idx').on('sign_in_attempts').columns(['key', 'at']).execute();
    },
  },
  /**
   * Campaign pacing across instances: the earliest time the campaign's next dial may start,
   * advanced by 1/callsPerSecond per dial under the campaign row's lock (null: never dialled).
   * Additive only (nullable), so the previous version runs on this schema unchanged.
   */
  '0012_campaign_dial_pacing': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('campaigns').addColumn('next_dial_at', 'timestamptz').execute();
    },
  },
  /**
   * Maqsam campaign calls: Maqsam dials from its side, and the call's stream names the patient
   * (`custom.patient_reference`); the attempt stored for it is Maqsam's, settled by the call's
   * end, never asked about at Twilio. Additive (a default), so the previous version runs unchanged.
   */
  '0013_attempt_provider': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('call_attempts').addColumn('provider', 'text', (c) => c.notNull().defaultTo('twilio')).execute();
    },
  },
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => ({ ...MIGRATIONS }),
};

/** `column in ('a', 'b')` for a check constraint (DDL takes no parameters, so the values are inlined). */
function oneOf(column: string, values: readonly string[]) {
  return sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;
}
