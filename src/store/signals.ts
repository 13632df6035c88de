import pg from 'pg';
import type { Logger } from '../observability/logger';

/** Channels instances tell each other things on; payloads are ids, never health data. */
export type SignalChannel = 'bridge_voicemail';

/**
 * Small messages between instances over one database: Postgres NOTIFY, heard by every instance
 * that LISTENs (one dedicated connection each, reconnected when lost). On the embedded database
 * one process is the whole service, so a signal goes straight to this process's subscribers.
 * Delivery is best effort: a signal sent while an instance's listening connection is down is lost
 * to it (the uses here have a fallback: a voicemail nobody acts on ends like an unanswered call).
 */
export interface Signals {
  publish(channel: SignalChannel, payload: string): Promise<void>;
  subscribe(channel: SignalChannel, handler: (payload: string) => void): () => void;
  close(): Promise<void>;
}

type Handlers = Map<SignalChannel, Set<(payload: string) => void>>;

/** Runs each handler; one that throws is reported and never reaches the database client's event (nor the process). */
function deliver(handlers: Handlers, channel: string, payload: string, onError: (error: unknown) => void): void {
  for (const handler of handlers.get(channel as SignalChannel) ?? []) {
    try {
      handler(payload);
    } catch (error) {
      onError(error);
    }
  }
}

/** How often the listening connection is checked (a connection dropped without a reset sends no error). */
const LISTEN_CHECK_MS = 15_000;

function addHandler(handlers: Handlers, channel: SignalChannel, handler: (payload: string) => void): () => void {
  let set = handlers.get(channel);
  if (!set) {
    set = new Set();
    handlers.set(channel, set);
  }
  set.add(handler);
  return () => set.delete(handler);
}

/** This process only: the embedded database's single instance. */
export function localSignals(logger: Logger): Signals {
  const handlers: Handlers = new Map();
  return {
    async publish(channel, payload) {
      deliver(handlers, channel, payload, (error) => logger.error({ err: error, channel }, 'a signal handler failed'));
    },
    subscribe: (channel, handler) => addHandler(handlers, channel, handler),
    async close() {
      handlers.clear();
    },
  };
}

/**
 * Postgres LISTEN/NOTIFY. `publish` goes through the pool (`notify`); listening takes one
 * connection of its own, opened at the first subscription and reopened a second after it is lost.
 */
export function postgresSignals(connectionString: string, notify: (channel: SignalChannel, payload: string) => Promise<void>, logger: Logger): Signals {
  const handlers: Handlers = new Map();
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  let started = false;
  const listening = new Set<SignalChannel>();

  let check: NodeJS.Timeout | undefined;
  const connect = async () => {
    if (closed) return;
    const next = new pg.Client({
      connectionString,
      application_name: 'telephony-bridge-signals',
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      connectionTimeoutMillis: 5000,
      query_timeout: 5000,
    });
    next.on('notification', (message) =>
      deliver(handlers, message.channel, message.payload ?? '', (error) => logger.error({ err: error, channel: message.channel }, 'a signal handler failed')),
    );
    const lost = (error?: Error) => {
      if (client !== next) return;
      client = null;
      clearInterval(check);
      next.end().catch(() => undefined);
      if (closed) return;
      logger.warn({ reason: error?.message ?? 'connection ended' }, 'lost the connection that listens for other instances\' signals; reconnecting in 1 s');
      retry = setTimeout(() => void connect(), 1000);
      retry.unref();
    };
    next.on('error', lost);
    next.on('end', () => lost());
    try {
      await next.connect();
      for (const channel of listening) await next.query(`LISTEN ${channel}`);
      if (closed) {
        await next.end();
        return;
      }
      client = next;
      // A connection cut without a reset (a failover, a NAT timeout) reports nothing: ask it now and then.
      check = setInterval(() => {
        next.query('select 1').catch((error: Error) => lost(error));
      }, LISTEN_CHECK_MS);
      check.unref();
    } catch (error) {
      next.end().catch(() => undefined);
      if (closed) return;
      logger.warn({ reason: (error as Error).message }, 'could not listen for other instances\' signals; trying again in 1 s');
      retry = setTimeout(() => void connect(), 1000);
      retry.unref();
    }
  };

  return {
    publish: (channel, payload) => notify(channel, payload),
    subscribe(channel, handler) {
      const remove = addHandler(handlers, channel, handler);
      if (!listening.has(channel)) {
        listening.add(channel);
        if (client) client.query(`LISTEN ${channel}`).catch((error: Error) => logger.warn({ reason: error.message, channel }, 'could not listen on a signal channel; listening again when the connection is renewed'));
        else if (!started) {
          // One connection: later channels are listened to when it opens (or reopens).
          started = true;
          void connect();
        }
      }
      return remove;
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      clearInterval(check);
      handlers.clear();
      await client?.end().catch(() => undefined);
      client = null;
    },
  };
}
