import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Service } from 'kubernetes-models/v1/Service';
import { parseAllDocuments, parse as parseYaml } from 'yaml';
import { MAQSAM_PATH } from '../src/bridge';
import { placeCall } from '../src/cli/caller/twilio-caller';
import { loadConfig } from '../src/config';
import { FHIR_PREFIX } from '../src/api/fhir-routes';
import { API_PREFIX } from '../src/api/router';
import { CONSOLE_PREFIX } from '../src/console/routes';
import { STREAM_PATH } from '../src/telephony/twilio/webhook';
import { AUTH_TOKEN, type TestBridge, startBridge } from './helpers/bridge';
import { argsOf, composeUp, dependenciesOf, durationSeconds, locationFor, named, type NginxDirective, parseNginx, proxyHeaders } from './helpers/deploy-files';
import { freePort } from './helpers/free-port';

/**
 * The deployment files (Dockerfile, docker-compose.yml, deploy/**) against the code they deploy.
 * No Docker engine is needed: the files are parsed and cross-checked, the Prometheus files go
 * through promtool (Debian's prometheus package, which .ci/run installs), and the dashboard's
 * PromQL is checked against the /metrics of a real bridge that has carried one call. The compose
 * cluster's nginx configuration goes through `nginx -t` and then carries a call to a real bridge
 * (Debian's nginx package, which .ci/run installs); the Kubernetes manifests are validated against
 * the Kubernetes schemas that the kubernetes-models package compiles (offline).
 */
const ROOT = path.resolve(__dirname, '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

const havePromtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' }).status === 0;
// Without promtool these are skipped, and say why; .ci/run installs it.
const withPromtool = (name: string, fn: () => void) =>
  // Skipped only where promtool is missing (reason: it needs Debian's prometheus package).
  havePromtool ? test(name, fn) : test.skip(`${name} [skipped: promtool not found; install Debian's prometheus package, as .ci/run does]`, fn); // reason: needs promtool

// Debian installs nginx in /usr/sbin, which a non-root PATH may lack.
const NGINX = ['nginx', '/usr/sbin/nginx'].find((bin) => spawnSync(bin, ['-v'], { encoding: 'utf8' }).status === 0);
// Skipped only where nginx is missing (reason: it needs Debian's nginx package, which .ci/run installs).
const nginxSkipReason = "[skipped: nginx not found; install Debian's nginx package, as .ci/run does]";

// ---------------------------------------------------------------------------------------------
// Parsing helpers

type Json = Record<string, unknown>;

interface Target {
  expr: string;
  legendFormat?: string;
  datasource?: { type?: string; uid?: string };
}

interface Panel {
  id: number;
  type: string;
  title: string;
  description?: string;
  datasource?: { type?: string; uid?: string };
  gridPos?: { x: number; y: number; w: number; h: number };
  targets?: Target[];
  panels?: Panel[];
}

/** Every panel, including panels nested in collapsed rows. */
function allPanels(panels: Panel[]): Panel[] {
  return panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);
}

/** Metric families in a Prometheus text exposition, from its `# TYPE` lines. */
function families(exposition: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) out.set(m[1] as string, m[2] as string);
  return out;
}

// Aggregation operators and keywords: identifiers that are not metric names.
const PROMQL_WORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
  'and',
  'or',
  'unless',
  'sum',
  'min',
  'max',
  'avg',
  'group',
  'stddev',
  'stdvar',
  'count',
  'count_values',
  'bottomk',
  'topk',
  'quantile',
  'limitk',
  'limit_ratio',
  'atan2',
  'inf',
  'nan',
]);

/** A PromQL expression without string literals and Grafana variables ($__rate_interval, ${x}). */
function withoutLiterals(expr: string): string {
  return expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""').replace(/\$\{[^}]*\}|\$\w+/g, ' ');
}

/** The metric names an expression selects (functions, keywords, labels and durations left out). */
function metricNamesIn(expr: string): string[] {
  const bare = withoutLiterals(expr)
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/\[[^\]]*\]/g, ' ') // range and subquery selectors
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' '); // label lists
  const names = new Set<string>();
  // Not preceded by a name character or digit (so 1e3, 5m and 0.95 are not names).
  for (const m of bare.matchAll(/(?<![A-Za-z0-9_:.])[A-Za-z_:][A-Za-z0-9_:]*/g)) {
    const name = m[0];
    if (/^\s*\(/.test(bare.slice((m.index ?? 0) + name.length))) continue; // a function call
    if (PROMQL_WORDS.has(name.toLowerCase())) continue;
    names.add(name);
  }
  return [...names];
}

/** Label names an expression and its legend refer to: by/without lists, matchers, {{legend}}. */
function labelNamesIn(expr: string, legendFormat = ''): string[] {
  const bare = withoutLiterals(expr);
  const labels = new Set<string>();
  for (const m of bare.matchAll(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g)) {
    for (const l of (m[1] as string).split(',')) if (l.trim()) labels.add(l.trim());
  }
  for (const m of bare.matchAll(/\{([^}]*)\}/g)) {
    for (const matcher of (m[1] as string).matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*(?:=~|!~|!=|=)/g)) labels.add(matcher[1] as string);
  }
  for (const m of legendFormat.matchAll(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g)) labels.add(m[1] as string);
  return [...labels];
}

/**
 * The family a sample name belongs to: itself, or for `_bucket`/`_sum`/`_count` the histogram
 * (or summary, for `_sum`/`_count`) it is a series of. Undefined when there is none.
 */
function familyOf(name: string, known: Map<string, string>): { family: string; bucket: boolean } | undefined {
  if (known.has(name)) return { family: name, bucket: false };
  const m = /^(.+)_(bucket|sum|count)$/.exec(name);
  if (!m) return undefined;
  const [, base, suffix] = m as unknown as [string, string, string];
  const type = known.get(base);
  if (type === 'histogram' || (type === 'summary' && suffix !== 'bucket')) return { family: base, bucket: suffix === 'bucket' };
  return undefined;
}

// Series Prometheus makes itself for every scrape target: not in any /metrics output.
const SCRAPE_SERIES = new Map<string, string[]>([['up', []]]);
// Labels Prometheus attaches to every scraped series.
const TARGET_LABELS = ['job', 'instance'];

interface Instruction {
  keyword: string;
  args: string;
}

/** Dockerfile instructions, with line continuations joined and comments dropped. */
function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending = '';
  for (const line of text.split('\n')) {
    if (/^\s*#/.test(line)) continue; // comments, also inside a continued instruction
    if (/\\\s*$/.test(line)) {
      pending += `${line.replace(/\\\s*$/, '')} `;
      continue;
    }
    const whole = `${pending}${line}`.trim();
    pending = '';
    if (!whole) continue;
    const m = /^(\S+)\s*([\s\S]*)$/.exec(whole) as RegExpExecArray;
    out.push({ keyword: (m[1] as string).toUpperCase(), args: (m[2] as string).trim() });
  }
  return out;
}

interface Stage {
  image: string;
  name: string | undefined;
  instructions: Instruction[];
}

function stagesOf(instructions: Instruction[]): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      const m = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args);
      if (!m) throw new Error(`cannot read FROM ${instruction.args}`);
      stages.push({ image: m[1] as string, name: m[2], instructions: [] });
    } else if (stages.length > 0) {
      (stages[stages.length - 1] as Stage).instructions.push(instruction);
    }
  }
  return stages;
}

/** KEY=value pairs of ENV instructions (and the legacy `ENV KEY value` form). */
function envOf(stage: Stage): Map<string, string> {
  const env = new Map<string, string>();
  for (const { args } of stage.instructions.filter((i) => i.keyword === 'ENV')) {
    if (!/^\S+=/.test(args)) {
      const [key, ...rest] = args.split(/\s+/);
      env.set(key as string, rest.join(' '));
      continue;
    }
    for (const m of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)/g)) env.set(m[1] as string, (m[2] as string).replace(/^"|"$/g, ''));
  }
  return env;
}

/** Shell words or the JSON array of an exec-form instruction. */
function words(args: string): string[] {
  return args.startsWith('[') ? (JSON.parse(args) as string[]) : args.split(/\s+/).filter(Boolean);
}

interface Copy {
  from: string | undefined;
  sources: string[];
  dest: string;
}

function copiesOf(stage: Stage): Copy[] {
  return stage.instructions
    .filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD')
    .map((i) => {
      const parts = words(i.args);
      const flags = parts.filter((p) => p.startsWith('--'));
      const paths = parts.filter((p) => !p.startsWith('--'));
      const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
      return { from, sources: paths.slice(0, -1), dest: paths[paths.length - 1] as string };
    });
}

/** Whether .dockerignore keeps `file` out of the build context (plain names, *, ** and !). */
function ignoredByDockerignore(file: string, patterns: string[]): boolean {
  let ignored = false;
  for (const raw of patterns) {
    const negate = raw.startsWith('!');
    const pattern = (negate ? raw.slice(1) : raw).replace(/^\/+|\/+$/g, '');
    const regex = new RegExp(
      `^${pattern
        .split('**')
        .map((part) => part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]'))
        .join('.*')}(/.*)?$`,
    );
    if (regex.test(file)) ignored = !negate;
  }
  return ignored;
}

// ---------------------------------------------------------------------------------------------
// The files

const dashboard = JSON.parse(read('deploy/grafana/dashboards/bridge.json')) as Json & { panels: Panel[]; uid: string; title: string };
const panels = allPanels(dashboard.panels);
const graphPanels = panels.filter((p) => p.type !== 'row');
const targets = graphPanels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p, target: t })));

const datasourceProvisioning = parseYaml(read('deploy/grafana/provisioning/datasources/prometheus.yml')) as {
  datasources: Array<{ name: string; uid: string; type: string; url: string; jsonData?: { timeInterval?: string } }>;
};
const dashboardProvisioning = parseYaml(read('deploy/grafana/provisioning/dashboards/dashboards.yml')) as {
  providers: Array<{ type: string; options: { path: string } }>;
};
const prometheusConfig = parseYaml(read('deploy/prometheus/prometheus.yml')) as {
  scrape_configs: Array<{ job_name: string; scrape_interval?: string; metrics_path?: string; static_configs: Array<{ targets: string[] }> }>;
};

interface ComposeService {
  build?: string | { context?: string; dockerfile?: string };
  image?: string;
  env_file?: string | string[];
  environment?: Record<string, string> | string[];
  ports?: string[];
  volumes?: string[];
  command?: string[];
  profiles?: string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  stop_grace_period?: string;
  healthcheck?: { test?: string[] | string };
  networks?: Record<string, { aliases?: string[] } | null> | string[];
}
const compose = parseYaml(read('docker-compose.yml')) as { services: Record<string, ComposeService>; volumes?: Record<string, unknown> };

/** Short-syntax volume entries: [source, target]. */
function mounts(service: ComposeService): Array<{ source: string; target: string; bind: boolean }> {
  return (service.volumes ?? []).map((entry) => {
    const [source, target] = entry.split(':') as [string, string];
    return { source, target, bind: source.startsWith('.') || source.startsWith('/') };
  });
}

function environmentOf(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (!Array.isArray(env)) return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]));
  return Object.fromEntries(env.map((e) => [e.split('=')[0] as string, e.split('=').slice(1).join('=')]));
}

const PROVISIONED_UID = datasourceProvisioning.datasources[0]?.uid;

/** deploy/bridge.env.example's KEY=value lines. */
function envExample(): Record<string, string> {
  return Object.fromEntries(
    read('deploy/bridge.env.example')
      .split('\n')
      .filter((l) => /^[A-Z_][A-Z0-9_]*=/.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

// Stand-ins for the secrets an operator fills in (blank in the example, never in the repository).
const SECRETS = { TWILIO_AUTH_TOKEN: 'twilio-auth-token-0123456789', MAQSAM_TOKEN: 'maqsam-token-0123456789abcdef', BRIDGE_API_KEY: 'bridge-api-key-0123456789abcdef0123456789' };

// ---------------------------------------------------------------------------------------------
// (a) Prometheus

describe('Prometheus configuration', () => {
  withPromtool('passes promtool check config', () => {
    const out = spawnSync('promtool', ['check', 'config', path.join(ROOT, 'deploy/prometheus/prometheus.yml')], { encoding: 'utf8' });
    expect({ status: out.status, output: `${out.stdout}${out.stderr}` }).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
  });

  test('scrapes the compose service bridge:8080/metrics every 5 s', () => {
    const job = prometheusConfig.scrape_configs.find((c) => c.job_name === 'bridge');
    expect(job).toBeDefined();
    expect(job?.scrape_interval).toBe('5s');
    expect(job?.metrics_path ?? '/metrics').toBe('/metrics');
    expect(job?.static_configs.flatMap((c) => c.targets)).toEqual(['bridge:8080']);
  });

  withPromtool('every dashboard expression is valid PromQL (promtool check rules)', () => {
    // Grafana's variables are replaced by durations, then each expression becomes a recording rule.
    const rules = targets.map(({ panel, target }, i) => ({
      record: `dashboard:panel_${panel.id}_${i}`,
      expr: target.expr.replace(/\$__rate_interval|\$__interval|\$__range/g, '1m'),
    }));
    const dir = mkdtempSync(path.join(tmpdir(), 'dashboard-rules-'));
    try {
      const file = path.join(dir, 'rules.yml');
      writeFileSync(file, JSON.stringify({ groups: [{ name: 'dashboard', rules }] }));
      const out = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
      expect({ status: out.status, output: `${out.stdout}${out.stderr}` }).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// (b) The dashboard against a real bridge's /metrics

describe('Grafana dashboard', () => {
  let t: TestBridge;
  let exposition = '';
  let known = new Map<string, string>();

  beforeAll(async () => {
    t = await startBridge();
    // One keypad call (consent, then chest pain: an emergency red flag) fills the labelled series.
    await placeCall({ baseUrl: t.base, questionnaire: 'post-discharge', authToken: AUTH_TOKEN, dtmf: ['1', '1', '1'] });
    exposition = await (await fetch(`${t.base}/metrics`)).text();
    known = families(exposition);
  }, 30_000);
  afterAll(() => t?.close());

  test('the scrape comes from a bridge that carried a call', () => {
    expect(exposition).toMatch(/^bridge_calls_total\{provider="twilio",status="\w+"\} 1$/m);
    expect(exposition).toMatch(/^bridge_reply_latency_seconds_bucket\{le="\+Inf",provider="twilio",input="dtmf"\} \d+$/m);
  });

  test('the extractor finds metric names and nothing else', () => {
    expect(
      metricNamesIn('histogram_quantile(0.95, sum by (le, provider) (rate(bridge_reply_latency_seconds_bucket{input="dtmf"}[$__rate_interval])))'),
    ).toEqual(['bridge_reply_latency_seconds_bucket']);
    expect(metricNamesIn('60 * sum without (instance) (increase(a_total[5m] offset 1h)) / on (job) group_left b or vector(1e3)')).toEqual(['a_total', 'b']);
    expect(familyOf('bridge_tts_seconds_count', known)).toEqual({ family: 'bridge_tts_seconds', bucket: false });
    expect(familyOf('bridge_calls_total_count', known)).toBeUndefined(); // a counter has no _count series
    expect(familyOf('bridge_calls_totl', known)).toBeUndefined();
  });

  test('every metric in every expression is exported by the bridge', () => {
    const missing: string[] = [];
    for (const { panel, target } of targets) {
      const names = metricNamesIn(target.expr);
      if (names.length === 0) missing.push(`"${panel.title}": no metric in ${target.expr}`);
      for (const name of names) {
        if (SCRAPE_SERIES.has(name)) continue;
        if (!familyOf(name, known)) missing.push(`"${panel.title}": ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  test('every label in by(), matchers and legends exists on the metrics the expression uses', () => {
    const wrong: string[] = [];
    for (const { panel, target } of targets) {
      const allowed = new Set(TARGET_LABELS);
      for (const name of metricNamesIn(target.expr)) {
        const scrape = SCRAPE_SERIES.get(name);
        if (scrape) {
          for (const l of scrape) allowed.add(l);
          continue;
        }
        const family = familyOf(name, known);
        if (!family) continue; // reported by the test above
        if (family.bucket) allowed.add('le');
        const metric = t.bridge.metrics.registry.getSingleMetric(family.family) as unknown as { labelNames?: readonly string[] } | undefined;
        for (const l of metric?.labelNames ?? []) allowed.add(l);
      }
      for (const label of labelNamesIn(target.expr, target.legendFormat)) {
        if (!allowed.has(label)) wrong.push(`"${panel.title}": label ${label} in ${target.expr}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  test('covers the panels operators need', () => {
    const used = new Set(targets.flatMap(({ target }) => metricNamesIn(target.expr).map((n) => familyOf(n, known)?.family ?? n)));
    for (const family of [
      'bridge_calls_active',
      'bridge_calls_total',
      'bridge_reply_latency_seconds',
      'bridge_stt_final_latency_seconds',
      'bridge_stt_reconnects_total',
      'bridge_stt_degraded_calls_total',
      'bridge_playout_lateness_seconds',
      'nodejs_eventloop_lag_p99_seconds',
      'bridge_ws_messages_rejected_total',
      'bridge_barge_ins_total',
      'bridge_tts_seconds',
      'bridge_red_flags_total',
      'bridge_webhook_requests_total',
    ]) {
      expect([family, used.has(family)]).toEqual([family, true]);
    }
  });

  test('every panel says what it means and what to do; ids are unique; layout fits', () => {
    for (const panel of graphPanels) {
      expect([panel.title, (panel.description ?? '').length > 80]).toEqual([panel.title, true]);
      expect([panel.title, (panel.targets ?? []).length > 0 && (panel.targets ?? []).every((t) => t.expr.trim() !== '')]).toEqual([panel.title, true]);
    }
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of panels) {
      const pos = panel.gridPos as NonNullable<Panel['gridPos']>;
      expect([panel.title, pos.x >= 0 && pos.w > 0 && pos.x + pos.w <= 24]).toEqual([panel.title, true]);
    }
    expect(dashboard.uid).toMatch(/^[a-zA-Z0-9_-]{1,40}$/);
  });

  test('every panel and query uses the provisioned Prometheus datasource by uid', () => {
    expect(datasourceProvisioning.datasources).toHaveLength(1);
    expect(datasourceProvisioning.datasources[0]).toMatchObject({ type: 'prometheus', uid: expect.any(String) });
    for (const panel of graphPanels) expect([panel.title, panel.datasource]).toEqual([panel.title, { type: 'prometheus', uid: PROVISIONED_UID }]);
    for (const { panel, target } of targets) expect([panel.title, target.datasource?.uid ?? PROVISIONED_UID]).toEqual([panel.title, PROVISIONED_UID]);
  });
});

// ---------------------------------------------------------------------------------------------
// (c) Dockerfile, .dockerignore, docker-compose.yml

describe('Dockerfile', () => {
  const instructions = parseDockerfile(read('Dockerfile'));
  const stages = stagesOf(instructions);
  const runtime = stages[stages.length - 1] as Stage;
  const runtimeCopies = copiesOf(runtime);
  const runtimeEnv = envOf(runtime);
  const only = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword);
  const last = (stage: Stage, keyword: string) => only(stage, keyword).at(-1)?.args;

  test('is multi-stage, with a slim Node 20 runtime', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(runtime.image).toMatch(/^node:20(\.\d+)*-(bookworm-|bullseye-)?slim(@sha256:[0-9a-f]{64})?$/);
  });

  test('builds with npm ci and npm run build, then prunes dev dependencies before the runtime copies node_modules', () => {
    const modules = runtimeCopies.find((c) => c.sources.some((s) => /(^|\/)node_modules\/?$/.test(s)));
    expect(modules?.from).toBeDefined(); // from the build stage, never from the build context
    const build = stages.find((s) => s.name === modules?.from) as Stage;
    expect(build).toBeDefined();
    const runs = only(build, 'RUN').map((i) => i.args);
    const at = (pattern: RegExp) => runs.findIndex((r) => pattern.test(r));
    const position = (pattern: RegExp) => {
      const i = at(pattern);
      return i < 0 ? -1 : i * 1000 + (runs[i] as string).search(pattern);
    };
    const ci = position(/\bnpm ci\b/);
    const compile = position(/\bnpm run build\b/);
    const prune = position(/\bnpm prune\b[^&;]*--omit=dev/);
    expect([ci >= 0, compile > ci, prune > compile]).toEqual([true, true, true]);
    // Nothing installs again after the prune.
    const afterPrune = runs.slice(at(/\bnpm prune\b/) + 1).join('\n');
    expect(afterPrune).not.toMatch(/\bnpm (ci|install|i)\b/);
    // The runtime stage installs nothing itself unless it omits dev dependencies.
    for (const run of only(runtime, 'RUN').map((i) => i.args)) {
      if (/\bnpm (ci|install|i)\b/.test(run)) expect(run).toMatch(/--omit=dev|--production/);
    }
  });

  test('the runtime gets dist, production node_modules, questionnaires and package.json, and no sources or tests', () => {
    const fromBuild = runtimeCopies.filter((c) => c.from !== undefined).flatMap((c) => c.sources.map((s) => s.replace(/^\/app\//, '')));
    expect(fromBuild).toEqual(expect.arrayContaining(['dist', 'node_modules', 'package.json']));
    const fromContext = runtimeCopies.filter((c) => c.from === undefined).flatMap((c) => c.sources);
    expect(fromContext).toContain('questionnaires');
    for (const source of [...fromBuild, ...fromContext]) expect(source).not.toMatch(/^(src|test|bench|fixtures)(\/|$)|^\.$/);
    expect(words(last(runtime, 'CMD') ?? '')).toEqual(['node', 'dist/main.js']);
    expect(words(last(runtime, 'EXPOSE') ?? '')).toContain('8080');
  });

  test('runs as a non-root user that owns the data volume', () => {
    const user = last(runtime, 'USER');
    expect(user).toBeDefined();
    const [name] = (user as string).split(':') as [string];
    expect(name).not.toMatch(/^(root|0)$/);
    const runs = only(runtime, 'RUN')
      .map((i) => i.args)
      .join('\n');
    if (/^\d+$/.test(name)) expect(runs).toMatch(new RegExp(`--uid ${name}\\b|-u ${name}\\b`));
    else if (name !== 'node') expect(runs).toMatch(new RegExp(`useradd[^\\n]*\\b${name}\\b|adduser[^\\n]*\\b${name}\\b`));
    // A named volume takes the ownership of the image's directory: it must belong to the user.
    expect(runs).toMatch(/chown\s+(-R\s+)?\S+\s+\/data\b/);
  });

  test('keeps its data under a VOLUME at DATA_DIR, in production mode', () => {
    expect(runtimeEnv.get('DATA_DIR')).toBe('/data');
    expect(runtimeEnv.get('NODE_ENV')).toBe('production');
    expect(only(runtime, 'VOLUME').flatMap((i) => words(i.args))).toContain(runtimeEnv.get('DATA_DIR'));
  });

  test('checks its health on /health with Node itself (slim images have no curl)', () => {
    const check = last(runtime, 'HEALTHCHECK') ?? '';
    expect(check).toMatch(/\bCMD\b/);
    expect(check).toContain('/health');
    expect(check).not.toMatch(/\b(curl|wget)\b/);
    const command = words(check.slice(check.search(/\bCMD\b/) + 3).trim());
    expect(command[0]).toBe('node');
  });

  test('copies from the build context only files that exist and .dockerignore keeps', () => {
    const ignore = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const must of ['node_modules', 'dist', 'data', '.git', '.env', 'coverage', '.scratch']) {
      expect([must, ignoredByDockerignore(must, ignore)]).toEqual([must, true]);
    }
    for (const stage of stages) {
      for (const copy of copiesOf(stage).filter((c) => c.from === undefined)) {
        for (const source of copy.sources) {
          expect([source, existsSync(path.join(ROOT, source))]).toEqual([source, true]);
          expect([source, ignoredByDockerignore(source, ignore)]).toEqual([source, false]);
        }
      }
    }
    // What `npm run build` reads must be in the build stage.
    const buildSources = stages.slice(0, -1).flatMap((s) => copiesOf(s).flatMap((c) => c.sources));
    expect(buildSources).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src']));
    // The worker the build copies into dist/ exists in src/.
    expect(existsSync(path.join(ROOT, 'src/speech/espeak/espeak-worker.mjs'))).toBe(true);
  });
});

describe('docker-compose.yml', () => {
  const services = compose.services;

  test('has the bridge, Prometheus and Grafana', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['bridge', 'prometheus', 'grafana']));
    expect(services['prometheus']?.image).toMatch(/^(docker\.io\/)?prom\/prometheus:v\d/);
    expect(services['grafana']?.image).toMatch(/^(docker\.io\/)?grafana\/grafana(-oss)?:\d/);
  });

  test('builds the bridge from this Dockerfile, with its data on a volume and port 8080', () => {
    const bridge = services['bridge'] as ComposeService;
    const context = typeof bridge.build === 'string' ? bridge.build : (bridge.build?.context ?? '.');
    expect(existsSync(path.join(ROOT, context, 'Dockerfile'))).toBe(true);
    const env = environmentOf(bridge);
    expect(env['NODE_ENV']).toBe('production');
    const dataDir = env['DATA_DIR'] ?? '/data';
    expect(dataDir).toBe('/data');
    expect(mounts(bridge).some((m) => m.target === dataDir)).toBe(true);
    expect(bridge.ports).toContain(`127.0.0.1:8080:${env['PORT'] ?? '8080'}`);
    expect([bridge.env_file].flat()).toContain('.env');
  });

  test('every mounted path exists; named volumes are declared', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const m of mounts(service)) {
        if (m.bind) expect([name, m.source, existsSync(path.join(ROOT, m.source))]).toEqual([name, m.source, true]);
        else expect([name, m.source, m.source in (compose.volumes ?? {})]).toEqual([name, m.source, true]);
      }
    }
  });

  test('Prometheus gets deploy/prometheus/prometheus.yml where it reads its config', () => {
    const prometheus = services['prometheus'] as ComposeService;
    const configFile = (prometheus.command ?? []).find((a) => a.startsWith('--config.file='))?.slice('--config.file='.length) ?? '/etc/prometheus/prometheus.yml';
    const mount = mounts(prometheus).find((m) => m.target === configFile);
    expect(mount && path.normalize(mount.source)).toBe(path.normalize('./deploy/prometheus/prometheus.yml'));
  });

  test('Grafana gets the provisioning files, and the dashboard provider path holds bridge.json', () => {
    const grafana = services['grafana'] as ComposeService;
    const grafanaMounts = mounts(grafana);
    const hostPathOf = (containerPath: string) => {
      const m = grafanaMounts.filter((x) => x.bind && (containerPath === x.target || containerPath.startsWith(`${x.target}/`))).sort((a, b) => b.target.length - a.target.length)[0];
      return m && path.join(ROOT, m.source, path.relative(m.target, containerPath));
    };
    expect(hostPathOf('/etc/grafana/provisioning/datasources/prometheus.yml')).toBe(path.join(ROOT, 'deploy/grafana/provisioning/datasources/prometheus.yml'));
    expect(hostPathOf('/etc/grafana/provisioning/dashboards/dashboards.yml')).toBe(path.join(ROOT, 'deploy/grafana/provisioning/dashboards/dashboards.yml'));
    const provider = dashboardProvisioning.providers.find((p) => p.type === 'file');
    const dashboards = hostPathOf(provider?.options.path ?? '/nowhere');
    expect(dashboards).toBe(path.join(ROOT, 'deploy/grafana/dashboards'));
    expect(statSync(path.join(dashboards as string, 'bridge.json')).isFile()).toBe(true);
    const home = environmentOf(grafana)['GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH'];
    if (home) expect(hostPathOf(home)).toBe(path.join(ROOT, 'deploy/grafana/dashboards/bridge.json'));
  });

  test('the datasource points at the prometheus service, at the bridge scrape interval', () => {
    const ds = datasourceProvisioning.datasources[0];
    expect(ds?.url).toBe('http://prometheus:9090');
    expect(ds?.jsonData?.timeInterval).toBe('5s');
  });

  test('deploy/bridge.env.example, with the compose overrides and the tokens filled in, is a valid production configuration', () => {
    const example = envExample();
    // Every variable is one the bridge reads (or the compose file's own).
    const known = new Set([...read('src/config.ts').matchAll(/^\s+([A-Z][A-Z0-9_]+): z\b/gm)].map((m) => m[1] as string));
    const composeVars = new Set([...read('docker-compose.yml').matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1] as string));
    for (const name of Object.keys(example)) expect([name, known.has(name) || composeVars.has(name)]).toEqual([name, true]);
    for (const name of composeVars) expect([name, name in example]).toEqual([name, true]);
    // The secrets are left blank in the example; an operator fills them in.
    const env = { ...example, ...Object.fromEntries(Object.entries(SECRETS).filter(([k]) => k in example)), ...environmentOf(services['bridge'] as ComposeService) };
    expect(() => loadConfig(env)).not.toThrow();
    expect(loadConfig(env).nodeEnv).toBe('production');
  });
});

// ---------------------------------------------------------------------------------------------
// The docs stand on their own, and the compose file does what the README says

/** Every file in docs/ (recursively), as paths relative to the repository. */
function docsFiles(): string[] {
  const dir = path.join(ROOT, 'docs');
  if (!existsSync(dir)) return [];
  return (readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[]).map((f) => path.join('docs', f)).filter((f) => statSync(path.join(ROOT, f)).isFile());
}

/** GitHub's heading anchors: lowercase, punctuation dropped, spaces to hyphens. */
function anchorsOf(markdown: string): Set<string> {
  const out = new Set<string>();
  for (const m of markdown.matchAll(/^#{1,6} (.+)$/gm)) {
    out.add((m[1] as string).trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-'));
  }
  return out;
}

// What an operator reads besides the docs: the files that deploy the bridge.
const DEPLOY_FILES = [
  'Dockerfile',
  'docker-compose.yml',
  'deploy/bridge.env.example',
  'deploy/grafana/dashboards/bridge.json',
  'deploy/prometheus/cluster.yml',
  'deploy/nginx/cluster.conf',
  ...readdirSync(path.join(ROOT, 'deploy/kubernetes')).map((f) => `deploy/kubernetes/${f}`),
];

describe('documentation', () => {
  const markdown = ['README.md', ...docsFiles().filter((f) => f.endsWith('.md'))];

  test('nothing refers to ../shared or its DESIGN.md: a clone has only this repository', () => {
    for (const file of [...markdown, ...DEPLOY_FILES]) {
      expect([file, read(file).includes('../shared'), read(file).includes('DESIGN.md')]).toEqual([file, false, false]);
    }
  });

  test('every local link in README and docs/ resolves to a file (and heading) in the repository', () => {
    for (const file of markdown) {
      const text = read(file);
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1] as string;
        if (/^[a-z]+:/i.test(target)) continue; // https:, mailto:
        const [pathPart, anchor] = target.split('#') as [string, string | undefined];
        const resolved = pathPart === '' ? path.join(ROOT, file) : path.resolve(path.dirname(path.join(ROOT, file)), pathPart);
        expect([file, target, resolved.startsWith(`${ROOT}${path.sep}`) && existsSync(resolved)]).toEqual([file, target, true]);
        if (anchor && resolved.endsWith('.md')) expect([file, target, anchorsOf(readFileSync(resolved, 'utf8')).has(anchor)]).toEqual([file, target, true]);
      }
      // Documents named in code spans (`docs/x.md`) count as links too.
      for (const m of text.matchAll(/`([^`\s]+\.md)`/g)) {
        const resolved = path.resolve(path.dirname(path.join(ROOT, file)), m[1] as string);
        expect([file, m[1], resolved.startsWith(`${ROOT}${path.sep}`) && existsSync(resolved)]).toEqual([file, m[1], true]);
      }
    }
  });

  test('every document the Dockerfile, compose file and deploy/ files cite exists', () => {
    for (const file of DEPLOY_FILES) {
      for (const m of read(file).matchAll(/(?:\.\.\/)*[\w.-]+(?:\/[\w.-]+)*\.md\b/g)) {
        expect([file, m[0], existsSync(path.join(ROOT, m[0]))]).toEqual([file, m[0], true]);
      }
    }
  });
});

describe('docker-compose.yml keeps /metrics internal and loads the clinic\'s questionnaires', () => {
  const bridge = compose.services['bridge'] as ComposeService;

  test('the bridge is published on the loopback interface only (the TLS proxy on the host reaches it)', () => {
    expect(bridge.ports?.length).toBeGreaterThan(0);
    for (const port of bridge.ports ?? []) expect(port).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
  });

  test('a questionnaires directory is mounted read-only where QUESTIONNAIRES_DIR points', () => {
    const dir = environmentOf(bridge)['QUESTIONNAIRES_DIR'];
    expect(dir).toBeDefined();
    const entry = (bridge.volumes ?? []).find((v) => v.split(':')[1] === dir);
    expect(entry).toBeDefined();
    const [source, , mode] = (entry as string).split(':');
    expect(mode).toBe('ro');
    expect(statSync(path.join(ROOT, source as string)).isDirectory()).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// (d) docker-compose.yml's cluster profile: two bridges on one Postgres, behind nginx

const CLUSTER = 'cluster';
const allServices = compose.services;
const serviceOf = (name: string) => allServices[name] as ComposeService;
const BRIDGE_IMAGE = serviceOf('bridge').image;
const isBridge = (name: string) => serviceOf(name).image === BRIDGE_IMAGE;
const clusterServices = Object.keys(allServices).filter((name) => serviceOf(name).profiles?.includes(CLUSTER));
const clusterBridges = clusterServices.filter(isBridge);
const clusterService = (image: RegExp) => clusterServices.find((name) => image.test(serviceOf(name).image ?? '')) as string;
const portOf = (name: string) => environmentOf(serviceOf(name))['PORT'] ?? '8080';
const README = read('README.md');

/** The bridge's drain on SIGTERM, from main.ts (`bridge.close(30_000)`), in seconds. */
const DRAIN_SECONDS = (() => {
  const m = /\bbridge\s*\.close\(\s*([\d_]+)\s*\)/.exec(read('src/main.ts'));
  if (!m) throw new Error('src/main.ts: no bridge.close(<ms>) to read the drain from');
  return Number((m[1] as string).replace(/_/g, '')) / 1000;
})();
// Beyond the drain: the last writes, closing the server, the exit. 30 s + 15 s = the README's 45 s.
const STOP_MARGIN_SECONDS = 15;

/** The README's command that starts the cluster (`docker compose --profile cluster up … targets`). */
function readmeClusterCommand(): { profiles: string[]; targets: string[] } {
  const line = README.split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .find((l) => /^docker compose\b.*--profile cluster\b.*\sup\b/.test(l));
  if (!line) throw new Error('README.md shows no `docker compose --profile cluster up …` command');
  const words = line.split(/\s+/);
  const profiles = words.flatMap((w, i) => (w === '--profile' ? [words[i + 1] as string] : []));
  const targets = words.slice(words.indexOf('up') + 1).filter((w) => !w.startsWith('-'));
  return { profiles, targets };
}

/** Host side (`address:port`) of each published port of these services. */
const hostPorts = (names: string[]) => names.flatMap((name) => (serviceOf(name).ports ?? []).map((p) => p.split(':').slice(0, -1).join(':')));

/** The one `${VAR…}` a compose value takes from the environment, by name. */
const variableIn = (value: string | undefined) => /\$\{([A-Z_][A-Z0-9_]*)/.exec(value ?? '')?.[1];

describe('docker-compose.yml: plain and cluster modes', () => {
  test('plain `docker compose up` starts exactly the bridge, Prometheus and Grafana: none of them in a profile, nothing of the cluster', () => {
    expect(composeUp(allServices, [])).toEqual(['bridge', 'prometheus', 'grafana']);
    for (const name of ['bridge', 'prometheus', 'grafana']) expect([name, serviceOf(name).profiles]).toEqual([name, undefined]);
    // Every service is either one of those or in the cluster profile.
    expect(Object.keys(allServices).sort()).toEqual(['bridge', 'prometheus', 'grafana', ...clusterServices].sort());
  });

  test('the cluster profile has Postgres (official image, a volume, a health check), two or more bridges, nginx, Prometheus and Grafana', () => {
    expect(clusterBridges.length).toBeGreaterThanOrEqual(2);
    expect(clusterServices).toEqual(expect.arrayContaining(['postgres', 'bridge-1', 'bridge-2', 'nginx']));
    const postgres = serviceOf('postgres');
    expect(postgres.image).toMatch(/^(docker\.io\/)?(library\/)?postgres:\d+/);
    expect(mounts(postgres)).toContainEqual({ source: expect.stringMatching(/^[\w-]+$/), target: '/var/lib/postgresql/data', bind: false });
    expect([postgres.healthcheck?.test].flat().join(' ')).toContain('pg_isready');
    expect(postgres.ports).toBeUndefined(); // only the bridges reach it
    expect(clusterService(/^(docker\.io\/)?prom\/prometheus:v\d/)).toBeDefined();
    expect(clusterService(/^(docker\.io\/)?grafana\/grafana(-oss)?:\d/)).toBeDefined();
  });

  test("the README's start command brings up the whole cluster and no embedded-database bridge", () => {
    const { profiles, targets } = readmeClusterCommand();
    const started = composeUp(allServices, profiles, targets);
    expect([...started].sort()).toEqual([...clusterServices].sort());
    for (const name of started.filter(isBridge)) expect([name, environmentOf(serviceOf(name))['DATABASE_URL']]).toEqual([name, expect.stringMatching(/^postgres(ql)?:\/\//)]);
  });

  test('each mode publishes the same loopback ports once; a bare `--profile cluster up` claims each of them twice (README)', () => {
    const { profiles, targets } = readmeClusterCommand();
    const plain = hostPorts(composeUp(allServices, []));
    const cluster = hostPorts(composeUp(allServices, profiles, targets));
    expect(new Set(plain).size).toBe(plain.length);
    expect(new Set(cluster).size).toBe(cluster.length);
    // The proxy on the host needs no change between modes, and the two cannot run side by side.
    expect([...cluster].sort()).toEqual([...plain].sort());
    for (const port of cluster) expect(port).toMatch(/^127\.0\.0\.1:\d+$/);
    const bare = hostPorts(composeUp(allServices, [CLUSTER]));
    for (const port of plain) expect([port, bare.filter((p) => p === port).length]).toEqual([port, 2]);
    expect(README).toContain('port is already allocated');
  });

  test('every bridge waits the drain out; each cluster bridge: DATABASE_URL to the Postgres service, a distinct INSTANCE_ID, its own /data volume', () => {
    for (const name of Object.keys(allServices).filter(isBridge)) {
      expect([name, durationSeconds(serviceOf(name).stop_grace_period) >= DRAIN_SECONDS + STOP_MARGIN_SECONDS]).toEqual([name, true]);
    }
    const postgresEnv = environmentOf(serviceOf('postgres'));
    const ids: string[] = [];
    const dataVolumes = [mounts(serviceOf('bridge')).find((m) => m.target === '/data')?.source];
    const example = envExample();
    for (const name of clusterBridges) {
      const service = serviceOf(name);
      const env = environmentOf(service);
      const rawUrl = env['DATABASE_URL'] ?? '';
      const url = new URL(rawUrl.replace(/\$\{[^}]*\}/g, 'secret'));
      expect([name, url.protocol, url.hostname, url.port || '5432']).toEqual([name, 'postgres:', 'postgres', '5432']);
      expect([name, url.username, url.pathname]).toEqual([name, postgresEnv['POSTGRES_USER'], `/${postgresEnv['POSTGRES_DB']}`]);
      // The password in the URL is the one Postgres is initialised with.
      expect([name, variableIn(rawUrl)]).toEqual([name, variableIn(postgresEnv['POSTGRES_PASSWORD'])]);
      expect([name, (service.depends_on as Record<string, { condition?: string }>)?.['postgres']?.condition]).toEqual([name, 'service_healthy']);
      expect([name, service.ports]).toEqual([name, undefined]); // nginx is the only way in, /metrics stays internal
      // The bridge accepts this environment (with the example's values and the secrets filled in).
      const config = loadConfig({ ...example, ...SECRETS, ...env, DATABASE_URL: url.toString() });
      expect([name, config.nodeEnv, config.databaseUrl !== undefined, config.instanceId]).toEqual([name, 'production', true, env['INSTANCE_ID']]);
      ids.push(config.instanceId);
      const data = mounts(service).find((m) => m.target === config.dataDir);
      expect([name, data?.bind]).toEqual([name, false]);
      dataVolumes.push(data?.source);
    }
    expect(new Set(ids).size).toBe(clusterBridges.length);
    expect(new Set(dataVolumes).size).toBe(clusterBridges.length + 1);
  });

  test("the cluster's Prometheus scrapes each bridge directly, as its own target, every 5 s", () => {
    const prometheus = serviceOf(clusterService(/prom\/prometheus/));
    const configFile = (prometheus.command ?? []).find((a) => a.startsWith('--config.file='))?.slice('--config.file='.length);
    expect(mounts(prometheus).find((m) => m.target === configFile)?.source).toBe('./deploy/prometheus/cluster.yml');
    const config = parseYaml(read('deploy/prometheus/cluster.yml')) as typeof prometheusConfig;
    const job = config.scrape_configs.find((c) => c.job_name === 'bridge'); // the job the dashboard filters on
    expect(job?.scrape_interval).toBe('5s');
    expect(job?.metrics_path ?? '/metrics').toBe('/metrics');
    const scraped = job?.static_configs.flatMap((c) => c.targets) ?? [];
    expect([...scraped].sort()).toEqual(clusterBridges.map((name) => `${name}:${portOf(name)}`).sort());
  });

  withPromtool("the cluster's Prometheus configuration passes promtool check config", () => {
    const out = spawnSync('promtool', ['check', 'config', path.join(ROOT, 'deploy/prometheus/cluster.yml')], { encoding: 'utf8' });
    expect({ status: out.status, output: `${out.stdout}${out.stderr}` }).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
  });

  test("the cluster's Grafana has the same provisioning, and there the datasource's host is the cluster's Prometheus", () => {
    const grafana = serviceOf(clusterService(/grafana\/grafana/));
    expect(mounts(grafana).filter((m) => m.bind)).toEqual(mounts(serviceOf('grafana')).filter((m) => m.bind));
    const { profiles, targets } = readmeClusterCommand();
    const started = composeUp(allServices, profiles, targets);
    const host = new URL(datasourceProvisioning.datasources[0]?.url ?? '').hostname;
    const answering = started.filter((name) => {
      const networks = serviceOf(name).networks;
      const aliases = networks && !Array.isArray(networks) ? Object.values(networks).flatMap((n) => n?.aliases ?? []) : [];
      return name === host || aliases.includes(host);
    });
    expect(answering).toEqual([clusterService(/prom\/prometheus/)]);
  });

  test('the dashboard tells instances apart: an $instance variable and per-instance active calls, calls, playout lateness p99', () => {
    const variable = (dashboard['templating'] as { list: Array<{ name: string; definition?: string; query?: unknown }> }).list.find((v) => v.name === 'instance');
    expect(variable?.definition).toBe('label_values(up{job="bridge"}, instance)');
    const perInstance = targets.filter(({ target }) => /\bby \([^)]*\binstance\b/.test(target.expr));
    for (const family of ['bridge_calls_active', 'bridge_calls_total', 'bridge_playout_lateness_seconds_bucket']) {
      const found = perInstance.filter(({ target }) => metricNamesIn(target.expr).includes(family));
      expect([family, found.length > 0]).toEqual([family, true]);
      for (const { target } of found) {
        expect(target.legendFormat).toContain('{{instance}}');
        expect(target.expr).toContain('instance=~"$instance"');
      }
    }
    expect(perInstance.some(({ target }) => target.expr.startsWith('histogram_quantile(0.99,') && target.expr.includes('bridge_playout_lateness_seconds_bucket'))).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// (e) nginx in front of the cluster (deploy/nginx/cluster.conf)

const nginxConfig = parseNginx(read('deploy/nginx/cluster.conf'));
const nginxServer = (named(nginxConfig, 'server')[0]?.block ?? []) as NginxDirective[];
const nginxUpstream = named(nginxConfig, 'upstream')[0];

/**
 * cluster.conf made to run here: the upstream's servers become `upstreams` (one each), and
 * `listen` becomes `listen` when given; `resolve` (nginx ≥ 1.27.3, the image's) is dropped for
 * Debian's older nginx. Each substitution must apply exactly, so nothing else can differ.
 */
function localNginxConfig(upstreams: string[], listen?: string): string {
  let text = read('deploy/nginx/cluster.conf');
  let servers = 0;
  text = text.replace(/^(\s*)server\s+[\w.-]+:\d+(\s+resolve)?\s*;/gm, (_m, indent: string) => `${indent}server ${upstreams[servers++] ?? 'missing'};`);
  if (servers !== upstreams.length) throw new Error(`cluster.conf has ${servers} upstream servers, expected ${upstreams.length}`);
  if (listen !== undefined) {
    let listens = 0;
    text = text.replace(/^(\s*)listen\s+\d+\s*;/gm, (_m, indent: string) => {
      listens++;
      return `${indent}listen ${listen};`;
    });
    if (listens !== 1) throw new Error(`cluster.conf has ${listens} listen directives, expected 1`);
  }
  return text;
}

/** A directory with an nginx.conf that includes `cluster` as its http block, for `nginx -p dir`. */
function nginxPrefix(cluster: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'nginx-cluster-'));
  writeFileSync(path.join(dir, 'cluster.conf'), cluster);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((k) => `${k}_temp_path ${dir}/${k};`).join(' ');
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    `daemon off;\nmaster_process off;\npid ${dir}/nginx.pid;\nerror_log stderr warn;\nevents { worker_connections 256; }\nhttp { access_log off; ${temp} include ${dir}/cluster.conf; }\n`,
  );
  return dir;
}

describe('deploy/nginx/cluster.conf', () => {
  const nginx = serviceOf('nginx');
  const upstreamName = nginxUpstream?.args[0] as string;
  const proxied = (uri: string) => {
    const location = locationFor(nginxServer, uri);
    return { location, pass: argsOf(location?.block, 'proxy_pass')?.[0], headers: location ? proxyHeaders(nginxServer, location) : new Map<string, string>() };
  };

  test('compose mounts it over the image\'s default server and publishes its listen port on the loopback only', () => {
    expect(nginx.image).toMatch(/^(docker\.io\/)?(library\/)?nginx:\d+\.\d+/);
    expect(mounts(nginx)).toContainEqual({ source: './deploy/nginx/cluster.conf', target: '/etc/nginx/conf.d/default.conf', bind: true });
    const listen = argsOf(nginxServer, 'listen')?.[0];
    expect(nginx.ports).toEqual([`127.0.0.1:8080:${listen}`]);
  });

  test('its upstream is least_conn over every bridge of the cluster profile, at the bridge port', () => {
    expect(named(nginxConfig, 'upstream')).toHaveLength(1);
    const block = nginxUpstream?.block;
    expect(named(block, 'least_conn')).toHaveLength(1);
    const servers = named(block, 'server').map((d) => d.args[0]);
    expect([...servers].sort()).toEqual(clusterBridges.map((name) => `${name}:${portOf(name)}`).sort());
    expect(dependenciesOf(nginx).sort()).toEqual([...clusterBridges].sort());
    // `resolve` needs a shared-memory zone, a resolver, and nginx 1.27.3 or later in the image.
    if (named(block, 'server').some((d) => d.args.includes('resolve'))) {
      expect(named(block, 'zone')).toHaveLength(1);
      expect(argsOf(nginxConfig, 'resolver')?.[0]).toBe('127.0.0.11'); // Docker's embedded DNS
      const [major, minor, patch] = (/nginx:(\d+)\.(\d+)(?:\.(\d+))?/.exec(nginx.image ?? '') ?? []).slice(1).map(Number) as [number, number, number];
      expect(major > 1 || minor > 27 || (minor === 27 && patch >= 3)).toBe(true);
    }
  });

  test('WebSocket upgrades on /ws/ go to the upstream over HTTP/1.1, unbuffered, open for an hour, unthrottled', () => {
    for (const uri of [STREAM_PATH, MAQSAM_PATH]) {
      const { location, pass, headers } = proxied(uri);
      const block = location?.block;
      expect([uri, pass]).toEqual([uri, `http://${upstreamName}`]);
      expect([uri, argsOf(block, 'proxy_http_version')?.[0]]).toEqual([uri, '1.1']);
      expect([uri, headers.get('upgrade'), headers.get('connection')?.toLowerCase()]).toEqual([uri, '$http_upgrade', 'upgrade']);
      expect([uri, argsOf(block, 'proxy_buffering')?.[0]]).toEqual([uri, 'off']);
      for (const timeout of ['proxy_read_timeout', 'proxy_send_timeout']) {
        expect([uri, timeout, durationSeconds(argsOf(block, timeout)?.[0]) >= 3600]).toEqual([uri, timeout, true]);
      }
      expect([uri, named(block, 'limit_req').length + named(block, 'limit_conn').length]).toEqual([uri, 0]);
    }
  });

  test('webhooks, readiness, the clinic API, FHIR and the console go to the upstream with Host and X-Forwarded-*', () => {
    for (const uri of ['/twilio/voice', '/twilio/status', '/twilio/stream-ended', `${API_PREFIX}/calls`, `${FHIR_PREFIX}/metadata`, CONSOLE_PREFIX, `${CONSOLE_PREFIX}/`, STREAM_PATH, '/ready']) {
      const { pass, headers } = proxied(uri);
      expect([uri, pass]).toEqual([uri, `http://${upstreamName}`]);
      expect([uri, headers.get('host')]).toEqual([uri, '$host']);
      if (uri === '/ready') continue; // a load balancer's probe: no client to speak for
      expect([uri, headers.get('x-forwarded-for')]).toEqual([uri, '$proxy_add_x_forwarded_for']);
      expect([uri, headers.has('x-forwarded-proto')]).toEqual([uri, true]);
    }
  });

  test('/metrics, and every path not listed, answers 404 from nginx and never reaches a bridge', () => {
    for (const uri of ['/metrics', '/metrics/', '/health', '/', '/anything']) {
      const { location, pass } = proxied(uri);
      expect([uri, pass, argsOf(location?.block, 'return')]).toEqual([uri, undefined, ['404']]);
    }
  });

  // Skipped only where nginx is missing (reason in the title); .ci/run installs Debian's nginx, so CI runs it.
  (NGINX ? test : test.skip)(`passes nginx -t (upstream names pointed at the loopback) ${NGINX ? '' : nginxSkipReason}`.trim(), () => { // reason: needs nginx
    const dir = nginxPrefix(localNginxConfig(clusterBridges.map(() => '127.0.0.1:8080')));
    try {
      const out = spawnSync(NGINX as string, ['-t', '-e', 'stderr', '-p', dir, '-c', path.join(dir, 'nginx.conf')], { encoding: 'utf8' });
      expect({ status: out.status, output: `${out.stdout}${out.stderr}` }).toEqual({ status: 0, output: expect.stringContaining('test is successful') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});


// Skipped only where nginx is missing (reason in the title); .ci/run installs Debian's nginx, so CI runs it.
(NGINX ? describe : describe.skip)(`the cluster's nginx, running, in front of a real bridge ${NGINX ? '' : nginxSkipReason}`.trim(), () => { // reason: needs nginx
  let t: TestBridge;
  let nginx: ChildProcess;
  let dir = '';
  let front = '';
  let nginxLog = '';

  beforeAll(async () => {
    const port = await freePort();
    front = `http://127.0.0.1:${port}`;
    // PUBLIC_URL is nginx's address, as it is the proxy's in production: Twilio signs that URL.
    t = await startBridge({ PUBLIC_URL: front, BRIDGE_API_KEY: SECRETS.BRIDGE_API_KEY });
    const backend = t.base.replace('http://', '');
    dir = nginxPrefix(localNginxConfig(clusterBridges.map(() => backend), `127.0.0.1:${port}`));
    nginx = spawn(NGINX as string, ['-e', 'stderr', '-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: ['ignore', 'ignore', 'pipe'] });
    nginx.stderr?.on('data', (chunk: Buffer) => {
      nginxLog += chunk.toString();
    });
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (nginx.exitCode !== null) throw new Error(`nginx exited ${nginx.exitCode}: ${nginxLog}`);
      const up = await fetch(`${front}/`).then(
        () => true,
        () => false,
      );
      if (up) break;
      if (Date.now() > deadline) throw new Error(`nginx did not answer within 10 s: ${nginxLog}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }, 30_000);

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((resolve) => nginx.once('exit', resolve));
      nginx.kill('SIGTERM');
      await exited;
    }
    await t?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('/metrics answers 404 through nginx, while the bridge itself serves it', async () => {
    expect((await fetch(`${t.base}/metrics`)).status).toBe(200);
    const res = await fetch(`${front}/metrics`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('bridge_calls_active');
  });

  test('readiness, the clinic API, FHIR and the console answer through nginx as the bridge answers them', async () => {
    for (const uri of ['/ready', `${API_PREFIX}/calls`, `${FHIR_PREFIX}/metadata`, CONSOLE_PREFIX]) {
      const direct = await fetch(`${t.base}${uri}`, { redirect: 'manual' });
      const through = await fetch(`${front}${uri}`, { redirect: 'manual' });
      expect([uri, through.status, through.headers.get('content-type')]).toEqual([uri, direct.status, direct.headers.get('content-type')]);
    }
  });

  test('a Twilio call runs through nginx: the signed webhook, the media stream upgrade and the stream-ended request', async () => {
    const report = await placeCall({ baseUrl: front, questionnaire: 'post-discharge', authToken: AUTH_TOKEN, dtmf: ['1', '1', '1'] });
    expect(report.busy).toBe(false);
    const connected = report.timeline.find((e) => e.type === 'connected');
    expect(connected && 'streamUrl' in connected ? connected.streamUrl : '').toBe(`${front.replace('http:', 'ws:')}${STREAM_PATH}`);
    expect(report.heard.length).toBeGreaterThan(0);
    expect(report.afterStream?.dial ?? report.afterStream?.hangup).toBeTruthy();
    expect((await t.saved(report.callSid)).status).not.toBe('stopped');
  }, 30_000);
});

// ---------------------------------------------------------------------------------------------
// (f) The Kubernetes example (deploy/kubernetes/)

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  // biome-ignore lint/suspicious/noExplicitAny: manifests are checked by the schema, then read freely
  spec: any;
}

const K8S_DIR = 'deploy/kubernetes';
const k8sFiles = readdirSync(path.join(ROOT, K8S_DIR)).filter((f) => /\.ya?ml$/.test(f)).sort();
const k8sObjects = k8sFiles.flatMap((file) =>
  parseAllDocuments(read(path.join(K8S_DIR, file)))
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
      return { file, object: doc.toJS() as K8sObject | null };
    })
    .filter((entry): entry is { file: string; object: K8sObject } => entry.object !== null),
);
const k8sOne = (kind: string) => k8sObjects.find((o) => o.object.kind === kind)?.object as K8sObject;

// The Kubernetes OpenAPI schemas, compiled into validators by the kubernetes-models package (offline).
const K8S_SCHEMAS: Record<string, (object: unknown) => { validate(): void }> = {
  'apps/v1/Deployment': (o) => new Deployment(o as ConstructorParameters<typeof Deployment>[0]),
  'v1/Service': (o) => new Service(o as ConstructorParameters<typeof Service>[0]),
  'policy/v1/PodDisruptionBudget': (o) => new PodDisruptionBudget(o as ConstructorParameters<typeof PodDisruptionBudget>[0]),
};

/** What the schema says is wrong with a manifest, or undefined when it is valid. */
function k8sSchemaProblem(object: K8sObject): string | undefined {
  const model = K8S_SCHEMAS[`${object.apiVersion}/${object.kind}`];
  if (!model) return `no schema here for ${object.apiVersion} ${object.kind}`;
  try {
    model(object).validate();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

describe('the Kubernetes example', () => {
  const deployment = k8sOne('Deployment');
  const pod = deployment?.spec.template;
  const container = pod?.spec.containers[0];
  const env = (container?.env ?? []) as Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean }; fieldRef?: { fieldPath: string } } }>;
  const envNamed = (name: string) => env.find((e) => e.name === name);
  const containerPort = (ref: string | number) => (container?.ports ?? []).find((p: { name?: string; containerPort: number }) => p.name === ref || p.containerPort === ref)?.containerPort;

  test('holds a Deployment, a Service and a policy/v1 PodDisruptionBudget, and no Secret', () => {
    expect(k8sObjects.map((o) => `${o.object.apiVersion} ${o.object.kind}`).sort()).toEqual(['apps/v1 Deployment', 'policy/v1 PodDisruptionBudget', 'v1 Service']);
  });

  test('every manifest is valid against the Kubernetes schema', () => {
    expect(k8sObjects.map(({ file, object }) => [file, k8sSchemaProblem(object)])).toEqual(k8sObjects.map(({ file }) => [file, undefined]));
  });

  test('the schema check fails on broken manifests: a wrong type, a missing required field, an unknown version', () => {
    const copy = (object: K8sObject) => JSON.parse(JSON.stringify(object)) as K8sObject;
    const stringReplicas = copy(deployment);
    stringReplicas.spec.replicas = 'two';
    expect(k8sSchemaProblem(stringReplicas)).toMatch(/replicas must be integer/);
    const noContainers = copy(deployment);
    delete noContainers.spec.template.spec.containers;
    expect(k8sSchemaProblem(noContainers)).toMatch(/must have required property '?containers'?/);
    const badProbe = copy(deployment);
    badProbe.spec.template.spec.containers[0].readinessProbe.periodSeconds = '5s';
    expect(k8sSchemaProblem(badProbe)).toMatch(/periodSeconds must be integer/);
    const badPort = copy(k8sOne('Service'));
    badPort.spec.ports[0].port = 'http';
    expect(k8sSchemaProblem(badPort)).toMatch(/port must be integer/);
    const oldBudget = copy(k8sOne('PodDisruptionBudget'));
    oldBudget.apiVersion = 'policy/v1beta1';
    expect(k8sSchemaProblem(oldBudget)).toMatch(/no schema here/);
    const badSelector = copy(k8sOne('PodDisruptionBudget'));
    badSelector.spec.selector = 'app=bridge';
    expect(k8sSchemaProblem(badSelector)).toMatch(/selector must be object/);
  });

  test('the Deployment: 2+ replicas, time to drain, readiness on /ready and liveness on /health at the bridge port', () => {
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    const preStop = container.lifecycle?.preStop?.exec?.command as string[] | undefined;
    const pauseSeconds = preStop?.[0] === 'sleep' ? Number(preStop[1]) : 0;
    expect(pod.spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(Math.max(45, pauseSeconds + DRAIN_SECONDS + STOP_MARGIN_SECONDS));
    const port = Number(envNamed('PORT')?.value);
    expect(container.readinessProbe.httpGet.path).toBe('/ready');
    expect(containerPort(container.readinessProbe.httpGet.port)).toBe(port);
    expect(container.livenessProbe.httpGet.path).toBe('/health');
    expect(containerPort(container.livenessProbe.httpGet.port)).toBe(port);
  });

  test("it runs as the image's non-root uid 10001, with CPU and memory requests and a memory limit", () => {
    const [uid] = (parseDockerfile(read('Dockerfile')).filter((i) => i.keyword === 'USER').at(-1)?.args ?? '').split(':');
    const security = { ...pod.spec.securityContext, ...container.securityContext };
    expect(security).toMatchObject({ runAsNonRoot: true, runAsUser: Number(uid), allowPrivilegeEscalation: false });
    expect(Number(uid)).toBe(10001);
    expect(container.resources.requests).toEqual({ cpu: expect.anything(), memory: expect.anything() });
    expect(container.resources.limits.memory).toBeDefined();
  });

  test('its environment: secrets (DATABASE_URL among them) from a Secret, INSTANCE_ID from the pod name, DATA_DIR on a volume; the bridge accepts it', () => {
    const known = new Set([...read('src/config.ts').matchAll(/^\s+([A-Z][A-Z0-9_]+): z\b/gm)].map((m) => m[1] as string));
    for (const { name } of env) expect([name, known.has(name)]).toEqual([name, true]);
    for (const name of ['DATABASE_URL', 'TWILIO_AUTH_TOKEN', 'MAQSAM_TOKEN', 'BRIDGE_API_KEY']) {
      expect([name, envNamed(name)?.valueFrom?.secretKeyRef?.key, envNamed(name)?.valueFrom?.secretKeyRef?.optional]).toEqual([name, name, undefined]);
    }
    expect(envNamed('INSTANCE_ID')?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.name');
    // The Secret's stand-in values; a pod name as the downward API gives it.
    const podName = 'telephony-bridge-7c9f6d8b5-x2k4q';
    const secrets: Record<string, string> = { ...SECRETS, DATABASE_URL: 'postgres://bridge:secret@postgres.internal:5432/bridge' };
    const resolved = Object.fromEntries(
      env
        .filter((e) => !e.valueFrom?.secretKeyRef?.optional) // optional keys may be absent from the Secret
        .map((e) => [e.name, e.value ?? (e.valueFrom?.fieldRef ? podName : secrets[e.valueFrom?.secretKeyRef?.key as string])]),
    );
    const config = loadConfig(resolved);
    expect([config.nodeEnv, config.databaseUrl !== undefined, config.instanceId]).toEqual(['production', true, podName]);
    const mount = (container.volumeMounts ?? []).find((m: { mountPath: string }) => m.mountPath === config.dataDir);
    const volume = (pod.spec.volumes ?? []).find((v: { name: string }) => v.name === mount?.name);
    expect(volume?.emptyDir ?? volume?.persistentVolumeClaim).toBeDefined();
  });

  test("the Service and the PodDisruptionBudget select the Deployment's pods; the Service reaches the bridge port", () => {
    const labels = pod.metadata.labels as Record<string, string>;
    for (const selector of [deployment.spec.selector.matchLabels, k8sOne('Service').spec.selector, k8sOne('PodDisruptionBudget').spec.selector.matchLabels]) {
      expect(Object.keys(selector).length).toBeGreaterThan(0);
      expect(labels).toMatchObject(selector);
    }
    for (const port of k8sOne('Service').spec.ports) expect(containerPort(port.targetPort ?? port.port)).toBe(Number(envNamed('PORT')?.value));
    // One pod may be evicted at a time: the budget leaves room for a drain, never blocks it.
    const budget = k8sOne('PodDisruptionBudget').spec;
    expect(budget.minAvailable ?? deployment.spec.replicas - budget.maxUnavailable).toBeLessThan(deployment.spec.replicas);
    expect(budget.minAvailable ?? deployment.spec.replicas - budget.maxUnavailable).toBeGreaterThanOrEqual(1);
  });

  test('the Service tells what the ingress or load balancer needs: WebSocket upgrades and long timeouts', () => {
    const service = k8sObjects.find((o) => o.object.kind === 'Service')?.file as string;
    const comments = read(path.join(K8S_DIR, service))
      .split('\n')
      .filter((l) => l.trim().startsWith('#'))
      .join('\n');
    expect(comments).toMatch(/WebSocket/);
    expect(comments).toMatch(/Upgrade/);
    expect(comments).toMatch(/timeout/i);
    expect(comments).toMatch(/\/metrics/);
  });
});
