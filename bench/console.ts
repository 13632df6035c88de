import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { chromium } from 'playwright-core';
import { createLogger } from '../src/observability/logger';
import { openStore } from '../src/store';
import { percentile } from './stats';

/**
 * (d) The console's first paint with a full store: the real service (as `npm start` runs it, on
 * the embedded database) holding `calls` finished calls, one in 50 with an open red flag, and
 * headless Chromium signing in and opening the red flags (the landing page) and the calls list.
 * Each page is loaded `runs` times; the figures are medians.
 */
export interface ConsoleBenchResult {
  calls: number;
  flags: number;
  runs: number;
  firstPaintMs: number;
  flagsShownMs: number;
  callsShownMs: number;
}

const ROOT = path.resolve(__dirname, '..');
const KEY = 'bench-admin-key-0123456789-0123456789-0123';
const PASSWORD = 'bench password 0123456789';

export function chromiumPath(): string | undefined {
  return [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p): p is string => Boolean(p && existsSync(p)));
}

export async function benchConsole(options: { calls: number; runs: number; log: (line: string) => void; screenshotsDir?: string | undefined }): Promise<ConsoleBenchResult> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('no chromium: install the chromium package or set CHROMIUM_PATH');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-console-'));
  const flags = Math.floor(options.calls / 50);
  options.log(`console: storing ${options.calls} calls (${flags} with an open red flag)…`);
  const store = await openStore({ dataDir, logger: createLogger({ level: 'silent' }) });
  await sql`insert into calls (id, provider, provider_call_id, questionnaire_id, questionnaire_version, direction, status, started_at, ended_at, instance_id, heartbeat_at, patient_reference)
    select gen_random_uuid(), 'twilio', 'CAbench' || i, 'post-discharge', 1, 'inbound', case when i % 50 = 0 then 'escalated' else 'completed' end,
      now() - i * interval '1 minute', now() - i * interval '1 minute' + interval '2 minutes', 'bench', now(), 'Patient/' || i
    from generate_series(1, ${options.calls}) i`.execute(store.db);
  await sql`insert into answers (call_id, item, value, method, transcript, confidence, attempts, confirmed, answered_at)
    select id, 'chest_pain', case when status = 'escalated' then 'true'::jsonb else 'false'::jsonb end, 'voice', case when status = 'escalated' then 'نعم عندي ألم' else 'لا' end, 0.9, 1, null, started_at + interval '30 seconds' from calls`.execute(store.db);
  await sql`insert into flags (call_id, item, action, value, raised_at) select id, 'chest_pain', 'emergency', 'true'::jsonb, started_at + interval '30 seconds' from calls where status = 'escalated' order by started_at`.execute(store.db); // raised in time order, as they would be
  await store.close();

  const service = await start({ DATA_DIR: dataDir, BRIDGE_API_KEY: KEY });
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  try {
    const created = await fetch(`${service.base}/api/v1/console-users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bench', displayName: 'الممرضة سارة', password: PASSWORD, scopes: ['admin'] }),
    });
    if (created.status !== 201) throw new Error(`console user: HTTP ${created.status}`);
    const context = await browser.newContext();
    const page = await context.newPage();
    // Signed in once; each run is a fresh load of the page with the session cookie.
    await page.goto(`${service.base}/console`);
    await page.fill('#username', 'bench');
    await page.fill('#password', PASSWORD);
    await page.click('#signin button[type=submit]');
    await page.waitForSelector('#open-flags tbody tr');
    const paint: number[] = [];
    const flagsShown: number[] = [];
    const callsShown: number[] = [];
    for (let run = 0; run < options.runs; run++) {
      await page.goto(`${service.base}/console#/flags`);
      await page.waitForSelector('#open-flags tbody tr');
      const timing = await page.evaluate(() => ({
        paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
        now: performance.now(),
      }));
      paint.push(timing.paint);
      flagsShown.push(timing.now);
      await page.goto(`${service.base}/console#/calls`);
      await page.waitForSelector('#calls tbody tr');
      callsShown.push(await page.evaluate(() => performance.now()));
    }
    if (options.screenshotsDir) {
      // The README's pictures: the main pages over the same store, at a laptop's width.
      await page.setViewportSize({ width: 1280, height: 800 });
      for (const [name, hash, ready] of [
        ['red-flags', '#/flags', '#open-flags tbody tr'],
        ['calls', '#/calls', '#calls tbody tr'],
        ['overview', '#/overview', '#chart-calls svg'],
        ['campaigns', '#/campaigns', '#new-campaign'],
        ['questionnaires', '#/questionnaires', '#q-source'],
        ['system', '#/system', '#components tbody tr'],
      ] as const) {
        await page.goto(`${service.base}/console${hash}`);
        await page.waitForSelector(ready);
        await page.screenshot({ path: path.join(options.screenshotsDir, `console-${name}.png`) });
      }
      options.log(`console: screenshots written to ${options.screenshotsDir}`);
    }
    return { calls: options.calls, flags, runs: options.runs, firstPaintMs: percentile(paint, 50), flagsShownMs: percentile(flagsShown, 50), callsShownMs: percentile(callsShown, 50) };
  } finally {
    await browser.close();
    service.child.kill('SIGTERM');
    await new Promise((resolve) => service.child.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export function formatConsole(r: ConsoleBenchResult): string {
  return [
    `(d) Console, ${r.calls} calls (${r.flags} open red flags) in the embedded database, headless Chromium, median of ${r.runs} loads`,
    `  first contentful paint                      ${r.firstPaintMs.toFixed(0)} ms`,
    `  red flags page shown (landing)              ${r.flagsShownMs.toFixed(0)} ms from navigation`,
    `  calls list shown (100 newest)               ${r.callsShownMs.toFixed(0)} ms from navigation`,
  ].join('\n');
}

/** The real entry point, as `npm start` runs it (through tsx here), until it says "bridge ready". */
function start(env: Record<string, string>): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(ROOT, 'src/main.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let buffered = '';
    let port = 0;
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === 'bridge listening' && entry.port) port = entry.port;
        if (entry.msg === 'bridge ready' && port) resolve({ child, base: `http://127.0.0.1:${port}` });
      }
    });
    child.once('exit', (code) => reject(new Error(`the service exited with ${code} before it was ready`)));
  });
}
