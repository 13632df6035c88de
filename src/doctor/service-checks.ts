import { SERVICE_NAME, VERSION } from '../version';
import { verdicts, type Verdict } from './check-kit';
import { describeError, jsonOf, request } from './http-client';
import { SECTIONS } from './sections';
import type { DoctorOptions, Target } from './types';

export interface BridgeIdentity {
  version: string;
  build: string;
}

/**
 * /health answers, and it is this bridge: the body names the service, its version and build. A
 * test server, a default page or another app behind the URL answers without them.
 */
export async function checkHealth(target: Target, options: Pick<DoctorOptions, 'timeoutMs' | 'ca'> & { expectBuild?: string }): Promise<{ verdict: Verdict; identity: BridgeIdentity | null }> {
  const v = verdicts('health', '/health answers and is this bridge', SECTIONS.doctor, 'GET /health');
  let answer: Awaited<ReturnType<typeof request>>;
  try {
    answer = await request(target, '/health', options);
  } catch (error) {
    return { verdict: v.fail(`no answer: ${describeError(error)}`, 'the bridge is not running or the proxy does not forward to it: check the process (docker compose ps) and the proxy\'s upstream'), identity: null };
  }
  const body = jsonOf(answer);
  if (answer.status === 502 || answer.status === 503 || answer.status === 504) {
    return { verdict: v.fail(`answered ${answer.status}`, 'the proxy cannot reach the bridge: check that it runs and that proxy_pass names its address and port (8080)'), identity: null };
  }
  if (answer.status !== 200 || body?.['status'] !== 'ok') {
    return { verdict: v.fail(`answered ${answer.status}${body ? '' : ' without JSON'}`, 'something else answers at this URL: route it to the bridge (GET /health answers {"status":"ok",…})'), identity: null };
  }
  const { service, version, build } = body;
  if (service !== SERVICE_NAME || typeof version !== 'string' || typeof build !== 'string') {
    return {
      verdict: v.fail(
        `answered {"status":"ok"} but not as the ${SERVICE_NAME}: no service, version and build in the body`,
        'a test server or another app is deployed instead of the bridge (or an old build without a build id): deploy the bridge (npm start, or the Docker image) behind this URL',
      ),
      identity: null,
    };
  }
  const identity = { version, build };
  if (options.expectBuild !== undefined && build !== options.expectBuild) {
    return { verdict: v.fail(`${SERVICE_NAME} ${version}, build ${build}; expected build ${options.expectBuild}`, 'the deployment still runs an older build: check the rollout (image tag, BUILD_ID) finished'), identity };
  }
  const note = build === 'dev' ? ' (a development build: set BUILD_ID when building to tell deployments apart)' : '';
  if (version !== VERSION) {
    return { verdict: v.warn(`${SERVICE_NAME} ${version}, build ${build}; this doctor is ${VERSION}`, 'the bridge runs another version than this checkout: an old deployment, or an old checkout here'), identity };
  }
  return { verdict: v.pass(`${SERVICE_NAME} ${version}, build ${build}${note}`), identity };
}

/** /ready is 200 and each component it lists is ok (a degraded one is a warning: calls still work). */
export async function checkReady(target: Target, options: Pick<DoctorOptions, 'timeoutMs' | 'ca'>): Promise<Verdict[]> {
  const v = verdicts('ready', '/ready', SECTIONS.doctor, 'GET /ready');
  let answer: Awaited<ReturnType<typeof request>>;
  try {
    answer = await request(target, '/ready', options);
  } catch (error) {
    return [v.fail(`no answer: ${describeError(error)}`, 'the bridge is not reachable: see the /health check')];
  }
  const body = jsonOf(answer);
  const phase = typeof body?.['status'] === 'string' ? body['status'] : undefined;
  const components = (typeof body?.['components'] === 'object' && body['components'] !== null ? body['components'] : {}) as Record<string, { status?: unknown; reason?: unknown }>;
  const out: Verdict[] = [];
  if (answer.status === 200 && phase === 'ready') out.push(v.pass('ready'));
  else if (phase === 'starting') out.push(v.fail('starting: the bridge is still rendering its prompts', 'wait a minute and run the doctor again; if it stays so, read the bridge\'s log for prompt rendering errors'));
  else if (phase === 'draining') out.push(v.fail('draining: the bridge is shutting down', 'a restart or deploy is in progress; if it stays so, the process is stuck: restart it'));
  else out.push(v.fail(`answered ${answer.status}${phase ? ` (${phase})` : ''}`, 'route /ready to the bridge (load balancers check it)'));
  for (const [name, component] of Object.entries(components)) {
    const c = verdicts(`ready.${name}`, `/ready component ${name}`, SECTIONS.doctor, 'reading /ready');
    if (component.status === 'ok') out.push(c.pass('ok'));
    else out.push(c.warn(`${String(component.status)}: ${String(component.reason ?? 'no reason given')}`, name === 'speech' ? 'see the inside checks of recognition below' : name === 'store' ? 'see the store check below; calls keep their answers in memory until it is back' : 'read the reason and the bridge\'s log'));
  }
  return out;
}
