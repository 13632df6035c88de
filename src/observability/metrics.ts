import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { RED_FLAG_ACTIONS } from '../questionnaire/schema';
import type { CallStatus } from '../questionnaire/types';
import { WEBHOOK_EVENT_TYPES } from '../store/schema';
import { FrameHistogram } from './frame-histogram';
import { PROVIDERS } from '../telephony/events';

/**
 * The known values of each finite label, so every series exists at 0 from the first scrape
 * (Prometheus's "avoid missing metrics": `rate()` over a series that appears only at its first
 * event misses that event). A `Record<Union, true>` fails to compile when the union grows.
 */
const CALL_STATUSES = Object.keys({
  completed: true,
  stopped: true,
  escalated: true,
  opted_out: true,
  transferred: true,
} satisfies Record<CallStatus, true>) as CallStatus[];
const REPLY_INPUTS = ['dtmf', 'voice'] as const;
/** Routes and outcomes of the Twilio webhooks (telephony/twilio/webhook.ts). */
const WEBHOOK_OUTCOMES: Record<string, readonly string[]> = {
  voice: ['ok', 'busy', 'forbidden', 'invalid'],
  status: ['ok', 'forbidden', 'invalid'],
  'stream-ended': ['ok', 'forbidden', 'invalid'],
};
/** Where a bug was caught (bridge_internal_errors_total): alerting on any increase needs the series at 0. */
const INTERNAL_ERROR_SCOPES = ['message', 'close', 'timer', 'speech', 'playout', 'upgrade', 'connection', 'unhandled_rejection', 'uncaught_exception'] as const;
/** Twilio's CallStatus values (https://www.twilio.com/docs/voice/api/call-resource#call-status-values). */
const TWILIO_CALL_STATUSES = ['queued', 'initiated', 'ringing', 'in-progress', 'completed', 'busy', 'no-answer', 'canceled', 'failed'] as const;
const STT_CONNECT_OUTCOMES = ['ok', 'timeout', 'error'] as const;
const STT_RECONNECT_OUTCOMES = ['success', 'failure'] as const;
const STORE_OPERATIONS = ['save', 'heartbeat', 'close_stale', 'service_room', 'signal', 'questionnaire_sync'] as const;
/** Statements sent to the database, by kind (Kysely's node kind, simplified). */
const STATEMENT_KINDS = ['select', 'insert', 'update', 'delete', 'other'] as const;
/** Outgoing webhook events (store/schema.ts WEBHOOK_EVENT_TYPES) and what an attempt came to. */
const WEBHOOK_EVENTS = WEBHOOK_EVENT_TYPES;
const WEBHOOK_DELIVERY_OUTCOMES = ['delivered', 'retried', 'failed'] as const;

/** Label values of bridge_unknown_questionnaire_total: where a call's questionnaire id came from. */
export const UNKNOWN_QUESTIONNAIRE_SOURCES = ['twilio_webhook', 'twilio_stream', 'maqsam_stream'] as const;

/**
 * Every metric the bridge exports is declared in this file, with its help text. Names are a
 * stable interface (dashboards depend on them): prefix `bridge_`, base units, `_total` counters.
 * A registry is created per app (never the global one), so two apps can share a test process.
 */
export function createMetrics() {
  const registry = new Registry();
  // Node's defaults include event-loop lag (nodejs_eventloop_lag_*), heap and GC.
  // The sampling interval adds to every reading: 10 ms (the default) would hide a 10 ms budget.
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 1 });
  // prom-client names these gauges with a `_total` suffix, which Prometheus reserves for
  // counters (`promtool check metrics` rejects them); the handle counts are not worth the noise.
  for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
    registry.removeSingleMetric(name);
  }
  const registers = [registry];
  const unknownQuestionnaire = new Counter({
    name: 'bridge_unknown_questionnaire_total',
    help: 'Calls naming a questionnaire the bridge does not have (run with the default or refused, per UNKNOWN_QUESTIONNAIRE), by where the id came from (twilio_webhook, twilio_stream, maqsam_stream).',
    labelNames: ['source'] as const,
    registers,
  });
  // Present at 0 from the start, so an alert on its increase sees the first one.
  for (const source of UNKNOWN_QUESTIONNAIRE_SOURCES) unknownQuestionnaire.inc({ source }, 0);

  const metrics = {
    registry,
    callsActive: new Gauge({
      name: 'bridge_calls_active',
      help: 'Calls with an open media stream, by telephony provider.',
      labelNames: ['provider'] as const,
      registers,
    }),
    callsTotal: new Counter({
      name: 'bridge_calls_total',
      help: 'Calls ended, by provider and final status (completed, stopped, escalated, opted_out, transferred, rejected_busy).',
      labelNames: ['provider', 'status'] as const,
      registers,
    }),
    replyLatency: new Histogram({
      name: 'bridge_reply_latency_seconds',
      help: "Caller's last input (keypad digit or final transcript) to the first frame of the bridge's reply sent.",
      labelNames: ['provider', 'input'] as const,
      buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
      registers,
    }),
    // Observed once per media message and per outbound frame: a histogram made for that rate.
    inboundFrame: new FrameHistogram({
      name: 'bridge_inbound_frame_seconds',
      help: 'Time to process one inbound media message: JSON parse, and with a recogniser listening base64, mu-law decode, resample and hand-off.',
      buckets: [0.00001, 0.00002, 0.00003, 0.00005, 0.000075, 0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01],
      registers,
    }),
    playoutLateness: new FrameHistogram({
      name: 'bridge_playout_lateness_seconds',
      help: 'Send time minus scheduled time of outbound 20 ms audio frames.',
      buckets: [0.0005, 0.001, 0.002, 0.003, 0.004, 0.005, 0.0075, 0.01, 0.015, 0.02, 0.05, 0.1],
      registers,
    }),
    wsRejected: new Counter({
      name: 'bridge_ws_messages_rejected_total',
      help: 'Media-stream messages or connections rejected, by provider and reason.',
      labelNames: ['provider', 'reason'] as const,
      registers,
    }),
    ttsSeconds: new Histogram({
      name: 'bridge_tts_seconds',
      help: 'Speech synthesis request to first audio, by TTS provider and cache outcome (memory, disk, fresh, recording).',
      labelNames: ['provider', 'cache'] as const,
      buckets: [0.0001, 0.001, 0.005, 0.01, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
      registers,
    }),
    webhooks: new Counter({
      name: 'bridge_webhook_requests_total',
      help: 'Telephony webhook requests, by route and outcome (ok, busy, forbidden, invalid).',
      labelNames: ['route', 'outcome'] as const,
      registers,
    }),
    callStatusCallbacks: new Counter({
      name: 'bridge_twilio_call_status_total',
      help: 'Twilio call status callbacks received, by CallStatus.',
      labelNames: ['status'] as const,
      registers,
    }),
    redFlags: new Counter({
      name: 'bridge_red_flags_total',
      help: 'Red flags raised by answers, by action (emergency, transfer, flag).',
      labelNames: ['action'] as const,
      registers,
    }),
    sttFinalLatency: new Histogram({
      name: 'bridge_stt_final_latency_seconds',
      help: "End of the caller's last word (on the call's audio clock) to the arrival of its final recognition result.",
      buckets: [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5],
      registers,
    }),
    sttConnect: new Histogram({
      name: 'bridge_stt_connect_seconds',
      help: 'Opening a recognition connection, by outcome (ok, timeout, error).',
      labelNames: ['outcome'] as const,
      buckets: [0.05, 0.1, 0.2, 0.3, 0.5, 1, 2, 3, 5],
      registers,
    }),
    sttReconnects: new Counter({
      name: 'bridge_stt_reconnects_total',
      help: 'Reconnection attempts of recognition streams, by outcome (success, failure).',
      labelNames: ['outcome'] as const,
      registers,
    }),
    sttDroppedAudio: new Counter({
      name: 'bridge_stt_dropped_audio_seconds_total',
      help: 'Caller audio dropped because a recognition outage outlasted the reconnect buffer (10 s).',
      registers,
    }),
    sttDegradedCalls: new Counter({
      name: 'bridge_stt_degraded_calls_total',
      help: 'Times a call switched to keypad answers because recognition was unavailable.',
      registers,
    }),
    bargeIns: new Counter({
      name: 'bridge_barge_ins_total',
      help: 'Prompts interrupted by the caller speaking over them, by provider.',
      labelNames: ['provider'] as const,
      registers,
    }),
    ttsFallbacks: new Counter({
      name: 'bridge_tts_fallback_total',
      help: 'Prompts spoken by the embedded voice because the cloud voice failed before its first audio.',
      registers,
    }),
    internalErrors: new Counter({
      name: 'bridge_internal_errors_total',
      help: 'Bugs caught before they could take the process down, by where (message, close, timer, speech, playout, upgrade, connection, unhandled_rejection, uncaught_exception); each closed one call with 1011 or answered one upgrade 500; an uncaught exception drains and exits.',
      labelNames: ['scope'] as const,
      registers,
    }),
    unknownQuestionnaire,
    storeErrors: new Counter({
      name: 'bridge_store_errors_total',
      help: 'Failed database operations, by operation (save: a call record, retried with backoff until it lands; heartbeat: the periodic check of the store and this instance\'s row; close_stale: closing the calls of instances that stopped beating; service_room: asking the service\'s free capacity when this instance is full; signal: telling other instances of an answering machine; questionnaire_sync: picking up versions uploaded through another instance).',
      labelNames: ['operation'] as const,
      registers,
    }),
    storeStatements: new Counter({
      name: 'bridge_store_statements_total',
      help: 'Statements this instance sent to the database, by kind (select, insert, update, delete, other); a transaction adds its BEGIN and COMMIT. Divide by calls for the database cost of a call.',
      labelNames: ['kind'] as const,
      registers,
    }),
    storeCommitSeconds: new Histogram({
      name: 'bridge_store_commit_seconds',
      help: 'From a call handing its state to the store to that state being committed (queueing behind the same call\'s earlier write included).',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    storeSlowCommits: new Counter({
      name: 'bridge_store_slow_commits_total',
      help: 'Answers whose commit took longer than the 500 ms a call waits before its next question; the call went on and the write kept retrying.',
      registers,
    }),
    storePendingCalls: new Gauge({
      name: 'bridge_store_pending_calls',
      help: 'Calls whose latest state is not yet committed (held in memory, retried while the store fails).',
      registers,
    }),
    webhookDeliveries: new Counter({
      name: 'bridge_webhook_deliveries_total',
      help: 'Outgoing webhook attempts, by event type and outcome (delivered: the receiver answered 2xx; retried: it did not, another attempt is scheduled; failed: given up after 24 h).',
      labelNames: ['event', 'outcome'] as const,
      registers,
    }),
    webhookDeliverySeconds: new Histogram({
      name: 'bridge_webhook_delivery_seconds',
      help: 'From an event being committed (with the flag or call state that caused it) to its receiver answering 2xx, retries included, by event type.',
      labelNames: ['event'] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 3600],
      registers,
    }),
    webhookOldestPendingSeconds: new Gauge({
      name: 'bridge_webhook_oldest_undelivered_age_seconds',
      help: 'Age of the oldest webhook delivery not yet accepted by its receiver (0 when none); every instance reports the shared store\'s value.',
      registers,
    }),
  };
  initialiseKnownSeries(metrics);
  return metrics;
}

/** Creates every series whose label values are known in advance, at 0. */
function initialiseKnownSeries(m: Metrics): void {
  for (const provider of PROVIDERS) {
    m.callsActive.set({ provider }, 0);
    m.bargeIns.inc({ provider }, 0);
    for (const status of CALL_STATUSES) m.callsTotal.inc({ provider, status }, 0);
    for (const input of REPLY_INPUTS) m.replyLatency.zero({ provider, input });
  }
  m.callsTotal.inc({ provider: 'twilio', status: 'rejected_busy' }, 0);
  for (const [route, outcomes] of Object.entries(WEBHOOK_OUTCOMES)) for (const outcome of outcomes) m.webhooks.inc({ route, outcome }, 0);
  for (const status of TWILIO_CALL_STATUSES) m.callStatusCallbacks.inc({ status }, 0);
  for (const action of RED_FLAG_ACTIONS) m.redFlags.inc({ action }, 0);
  for (const outcome of STT_CONNECT_OUTCOMES) m.sttConnect.zero({ outcome });
  for (const outcome of STT_RECONNECT_OUTCOMES) m.sttReconnects.inc({ outcome }, 0);
  for (const scope of INTERNAL_ERROR_SCOPES) m.internalErrors.inc({ scope }, 0);
  for (const operation of STORE_OPERATIONS) m.storeErrors.inc({ operation }, 0);
  for (const kind of STATEMENT_KINDS) m.storeStatements.inc({ kind }, 0);
  for (const event of WEBHOOK_EVENTS) {
    for (const outcome of WEBHOOK_DELIVERY_OUTCOMES) m.webhookDeliveries.inc({ event, outcome }, 0);
    m.webhookDeliverySeconds.zero({ event });
  }
}

export type Metrics = ReturnType<typeof createMetrics>;
