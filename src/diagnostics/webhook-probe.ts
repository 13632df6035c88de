import type { InsideCheck } from './report';

/**
 * Whether each webhook receiver answers at all: a HEAD to its URL (unsigned, so it is expected to
 * refuse: 401, 405 are answers). A 5xx, a timeout or a refused connection is a receiver that would
 * not take a delivery now. Shown as origin and path only: a query string may hold a secret.
 */
export async function probeWebhooks(receivers: readonly string[], timeoutMs: number): Promise<InsideCheck[]> {
  if (receivers.length === 0) return [{ id: 'webhooks', title: 'webhook receivers answer', status: 'skip', saw: 'no webhook subscriptions' }];
  return Promise.all(receivers.map((url) => probeReceiver(url, timeoutMs)));
}

async function probeReceiver(url: string, timeoutMs: number): Promise<InsideCheck> {
  const shown = shownUrl(url);
  const title = `webhook receiver ${shown} answers`;
  const started = performance.now();
  try {
    const res = await fetch(url, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    const ms = Math.round(performance.now() - started);
    if (res.status >= 500) return { id: 'webhooks', title, status: 'fail', saw: `answered ${res.status} in ${ms} ms`, fix: 'the receiver is failing: deliveries will be retried, red-flag alerts wait; check the clinic\'s receiver' };
    return { id: 'webhooks', title, status: 'pass', saw: `answered ${res.status} in ${ms} ms (an unsigned probe: a refusal is an answer)` };
  } catch (error) {
    const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : causeOf(error);
    return { id: 'webhooks', title, status: 'fail', saw: reason, fix: 'the receiver is unreachable from the bridge: check its URL, DNS and the egress firewall; red-flag alerts wait until it answers' };
  }
}

function shownUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

function causeOf(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  return String(cause?.code ?? cause?.message ?? (error as Error).message ?? error);
}
