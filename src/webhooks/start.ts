import { randomBytes } from 'node:crypto';
import type { Config } from '../config';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { Store } from '../store';
import { WebhookDispatcher } from './dispatcher';

/**
 * Startup: the WEBHOOK_URL subscription made to match the environment (removed when unset), and
 * this instance's dispatcher running, woken by every local save that may have written an event.
 * Every instance runs one; leases decide who sends what. `onOldestPending` hears the outbox's
 * oldest undelivered event's age (seconds) each time it is measured (/ready's webhooks component). Returns what shutdown stops (before the
 * store closes).
 */
export async function startWebhooks(store: Store, config: Config, metrics: Metrics, logger: Logger, onOldestPending?: (seconds: number) => void): Promise<{ stop(): Promise<void> }> {
  await store.webhooks.applyConfigSubscription(config.webhook);
  // Unique per process: a restarted instance does not inherit its previous run's leases.
  const dispatcher = new WebhookDispatcher({ queue: store.webhookQueue, metrics, logger, owner: `${config.instanceId}:${randomBytes(4).toString('hex')}`, ...(onOldestPending ? { onOldestPending } : {}) });
  const unsubscribe = store.onWebhookEvents(() => dispatcher.notify());
  dispatcher.start();
  if (config.webhook) logger.info({ events: config.webhook.events }, 'webhooks: WEBHOOK_URL subscription active');
  return {
    async stop() {
      unsubscribe();
      await dispatcher.stop(5000);
    },
  };
}
