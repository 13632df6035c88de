import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { Provider } from '../telephony/events';
import { hostHeaderProblem } from './host-check';
import { type HttpErrorCode, rawErrorResponse } from './http-errors';
import type { Readiness } from './readiness';

/** Largest message a provider may send; ws closes the socket with 1009 past it. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

export type UpgradeVerdict = { ok: true } | { ok: false; status: 401 | 403; reason: string };

export interface StreamRoute {
  path: string;
  provider: Provider;
  /** Checks the upgrade request before the WebSocket opens. */
  authenticate(req: IncomingMessage): UpgradeVerdict;
  onConnection(ws: WebSocket, req: IncomingMessage): void;
}

/**
 * Routes WebSocket upgrades by path. A bad Host gets 400, unknown paths 404 and failed
 * authentication 403, as HTTP answers (from the catalog) before any WebSocket exists, so the
 * provider's logs show why.
 */
export function attachStreamRoutes(
  server: Server,
  routes: readonly StreamRoute[],
  deps: { logger: Logger; metrics: Metrics; readiness: Readiness },
): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    // Before authentication: the signature check builds a URL from these headers.
    const badHost = hostHeaderProblem(req.headers);
    if (badHost) {
      deps.logger.warn({ method: req.method, path, code: badHost.code, reason: badHost.message }, 'websocket upgrade refused');
      return refuse(socket, badHost.code, badHost.message);
    }
    const route = routes.find((r) => r.path === path);
    if (!route) {
      deps.logger.warn({ path }, 'websocket upgrade for an unknown path');
      return refuse(socket, 'not_found', `no WebSocket endpoint at ${path}; use ${routes.map((r) => r.path).join(' or ')}`);
    }
    if (deps.readiness.current === 'draining') {
      deps.metrics.wsRejected.inc({ provider: route.provider, reason: 'draining' });
      return refuse(socket, 'unavailable', 'bridge is shutting down');
    }
    let verdict: UpgradeVerdict;
    try {
      verdict = route.authenticate(req);
    } catch (error) {
      // A bug, not the client's mistake; thrown from an 'upgrade' listener it would end the process.
      deps.logger.error({ err: error, method: req.method, path }, 'websocket upgrade failed');
      return refuse(socket, 'internal', 'internal error');
    }
    if (!verdict.ok) {
      deps.metrics.wsRejected.inc({ provider: route.provider, reason: verdict.reason });
      deps.logger.warn({ path, reason: verdict.reason }, 'websocket upgrade rejected: authentication failed');
      return refuse(socket, verdict.status === 401 ? 'unauthorized' : 'forbidden', `authentication failed: ${verdict.reason}`);
    }
    wss.handleUpgrade(req, socket, head, (ws) => route.onConnection(ws, req));
  });
  return wss;
}

function refuse(socket: Duplex, code: HttpErrorCode, message: string): void {
  socket.end(rawErrorResponse(code, message));
}
