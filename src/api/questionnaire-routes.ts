import path from 'node:path';
import { parseDocument } from 'yaml';
import express, { type Request, type RequestHandler, type Response, Router } from 'express';
import { z } from 'zod';
import { fromFhirQuestionnaire } from '../fhir';
import { simulate } from '../cli/simulate-core';
import type { Logger } from '../observability/logger';
import type { QuestionnaireCatalog } from '../questionnaire/catalog';
import { parseQuestionnaire } from '../questionnaire/load';
import type { Questionnaire } from '../questionnaire/schema';
import { staticPromptTexts } from '../questionnaire/static-prompts';
import { HTTP_ERRORS, HttpError } from '../server/http-errors';
import type { Store } from '../store';
import type { AuditLog } from './audit';
import { type Principal, allows } from './keys';

export interface QuestionnaireRouteDeps {
  store: Store;
  catalog: QuestionnaireCatalog;
  audit: AuditLog;
  logger: Logger;
  warmPrompts: (texts: string[]) => Promise<void>;
  /** Where uploaded definitions are said to live (recordings cannot be uploaded, so nothing is read there). */
  questionnairesDir: string;
}

/**
 * Questionnaires without restarts. An upload (our YAML or JSON, or a FHIR Questionnaire) is
 * validated with every problem reported at once, its static prompts are rendered, it is stored as
 * a version, and only then is it activated for new calls; calls in progress finish on the
 * version they started with. The highest version of an id is the live one, here and at restart.
 */
export function questionnaireRoutes(deps: QuestionnaireRouteDeps): Router {
  const router = Router();
  const db = deps.store.db;
  const read = anyScope('questionnaires:write', 'results:read');
  // One upload at a time in this process: the checks below and the activation must see each other.
  let uploads: Promise<unknown> = Promise.resolve();
  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const next = uploads.then(work, work);
    uploads = next.catch(() => undefined);
    return next;
  };

  router.get('/questionnaires', read, (_req, res) => {
    res.json({
      questionnaires: deps.catalog.all().map((q) => ({ id: q.definition.id, version: q.definition.version, title: q.definition.title ?? null, items: q.definition.items.length })),
    });
  });

  router.get('/questionnaires/:id/versions', read, async (req, res, next) => {
    try {
      const id = String(req.params['id']);
      const rows = /^[a-z0-9-]{1,64}$/.test(id) ? await db.selectFrom('questionnaires').select(['version', 'loaded_at']).where('id', '=', id).orderBy('version', 'desc').execute() : [];
      if (rows.length === 0) throw new HttpError('questionnaire_not_found');
      const live = deps.catalog.get(id)?.definition.version;
      res.json({ id, versions: rows.map((r) => ({ version: r.version, loadedAt: r.loaded_at.toISOString(), active: r.version === live })) });
    } catch (error) {
      next(error);
    }
  });

  router.post(
    '/questionnaires',
    anyScope('questionnaires:write'),
    express.text({ type: ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/plain'], limit: '256kb' }),
    express.json({ type: ['application/json', 'application/fhir+json'], limit: '256kb' }),
    async (req, res, next) => {
      try {
        await serialized(() => upload(req, res));
      } catch (error) {
        next(error);
      }
    },
  );

  async function upload(req: Request, res: Response): Promise<void> {
    const principal = res.locals['principal'] as Principal;
    let parsed: ReturnType<typeof definitionOf>;
    try {
      parsed = definitionOf(req);
    } catch (error) {
      if (error instanceof HttpError) throw error;
      // A hostile document the parsers could not walk (nulls where items belong, nesting, YAML alias bombs).
      parsed = { problems: [`the questionnaire could not be read: ${(error as Error).message?.slice(0, 200) ?? 'unreadable'}`] };
    }
    if ('problems' in parsed) {
      deps.logger.warn({ problems: parsed.problems.length }, 'questionnaire upload refused: invalid');
      const problems = capped(parsed.problems);
      res.status(400).json({ error: 'questionnaire_invalid', message: HTTP_ERRORS.questionnaire_invalid.message, problems, problemLines: problemLines(req.body, problems) });
      return;
    }
    const definition = parsed.definition;
    const existing = await db.selectFrom('questionnaires').select('definition').where('id', '=', definition.id).where('version', '=', definition.version).executeTakeFirst();
    if (existing && canonical(existing.definition) !== canonical(definition)) throw new HttpError('questionnaire_version_exists');
    const live = deps.catalog.get(definition.id)?.definition.version;
    if (live !== undefined && definition.version < live) throw new HttpError('questionnaire_version_older', `version ${live} of ${definition.id} is active: upload version ${live + 1} or higher`);
    try {
      await deps.warmPrompts(staticPromptTexts(definition));
    } catch (error) {
      deps.logger.error({ err: error, questionnaire: definition.id, version: definition.version }, 'questionnaire upload: prompts could not be rendered; not activated');
      throw new HttpError('prompts_unavailable');
    }
    await deps.store.calls.saveQuestionnaire(definition.id, definition.version, definition);
    deps.catalog.activate({ definition, file: path.join(deps.questionnairesDir, `${definition.id}.uploaded.json`) });
    await deps.audit.record(principal, 'questionnaire.upload', { resource: `questionnaire/${definition.id}|${definition.version}`, source: req.ip ?? null });
    deps.logger.info({ questionnaire: definition.id, version: definition.version, by: principal.name }, 'questionnaire version activated for new calls');
    res.status(existing ? 200 : 201).json({ id: definition.id, version: definition.version, items: definition.items.length, active: true, warnings: parsed.warnings });
  }

  // A draft, not yet live: checked like an upload and run through the simulator; nothing is stored or activated.
  router.post('/questionnaires/simulate', anyScope('questionnaires:write'), express.json({ limit: '300kb' }), (req, res, next) => {
    try {
      const body = DraftBody.safeParse(req.body ?? {});
      if (!body.success) throw new HttpError('invalid_body', body.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '));
      let parsed: ReturnType<typeof fromOurs>;
      try {
        parsed = fromOurs(body.data.definition, 'draft.yaml');
      } catch (error) {
        parsed = { problems: [`the questionnaire could not be read: ${(error as Error).message?.slice(0, 200) ?? 'unreadable'}`] };
      }
      if ('problems' in parsed) {
        const problems = capped(parsed.problems);
        res.status(400).json({ error: 'questionnaire_invalid', message: HTTP_ERRORS.questionnaire_invalid.message, problems, problemLines: problemLines(body.data.definition, problems) });
        return;
      }
      let at = Date.parse('2026-01-01T00:00:00Z');
      res.json({ questionnaire: { id: parsed.definition.id, version: parsed.definition.version }, warnings: parsed.warnings, lines: simulate(parsed.definition, body.data.turns, () => (at += 1000)) });
    } catch (error) {
      next(error);
    }
  });

  router.post('/questionnaires/:id/simulate', read, express.json({ limit: '64kb' }), (req, res, next) => {
    try {
      const q = deps.catalog.get(String(req.params['id']));
      if (!q) throw new HttpError('questionnaire_not_found');
      const body = SimulateBody.safeParse(req.body ?? {});
      if (!body.success) throw new HttpError('invalid_body', body.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '));
      let at = Date.parse('2026-01-01T00:00:00Z');
      res.json({ questionnaire: { id: q.definition.id, version: q.definition.version }, lines: simulate(q.definition, body.data.turns, () => (at += 1000)) });
    } catch (error) {
      next(error);
    }
  });

  return router;
}

const DraftBody = z.object({ definition: z.string().min(1).max(256 * 1024, 'at most 256 KiB'), turns: z.array(z.string().max(500, 'each turn must be at most 500 characters')).max(200, 'at most 200 turns') }).strict();

/**
 * The source line each problem names, for showing it beside that line: "line N" in a YAML error,
 * or the line of the path a schema problem names (`items[2].type`), found in the document.
 * Null where there is no YAML text or no such node.
 */
/** At most this many problems are answered (the first ones, and a line saying how many more). */
const MAX_PROBLEMS = 100;

function capped(problems: readonly string[]): string[] {
  return problems.length <= MAX_PROBLEMS ? [...problems] : [...problems.slice(0, MAX_PROBLEMS), `… and ${problems.length - MAX_PROBLEMS} more problems`];
}

function problemLines(source: unknown, problems: readonly string[]): Array<number | null> {
  if (typeof source !== 'string') return problems.map(() => null);
  let doc: ReturnType<typeof parseDocument> | undefined;
  try {
    doc = parseDocument(source, { keepSourceTokens: false });
  } catch {
    doc = undefined;
  }
  // Line starts, found once; each problem's line is then a binary search (a big draft with many
  // problems must not hold the event loop that plays live calls' audio).
  const starts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  const lineAt = (offset: number) => {
    let [lo, hi] = [0, starts.length - 1];
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  return problems.map((problem) => {
    const explicit = /\bline (\d+)\b/.exec(problem);
    if (explicit) return Number(explicit[1]);
    const path = /^[^:]*?:?\s*([A-Za-z_][\w.[\]]*):/.exec(problem.replace(/^(upload|draft)\.(yaml|json): /, ''));
    if (!doc || !path?.[1]) return null;
    const segments = path[1].split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== '').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    // The deepest node that exists on the path: a missing key points at its parent.
    for (let n = segments.length; n > 0; n--) {
      const node = doc.getIn(segments.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === 'object' && node.range) return lineAt(node.range[0]);
    }
    return null;
  });
}

const SimulateBody = z.object({ turns: z.array(z.string().max(500, 'each turn must be at most 500 characters')).max(200, 'at most 200 turns') }).strict();

/** Our YAML/JSON, or a FHIR Questionnaire: the definition, or every problem found. */
function definitionOf(req: Request): { definition: Questionnaire; warnings: string[] } | { problems: string[] } {
  const body: unknown = req.body;
  if (typeof body === 'string') return fromOurs(body, 'upload.yaml');
  if (body && typeof body === 'object' && (body as { resourceType?: unknown }).resourceType === 'Questionnaire') {
    const result = fromFhirQuestionnaire(body);
    const warnings = result.warnings.map((w) => `${w.path}: ${w.message}`);
    if ('errors' in result) return { problems: result.errors.map((e) => `${e.path}: ${e.message}`) };
    return withoutRecordings(result.definition, warnings);
  }
  if (body && typeof body === 'object' && !Array.isArray(body)) return fromOurs(JSON.stringify(body), 'upload.json');
  throw new HttpError('unsupported_media_type', 'send the questionnaire as YAML (application/yaml), JSON, or a FHIR Questionnaire (application/fhir+json)');
}

function fromOurs(text: string, label: string): { definition: Questionnaire; warnings: string[] } | { problems: string[] } {
  try {
    return withoutRecordings(parseQuestionnaire(text, label), []);
  } catch (error) {
    if ((error as { code?: string }).code === 'QUESTIONNAIRE_INVALID') return { problems: (error as Error).message.split('\n') };
    throw error;
  }
}

/** Recordings are files beside a questionnaire on disk; an upload has no folder to carry them. */
function withoutRecordings(definition: Questionnaire, warnings: string[]): { definition: Questionnaire; warnings: string[] } | { problems: string[] } {
  const problems = definition.items.filter((i) => i.audio).map((i) => `items.${i.id}.audio: recorded prompts cannot be uploaded through the API; put the questionnaire and its recordings in QUESTIONNAIRES_DIR`);
  if (definition.prompt_audio && Object.keys(definition.prompt_audio).length > 0) problems.push('prompt_audio: recorded prompts cannot be uploaded through the API; put the questionnaire and its recordings in QUESTIONNAIRES_DIR');
  return problems.length > 0 ? { problems } : { definition, warnings };
}

/** JSON with object keys sorted: jsonb does not keep key order, so compare this way. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

function anyScope(...scopes: Parameters<typeof allows>[1][]): RequestHandler {
  return (_req: Request, res: Response, next) => {
    const principal = res.locals['principal'] as Principal;
    if (!scopes.some((scope) => allows(principal, scope))) return next(new HttpError('scope_missing', `the API key "${principal.name}" lacks the scope ${scopes.join(' or ')}`));
    next();
  };
}
