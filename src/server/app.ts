import express, { type Express, type NextFunction, type Request, type Response, type Router } from 'express';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { maskNumbers } from '../identifiers';
import { checkHostHeaders } from './host-check';
import { clientErrorOf, sendError } from './http-errors';
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
  /**
   * Who answers /health: the service's name, version and build id, so an operator (and
   * `npm run doctor`) can tell this bridge from a test server or an old deployment. Absent: only
   * `status`.
   */
  identity?: BuildIdentity;
}

export interface BuildIdentity {
  service: string;
  version: string;
  build: string;
}

/** The HTTP side of the bridge: health, readiness, metrics (webhooks join in their own routers). */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // X-Forwarded-* only from the proxies TRUST_PROXY names: anyone else could claim any host.
  app.set('trust proxy', deps.trustProxy ?? false);
  app.use(checkHostHeaders);

  app.get('/health', (_req, res) => {
    res.status(200).json({ status: 'ok', ...deps.identity });
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
    sendError(res, 'not_found', `no route for ${req.method} ${req.path}`);
  });

  // A client's mistake (a bad Host, a body too large or undecodable…) is a 4xx and a warning;
  // only anything else is a 500 with the stack at error level.
  app.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const refused = clientErrorOf(error);
    if (refused) {
      // A path may carry a phone number (/do-not-call/+966…): numbers are masked in the log.
      deps.logger.warn({ method: req.method, path: maskNumbers(req.path), code: refused.code, reason: maskNumbers(refused.message) }, 'request refused');
      return sendError(res, refused.code, refused.message);
    }
    deps.logger.error({ err: error, method: req.method, path: maskNumbers(req.path) }, 'request failed');
    sendError(res, 'internal');
  });
  return app;
}
