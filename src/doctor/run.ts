import { timed, type Verdict } from './check-kit';
import { fetchInside, type InsideResult, insideVerdicts } from './inside-checks';
import { checkDns, checkHttp1, checkTls } from './network-checks';
import { SECTIONS } from './sections';
import { checkHealth, checkReady } from './service-checks';
import { checkBurst, checkHold, checkRoundTrip, checkUnbuffered } from './stream-checks';
import { checkTwilioNumbers } from './twilio-numbers';
import { checkMaqsamAuth, checkSignedUpgrade, checkUpgradePath, MAQSAM_PATH, TELEPHONY_PATH } from './upgrade-checks';
import type { CheckStatus, DoctorCheck, DoctorOptions, DoctorReport, Target } from './types';

/** The target from --url: http(s) only, the origin kept (a path would be ignored by Twilio's signature anyway). */
export function parseTarget(url: string): Target {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`--url ${JSON.stringify(url)} is not a URL: give the bridge's base URL, e.g. https://bridge.example.com`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error(`--url must be http:// or https://, not ${parsed.protocol}`);
  if (parsed.pathname !== '/' && parsed.pathname !== '') throw new Error(`--url must be the bridge's base URL without a path (the bridge is served at the root of its host), not ${parsed.pathname}`);
  const secure = parsed.protocol === 'https:';
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  return {
    origin: parsed.origin,
    wsOrigin: parsed.origin.replace(/^http/, 'ws'),
    host,
    port: parsed.port ? Number(parsed.port) : secure ? 443 : 80,
    secure,
    local: isLocal(host),
  };
}

function isLocal(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host) || /^10\./.test(host) || /^192\.168\./.test(host) || /^172\.(1[6-9]|2\d|3[01])\./.test(host);
}

/**
 * The connection fix guide, in order: the name, TLS, HTTP/1.1, /health and /ready, the upgrades
 * on each path (signed as the providers sign them), a round trip, the proxy's behaviour
 * (buffering, idle timeout, rate limit), the bridge's own checks from inside, and with --twilio
 * the account's numbers. A failure that makes everything after it meaningless (no DNS, a
 * certificate Twilio would refuse) stops the run there, and says so.
 */
export async function runDoctor(target: Target, options: DoctorOptions & { expectBuild?: string }, onCheck: (check: DoctorCheck) => void = () => undefined): Promise<DoctorReport> {
  const checks: DoctorCheck[] = [];
  const step = async (run: () => Promise<Verdict | Verdict[]>, fallback: { id: string; title: string; section: string }) => {
    const done = await timed(run, fallback);
    for (const check of done) {
      checks.push(check);
      onCheck(check);
    }
    return done;
  };
  const stopped = async (reason: string) => {
    await step(async () => ({ id: 'not-run', title: 'later checks', status: 'skip', tried: 'nothing', saw: `not run: ${reason}`, section: SECTIONS.doctor }), { id: 'not-run', title: 'later checks', section: SECTIONS.doctor });
    return report(target, checks);
  };

  const [dns] = await step(() => checkDns(target, options), { id: 'dns', title: 'DNS resolves', section: SECTIONS.proxy });
  if (dns?.status === 'fail') return stopped('the name does not resolve');
  const [tls] = await step(() => checkTls(target, options), { id: 'tls', title: 'TLS', section: SECTIONS.proxy });
  if (tls?.status === 'fail') return stopped('the TLS check failed (Twilio and Maqsam would stop there too)');
  const [http1] = await step(() => checkHttp1(target, options), { id: 'http1', title: 'HTTP/1.1 available', section: SECTIONS.proxy });
  if (http1?.status === 'fail' && http1.saw.startsWith('no HTTP answer')) return stopped('nothing answers HTTP at this address');
  await step(async () => (await checkHealth(target, options)).verdict, { id: 'health', title: '/health', section: SECTIONS.doctor });
  await step(() => checkReady(target, options), { id: 'ready', title: '/ready', section: SECTIONS.doctor });

  let inside: Promise<InsideResult> | undefined;
  const insideReport = () => {
    inside ??= fetchInside(target, options);
    return inside;
  };
  const paths = [...(options.providers.twilio ? [TELEPHONY_PATH] : []), ...(options.providers.maqsam ? [MAQSAM_PATH] : [])];
  for (const path of paths) await step(() => checkUpgradePath(target, path, options), { id: `ws${path}`, title: `upgrade to ${path}`, section: SECTIONS.proxy });
  if (options.providers.twilio) {
    const publicUrl = async () => {
      const result = await insideReport();
      return result.ok ? result.report.publicUrl : undefined;
    };
    await step(() => checkSignedUpgrade(target, options, publicUrl), { id: 'twilio.signed-upgrade', title: 'signed upgrade', section: SECTIONS.twilioNumber });
  }
  if (options.providers.maqsam) await step(() => checkMaqsamAuth(target, options), { id: 'maqsam.auth-upgrade', title: 'Maqsam Auth header', section: SECTIONS.maqsam });
  for (const path of paths) await step(() => checkRoundTrip(target, path, options), { id: 'stream.round-trip', title: `round trip on ${path}`, section: SECTIONS.diagnosticStreams });
  await step(() => checkUnbuffered(target, options), { id: 'stream.unbuffered', title: 'not buffered', section: SECTIONS.proxy });
  await step(() => checkHold(target, options), { id: 'stream.hold', title: 'stream held open', section: SECTIONS.drops });
  await step(() => checkBurst(target, options), { id: 'stream.burst', title: 'burst of upgrades', section: SECTIONS.proxy });

  await step(
    async () => {
      const result = await insideReport();
      return result.ok ? insideVerdicts(result.report, target) : result.verdict;
    },
    { id: 'inside', title: 'inside checks', section: SECTIONS.inside },
  );
  if (options.twilioNumbers) {
    await step(
      async () => {
        const result = await insideReport();
        const base = (result.ok ? result.report.publicUrl : null) ?? target.origin;
        return checkTwilioNumbers(options.twilioRest, base);
      },
      { id: 'twilio.numbers', title: 'phone numbers', section: SECTIONS.twilioNumber },
    );
  }
  return report(target, checks);
}

function report(target: Target, checks: DoctorCheck[]): DoctorReport {
  const counts: Record<CheckStatus, number> = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const check of checks) counts[check.status]++;
  return { url: target.origin, ok: counts.fail === 0, counts, checks };
}
