import express, { type Express, type NextFunction, type Request, type Response, type Router } from 'express';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { Readiness } from './readiness';
import type { TrustProxy } from './trust-proxy';

export interface AppDeps {
  /** Which peers' X-Forwarded-* headers to believe (TRUST_PROXY); absent: none. */
  trustProxy?: TrustProxy;
  logger: Logger;
  metrics: Metrics;
  readiness: Readiness;
  /** Provider webhooks and other routes, mounted before the 404 handler. */
  routers?: Router[];
}

/** The HTTP side of the bridge: health, readiness, metrics (webhooks join in their own routers). */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // X-Forwarded-* only from the proxies TRUST_PROXY names: anyone else could claim any host.
  app.set('trust proxy', deps.trustProxy ?? false);

  app.get('/health', (_req, res) => {
    res.status(200).json({ status: 'ok' });
  });

  app.get('/ready', (_req, res) => {
    const { ready, body } = deps.readiness.report();
    res.status(ready ? 200 : 503).json(body);
  });

  app.get('/metrics', async (_req, res, next) => {
    try {
      const text = await deps.metrics.registry.metrics();
      res.status(200).type(deps.metrics.registry.contentType).send(text);
    } catch (error) {
      next(error);
    }
  });

  for (const router of deps.routers ?? []) app.use(router);

  app.use((req, res) => {
    res.status(404).json({ error: 'not_found', message: `no route for ${req.method} ${req.path}` });
  });

  app.use((error: Error, req: Request, res: Response, _next: NextFunction) => {
    deps.logger.error({ err: error, method: req.method, path: req.path }, 'request failed');
    res.status(500).json({ error: 'internal', message: 'internal error' });
  });
  return app;
}
