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

function deliver(handlers: Handlers, channel: string, payload: string): void {
  for (const handler of handlers.get(channel as SignalChannel) ?? []) handler(payload);
}

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
export function localSignals(): Signals {
  const handlers: Handlers = new Map();
  return {
    async publish(channel, payload) {
      deliver(handlers, channel, payload);
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

  const connect = async () => {
    if (closed) return;
    const next = new pg.Client({ connectionString, application_name: 'telephony-bridge-signals', keepAlive: true });
    next.on('notification', (message) => deliver(handlers, message.channel, message.payload ?? ''));
    const lost = (error?: Error) => {
      if (client !== next) return;
      client = null;
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
        if (client) client.query(`LISTEN ${channel}`).catch(() => undefined);
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
      handlers.clear();
      await client?.end().catch(() => undefined);
      client = null;
    },
  };
}
