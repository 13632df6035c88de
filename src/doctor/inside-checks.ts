import type { DiagnosticsReport, InsideCheck } from '../diagnostics/report';
import { verdicts, type Verdict } from './check-kit';
import { describeError, jsonOf, request } from './http-client';
import { SECTIONS } from './sections';
import type { DoctorOptions, Target } from './types';

export type InsideResult = { ok: true; report: DiagnosticsReport } | { ok: false; verdict: Verdict };

const NEEDS_KEY = 'set BRIDGE_API_KEY (the bridge\'s admin key) in the doctor\'s environment';

/** GET /api/v1/diagnostics with the admin key: the bridge's own view of its dependencies. */
export async function fetchInside(target: Target, options: Pick<DoctorOptions, 'apiKey' | 'ca' | 'timeoutMs'>): Promise<InsideResult> {
  const v = verdicts('inside', 'inside checks (GET /api/v1/diagnostics)', SECTIONS.inside, 'GET /api/v1/diagnostics with BRIDGE_API_KEY');
  if (!options.apiKey) return { ok: false, verdict: v.skip('no BRIDGE_API_KEY: the bridge\'s own checks (recognition, voice, store, disk, clock, webhooks) were not run', NEEDS_KEY) };
  let answer: Awaited<ReturnType<typeof request>>;
  try {
    // The bridge gives each of its checks up to 5 s.
    answer = await request(target, '/api/v1/diagnostics', { ca: options.ca, timeoutMs: options.timeoutMs + 10_000, headers: { authorization: `Bearer ${options.apiKey}` } });
  } catch (error) {
    return { ok: false, verdict: v.fail(`no answer: ${describeError(error)}`, 'route /api/ to the bridge (see the nginx example)') };
  }
  const body = jsonOf(answer);
  if (answer.status === 200 && body && Array.isArray(body['checks'])) return { ok: true, report: body as unknown as DiagnosticsReport };
  const code = typeof body?.['error'] === 'string' ? body['error'] : undefined;
  if (code === 'api_key_invalid' || code === 'api_key_missing') return { ok: false, verdict: v.fail(`401 ${code}`, 'the doctor\'s BRIDGE_API_KEY is not the bridge\'s: use the same value') };
  if (code === 'api_disabled') return { ok: false, verdict: v.fail('404 api_disabled: the bridge has no BRIDGE_API_KEY', 'set BRIDGE_API_KEY on the bridge (required in production) and restart it') };
  if (code === 'scope_missing') return { ok: false, verdict: v.fail('403 scope_missing', 'use an admin key (BRIDGE_API_KEY, or a key with the admin scope)') };
  return { ok: false, verdict: v.fail(`answered ${answer.status}${code ? ` ${code}` : ''}`, 'route /api/ to the bridge, and check the bridge\'s log') };
}

const SECTION_OF: Record<string, string> = {
  'speech.key': SECTIONS.voice,
  'speech.model': SECTIONS.voice,
  voice: SECTIONS.configuration,
  store: SECTIONS.storage,
  disk: SECTIONS.storage,
  clock: SECTIONS.inside,
  webhooks: SECTIONS.webhooks,
};

/** Each of the bridge's checks as one of the doctor's lines; then PUBLIC_URL against the URL reached. */
export function insideVerdicts(report: DiagnosticsReport, target: Target): Verdict[] {
  const lines = report.checks.map((check: InsideCheck): Verdict => ({
    id: `inside.${check.id}`,
    title: check.title,
    status: check.status,
    tried: `the bridge (${report.instance}) checked it from where it runs`,
    saw: check.saw,
    ...(check.fix ? { fix: check.fix } : {}),
    section: SECTION_OF[check.id] ?? SECTIONS.inside,
  }));
  const v = verdicts('inside.public-url', 'PUBLIC_URL is the URL reached', SECTIONS.proxy, 'comparing the bridge\'s PUBLIC_URL with --url');
  if (report.publicUrl === null) {
    lines.push(target.local ? v.warn('PUBLIC_URL is not set: stream URLs and signatures follow each request\'s Host', 'set PUBLIC_URL to the public https:// URL before real calls') : v.fail('PUBLIC_URL is not set on the bridge', `set PUBLIC_URL=${target.origin} (signature checks and stream URLs must not depend on request headers)`));
  } else if (report.publicUrl === target.origin) {
    lines.push(v.pass(`PUBLIC_URL is ${report.publicUrl}`));
  } else if (target.local) {
    lines.push(v.warn(`PUBLIC_URL is ${report.publicUrl}; the doctor reached the bridge at ${target.origin}`, 'fine when that is its public name; run the doctor against it too'));
  } else {
    lines.push(v.fail(`PUBLIC_URL is ${report.publicUrl}, not ${target.origin}`, `set PUBLIC_URL=${target.origin} on the bridge (Twilio signs the URL it reaches), or run the doctor against ${report.publicUrl}`));
  }
  return lines;
}
