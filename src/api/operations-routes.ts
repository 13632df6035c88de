import { Router } from 'express';
import { z } from 'zod';
import type { Store } from '../store';
import type { AuditLog } from './audit';
import { handle, parse, scoped, unwrap } from './route-kit';

/**
 * Operating the service (admin): signed webhook subscriptions, their deliveries and replays, and
 * the instances sharing the database.
 */
export function operationsRoutes(deps: { store: Store; audit: AuditLog; instanceStaleSeconds: number }): Router {
  const api = Router();
  const audit = deps.audit;
  // Bodies arrive parsed: mounted after the clinic API's JSON parser.
  // Signed webhooks (admin): subscribe (the secret is shown once), list, remove, deliveries, replay.
  api.post(
    '/webhooks',
    scoped('admin'),
    handle(async (req, res, principal) => {
      const body = parse(WebhookBody, req.body ?? {}, 'invalid_body');
      const created = unwrap(await deps.store.webhooks.subscribe(body));
      await audit.record(principal, 'webhook.subscribe', { resource: `webhook/${created.id}`, source: req.ip ?? null, detail: { url: body.url, events: body.events } });
      res.status(201).json({ id: created.id, url: body.url, events: body.events, secret: created.secret });
    }),
  );
  api.get(
    '/webhooks',
    scoped('admin'),
    handle(async (_req, res) => {
      res.json({ webhooks: await deps.store.webhooks.list() });
    }),
  );
  api.delete(
    '/webhooks/:id',
    scoped('admin'),
    handle(async (req, res, principal) => {
      unwrap(await deps.store.webhooks.remove(String(req.params['id'])));
      await audit.record(principal, 'webhook.remove', { resource: `webhook/${String(req.params['id'])}`, source: req.ip ?? null });
      res.status(204).end();
    }),
  );
  api.get(
    '/webhooks/deliveries',
    scoped('admin'),
    handle(async (req, res) => {
      const q = parse(DeliveriesQuery, req.query, 'invalid_query');
      res.json(unwrap(await deps.store.webhooks.deliveries(q)));
    }),
  );
  api.post(
    '/webhooks/deliveries/:id/replay',
    scoped('admin'),
    handle(async (req, res, principal) => {
      const delivery = unwrap(await deps.store.webhooks.replay(String(req.params['id'])));
      await audit.record(principal, 'webhook.replay', { resource: `delivery/${String(req.params['id'])}`, source: req.ip ?? null });
      res.json(delivery);
    }),
  );

  // The instances sharing this database (admin): version, calls against limit, live / draining / stale.
  api.get(
    '/instances',
    scoped('admin'),
    handle(async (_req, res) => {
      const stale = deps.instanceStaleSeconds;
      const [rows, service] = await Promise.all([deps.store.instances.list(stale), deps.store.instances.load(stale)]);
      res.json({
        service,
        instances: rows.map((r) => ({
          id: r.id,
          version: r.version,
          state: r.stale ? 'stale' : r.draining ? 'draining' : 'live',
          activeCalls: r.active,
          maxCalls: r.maxCalls,
          startedAt: r.startedAt.toISOString(),
          heartbeatAt: r.heartbeatAt.toISOString(),
        })),
      });
    }),
  );
  return api;
}

const WebhookBody = z.object({ url: z.string().max(2000, 'must be at most 2000 characters'), events: z.array(z.string().max(64)).min(1, 'must name at least one event').max(20) }).strict();

const DeliveriesQuery = z
  .object({
    status: z.enum(['pending', 'delivered', 'failed'], { error: 'must be pending, delivered or failed' }).optional(),
    limit: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be 1 to 100').max(100, 'must be 1 to 100').optional(),
    cursor: z.string().max(200).optional(),
  })
  .strict();

