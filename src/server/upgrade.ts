import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { Provider, StartCheck } from '../telephony/events';
import { clip } from '../observability/clip';
import type { BuildIdentity } from './app';
import { DiagnosticStream } from './diagnostic-stream';
import { DIAGNOSTIC_HEADER, verifyDiagnosticToken } from './diagnostic-token';
import { hostHeaderProblem } from './host-check';
import { type HttpErrorCode, rawErrorResponse } from './http-errors';
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

/** Diagnostic streams (diagnostic-stream.ts): on when the bridge has an admin key to derive their token key from. */
export interface DiagnosticMode {
  /** diagnosticTokenKey(BRIDGE_API_KEY), or null: the mode is off and every diagnostic upgrade is refused. */
  key: Buffer | null;
  identity: BuildIdentity;
  keepaliveMs?: number;
}

/** Diagnostic streams open at once, across paths: an admin's doctor runs need a few dozen. */
const MAX_DIAGNOSTIC_STREAMS = 100;

export interface UpgradeLimits {
  /** Sockets upgraded but not yet started (authenticated), in total and per source address. */
  maxPending: number;
  maxPendingPerAddress: number;
}

/** Upgrade verdict statuses as catalog codes. */
const VERDICT_CODES: Record<400 | 401 | 403, HttpErrorCode> = { 400: 'bad_host', 401: 'unauthorized', 403: 'forbidden' };

/**
 * Routes WebSocket upgrades by path. A bad Host gets 400, unknown paths 404, failed
 * authentication 401/403, too many sockets that have not started 429/503, all as HTTP answers
 * from the catalog before any WebSocket exists, so the provider's logs show why. A throw while
 * handling one upgrade answers that upgrade 500 and never reaches the process.
 */
export function attachStreamRoutes(
  server: Server,
  routes: readonly StreamRoute[],
  deps: { logger: Logger; metrics: Metrics; readiness: Readiness; trustProxy?: TrustProxy; limits?: UpgradeLimits; diagnostics?: DiagnosticMode },
): WebSocketServer {
  let diagnosticStreams = 0;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  // One pool per route: sockets waiting on one provider's authentication never starve the other's.
  const pools = new Map(routes.map((r) => [r.path, new PendingStreams(deps.limits ?? { maxPending: 200, maxPendingPerAddress: 50 })]));
  const trust = deps.trustProxy ?? TRUST_NONE;
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A peer that resets while we answer must not raise an unhandled 'error' on the raw socket.
    socket.on('error', () => undefined);
    let provider: Provider | 'unknown' = 'unknown';
    try {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      // Before authentication: the signature check builds a URL from these headers.
      const badHost = hostHeaderProblem(req.headers);
      if (badHost) {
        deps.logger.warn({ method: req.method, path: clip(path), code: badHost.code, reason: badHost.message }, 'websocket upgrade refused');
        return refuse(socket, badHost.code, badHost.message);
      }
      const route = routes.find((r) => r.path === path);
      if (!route) {
        deps.logger.warn({ path: clip(path) }, 'websocket upgrade for an unknown path');
        return refuse(socket, 'not_found', `no WebSocket endpoint at ${clip(path)}; use ${routes.map((r) => r.path).join(' or ')}`);
      }
      provider = route.provider;
      if (deps.readiness.current === 'draining') {
        deps.metrics.wsRejected.inc({ provider: route.provider, reason: 'draining' });
        return refuse(socket, 'unavailable', 'bridge is shutting down');
      }
      const diagnosticToken = req.headers[DIAGNOSTIC_HEADER];
      if (diagnosticToken !== undefined) {
        // A diagnostic stream stands on its token alone: a bad one is refused, never tried as the provider's credentials.
        const key = deps.diagnostics?.key ?? null;
        const checked = key === null ? { ok: false as const, reason: 'diagnostic_mode_off' as const } : verifyDiagnosticToken(key, path, String(diagnosticToken), Date.now());
        if (!checked.ok) {
          deps.metrics.wsRejected.inc({ provider: route.provider, reason: 'diagnostic_auth' });
          deps.logger.warn({ path, provider: route.provider, reason: checked.reason }, 'diagnostic stream refused');
          const detail = checked.reason === 'diagnostic_mode_off' ? 'diagnostic streams are off: the bridge has no BRIDGE_API_KEY' : `diagnostic token refused (${checked.reason.replace(/_/g, ' ')})`;
          return refuse(socket, 'unauthorized', detail);
        }
        if (diagnosticStreams >= MAX_DIAGNOSTIC_STREAMS) return refuse(socket, 'unavailable', 'too many diagnostic streams open; try again shortly');
        diagnosticStreams++;
        let counted = true;
        const release = () => {
          if (counted) diagnosticStreams--;
          counted = false;
        };
        socket.once('close', release);
        const mode = deps.diagnostics as DiagnosticMode;
        wss.handleUpgrade(req, socket, head, (ws) => {
          new DiagnosticStream(ws, { provider: route.provider, identity: mode.identity, logger: deps.logger, keepaliveMs: mode.keepaliveMs, onClosed: release });
        });
        return;
      }
      const verdict = route.authenticate(req);
      if (!verdict.ok) {
        deps.metrics.wsRejected.inc({ provider: route.provider, reason: verdict.reason });
        deps.logger.warn({ path, provider: route.provider, reason: verdict.reason, detail: verdict.detail }, 'websocket upgrade rejected');
        return refuse(socket, VERDICT_CODES[verdict.status], verdict.detail);
      }
      const address = clientAddress(req, trust);
      const slot = (pools.get(route.path) as PendingStreams).admit(address);
      if (!slot.ok) {
        deps.metrics.wsRejected.inc({ provider: route.provider, reason: slot.reason });
        if (slot.logNow) {
          deps.logger.warn({ provider: route.provider, reason: slot.reason, address, refused: slot.refusedCount }, 'websocket upgrade refused: too many streams that have not started');
        }
        return refuse(socket, slot.reason === 'pending_per_address' ? 'too_many_pending' : 'pending_full', 'too many streams waiting to start; try again shortly');
      }
      // Freed when the socket closes, whatever closes it: ws answers a malformed handshake (no
      // Sec-WebSocket-Key, a bad version) itself and never calls back.
      socket.once('close', slot.release);
      const admission: StreamAdmission = { checkStart: verdict.checkStart, started: slot.release };
      wss.handleUpgrade(req, socket, head, (ws) => {
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
      refuse(socket, 'internal', 'internal error');
    }
  });
  return wss;
}

/** Answers and closes: a peer that never closes its side must not hold the socket (or a drain) open. */
function refuse(socket: Duplex, code: HttpErrorCode, message: string): void {
  if (socket.destroyed) return;
  socket.once('finish', () => socket.destroy());
  setTimeout(() => socket.destroy(), 2000).unref();
  socket.end(rawErrorResponse(code, message));
}
