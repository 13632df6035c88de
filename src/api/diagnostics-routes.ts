import { Router } from 'express';
import type { DiagnosticsReport } from '../diagnostics/report';
import type { AuditLog } from './audit';
import { handle, scoped } from './route-kit';

/**
 * GET /diagnostics (admin): the bridge checks its own dependencies from where it runs (the
 * recognition key and model, the cloud voice, the store, disk, clock, webhook receivers) and says
 * what it saw and how to fix each. `npm run doctor` calls it; it reads no health data.
 */
export function diagnosticsRoutes(deps: { diagnose: () => Promise<DiagnosticsReport>; audit: AuditLog }): Router {
  const api = Router();
  api.get(
    '/diagnostics',
    scoped('admin'),
    handle(async (req, res, principal) => {
      const report = await deps.diagnose();
      const failed = report.checks.filter((c) => c.status === 'fail').map((c) => c.id);
      await deps.audit.record(principal, 'diagnostics.run', { source: req.ip ?? null, detail: { failed } });
      res.json(report);
    }),
  );
  return api;
}
