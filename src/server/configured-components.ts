import type { Config } from '../config';
import type { ComponentStatus } from './readiness';

/**
 * What /ready says about the parts chosen by configuration alone: the voice that speaks the
 * questions and the webhooks. Something merely not configured is information, not a fault: it is
 * `ok`, with a `code` the console translates and a `reason` in words.
 */
export function configuredComponents(config: Pick<Config, 'ttsProvider' | 'elevenLabs' | 'webhook'>): { voice: ComponentStatus; webhooks: ComponentStatus } {
  return {
    voice:
      config.ttsProvider === 'elevenlabs' && config.elevenLabs
        ? { status: 'ok', code: 'cloud', reason: 'ElevenLabs, with the embedded voice (espeak-ng) for any prompt it fails' }
        : { status: 'ok', code: 'embedded', reason: 'the embedded voice (espeak-ng)' },
    webhooks: config.webhook
      ? { status: 'ok', code: 'configured', reason: 'WEBHOOK_URL is set' }
      : { status: 'ok', code: 'not_configured', reason: 'WEBHOOK_URL is not set: only subscriptions made through the API are delivered' },
  };
}

/** Webhooks fall behind when the oldest undelivered event has waited this long. */
export const WEBHOOK_BACKLOG_SECONDS = 300;

/** The webhooks component from the outbox's oldest pending delivery: degraded (not unready) past the bound. */
export function webhooksComponent(config: Pick<Config, 'ttsProvider' | 'elevenLabs' | 'webhook'>, oldestPendingSeconds: number): ComponentStatus {
  if (oldestPendingSeconds <= WEBHOOK_BACKLOG_SECONDS) return configuredComponents(config).webhooks;
  return { status: 'degraded', code: 'backlog', reason: `the oldest undelivered event was queued ${Math.round(oldestPendingSeconds)} s ago` };
}
