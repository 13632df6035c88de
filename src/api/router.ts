import { timingSafeEqual } from 'node:crypto';
import express, { type RequestHandler, Router } from 'express';
import { z } from 'zod';
import { ConsoleAccounts, consolePrincipal, MIN_PASSWORD, USERNAME } from '../console/accounts';
import { CONSOLE_PREFIX, consoleRouter, sessionCookie } from '../console/routes';
import { SignInThrottle } from '../console/sign-in-throttle';
import { E164, E164_MESSAGE, isTimeZoneName, PATIENT_REFERENCE, UUID } from '../identifiers';
import type { DiagnosticsReport } from '../diagnostics/report';
import type { Logger } from '../observability/logger';
import { Attempts, certainlyRefused, type Dialer, dialRefusal } from '../outbound/attempts';
import type { QuestionnaireCatalog } from '../questionnaire/catalog';
import { HttpError } from '../server/http-errors';
import type { Store } from '../store';
import { CALL_STATUSES } from '../store/schema';
import { AuditLog } from './audit';
import { campaignRoutes } from './campaign-routes';
import { FHIR_PREFIX, fhirRouter } from './fhir-routes';
import { ApiKeys, type Principal, SCOPES } from './keys';
import { openApiDocument } from './openapi';
import { diagnosticsRoutes } from './diagnostics-routes';
import { operationsRoutes } from './operations-routes';
import { questionnaireRoutes } from './questionnaire-routes';
import { acknowledgeFlag, decodeCursor, getCall, listCalls, listFlags, listLiveCalls, overview } from './results';
import { handle, parse, scoped, storeError } from './route-kit';

export const API_PREFIX = '/api/v1';

export interface ApiDeps {
  store: Store;
  /** BRIDGE_API_KEY; undefined: the API answers 404 api_disabled. */
  bootstrapKey: string | undefined;
  /** PUBLIC_URL: the base of FHIR canonical URLs (else the request's own). */
  publicUrl: string | undefined;
  catalog: QuestionnaireCatalog;
  /** Places outbound calls (Twilio's REST API); undefined: POST /calls answers 503 outbound_off. */
  dialer: Dialer | undefined;
  warmPrompts: (texts: string[]) => Promise<void>;
  questionnairesDir: string;
  logger: Logger;
  /** The digits the console's Arabic pages use (CONSOLE_DIGITS). */
  consoleDigits?: 'latn' | 'arab';
  /** The clinic's time zone for the console's days and times (CONSOLE_TIME_ZONE). */
  consoleTimeZone?: string;
  /** An instance silent this long is listed as stale (INSTANCE_STALE_SECONDS). */
  instanceStaleSeconds?: number;
  /** The bridge's checks of its own dependencies (GET /diagnostics). */
  diagnose: () => Promise<DiagnosticsReport>;
}

/**
 * The clinic API under /api/v1: every route needs `Authorization: Bearer <key>` (401 without a
 * known key, 403 without the scope), every read of health data is audited, and every input is
 * checked (400 with what is wrong). Shapes are a stable interface, described in openapi.json.
 */
export function apiRouter(deps: ApiDeps): Router {
  const router = Router();
  if (!deps.bootstrapKey) {
    router.use(['/api', '/fhir', '/console'], (_req, _res, next) => next(new HttpError('api_disabled')));
    return router;
  }
  const keys = new ApiKeys(deps.store.db, deps.bootstrapKey);
  const accounts = new ConsoleAccounts(deps.store.db);
  const audit = new AuditLog(deps.store.db);
  const db = deps.store.db;
  const api = Router();
  api.use(authenticate(keys, accounts));
  // Uploads parse their own bodies (YAML, JSON, FHIR; 256 KiB): mounted before the JSON parser.
  api.use(questionnaireRoutes({ store: deps.store, catalog: deps.catalog, audit, logger: deps.logger, warmPrompts: deps.warmPrompts, questionnairesDir: deps.questionnairesDir }));
  // Campaigns parse their own bodies too (JSON or CSV, up to 2 MiB).
  api.use(campaignRoutes({ store: deps.store, catalog: deps.catalog, audit, scoped }));
  api.use(express.json({ limit: '64kb' }));

  api.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });

  api.get(
    '/calls',
    scoped('results:read'),
    handle(async (req, res, principal) => {
      const q = parse(CallsQuery, req.query, 'invalid_query');
      const page = await listCalls(db, { ...q, cursor: q.cursor ? decodeCursor(q.cursor) : undefined });
      await audit.record(principal, 'calls.list', { source: req.ip ?? null, detail: { filter: req.query, returned: page.calls.length } });
      res.json({ calls: page.calls, next: page.next ? encodeCursor(page.next) : null });
    }),
  );

  let overviews: Promise<void> = Promise.resolve();
  /**
   * Views the console refreshes every few seconds are audited when what they show changes (or
   * every 10 minutes), not on every refresh: a record of what was seen, not of polling.
   */
  const lastSeen = new Map<string, { digest: string; at: number }>();
  const auditView = async (principal: Principal, action: string, shown: readonly (string | number)[], entry: Parameters<AuditLog['record']>[2]) => {
    const key = `${principal.userId ?? principal.keyId ?? principal.name}|${action}`;
    const digest = shown.join(',');
    const prior = lastSeen.get(key);
    if (prior && prior.digest === digest && Date.now() - prior.at < 600_000) return;
    if (lastSeen.size > 10_000) lastSeen.clear();
    lastSeen.set(key, { digest, at: Date.now() });
    await audit.record(principal, action, entry);
  };

  api.get(
    '/overview',
    scoped('results:read'),
    handle(async (req, res, principal) => {
      const q = parse(OverviewQuery, req.query, 'invalid_query');
      const until = q.until ?? new Date();
      const since = q.since ?? new Date(until.getTime() - 30 * 86_400_000);
      if (since >= until || until.getTime() - since.getTime() > 366 * 86_400_000) throw new HttpError('invalid_query', 'since must be before until, at most 366 days apart');
      // One at a time per instance: on the embedded database a long overview would hold up call saves.
      const run = overviews.then(() => overview(db, { questionnaire: q.questionnaire, since, until, timeZone: q.tz }));
      overviews = run.then(
        () => undefined,
        () => undefined,
      );
      const result = await run;
      await audit.record(principal, 'overview.read', { source: req.ip ?? null, detail: { questionnaire: q.questionnaire ?? null } });
      res.json(result);
    }),
  );

  api.get(
    '/calls/live',
    scoped('results:read'),
    handle(async (req, res, principal) => {
      const calls = await listLiveCalls(db);
      await auditView(principal, 'calls.live', calls.map((c) => c.id), { source: req.ip ?? null, detail: { returned: calls.length } });
      res.json({ calls });
    }),
  );

  api.get(
    '/calls/:id',
    scoped('results:read'),
    handle(async (req, res, principal) => {
      const id = String(req.params['id']);
      const call = await getCall(db, deps.store.calls, id);
      if (!call) throw new HttpError('call_not_found');
      await audit.record(principal, 'call.read', { resource: `call/${call.id}`, source: req.ip ?? null });
      res.json(call);
    }),
  );

  const attempts = new Attempts(db);

  // One outbound call, now: the attempt is stored first, so it is dialled once and its call links back to it.
  api.post(
    '/calls',
    scoped('calls:write'),
    handle(async (req, res, principal) => {
      const body = parse(PlaceCallBody, req.body ?? {}, 'invalid_body');
      if (!deps.catalog.get(body.questionnaire)) throw new HttpError('invalid_body', `questionnaire: unknown questionnaire ${body.questionnaire}`);
      if (!deps.dialer) throw new HttpError('outbound_off');
      if (await db.selectFrom('do_not_call').select('phone').where('phone', '=', body.phone).executeTakeFirst()) {
        throw new HttpError('do_not_call', 'this number is on the do-not-call list (the patient opted out, or the clinic added it)');
      }
      const custom: Record<string, string> = { ...body.custom, ...(body.patient?.name ? { patient_name: body.patient.name } : {}) };
      const id = await attempts.create({ phone: body.phone, questionnaire: body.questionnaire, patientReference: body.patient?.reference ?? null, custom, createdBy: principal.name });
      await audit.record(principal, 'call.place', { resource: `attempt/${id}`, source: req.ip ?? null, detail: { questionnaire: body.questionnaire, patient: body.patient?.reference ?? null } });
      const base = deps.publicUrl ?? `${req.protocol}://${req.get('host')}`;
      const placedSince = new Date();
      let placed: Awaited<ReturnType<Dialer['dial']>>;
      try {
        placed = await deps.dialer.dial({ to: body.phone, voiceUrl: `${base}/twilio/voice?attempt=${id}`, statusUrl: `${base}/twilio/status?attempt=${id}` });
      } catch (error) {
        const refusal = dialRefusal(error);
        if (certainlyRefused(error)) {
          await attempts.refused(id, refusal.reason);
          deps.logger.warn({ attempt: id, code: refusal.code }, 'outbound call refused by Twilio');
          throw new HttpError('twilio_refused', `Twilio refused the call (${refusal.reason})`);
        }
        // A timeout, a 5xx, a lost connection: the phone may be ringing. Ask Twilio before answering, never dial again here.
        const found = await attempts.ownCallAt(deps.dialer, id, body.phone, placedSince).catch(() => undefined);
        if (!found) {
          deps.logger.warn({ attempt: id, code: refusal.code }, 'no clear answer from Twilio to an outbound call, and no such call found at Twilio yet: the attempt is left open');
          throw new HttpError('twilio_unclear', `no clear answer from Twilio (${refusal.reason}) and no call to this number found there yet; it may still appear: check GET /api/v1/attempts/${id} before placing the call again`);
        }
        deps.logger.warn({ attempt: id, code: refusal.code }, 'no clear answer from Twilio to an outbound call, but Twilio has it: adopted, not dialled again');
        placed = found;
      }
      // The phone is ringing now: whatever happens to the bookkeeping, the call is never reported as refused.
      for (let tries = 0; ; tries++) {
        try {
          await attempts.dialled(id, placed.providerCallId, placed.status);
          break;
        } catch (error) {
          if (tries >= 2) {
            deps.logger.error({ attempt: id, err: { message: (error as Error).message } }, 'call placed but not recorded on its attempt: its patient variables will not reach it');
            res.status(202).json({ id, status: 'placed_unrecorded', providerCallId: placed.providerCallId });
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 200 * (tries + 1)));
        }
      }
      res.status(202).json(await attempts.view(id));
    }),
  );

  // The do-not-call list: numbers no call is ever placed to. Phone numbers: calls:write to read or add, admin to remove.
  api.get(
    '/do-not-call',
    scoped('calls:write'),
    handle(async (req, res, principal) => {
      const rows = await db.selectFrom('do_not_call').selectAll().orderBy('added_at', 'desc').orderBy('phone').execute();
      await audit.record(principal, 'do_not_call.list', { source: req.ip ?? null, detail: { returned: rows.length } });
      res.json({ entries: rows.map((r) => ({ phone: r.phone, reason: r.reason, callId: r.source_call_id, addedBy: r.added_by, addedAt: r.added_at.toISOString() })) });
    }),
  );
  api.post(
    '/do-not-call',
    scoped('calls:write'),
    handle(async (req, res, principal) => {
      const body = parse(DoNotCallBody, req.body ?? {}, 'invalid_body');
      await db.insertInto('do_not_call').values({ phone: body.phone, reason: body.reason ?? 'added by the clinic', added_by: principal.name }).onConflict((oc) => oc.column('phone').doNothing()).execute();
      await audit.record(principal, 'do_not_call.add', { source: req.ip ?? null });
      res.status(201).json({ phone: body.phone });
    }),
  );
  api.delete(
    '/do-not-call/:id',
    scoped('admin'),
    handle(async (req, res, principal) => {
      const removed = await db.deleteFrom('do_not_call').where('phone', '=', String(req.params['id'])).executeTakeFirst();
      if (Number(removed.numDeletedRows) === 0) throw new HttpError('not_on_do_not_call');
      await audit.record(principal, 'do_not_call.remove', { source: req.ip ?? null });
      res.status(204).end();
    }),
  );

  api.get(
    '/attempts/:id',
    scoped('results:read'),
    handle(async (req, res, principal) => {
      const id = String(req.params['id']);
      const view = UUID.test(id) ? await attempts.view(id) : undefined;
      if (!view) throw new HttpError('attempt_not_found');
      await audit.record(principal, 'attempt.read', { resource: `attempt/${id}`, source: req.ip ?? null });
      res.json(view);
    }),
  );

  api.get(
    '/flags',
    scoped('results:read'),
    handle(async (req, res, principal) => {
      const q = parse(FlagsQuery, req.query, 'invalid_query');
      const page = await listFlags(db, q);
      await auditView(principal, `flags.list`, [q.status, q.before ?? '', ...page.flags.map((f) => `${f.id}${f.acknowledgedAt ? 'a' : ''}`)], { source: req.ip ?? null, detail: { status: q.status, returned: page.flags.length } });
      res.json({ flags: page.flags, next: page.next === null ? null : String(page.next) });
    }),
  );

  api.post(
    '/flags/:id/acknowledge',
    scoped('flags:write'),
    handle(async (req, res, principal) => {
      const body = parse(AcknowledgeBody, req.body ?? {}, 'invalid_body');
      const by = body.by ? `${body.by} (${principal.name})` : principal.name;
      const result = await acknowledgeFlag(db, String(req.params['id']), by);
      if (!result) throw new HttpError('flag_not_found');
      await audit.record(principal, 'flag.acknowledge', { resource: `flag/${result.flag.id}`, source: req.ip ?? null, detail: { call: result.callId, already: result.already } });
      res.json({ ...result.flag, callId: result.callId });
    }),
  );

  // Console accounts: named people who sign in to /console; the console acts with their scopes.
  api.get(
    '/console-users',
    scoped('admin'),
    handle(async (_req, res) => {
      res.json({ users: await accounts.list() });
    }),
  );

  api.post(
    '/console-users',
    scoped('admin'),
    handle(async (req, res, principal) => {
      notFromSession(principal);
      const body = parse(ConsoleUserBody, req.body ?? {}, 'invalid_body');
      const created = await accounts.create({ username: body.username, displayName: body.displayName, password: body.password, scopes: body.scopes, createdBy: principal.name });
      if (created === 'taken') throw new HttpError('console_user_taken');
      await audit.record(principal, 'console_user.create', { resource: `console-user/${created.id}`, source: req.ip ?? null, detail: { username: created.username, scopes: created.scopes } });
      res.status(201).json(created);
    }),
  );

  api.delete(
    '/console-users/:id',
    scoped('admin'),
    handle(async (req, res, principal) => {
      const disabled = await accounts.disable(String(req.params['id']));
      if (!disabled) throw new HttpError('console_user_not_found');
      await audit.record(principal, 'console_user.disable', { resource: `console-user/${disabled.id}`, source: req.ip ?? null, detail: { username: disabled.username } });
      res.json(disabled);
    }),
  );

  api.get(
    '/keys',
    scoped('admin'),
    handle(async (_req, res) => {
      res.json({ keys: await keys.list() });
    }),
  );

  api.post(
    '/keys',
    scoped('admin'),
    handle(async (req, res, principal) => {
      notFromSession(principal);
      const body = parse(KeyBody, req.body ?? {}, 'invalid_body');
      const created = await keys.create(body.name, body.scopes, principal.name);
      await audit.record(principal, 'key.create', { resource: `key/${created.id}`, source: req.ip ?? null, detail: { name: created.name, scopes: created.scopes } });
      // The only time the key is shown: it is stored hashed.
      res.status(201).json(created);
    }),
  );

  api.delete(
    '/keys/:id',
    scoped('admin'),
    handle(async (req, res, principal) => {
      const revoked = await keys.revoke(String(req.params['id']));
      if (!revoked) throw new HttpError('key_not_found');
      await audit.record(principal, 'key.revoke', { resource: `key/${revoked.id}`, source: req.ip ?? null });
      res.json(revoked);
    }),
  );

  api.use(operationsRoutes({ store: deps.store, audit, instanceStaleSeconds: deps.instanceStaleSeconds ?? 60 }));
  api.use(diagnosticsRoutes({ diagnose: deps.diagnose, audit }));

  api.get(
    '/audit',
    scoped('admin'),
    handle(async (req, res) => {
      const q = parse(AuditQuery, req.query, 'invalid_query');
      const page = await audit.list(q);
      res.json({ entries: page.entries, next: page.next === null ? null : String(page.next) });
    }),
  );

  router.use(API_PREFIX, api);
  router.use(CONSOLE_PREFIX, consoleRouter({ accounts, throttle: new SignInThrottle(deps.store.db), audit, logger: deps.logger, secureCookies: deps.publicUrl?.startsWith('https:') ?? false, digits: deps.consoleDigits ?? 'latn', timeZone: deps.consoleTimeZone ?? 'Asia/Riyadh' }));
  router.use(FHIR_PREFIX, authenticate(keys, accounts), scoped('results:read'), fhirRouter({ store: deps.store, audit, publicUrl: deps.publicUrl }));
  // Anything else under /api (another version, a typo) is a JSON 404, behind the same key check.
  router.use('/api', authenticate(keys, accounts), (req, _res, next) => next(new HttpError('not_found', `no route for ${req.method} ${req.originalUrl.split('?')[0]}`)));
  return router;
}

/**
 * Resolves the caller to a principal (res.locals.principal), or answers 401: a Bearer API key, or
 * (without an Authorization header) the console's session cookie. A request made with the cookie
 * that changes anything must also carry the session's CSRF token in X-CSRF-Token; a page on
 * another site can make the browser send the cookie, but cannot read the token.
 */
function authenticate(keys: ApiKeys, accounts: ConsoleAccounts): RequestHandler {
  return (req, res, next) => {
    const header = req.headers.authorization;
    if (!header) {
      const token = sessionCookie(req);
      if (token === undefined) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="bridge"');
        return next(new HttpError('api_key_missing'));
      }
      accounts.session(token).then(
        (session) => {
          if (!session) return next(new HttpError('session_invalid'));
          if (!SAFE_METHODS.has(req.method) && !sameToken(req.headers['x-csrf-token'], session.csrfToken)) return next(new HttpError('csrf_failed'));
          res.locals['principal'] = consolePrincipal(session.user);
          next();
        },
        (error: unknown) => next(storeError(error)),
      );
      return;
    }
    const match = /^Bearer[ ]+([A-Za-z0-9._~+/=-]{1,512})$/.exec(header);
    if (!match?.[1]) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="bridge", error="invalid_request"');
      return next(new HttpError('api_key_missing', 'the Authorization header must be "Bearer <key>"'));
    }
    keys.authenticate(match[1]).then(
      (principal) => {
        if (!principal) {
          res.setHeader('WWW-Authenticate', 'Bearer realm="bridge", error="invalid_token"');
          return next(new HttpError('api_key_invalid'));
        }
        res.locals['principal'] = principal;
        next();
      },
      (error: unknown) => next(storeError(error)),
    );
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Keys and accounts are made with an API key: a console session (a browser) never mints a credential. */
function notFromSession(principal: Principal): void {
  if (principal.userId) throw new HttpError('session_not_allowed');
}

function sameToken(presented: string | string[] | undefined, expected: string): boolean {
  if (typeof presented !== 'string') return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const isoDate = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time, e.g. 2026-01-01T00:00:00Z' }).transform((s) => new Date(s));

const CallsQuery = z
  .object({
    status: z.enum(CALL_STATUSES, { error: `must be one of ${CALL_STATUSES.join(', ')}` }).optional(),
    flagged: z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true').optional(),
    questionnaire: z.string().regex(/^[a-z0-9-]{1,64}$/, 'must be a questionnaire id').optional(),
    patient: z.string().min(1).max(200, 'must be at most 200 characters').optional(),
    since: isoDate.optional(),
    until: isoDate.optional(),
    provider_call_id: z.string().min(1).max(128, 'must be at most 128 characters').optional(),
    limit: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be 1 to 200').max(200, 'must be 1 to 200').default(50),
    cursor: z.string().max(200).optional(),
  })
  .strict()
  .transform(({ provider_call_id, ...rest }) => ({ ...rest, providerCallId: provider_call_id }));

const OverviewQuery = z
  .object({
    questionnaire: z.string().regex(/^[a-z0-9-]{1,64}$/, 'must be a questionnaire id').optional(),
    since: isoDate.optional(),
    until: isoDate.optional(),
    tz: z.string().max(64).refine(isTimeZoneName, 'must be an IANA time zone name such as Asia/Riyadh').default('Asia/Riyadh'),
  })
  .strict();

const FlagsQuery = z
  .object({
    status: z.enum(['open', 'acknowledged', 'all'], { error: 'must be open, acknowledged or all' }).default('open'),
    limit: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be 1 to 200').max(200, 'must be 1 to 200').default(50),
    cursor: z.string().regex(/^[0-9]{1,15}$/, 'must be the `next` of a previous page').transform(Number).optional(),
  })
  .strict()
  .transform(({ cursor, ...rest }) => ({ ...rest, before: cursor }));

const ConsoleUserBody = z
  .object({
    username: z.string().regex(USERNAME, 'must be 2 to 64 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit'),
    displayName: z.string().min(1).max(100, 'must be at most 100 characters'),
    password: z.string().min(MIN_PASSWORD, `must be at least ${MIN_PASSWORD} characters`).max(200, 'must be at most 200 characters'),
    scopes: z.array(z.enum(SCOPES)).min(1, 'must name at least one scope'),
  })
  .strict();

const AuditQuery = z
  .object({
    limit: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be 1 to 500').max(500, 'must be 1 to 500').default(100),
    cursor: z.string().regex(/^[0-9]{1,15}$/, 'must be the `next` of a previous page').transform(Number).optional(),
    action: z.string().max(64).optional(),
  })
  .strict()
  .transform(({ cursor, ...rest }) => ({ ...rest, before: cursor }));

const PlaceCallBody = z
  .object({
    phone: z.string().regex(E164, E164_MESSAGE),
    questionnaire: z.string().regex(/^[a-z0-9-]{1,64}$/, 'must be a questionnaire id'),
    patient: z.object({ reference: z.string().regex(PATIENT_REFERENCE, 'must be Patient/<id>'), name: z.string().trim().min(1).max(100).optional() }).strict().optional(),
    custom: z
      .record(z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'names are lower-case letters, digits and _'), z.string().max(200, 'values are at most 200 characters'))
      .refine((c) => Object.keys(c).length <= 20, 'at most 20 variables')
      .optional(),
  })
  .strict();

const DoNotCallBody = z
  .object({ phone: z.string().regex(E164, E164_MESSAGE), reason: z.string().trim().min(1).max(200).optional() })
  .strict();

const AcknowledgeBody = z.object({ by: z.string().trim().min(1).max(100, 'must be at most 100 characters').optional() }).strict();

const KeyBody = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters'),
    scopes: z.array(z.enum(SCOPES, { error: `each must be one of ${SCOPES.join(', ')}` })).min(1, 'must name at least one scope'),
  })
  .strict();

function encodeCursor(cursor: { startedAt: string; id: string }): string {
  return Buffer.from(`${cursor.startedAt}|${cursor.id}`, 'utf8').toString('base64url');
}

