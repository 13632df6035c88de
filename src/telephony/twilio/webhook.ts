import { type Request, type Response, Router } from 'express';
import VoiceResponse from 'twilio/lib/twiml/VoiceResponse';
import type { CallRegistry } from '../../call/call-registry';
import type { ServiceRoom } from '../../call/service-room';
import { E164, maskedReason } from '../../identifiers';
import { clip } from '../../observability/clip';
import type { Logger } from '../../observability/logger';
import type { Metrics } from '../../observability/metrics';
import type { Attempts } from '../../outbound/attempts';
import { DEFAULT_LEASE_SECONDS } from '../../outbound/campaigns';
import { chooseQuestionnaire, reportQuestionnaireChoice, type UnknownQuestionnairePolicy } from '../../questionnaire/choose';
import { formBody } from '../../server/form-body';
import { sendError } from '../../server/http-errors';
import { baseUrlOf, checkWebhook, type SignatureCheck } from './signature';
import { issueStreamToken, STREAM_TOKEN_PARAMETER, streamTokenKey } from './stream-token';

export interface TwilioWebhookDeps {
  signature: SignatureCheck;
  registry: CallRegistry;
  questionnaireIds: ReadonlySet<string>;
  defaultQuestionnaire: string;
  questionnaireByNumber: Readonly<Record<string, string>>;
  onUnknownQuestionnaire: UnknownQuestionnairePolicy;
  metrics: Metrics;
  logger: Logger;
  /**
   * Several instances: whether the service as a whole has room (asked only when this instance is
   * full or draining). Absent: this instance's limit is the service's.
   */
  serviceRoom?: ServiceRoom;
  /** True while the bridge shuts down: new calls are turned away like at capacity. */
  draining?: () => boolean;
  /** Outbound attempts (the database): `?attempt=` on the voice and status webhooks names one. */
  attempts?: Pick<Attempts, 'context' | 'status' | 'matchCallback' | 'releaseCallback'>;
  /** How long a matched call-back holds its campaign patient before another instance checks on it. */
  campaignLeaseSeconds?: number;
  /**
   * Where a call that ended on another instance was transferred to (null: hang up), read from
   * the database once that instance has saved the call's end; undefined when it is not known.
   */
  storedOutcome?: (callSid: string) => Promise<{ transferTo: string | null } | undefined>;
  /** Answering-machine detection found a machine (its beep has sounded) on this call. */
  onAnsweringMachine?: (callSid: string) => void;
}

/** Said by Twilio itself when every line is busy: the bridge takes no stream it cannot serve. */
const BUSY_MESSAGE = 'عذراً، جميع الخطوط مشغولة الآن. يرجى معاودة الاتصال بعد قليل. مع السلامة.';
/** Said by Twilio when the call names a questionnaire we do not have (UNKNOWN_QUESTIONNAIRE=reject). */
const UNKNOWN_QUESTIONNAIRE_MESSAGE = 'عذراً، لا يمكننا إتمام هذه المكالمة الآن. يرجى التواصل مع العيادة. مع السلامة.';
const ARABIC_VOICE = { voice: 'Polly.Zeina', language: 'arb' } as const;

export const STREAM_PATH = '/ws/telephony';
/** How long the voice webhook waits for the store to match a call-back before answering the call unlinked. */
const CALLBACK_LOOKUP_MS = 2000;

/** POST /twilio/voice, /twilio/stream-ended and /twilio/status. */
export function twilioWebhooks(deps: TwilioWebhookDeps): Router {
  const router = Router();
  router.use('/twilio', formBody(64 * 1024));
  let warnedHost = false;
  const tokenKey = deps.signature.authToken ? streamTokenKey(deps.signature.authToken) : null;

  const verified = (route: string, req: Request, res: Response): boolean => {
    const params = (req.body ?? {}) as Record<string, string>;
    const verdict = checkWebhook(deps.signature, req, req.originalUrl, params);
    if (verdict.ok) return true;
    if (verdict.reason === 'bad_host') {
      deps.metrics.webhooks.inc({ route, outcome: 'invalid' });
      deps.logger.warn({ route, host: clip(req.headers.host ?? '') }, 'webhook rejected: the Host or X-Forwarded-* headers do not name a usable host');
      sendError(res, 'bad_host');
      return false;
    }
    deps.metrics.webhooks.inc({ route, outcome: 'forbidden' });
    deps.logger.warn(
      { route, reason: verdict.reason, url: clip(`${baseUrlOf(req, deps.signature)}${req.originalUrl}`, 200) },
      'webhook rejected: X-Twilio-Signature does not match (check TWILIO_AUTH_TOKEN and PUBLIC_URL)',
    );
    sendError(res, 'forbidden', verdict.reason);
    return false;
  };

  const twiml = (res: Response, response: VoiceResponse) => res.status(200).type('text/xml').send(response.toString());

  router.post('/twilio/voice', async (req, res, next) => {
    if (!verified('voice', req, res)) return;
    // A call we placed: its questionnaire and variables are the attempt's (the signed URL names it).
    let attempt: string | null = null;
    let attemptQuestionnaire: string | undefined;
    if (typeof req.query['attempt'] === 'string') {
      attempt = req.query['attempt'];
      let context: Awaited<ReturnType<NonNullable<TwilioWebhookDeps['attempts']>['context']>>;
      try {
        context = await deps.attempts?.context(attempt);
      } catch (error) {
        return next(error);
      }
      const sid = ((req.body ?? {}) as Record<string, string>)['CallSid'];
      if (!context || (context.providerCallId !== null && context.providerCallId !== sid)) {
        deps.metrics.webhooks.inc({ route: 'voice', outcome: 'invalid' });
        deps.logger.warn({ attempt: clip(attempt), callSid: clip(sid ?? '') }, 'voice webhook names an unknown attempt, or another call\'s: hanging up');
        const refusal = new VoiceResponse();
        refusal.hangup();
        return twiml(res, refusal);
      }
      attemptQuestionnaire = context.questionnaire;
    }
    const body = (req.body ?? {}) as Record<string, string>;
    const base = baseUrlOf(req, deps.signature);
    const callSid = typeof body['CallSid'] === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(body['CallSid']) ? body['CallSid'] : null;
    if (base === null || (tokenKey && callSid === null)) {
      deps.metrics.webhooks.inc({ route: 'voice', outcome: 'invalid' });
      const reason = base === null ? 'bad_host' : 'missing_call_sid';
      deps.logger.warn({ route: 'voice', reason }, 'voice webhook rejected: no usable host or CallSid to bind a stream to');
      sendError(res, reason === 'bad_host' ? 'bad_host' : 'bad_request', reason === 'bad_host' ? undefined : 'the request has no usable CallSid');
      return;
    }
    if (!deps.signature.publicUrl && !warnedHost) {
      warnedHost = true;
      deps.logger.warn({ derived: base }, 'PUBLIC_URL is not set: stream URLs are derived from the Host header');
    }
    const response = new VoiceResponse();
    const full = deps.registry.atCapacity() || deps.draining?.();
    // Several instances: the stream goes through the load balancer, so the call is turned away only when every instance is full.
    if (full && deps.serviceRoom && (await deps.serviceRoom())) {
      deps.logger.info({ callSid, active: deps.registry.active, draining: deps.draining?.() ?? false }, 'this instance is full or draining, but the service has room: the stream goes to the load balancer');
    } else if (full) {
      deps.metrics.webhooks.inc({ route: 'voice', outcome: 'busy' });
      deps.metrics.callsTotal.inc({ provider: 'twilio', status: 'rejected_busy' });
      deps.logger.warn({ callSid, active: deps.registry.active }, 'all lines busy: call turned away');
      response.say(ARABIC_VOICE, BUSY_MESSAGE);
      response.hangup();
      return twiml(res, response);
    }
    // A patient ringing back after a missed campaign call: their campaign's questionnaire, linked to them.
    if (!attempt && deps.attempts && body['Direction'] === 'inbound' && E164.test(body['From'] ?? '') && /^[A-Za-z0-9_-]{1,64}$/.test(body['CallSid'] ?? '')) {
      let timer: NodeJS.Timeout | undefined;
      let late = false;
      let lookup: ReturnType<NonNullable<TwilioWebhookDeps['attempts']>['matchCallback']> = Promise.resolve(undefined);
      try {
        lookup = deps.attempts.matchCallback({
          from: body['From'] as string,
          callSid: body['CallSid'] as string,
          // Set by Twilio (this request is signed) when the caller's carrier vouched for the number.
          attested: body['StirVerstat'] === 'TN-Validation-Passed-A',
          leaseSeconds: deps.campaignLeaseSeconds ?? DEFAULT_LEASE_SECONDS,
        });
        // A slow store must not keep the caller waiting (Twilio gives the webhook 15 s): unlinked after 2 s.
        const match = await Promise.race([
          lookup,
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
              late = true;
              reject(new Error('the call-back lookup took over 2 s'));
            }, CALLBACK_LOOKUP_MS);
          }),
        ]);
        if (match) {
          attempt = match.attemptId;
          attemptQuestionnaire = match.questionnaire;
          deps.logger.info({ callSid: body['CallSid'], attempt, personal: match.personal }, 'call-back from a campaign patient: their campaign\'s questionnaire');
        }
      } catch (error) {
        // The store is down or slow: the caller still gets the number's questionnaire, unlinked. A
        // match that lands after that is let go again, so the patient is not held by a call that is not theirs.
        if (late) void lookup.then((match) => match && deps.attempts?.releaseCallback(match.attemptId)).catch(() => undefined);
        deps.logger.warn({ callSid: body['CallSid'], reason: maskedReason(error) }, 'could not match a call-back to a campaign patient (store unavailable?): answering it as an ordinary call');
      } finally {
        clearTimeout(timer);
      }
    }
    // `?questionnaire=` on the webhook URL, else the called number's entry, else the default.
    const calledNumber = body['To'] ?? body['Called'];
    const choice = chooseQuestionnaire({
      named: attemptQuestionnaire ?? req.query['questionnaire'],
      byNumber: calledNumber ? deps.questionnaireByNumber[calledNumber] : undefined,
      known: deps.questionnaireIds,
      defaultId: deps.defaultQuestionnaire,
      policy: deps.onUnknownQuestionnaire,
    });
    reportQuestionnaireChoice(choice, 'twilio_webhook', { metrics: deps.metrics, logger: deps.logger.child({ callSid }) });
    if (choice.outcome === 'rejected') {
      deps.metrics.webhooks.inc({ route: 'voice', outcome: 'invalid' });
      response.say(ARABIC_VOICE, UNKNOWN_QUESTIONNAIRE_MESSAGE);
      response.hangup();
      return twiml(res, response);
    }
    const questionnaire = choice.id;
    const wsBase = base.replace(/^http/, 'ws');
    const connect = response.connect({ action: `${base}/twilio/stream-ended` });
    const stream = connect.stream({ url: `${wsBase}${STREAM_PATH}` });
    stream.parameter({ name: 'questionnaire', value: questionnaire });
    if (attempt) stream.parameter({ name: 'attempt', value: attempt });
    // Binds the stream to this call: the stream's start must carry it (see stream-token.ts).
    if (tokenKey && callSid) stream.parameter({ name: STREAM_TOKEN_PARAMETER, value: issueStreamToken(tokenKey, callSid) });
    deps.metrics.webhooks.inc({ route: 'voice', outcome: 'ok' });
    deps.logger.info({ callSid, questionnaire }, 'incoming call: stream requested');
    twiml(res, response);
  });

  // Twilio asks what next once our side closed the stream: dial the transfer number, or hang up.
  router.post('/twilio/stream-ended', async (req, res) => {
    if (!verified('stream-ended', req, res)) return;
    const callSid = ((req.body ?? {}) as Record<string, string>)['CallSid'] ?? '';
    // This instance ran the call: its memory. Another did (the stream and this webhook went to
    // different instances): the database, so a red-flag transfer is never lost to a hang-up.
    let transferTo = deps.registry.outcome('twilio', callSid)?.transferTo;
    if (transferTo === undefined && deps.storedOutcome && /^[A-Za-z0-9_-]{1,64}$/.test(callSid)) {
      try {
        transferTo = (await deps.storedOutcome(callSid))?.transferTo ?? null;
      } catch (error) {
        deps.logger.error({ callSid, reason: maskedReason(error) }, 'stream ended: the call\'s outcome could not be read from the store; hanging up');
      }
    }
    const response = new VoiceResponse();
    if (transferTo) response.dial(transferTo);
    else response.hangup();
    deps.metrics.webhooks.inc({ route: 'stream-ended', outcome: 'ok' });
    twiml(res, response);
  });

  router.post('/twilio/status', async (req, res, next) => {
    if (!verified('status', req, res)) return;
    const body = (req.body ?? {}) as Record<string, string>;
    const status = /^[a-z-]{1,20}$/.test(body['CallStatus'] ?? '') ? (body['CallStatus'] as string) : 'unknown';
    const answeredBy = /^[a-z_]{1,30}$/.test(body['AnsweredBy'] ?? '') ? body['AnsweredBy'] : undefined;
    if (typeof req.query['attempt'] === 'string' && deps.attempts && typeof body['CallSid'] === 'string') {
      let matched: boolean;
      try {
        // Machine detection's own callback carries AnsweredBy and no CallStatus.
        matched = await deps.attempts.status(req.query['attempt'], body['CallSid'], { status: body['CallStatus'] ? status : undefined, answeredBy });
      } catch (error) {
        return next(error);
      }
      if (matched && answeredBy && (answeredBy.startsWith('machine_end') || answeredBy === 'fax')) deps.onAnsweringMachine?.(body['CallSid']);
    }
    deps.metrics.callStatusCallbacks.inc({ status });
    deps.metrics.webhooks.inc({ route: 'status', outcome: 'ok' });
    deps.logger.info({ callSid: clip(body['CallSid'] ?? ''), status, durationSeconds: clip(body['CallDuration'] ?? '', 12) }, 'call status');
    res.status(204).end();
  });
  return router;
}
