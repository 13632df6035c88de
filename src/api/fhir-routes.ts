import { type NextFunction, type Request, type Response, Router } from 'express';
import type { Kysely } from 'kysely';
import { toFhirQuestionnaire, toQuestionnaireResponse, toSearchsetBundle } from '../fhir';
import { PATIENT_REFERENCE } from '../identifiers';
import type { Questionnaire } from '../questionnaire/schema';
import { HttpError } from '../server/http-errors';
import type { Store } from '../store';
import type { CallStatusColumn, Database } from '../store/schema';
import type { AuditLog } from './audit';
import type { Principal } from './keys';
import { decodeCursor, listCalls } from './results';

export const FHIR_PREFIX = '/fhir/r4';
const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/**
 * FHIR R4 reads (`application/fhir+json`): each call as a QuestionnaireResponse, searches as a
 * `searchset` Bundle, and our questionnaires as Questionnaire resources. The mapping is in
 * src/fhir; here are only HTTP, the store, the audit and FHIR's OperationOutcome for errors.
 */
export function fhirRouter(deps: { store: Store; audit: AuditLog; publicUrl: string | undefined }): Router {
  const router = Router();
  const db = deps.store.db;
  const baseOf = (req: Request) => deps.publicUrl ?? `${req.protocol}://${req.get('host')}`;

  router.get('/QuestionnaireResponse/:id', async (req, res, next) => {
    try {
      const call = await deps.store.calls.get(String(req.params['id']));
      if (!call) throw new HttpError('call_not_found', `QuestionnaireResponse/${String(req.params['id']).slice(0, 64)} is not known`);
      const definition = await definitionOf(db, call.questionnaire, call.questionnaireVersion);
      await deps.audit.record(principalOf(res), 'fhir.response.read', { resource: `call/${call.id}`, source: req.ip ?? null });
      res.type(FHIR_JSON).json(toQuestionnaireResponse(call, definition, { baseUrl: baseOf(req) }));
    } catch (error) {
      next(error);
    }
  });

  router.get('/QuestionnaireResponse', async (req, res, next) => {
    try {
      const search = parseSearch(req.query);
      const page = await listCalls(db, { ...search.filter, limit: search.count, cursor: search.cursor });
      const base = baseOf(req);
      const resources = [];
      for (const summary of page.calls) {
        const call = await deps.store.calls.get(summary.id);
        if (!call) continue; // purged or removed meanwhile
        const response = toQuestionnaireResponse(call, await definitionOf(db, call.questionnaire, call.questionnaireVersion), { baseUrl: base });
        if (!search.status || response.status === search.status) resources.push(response);
      }
      await deps.audit.record(principalOf(res), 'fhir.response.search', { source: req.ip ?? null, detail: { query: req.query, returned: resources.length } });
      const self = `${base}${req.originalUrl}`;
      const next = page.next ? withCursor(self, Buffer.from(`${page.next.startedAt}|${page.next.id}`).toString('base64url')) : undefined;
      res.type(FHIR_JSON).json(toSearchsetBundle(resources, { baseUrl: base, selfUrl: self, ...(next ? { nextUrl: next } : {}) }));
    } catch (error) {
      next(error);
    }
  });

  router.get('/Questionnaire/:id', async (req, res, next) => {
    try {
      const id = String(req.params['id']);
      const row = /^[a-z0-9-]{1,64}$/.test(id)
        ? await db.selectFrom('questionnaires').select('definition').where('id', '=', id).orderBy('version', 'desc').limit(1).executeTakeFirst()
        : undefined;
      if (!row) throw new HttpError('not_found', `Questionnaire/${id.slice(0, 64)} is not known`);
      res.type(FHIR_JSON).json(toFhirQuestionnaire(row.definition as Questionnaire, { baseUrl: baseOf(req) }));
    } catch (error) {
      next(error);
    }
  });

  // FHIR clients read OperationOutcome: the same refusal, in FHIR's shape.
  router.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (!(error instanceof HttpError) || res.headersSent) return next(error);
    res
      .status(error.status)
      .type(FHIR_JSON)
      .json({
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: error.status === 404 ? 'not-found' : error.status === 400 ? 'invalid' : 'processing', details: { text: error.message }, diagnostics: error.code }],
      });
  });
  router.use((req, _res, next) => next(new HttpError('not_found', `no FHIR route for ${req.method} ${req.path}`)));
  return router;
}

function principalOf(res: Response): Principal {
  return res.locals['principal'] as Principal;
}

/** The exact questionnaire version a call was asked (every version loaded is kept). */
async function definitionOf(db: Kysely<Database>, id: string, version: number): Promise<Questionnaire> {
  const row = await db.selectFrom('questionnaires').select('definition').where('id', '=', id).where('version', '=', version).executeTakeFirst();
  if (!row) throw new HttpError('not_found', `the definition of questionnaire ${id} version ${version} is not stored`);
  return row.definition as Questionnaire;
}

const FHIR_STATUSES = ['in-progress', 'completed', 'stopped'] as const;

/**
 * FHIR search parameters: `subject` (Patient/…), `questionnaire` (a canonical URL, with `|version`
 * or without, or a bare id), `_lastUpdated` (ge/gt/le/lt + date; repeatable), `status`, `_count`
 * (1–100), and `_cursor` (our paging). Anything else is refused: FHIR servers should not silently
 * ignore a parameter that would have narrowed the result.
 */
function parseSearch(query: Request['query']) {
  const filter: { patient?: string; questionnaire?: string; status?: CallStatusColumn; updatedSince?: Date; updatedBefore?: Date } = {};
  let status: (typeof FHIR_STATUSES)[number] | undefined;
  let count = 20;
  let cursor: { startedAt: string; id: string } | undefined;
  for (const [name, raw] of Object.entries(query)) {
    const values = (Array.isArray(raw) ? raw : [raw]).map(String);
    const bad = (why: string) => new HttpError('invalid_query', `${name}: ${why}`);
    for (const value of values) {
      switch (name) {
        case 'subject':
          if (!PATIENT_REFERENCE.test(value)) throw bad('must be Patient/<id>');
          filter.patient = value;
          break;
        case 'questionnaire': {
          const id = /(?:^|\/Questionnaire\/)([a-z0-9-]{1,64})(?:\|[0-9]+)?$/.exec(value)?.[1];
          if (!id) throw bad('must be a questionnaire id or its canonical URL');
          filter.questionnaire = id;
          break;
        }
        case '_lastUpdated': {
          const match = /^(ge|gt|le|lt)?(\d{4}-\d{2}-\d{2}(?:T[0-9:.]+(?:Z|[+-]\d{2}:\d{2}))?)$/.exec(value);
          const at = match?.[2] ? new Date(match[2].length === 10 ? `${match[2]}T00:00:00Z` : match[2]) : undefined;
          if (!match || !at || Number.isNaN(at.getTime())) throw bad('must be a date with an optional ge, gt, le or lt prefix');
          if (!match[1] || match[1] === 'ge' || match[1] === 'gt') filter.updatedSince = at;
          else filter.updatedBefore = match[1] === 'le' ? new Date(at.getTime() + 1) : at;
          break;
        }
        case 'status':
          if (!(FHIR_STATUSES as readonly string[]).includes(value)) throw bad(`must be one of ${FHIR_STATUSES.join(', ')}`);
          status = value as (typeof FHIR_STATUSES)[number];
          if (status === 'in-progress') filter.status = 'in_progress';
          break;
        case '_count':
          count = Number(value);
          if (!Number.isInteger(count) || count < 1 || count > 100) throw bad('must be 1 to 100');
          break;
        case '_cursor':
          try {
            cursor = decodeCursor(value);
          } catch {
            throw bad('must be taken from a next link');
          }
          break;
        default:
          throw new HttpError('invalid_query', `${name}: not a supported search parameter (subject, questionnaire, _lastUpdated, status, _count)`);
      }
    }
  }
  return { filter, status, count, cursor };
}

function withCursor(url: string, cursor: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('_cursor', cursor);
  return parsed.toString();
}
