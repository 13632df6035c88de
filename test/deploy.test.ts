import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { placeCall } from '../src/cli/caller/twilio-caller';
import { loadConfig } from '../src/config';
import { AUTH_TOKEN, type TestBridge, startBridge } from './helpers/bridge';

/**
 * The deployment files (Dockerfile, docker-compose.yml, deploy/**) against the code they deploy.
 * No Docker engine is needed: the files are parsed and cross-checked, the Prometheus files go
 * through promtool (Debian's prometheus package, which .ci/run installs), and the dashboard's
 * PromQL is checked against the /metrics of a real bridge that has carried one call.
 */
const ROOT = path.resolve(__dirname, '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

const havePromtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' }).status === 0;
// Without promtool these are skipped, and say why; .ci/run installs it.
const withPromtool = (name: string, fn: () => void) =>
  // Skipped only where promtool is missing (reason: it needs Debian's prometheus package).
  havePromtool ? test(name, fn) : test.skip(`${name} [skipped: promtool not found; install Debian's prometheus package, as .ci/run does]`, fn);

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
    const example = Object.fromEntries(
      read('deploy/bridge.env.example')
        .split('\n')
        .filter((l) => /^[A-Z_][A-Z0-9_]*=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    // Every variable is one the bridge reads (or the compose file's own).
    const known = new Set([...read('src/config.ts').matchAll(/^\s+([A-Z][A-Z0-9_]+): z\b/gm)].map((m) => m[1] as string));
    const composeVars = new Set([...read('docker-compose.yml').matchAll(/\$\{([A-Z_][A-Z0-9_]*)/g)].map((m) => m[1] as string));
    for (const name of Object.keys(example)) expect([name, known.has(name) || composeVars.has(name)]).toEqual([name, true]);
    for (const name of composeVars) expect([name, name in example]).toEqual([name, true]);
    // The secrets are left blank in the example; an operator fills them in.
    const secrets = { TWILIO_AUTH_TOKEN: 'twilio-auth-token-0123456789', MAQSAM_TOKEN: 'maqsam-token-0123456789abcdef', BRIDGE_API_KEY: 'bridge-api-key-0123456789abcdef0123456789' };
    const env = { ...example, ...Object.fromEntries(Object.entries(secrets).filter(([k]) => k in example)), ...environmentOf(services['bridge'] as ComposeService) };
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

describe('documentation', () => {
  const markdown = ['README.md', ...docsFiles().filter((f) => f.endsWith('.md'))];

  test('nothing refers to ../shared: a clone has only this repository', () => {
    for (const file of [...markdown, 'Dockerfile', 'docker-compose.yml', 'deploy/bridge.env.example', 'deploy/grafana/dashboards/bridge.json']) {
      expect([file, read(file).includes('../shared')]).toEqual([file, false]);
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
    for (const file of ['Dockerfile', 'docker-compose.yml', 'deploy/bridge.env.example', 'deploy/grafana/dashboards/bridge.json']) {
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
