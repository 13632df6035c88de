import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { Provider, StartCheck } from '../telephony/events';
import { clip } from '../observability/clip';
import { PendingStreams } from './pending-streams';
import type { Readiness } from './readiness';
import { type TrustProxy, TRUST_NONE, clientAddress } from './trust-proxy';

/** Largest message a provider may send; ws closes the socket with 1009 past it. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

export type UpgradeVerdict = { ok: true; checkStart?: StartCheck } | { ok: false; status: 400 | 401 | 403; reason: string; detail: string };

/** What a connection is handed: its start check and the slot it holds until it starts or closes. */
export interface StreamAdmission {
  checkStart: StartCheck | undefined;
  /** Frees this socket's place among the not-yet-started ones (idempotent). */
  started(): void;
}

export interface StreamRoute {
  path: string;
  provider: Provider;
  /** Checks the upgrade request before the WebSocket opens. */
  authenticate(req: IncomingMessage): UpgradeVerdict;
  onConnection(ws: WebSocket, req: IncomingMessage, admission: StreamAdmission): void;
}

export interface UpgradeLimits {
  /** Sockets upgraded but not yet started (authenticated), in total and per source address. */
  maxPending: number;
  maxPendingPerAddress: number;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * Routes WebSocket upgrades by path. Unknown paths get 404, failed authentication 401/403, too
 * many sockets that have not started 429/503, all as plain HTTP answers before any WebSocket
 * exists, so the provider's logs show why. A throw while handling one upgrade answers that
 * upgrade 500 and never reaches the process.
 */
export function attachStreamRoutes(
  server: Server,
  routes: readonly StreamRoute[],
  deps: { logger: Logger; metrics: Metrics; readiness: Readiness; trustProxy?: TrustProxy; limits?: UpgradeLimits },
): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const pending = new PendingStreams(deps.limits ?? { maxPending: 200, maxPendingPerAddress: 50 });
  const trust = deps.trustProxy ?? TRUST_NONE;
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A peer that resets while we answer must not raise an unhandled 'error' on the raw socket.
    socket.on('error', () => undefined);
    let provider: Provider | 'unknown' = 'unknown';
    try {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const route = routes.find((r) => r.path === path);
      if (!route) {
        deps.logger.warn({ path: clip(path) }, 'websocket upgrade for an unknown path');
        return refuse(socket, 404, `no WebSocket endpoint at ${clip(path)}; use ${routes.map((r) => r.path).join(' or ')}`);
      }
      provider = route.provider;
      if (deps.readiness.current === 'draining') {
        deps.metrics.wsRejected.inc({ provider: route.provider, reason: 'draining' });
        return refuse(socket, 503, 'bridge is shutting down');
      }
      const verdict = route.authenticate(req);
      if (!verdict.ok) {
        deps.metrics.wsRejected.inc({ provider: route.provider, reason: verdict.reason });
        deps.logger.warn({ path, provider: route.provider, reason: verdict.reason, detail: verdict.detail }, 'websocket upgrade rejected');
        return refuse(socket, verdict.status, verdict.detail);
      }
      const address = clientAddress(req, trust);
      const slot = pending.admit(address);
      if (!slot.ok) {
        deps.metrics.wsRejected.inc({ provider: route.provider, reason: slot.reason });
        if (slot.logNow) {
          deps.logger.warn({ provider: route.provider, reason: slot.reason, address, refused: slot.refusedCount }, 'websocket upgrade refused: too many streams that have not started');
        }
        return refuse(socket, slot.reason === 'pending_per_address' ? 429 : 503, 'too many streams waiting to start; try again shortly');
      }
      const admission: StreamAdmission = { checkStart: verdict.checkStart, started: slot.release };
      wss.handleUpgrade(req, socket, head, (ws) => {
        ws.once('close', slot.release);
        try {
          route.onConnection(ws, req, admission);
        } catch (error) {
          slot.release();
          deps.metrics.internalErrors.inc({ scope: 'connection' });
          deps.logger.error({ err: error, provider: route.provider }, 'internal error setting up a media stream; closing it with 1011');
          ws.close(1011, 'internal error');
        }
      });
    } catch (error) {
      deps.metrics.internalErrors.inc({ scope: 'upgrade' });
      deps.logger.error({ err: error, provider }, 'internal error handling a websocket upgrade; answered 500');
      refuse(socket, 500, 'internal error');
    }
  });
  return wss;
}

function refuse(socket: Duplex, status: number, message: string): void {
  if (socket.destroyed) return;
  const body = `${message}\n`;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
