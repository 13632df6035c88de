import { SERVICE_NAME } from '../version';
import { verdicts, type Verdict } from './check-kit';
import { DiagnosticClient } from './diagnostic-client';
import { SECTIONS } from './sections';
import { diagnosticHeaders, explainRefusal, TELEPHONY_PATH } from './upgrade-checks';
import { probeUpgrade, type UpgradeOutcome } from './upgrade-probe';
import type { DoctorOptions, Target } from './types';

const NEEDS_KEY = 'set BRIDGE_API_KEY (the bridge\'s admin key) in the doctor\'s environment: diagnostic streams are authenticated by it';
const FRAMES = 20;
const FRAME_INTERVAL_MS = 50;

type StreamOptions = Pick<DoctorOptions, 'apiKey' | 'ca' | 'timeoutMs'>;

/** A message round trip on a diagnostic stream: the bridge answers on this path without starting a call. */
export async function checkRoundTrip(target: Target, path: string, options: StreamOptions): Promise<Verdict> {
  const name = path === TELEPHONY_PATH ? 'telephony' : 'maqsam';
  const v = verdicts(`stream.round-trip.${name}`, `message round trip on ${path}`, SECTIONS.diagnosticStreams, 'a diagnostic stream: wait for diagnostic.ready, send diagnostic.ping, wait for the pong');
  if (!options.apiKey) return v.skip('no BRIDGE_API_KEY', NEEDS_KEY);
  const opened = await DiagnosticClient.open(target, path, options);
  if ('refused' in opened) {
    const { saw, fix } = explainRefusal(opened.refused, path);
    return v.fail(saw, fix);
  }
  const { client, ready } = opened;
  try {
    if (ready['service'] !== SERVICE_NAME) return v.fail('the stream opened but did not introduce itself as the bridge', 'something else answers WebSockets on this path: route it to the bridge');
    const sentMs = performance.now();
    client.send({ type: 'diagnostic.ping', id: 'doctor' });
    try {
      await client.next((m) => m['type'] === 'diagnostic.pong' && m['id'] === 'doctor', options.timeoutMs);
    } catch (error) {
      return v.fail(`no pong: ${(error as Error).message}`, 'messages from the client do not reach the bridge, or its answers do not come back: the proxy must forward the WebSocket both ways (no buffering)');
    }
    return v.pass(`ready from ${SERVICE_NAME} ${String(ready['version'])} (build ${String(ready['build'])}); pong in ${Math.round(performance.now() - sentMs)} ms`);
  } finally {
    client.close();
  }
}

/**
 * The bridge sends frames 50 ms apart, each stamped with its send time: through a direct path
 * each arrives that long after the previous one; a buffering proxy delivers them in bunches. The
 * spread of (arrival − send stamp) is how long some frame was held back, whatever the clocks' offset.
 */
export async function checkUnbuffered(target: Target, options: StreamOptions & Pick<DoctorOptions, 'maxHoldBackMs'>): Promise<Verdict> {
  const v = verdicts('stream.unbuffered', `frames arrive within ${options.maxHoldBackMs} ms (not buffered)`, SECTIONS.proxy, `${FRAMES} frames from the bridge, ${FRAME_INTERVAL_MS} ms apart, on a diagnostic stream`);
  if (!options.apiKey) return v.skip('no BRIDGE_API_KEY', NEEDS_KEY);
  const opened = await DiagnosticClient.open(target, TELEPHONY_PATH, options);
  if ('refused' in opened) return v.fail(explainRefusal(opened.refused, TELEPHONY_PATH).saw, 'see the upgrade checks above');
  const { client } = opened;
  try {
    const from = client.messages.length;
    client.send({ type: 'diagnostic.frames', count: FRAMES, intervalMs: FRAME_INTERVAL_MS });
    const deadline = performance.now() + FRAMES * FRAME_INTERVAL_MS + options.timeoutMs;
    const frames = () => client.messages.slice(from).filter((m) => m.message['type'] === 'diagnostic.frame');
    while (frames().length < FRAMES && !client.closedWith && performance.now() < deadline) await client.wait(deadline - performance.now());
    const got = frames();
    if (got.length < FRAMES) {
      return v.fail(`${got.length} of ${FRAMES} frames arrived within ${Math.round((FRAMES * FRAME_INTERVAL_MS + options.timeoutMs) / 1000)} s`, 'the proxy holds the stream back: proxy_buffering off on /ws/ (and no response buffering or compression in any layer in front)');
    }
    const delays = got.map((m) => m.atMs - Number(m.message['sentAtMs']));
    const heldMs = Math.round(Math.max(...delays) - Math.min(...delays));
    if (heldMs > options.maxHoldBackMs) {
      return v.fail(`frames were held back up to ${heldMs} ms and arrived in bunches`, 'the proxy buffers the stream (callers hear audio in lumps, barge-in lags): proxy_buffering off on /ws/; no buffering in a CDN or load balancer in front');
    }
    return v.pass(`${FRAMES} frames, none held back more than ${heldMs} ms`);
  } finally {
    client.close();
  }
}

/** The stream stays open past common idle timeouts (60 s), with WebSocket pings as the bridge sends them. */
export async function checkHold(target: Target, options: StreamOptions & Pick<DoctorOptions, 'holdMs' | 'pingMs' | 'quick'>): Promise<Verdict> {
  const seconds = Math.round(options.holdMs / 100) / 10;
  const v = verdicts('stream.hold', `stream stays open ${seconds} s`, SECTIONS.drops, `a diagnostic stream held ${seconds} s with a WebSocket ping every ${Math.round(options.pingMs / 1000)} s, then a round trip`);
  if (options.quick) return v.skip('--quick: not held', 'run without --quick before relying on long calls');
  if (!options.apiKey) return v.skip('no BRIDGE_API_KEY', NEEDS_KEY);
  const opened = await DiagnosticClient.open(target, TELEPHONY_PATH, options);
  if ('refused' in opened) return v.fail(explainRefusal(opened.refused, TELEPHONY_PATH).saw, 'see the upgrade checks above');
  const { client } = opened;
  const startedMs = performance.now();
  const pinger = setInterval(() => client.ws.readyState === client.ws.OPEN && client.ws.ping(), options.pingMs);
  try {
    while (!client.closedWith && performance.now() - startedMs < options.holdMs) await client.wait(options.holdMs - (performance.now() - startedMs));
    if (client.closedWith) {
      const after = ((client.closedWith.atMs - startedMs) / 1000).toFixed(1);
      return v.fail(
        `closed after ${after} s (code ${client.closedWith.code}${client.closedWith.reason ? ` ${client.closedWith.reason}` : ''})`,
        'an idle or maximum-duration timeout in front cuts calls: raise it above the longest call (nginx proxy_read_timeout 3600s; proxy_send_timeout 3600s; a load balancer\'s idle timeout ≥ 120 s)',
      );
    }
    const from = client.messages.length;
    client.send({ type: 'diagnostic.ping', id: 'after-hold' });
    try {
      await client.next((m) => m['type'] === 'diagnostic.pong', options.timeoutMs, from);
    } catch {
      return v.fail(`open after ${seconds} s, but a ping got no answer`, 'the proxy keeps the connection but stopped forwarding it: check its idle handling of WebSockets');
    }
    return v.pass(`open after ${seconds} s and still answering`);
  } finally {
    clearInterval(pinger);
    client.close();
  }
}

/** A burst of upgrades within one second (calls arriving together) is not rate-limited in front. */
export async function checkBurst(target: Target, options: StreamOptions & Pick<DoctorOptions, 'burst'>): Promise<Verdict> {
  const v = verdicts('stream.burst', `${options.burst} upgrades in one second`, SECTIONS.proxy, `${options.burst} diagnostic upgrades to ${TELEPHONY_PATH} at once`);
  if (!options.apiKey) return v.skip('no BRIDGE_API_KEY', NEEDS_KEY);
  const startedMs = performance.now();
  const outcomes = await Promise.all(
    Array.from({ length: options.burst }, () => probeUpgrade(target, TELEPHONY_PATH, { headers: diagnosticHeaders(options.apiKey, TELEPHONY_PATH), ca: options.ca, timeoutMs: options.timeoutMs })),
  );
  const tookMs = Math.round(performance.now() - startedMs);
  const refused = outcomes.filter((o): o is Exclude<UpgradeOutcome, { kind: 'switched' }> => o.kind !== 'switched');
  if (refused.length === 0) return v.pass(`all ${options.burst} switched (101) in ${tookMs} ms`);
  const tally = new Map<string, number>();
  for (const o of refused) {
    const label = o.kind === 'refused' ? String(o.status) : 'no answer';
    tally.set(label, (tally.get(label) ?? 0) + 1);
  }
  const counts = [...tally].map(([label, n]) => `${n}× ${label}`).join(', ');
  const { fix } = explainRefusal(refused[0] as Exclude<UpgradeOutcome, { kind: 'switched' }>, TELEPHONY_PATH);
  return v.fail(`${refused.length} of ${options.burst} refused (${counts})`, fix);
}
