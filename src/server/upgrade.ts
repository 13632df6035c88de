import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { Provider } from '../telephony/events';
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

const STATUS_TEXT: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  503: 'Service Unavailable',
};

/**
 * Routes WebSocket upgrades by path. Unknown paths get 404 and failed authentication 403,
 * as plain HTTP answers before any WebSocket exists, so the provider's logs show why.
 */
export function attachStreamRoutes(
  server: Server,
  routes: readonly StreamRoute[],
  deps: { logger: Logger; metrics: Metrics; readiness: Readiness },
): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = routes.find((r) => r.path === path);
    if (!route) {
      deps.logger.warn({ path }, 'websocket upgrade for an unknown path');
      return refuse(socket, 404, `no WebSocket endpoint at ${path}; use ${routes.map((r) => r.path).join(' or ')}`);
    }
    if (deps.readiness.current === 'draining') {
      deps.metrics.wsRejected.inc({ provider: route.provider, reason: 'draining' });
      return refuse(socket, 503, 'bridge is shutting down');
    }
    const verdict = route.authenticate(req);
    if (!verdict.ok) {
      deps.metrics.wsRejected.inc({ provider: route.provider, reason: verdict.reason });
      deps.logger.warn({ path, reason: verdict.reason }, 'websocket upgrade rejected: authentication failed');
      return refuse(socket, verdict.status, `authentication failed: ${verdict.reason}`);
    }
    wss.handleUpgrade(req, socket, head, (ws) => route.onConnection(ws, req));
  });
  return wss;
}

function refuse(socket: Duplex, status: number, message: string): void {
  const body = `${message}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
