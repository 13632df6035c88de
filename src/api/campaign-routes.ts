import express, { type RequestHandler, Router } from 'express';
import { z } from 'zod';
import { E164, E164_MESSAGE, PATIENT_REFERENCE, UUID } from '../identifiers';
import { type CampaignPatientInput, Campaigns, campaignSettingsSchema } from '../outbound/campaigns';
import type { QuestionnaireCatalog } from '../questionnaire/catalog';
import { HttpError } from '../server/http-errors';
import type { Store } from '../store';
import type { AuditLog } from './audit';
import type { Principal } from './keys';

const MAX_PATIENTS = 10_000;

const PatientSchema = z
  .object({
    phone: z.string().regex(E164, E164_MESSAGE),
    reference: z.string().regex(PATIENT_REFERENCE, 'must be Patient/<id>').optional(),
    name: z.string().trim().min(1).max(100).optional(),
    custom: z.record(z.string().regex(/^[a-z][a-z0-9_]{0,31}$/), z.string().max(200)).optional(),
  })
  .strict();

const CampaignBody = campaignSettingsSchema.extend({
  name: z.string().trim().min(1).max(100),
  questionnaire: z.string().regex(/^[a-z0-9-]{1,64}$/, 'must be a questionnaire id'),
  patients: z.array(PatientSchema).min(1, 'must list at least one patient').max(MAX_PATIENTS, `at most ${MAX_PATIENTS} patients`),
});

/**
 * Campaigns (scope calls:write to create and steer, results:read to watch). The body is JSON, or
 * CSV (`text/csv`): a header row `phone,reference,name,<custom columns…>` and one patient a
 * line, with the campaign's name and questionnaire in the query (`?name=&questionnaire=`) and
 * optionally its other settings as JSON (`&settings={"maxAttempts":2,…}`; absent ones default).
 */
export function campaignRoutes(deps: { store: Store; catalog: QuestionnaireCatalog; audit: AuditLog; scoped: (scope: 'calls:write' | 'results:read') => RequestHandler }): Router {
  const router = Router();
  const campaigns = new Campaigns(deps.store.db);

  router.post('/campaigns', deps.scoped('calls:write'), express.text({ type: 'text/csv', limit: '2mb' }), express.json({ limit: '2mb' }), async (req, res, next) => {
    try {
      const principal = res.locals['principal'] as Principal;
      const input = typeof req.body === 'string' ? { ...csvSettings(req.query['settings']), name: req.query['name'], questionnaire: req.query['questionnaire'], patients: parseCsv(req.body) } : req.body;
      const parsed = CampaignBody.safeParse(input ?? {});
      if (!parsed.success) {
        throw new HttpError('invalid_body', parsed.error.issues.slice(0, 20).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '));
      }
      const { name, questionnaire, patients, ...settings } = parsed.data;
      if (!deps.catalog.get(questionnaire)) throw new HttpError('invalid_body', `questionnaire: unknown questionnaire ${questionnaire}`);
      const id = await campaigns.create({ name, questionnaire, settings: campaignSettingsSchema.parse(settings), patients, createdBy: principal.name });
      await deps.audit.record(principal, 'campaign.create', { resource: `campaign/${id}`, source: req.ip ?? null, detail: { patients: patients.length } });
      res.status(201).json(await campaigns.view(id));
    } catch (error) {
      next(error);
    }
  });

  router.get('/campaigns', deps.scoped('results:read'), async (req, res, next) => {
    try {
      const list = await campaigns.list();
      await deps.audit.record(res.locals['principal'] as Principal, 'campaign.list', { resource: 'campaigns', source: req.ip ?? null });
      res.json({ campaigns: list });
    } catch (error) {
      next(error);
    }
  });

  router.get('/campaigns/:id', deps.scoped('results:read'), async (req, res, next) => {
    try {
      const id = String(req.params['id']);
      const view = UUID.test(id) ? await campaigns.view(id) : undefined;
      if (!view) throw new HttpError('campaign_not_found');
      await deps.audit.record(res.locals['principal'] as Principal, 'campaign.read', { resource: `campaign/${id}`, source: req.ip ?? null });
      res.json(view);
    } catch (error) {
      next(error);
    }
  });

  for (const [action, status] of [
    ['pause', 'paused'],
    ['resume', 'active'],
    ['cancel', 'cancelled'],
  ] as const) {
    router.post(`/campaigns/:id/${action}`, deps.scoped('calls:write'), async (req, res, next) => {
      try {
        const id = String(req.params['id']);
        if (!UUID.test(id) || !(await campaigns.view(id))) throw new HttpError('campaign_not_found');
        if (!(await campaigns.setStatus(id, status))) throw new HttpError('bad_request', `the campaign has ended; it cannot ${action}`);
        await deps.audit.record(res.locals['principal'] as Principal, `campaign.${action}`, { resource: `campaign/${id}`, source: req.ip ?? null });
        res.json({ id, status });
      } catch (error) {
        next(error);
      }
    });
  }
  return router;
}

/** The `settings` query of a CSV upload: a JSON object (checked with the rest of the body), or nothing. */
function csvSettings(query: unknown): Record<string, unknown> {
  if (query === undefined) return {};
  if (typeof query !== 'string' || query.length > 4096) throw new HttpError('invalid_body', 'settings: must be one JSON object of at most 4096 characters');
  let value: unknown;
  try {
    value = JSON.parse(query);
  } catch {
    throw new HttpError('invalid_body', 'settings: not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new HttpError('invalid_body', 'settings: must be a JSON object');
  const { name: _n, questionnaire: _q, patients: _p, ...settings } = value as Record<string, unknown>;
  return settings;
}

/** RFC 4180 CSV (quoted fields, "" inside quotes), header row first; blank lines skipped. */
export function parseCsv(text: string): CampaignPatientInput[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const source = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < source.length; i++) {
    const ch = source[i] as string;
    if (quoted) {
      if (ch === '"' && source[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && source[i + 1] === '\n') i++;
      row.push(field);
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  const [header, ...lines] = rows;
  if (!header) return [];
  const names = header.map((h) => h.trim().toLowerCase());
  if (!names.includes('phone')) throw new HttpError('invalid_body', 'CSV: the header row must name a phone column');
  if (lines.length > MAX_PATIENTS) throw new HttpError('invalid_body', `CSV: at most ${MAX_PATIENTS} patients`);
  return lines.map((cells, line) => {
    const patient: CampaignPatientInput = { phone: '' };
    const custom: Record<string, string> = {};
    names.forEach((name, i) => {
      const value = (cells[i] ?? '').trim();
      if (name === 'phone') patient.phone = value;
      else if (name === 'reference') {
        if (value) patient.reference = value;
      } else if (name === 'name') {
        if (value) patient.name = value;
      } else if (value) custom[name] = value;
    });
    if (!E164.test(patient.phone)) throw new HttpError('invalid_body', `CSV line ${line + 2}: phone must be an E.164 number such as +966501234567`);
    if (Object.keys(custom).length > 0) patient.custom = custom;
    return patient;
  });
}
