import { getExpectedTwilioSignature } from 'twilio/lib/webhooks/webhooks';
import { DIAGNOSTIC_HEADER, diagnosticTokenKey, issueDiagnosticToken } from '../server/diagnostic-token';
import { verdicts, type Verdict } from './check-kit';
import { SECTIONS } from './sections';
import { bridgeError, probeUpgrade, type UpgradeOutcome } from './upgrade-probe';
import type { DoctorOptions, Target } from './types';

export const TELEPHONY_PATH = '/ws/telephony';
export const MAQSAM_PATH = '/ws/maqsam';

const NGINX_UPGRADE = 'pass upgrades on /ws/: proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade";';

/** The headers of a diagnostic upgrade on `path` (a token minted from BRIDGE_API_KEY), or none without the key. */
export function diagnosticHeaders(apiKey: string | undefined, path: string): Record<string, string> {
  return apiKey ? { [DIAGNOSTIC_HEADER]: issueDiagnosticToken(diagnosticTokenKey(apiKey), path) } : {};
}

/** Why an upgrade was not switched, and the fix, from the status and who answered (the bridge's JSON, or not). */
export function explainRefusal(outcome: Exclude<UpgradeOutcome, { kind: 'switched' }>, path: string): { saw: string; fix: string } {
  if (outcome.kind === 'error') return { saw: `no answer: ${outcome.reason}`, fix: 'nothing answers the upgrade: check that the proxy forwards /ws/ to the bridge and does not time out upgrades' };
  const fromBridge = bridgeError(outcome.body);
  const saw = `answered ${outcome.status}${fromBridge ? ` ${fromBridge.error}: ${fromBridge.message}` : ` (not the bridge's answer${outcome.headers.server ? `; Server: ${String(outcome.headers.server)}` : ''})`}`;
  switch (outcome.status) {
    case 404:
      if (fromBridge && /^no route for GET \/ws\//.test(fromBridge.message)) return { saw: `${saw}: the request reached the bridge without its Upgrade header`, fix: `the proxy strips the Upgrade header: ${NGINX_UPGRADE}` };
      if (fromBridge?.message.startsWith('no WebSocket endpoint')) return { saw, fix: `the proxy rewrites the path: proxy_pass to the bridge without a path (the bridge serves ${path} at its root)` };
      return { saw: `${saw}: no WebSocket route here`, fix: `what answers is not the bridge (a test server, a default backend), or the proxy does not route ${path} to it: deploy the bridge and route /ws/ to it` };
    case 426:
      return { saw, fix: `the proxy refuses or cannot forward upgrades (HTTP/1.0 upstream): ${NGINX_UPGRADE}` };
    case 429:
      return { saw: `${saw}: a rate limiter refused the upgrade`, fix: 'a rate limiter or WAF in front counts upgrades: exempt /ws/ from it (each call opens one; a busy clinic opens many a second)' };
    case 400:
      if (fromBridge?.error === 'bad_host' || fromBridge?.error === 'bad_forwarded_header') return { saw, fix: 'the proxy sends a broken Host or X-Forwarded-* header: proxy_set_header Host $host; proxy_set_header X-Forwarded-Proto $scheme;' };
      return { saw, fix: `the proxy answers the upgrade itself: ${NGINX_UPGRADE}` };
    case 401:
      if (fromBridge?.message.startsWith('diagnostic')) return { saw, fix: 'BRIDGE_API_KEY in the doctor\'s environment is not the bridge\'s (or the bridge has none): use the same key' };
      return { saw, fix: 'check the credentials the provider sends (see the signed upgrade checks)' };
    case 403:
      if (fromBridge) return { saw, fix: 'the bridge refused the credentials: see the signed upgrade checks' };
      return { saw: `${saw}: refused in front of the bridge`, fix: 'a WAF, access rule or CORS/origin check in front refuses WebSocket upgrades: allow GET with Upgrade: websocket on /ws/ from anywhere (Twilio and Maqsam have no fixed addresses)' };
    case 502:
    case 504:
      return { saw, fix: `the proxy could not reach the bridge for the upgrade: check proxy_pass (address, port 8080) and that the bridge runs; ${NGINX_UPGRADE}` };
    case 503:
      if (fromBridge?.error === 'unavailable') return { saw, fix: 'the bridge is draining (a restart or deploy): run the doctor again when it is over' };
      return { saw, fix: 'the proxy has no healthy upstream: check the bridge runs and passes /ready' };
    case 200:
      return { saw: `${saw}: the upgrade was answered as a plain request`, fix: `the front does not pass upgrades: ${NGINX_UPGRADE}` };
    default:
      return { saw, fix: `something in front answers the upgrade with ${outcome.status}: ${NGINX_UPGRADE}` };
  }
}

/** A WebSocket upgrade to a provider's path is switched (101) with its handshake headers intact. */
export async function checkUpgradePath(target: Target, path: string, options: Pick<DoctorOptions, 'apiKey' | 'ca' | 'timeoutMs'>): Promise<Verdict> {
  const authenticated = options.apiKey !== undefined;
  const v = verdicts(`ws.${path === TELEPHONY_PATH ? 'telephony' : 'maqsam'}`, `WebSocket upgrade to ${path}`, SECTIONS.proxy, `an upgrade to ${target.wsOrigin}${path}${authenticated ? ' (diagnostic token)' : ' (no credentials: set BRIDGE_API_KEY for a full check)'}`);
  const outcome = await probeUpgrade(target, path, { headers: diagnosticHeaders(options.apiKey, path), ca: options.ca, timeoutMs: options.timeoutMs });
  if (outcome.kind === 'switched') {
    if (outcome.problems.length > 0) return v.fail(`101, but the handshake headers were altered: ${outcome.problems.join('; ')}`, `the proxy rewrites the handshake: ${NGINX_UPGRADE}`);
    return v.pass('101 Switching Protocols; Upgrade, Connection and Sec-WebSocket-Accept intact');
  }
  // Without a token the bridge's own refusal of the credentials still proves the path reaches it.
  if (!authenticated && outcome.kind === 'refused' && (outcome.status === 401 || outcome.status === 403) && bridgeError(outcome.body)) {
    return v.warn(`${outcome.status} from the bridge itself (it refused an upgrade without credentials, as it should): the path reaches it`, 'set BRIDGE_API_KEY in the doctor\'s environment to check a complete upgrade');
  }
  const { saw, fix } = explainRefusal(outcome, path);
  return v.fail(saw, fix);
}

/**
 * An upgrade signed as Twilio signs it (X-Twilio-Signature over wss://<host>/ws/telephony) is
 * accepted, so PUBLIC_URL is the URL Twilio uses; and a badly signed one is refused (else the
 * bridge runs without TWILIO_AUTH_TOKEN).
 */
export async function checkSignedUpgrade(target: Target, options: Pick<DoctorOptions, 'twilioAuthToken' | 'ca' | 'timeoutMs'>, bridgePublicUrl: () => Promise<string | null | undefined>): Promise<Verdict> {
  const url = `${target.wsOrigin}${TELEPHONY_PATH}`;
  const v = verdicts('twilio.signed-upgrade', 'signed upgrade accepted (PUBLIC_URL matches)', SECTIONS.twilioNumber, `an upgrade to ${url} signed with TWILIO_AUTH_TOKEN, then one with a wrong signature`);
  if (!options.twilioAuthToken) return v.skip('TWILIO_AUTH_TOKEN is not in the doctor\'s environment', 'set it (the account\'s auth token) to check that the bridge accepts what Twilio will sign');
  const signed = await probeUpgrade(target, TELEPHONY_PATH, { headers: { 'x-twilio-signature': getExpectedTwilioSignature(options.twilioAuthToken, url, {}) }, ca: options.ca, timeoutMs: options.timeoutMs });
  if (signed.kind !== 'switched') {
    const refusal = bridgeError(signed.kind === 'refused' ? signed.body : '');
    if (signed.kind === 'refused' && signed.status === 403 && refusal?.message.includes('bad_signature')) {
      const publicUrl = await bridgePublicUrl().catch(() => undefined);
      const known = publicUrl === undefined ? '' : publicUrl === null ? ' The bridge has no PUBLIC_URL.' : ` The bridge's PUBLIC_URL is ${publicUrl}.`;
      return v.fail(
        `403 bad_signature: the bridge checks the signature against another URL than ${target.origin}.${known}`,
        `set PUBLIC_URL=${target.origin} on the bridge (the exact public https:// URL Twilio reaches it by), or give the doctor the same TWILIO_AUTH_TOKEN as the bridge`,
      );
    }
    const { saw, fix } = explainRefusal(signed, TELEPHONY_PATH);
    return v.fail(saw, fix);
  }
  const forged = await probeUpgrade(target, TELEPHONY_PATH, { headers: { 'x-twilio-signature': 'bm90IGEgc2lnbmF0dXJlIGF0IGFsbA==' }, ca: options.ca, timeoutMs: options.timeoutMs });
  if (forged.kind === 'switched') {
    return v.warn('the signed upgrade was accepted, and so was a wrongly signed one: the bridge checks no signatures', 'set TWILIO_AUTH_TOKEN on the bridge (development mode accepts anyone\'s streams)');
  }
  return v.pass('101 for the signed upgrade; a wrong signature is refused');
}

/** Maqsam's `Auth` header with MAQSAM_TOKEN is accepted through the proxy; a wrong one is refused. */
export async function checkMaqsamAuth(target: Target, options: Pick<DoctorOptions, 'maqsamToken' | 'ca' | 'timeoutMs'>): Promise<Verdict> {
  const v = verdicts('maqsam.auth-upgrade', 'Maqsam Auth header accepted', SECTIONS.maqsam, `an upgrade to ${target.wsOrigin}${MAQSAM_PATH} with Auth: MAQSAM_TOKEN, then one with a wrong token`);
  if (!options.maqsamToken) return v.skip('MAQSAM_TOKEN is not in the doctor\'s environment', 'set it to check that the bridge accepts what Maqsam sends');
  const right = await probeUpgrade(target, MAQSAM_PATH, { headers: { auth: options.maqsamToken }, ca: options.ca, timeoutMs: options.timeoutMs });
  if (right.kind !== 'switched') {
    if (right.kind === 'refused' && right.status === 401 && bridgeError(right.body)) return v.fail('401: the bridge refused MAQSAM_TOKEN', 'the doctor\'s MAQSAM_TOKEN is not the bridge\'s: give Maqsam (and the doctor) the bridge\'s value');
    const { saw, fix } = explainRefusal(right, MAQSAM_PATH);
    return v.fail(saw, fix);
  }
  const wrong = await probeUpgrade(target, MAQSAM_PATH, { headers: { auth: `${options.maqsamToken}-wrong` }, ca: options.ca, timeoutMs: options.timeoutMs });
  if (wrong.kind === 'switched') {
    return v.warn('a wrong Auth header was accepted too', 'the bridge has no MAQSAM_TOKEN (development mode), or the proxy drops the Auth header: set the token, and pass all headers on /ws/');
  }
  return v.pass('101 with the right token; a wrong one is refused');
}
