/// <reference lib="dom" />
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type Page, chromium } from 'playwright-core';
import { placeCall } from '../src/cli/caller/twilio-caller';
import { AUTH_TOKEN, type TestBridge, startBridge } from './helpers/bridge';
import { shipped, twoQuestionYaml } from './helpers/questionnaires';
import { RawStream } from './helpers/raw-stream';
import { waitFor } from './helpers/wait';

/**
 * The clinic console in a real browser (Debian's chromium, driven by playwright-core): a nurse
 * signs in with a named account, sees the red flags, sees a new one arrive without a reload, and
 * acknowledges it; the session is an HttpOnly SameSite cookie, changes need the CSRF token, every
 * read is audited under the nurse's name, and disabling the account ends the session at once.
 */
const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p): p is string => Boolean(p && existsSync(p)));
const ADMIN_KEY = 'admin-key-console-0123456789-0123456789';
const PASSWORD = 'correct horse battery staple';

if (!CHROMIUM) {
  // Skipped only where no Chromium can be had (.ci/run installs Debian's chromium, so CI runs it).
  test.skip('the clinic console in a real browser (no chromium: install the chromium package or set CHROMIUM_PATH)', () => undefined); // reason: needs Chromium, which .ci/run installs
} else {
  let t: TestBridge;
  let browser: Browser;
  let page: Page;
  let nurseId: string;

  const admin = async (path: string, init: { method?: string; body?: unknown } = {}) => {
    const res = await fetch(`${t.base}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> };
  };
  /**
   * Script errors and console errors of every page, but for the refusals a test provokes on
   * purpose (a wrong password, a forged request, a broken upload, a disabled account), which the
   * browser reports as failed resources with their status.
   */
  const pageErrors: string[] = [];
  const PROVOKED = /Failed to load resource: the server responded with a status of (400|401|403|429)/;
  const watched = async (p: Page) => {
    p.on('pageerror', (error) => pageErrors.push(`${p.url()}: ${error.message}`));
    p.on('console', (msg) => {
      if (msg.type() === 'error' && !PROVOKED.test(msg.text())) pageErrors.push(`${p.url()}: ${msg.text()}`);
    });
    return p;
  };

  /** A fresh browser context signed in as `username` at `hash` of the console of `base`. */
  const signedInPage = async (base: string, username: string, hash: string, ready: string, context: { timezoneId?: string } = {}) => {
    const p = await watched(await (await browser.newContext(context)).newPage());
    await p.goto(`${base}/console${hash}`);
    await p.fill('#username', username);
    await p.fill('#password', PASSWORD);
    await p.click('#signin button[type=submit]');
    await p.waitForSelector(ready);
    return p;
  };

  /** A caller who consents and says yes to chest pain (confirmed): an emergency flag. */
  const flaggedCall = () => placeCall({ baseUrl: t.base, questionnaire: 'post-discharge', authToken: AUTH_TOKEN, dtmf: ['1', '1', '1'] });

  beforeAll(async () => {
    t = await startBridge({ BRIDGE_API_KEY: ADMIN_KEY });
    const created = await admin('/api/v1/console-users', { body: { username: 'sara', displayName: 'الممرضة سارة', password: PASSWORD, scopes: ['results:read', 'flags:write'] } });
    expect(created.status).toBe(201);
    nurseId = created.body['id'] as string;
    await flaggedCall();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--autoplay-policy=no-user-gesture-required'] });
    page = await watched(await browser.newPage());
    // The audible cue: every tone the page starts is counted (the page plays it through Web Audio).
    await page.addInitScript(() => {
      const w = window as unknown as { __tones: number; AudioContext: typeof AudioContext };
      const Real = w.AudioContext;
      w.__tones = 0;
      w.AudioContext = class extends Real {
        override createOscillator(): OscillatorNode {
          const osc = super.createOscillator();
          const start = osc.start.bind(osc);
          osc.start = (when?: number) => {
            w.__tones++;
            start(when);
          };
          return osc;
        }
      };
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  test('sign-in: a wrong password is refused in words; the right one opens the red flags, in Arabic, right to left', async () => {
    await page.goto(`${t.base}/console`);
    await page.fill('#username', 'sara');
    await page.fill('#password', 'wrong password!!');
    await page.click('#signin button[type=submit]');
    await page.waitForFunction(() => document.querySelector('#signin-error')?.textContent !== '');
    expect(await page.textContent('#signin-error')).toBe('اسم المستخدم أو كلمة المرور غير صحيحة.');
    await page.fill('#password', PASSWORD);
    await page.click('#signin button[type=submit]');
    await page.waitForSelector('#open-flags tbody tr');
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    // Laid out right to left: the title starts at the right edge, the table's first column is rightmost.
    const [title, lang] = [await page.locator('#title').boundingBox(), await page.locator('#lang').boundingBox()];
    expect(title!.x).toBeGreaterThan(lang!.x);
    const [firstCell, lastCell] = [await page.locator('#open-flags thead th').first().boundingBox(), await page.locator('#open-flags thead th').last().boundingBox()];
    expect(firstCell!.x).toBeGreaterThan(lastCell!.x);
    expect(await page.textContent('#who')).toBe('الممرضة سارة');
    expect(await page.locator('#signin').isVisible()).toBe(false); // the form is gone, not just marked hidden
    const row = await page.locator('#open-flags tbody tr').first().innerText();
    expect(row).toContain('هل تشعر بألم في الصدر الآن؟'); // the question as the call asked it
    expect(row).toContain('طوارئ'); // the action
    expect(row).toContain('نعم'); // the answer
  });

  test('the session cookie is HttpOnly and SameSite=Strict; a change without the CSRF token is refused', async () => {
    const cookies = await page.context().cookies();
    expect(cookies.find((c) => c.name === 'bridge_console')).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(await page.evaluate(() => document.cookie)).not.toContain('bridge_console');
    const forged = await page.evaluate(async () => {
      const res = await fetch('/api/v1/flags/1/acknowledge', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      return { status: res.status, body: await res.json() };
    });
    expect(forged).toMatchObject({ status: 403, body: { error: 'csrf_failed' } });
    // The browser holds no key or token anywhere a script could leave it.
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }))).not.toMatch(/brk_|csrf|[A-Za-z0-9_-]{43}/);
  });

  test('a new red flag appears without a reload, with a visible and spoken cue; one click acknowledges it, with who and when', async () => {
    const before = await page.locator('#open-flags tbody tr').count();
    const tones = () => page.evaluate(() => (window as unknown as { __tones: number }).__tones);
    expect(await tones()).toBe(0); // the flags already there on sign-in make no sound
    await flaggedCall(); // resolves when the call has ended: the flag is stored by then
    // Within 5 s of the call's end, without a reload (the bound).
    await page.waitForFunction((n) => document.querySelectorAll('#open-flags tbody tr').length > n, before, { timeout: 5000 });
    expect(await page.locator('#open-flags tbody tr.fresh').count()).toBe(1);
    expect(await tones()).toBe(1); // one tone for one new flag
    expect(await page.textContent('#announce')).toContain('تنبيه جديد');
    expect(await page.title()).toBe(`(${before + 1}) لوحة العيادة`);

    await page.locator('#open-flags tbody tr').first().getByRole('button').click();
    await page.waitForFunction((n) => document.querySelectorAll('#open-flags tbody tr').length === n, before, { timeout: 5000 });
    const done = await page.locator('#done-flags tbody tr').first().innerText();
    expect(done).toContain('الممرضة سارة (sara (console))');
    const flags = (await admin('/api/v1/flags?status=acknowledged')).body['flags'] as Array<Record<string, unknown>>;
    expect(flags[0]).toMatchObject({ acknowledgedBy: 'الممرضة سارة (sara (console))', acknowledgedAt: expect.any(String) });
  });

  test('English switch, the calls list with filters, a call page; every read audited under the nurse', async () => {
    await page.click('#lang');
    expect(await page.getAttribute('html', 'dir')).toBe('ltr');
    await page.waitForSelector('h2:text("Open red flags")');
    await page.click('nav a[href="#/calls"]');
    await page.waitForSelector('#calls tbody tr');
    expect(await page.locator('#calls tbody tr').count()).toBe(2);
    await page.selectOption('select[name=status]', 'escalated');
    await page.click('#call-filters button[type=submit]');
    await page.waitForFunction(() => location.hash.includes('status=escalated'));
    await page.waitForSelector('#calls tbody tr');
    expect(await page.locator('#calls tbody tr td:nth-child(4)').allInnerTexts()).toEqual(['Escalated', 'Escalated']); // in words, not the API's code
    await page.locator('#calls tbody tr a').first().click();
    await page.waitForSelector('#answers tbody tr[data-item="chest_pain"]');
    expect(await page.locator('#answers tbody tr[data-item="chest_pain"]').innerText()).toContain('Keypad');
    expect(await page.locator('#answers tbody tr[data-item="chest_pain"]').innerText()).toContain('هل تشعر بألم في الصدر الآن؟'); // the question, not only its id
    expect(await page.locator('#timeline li').count()).toBeGreaterThan(2);
    const audit = (await admin('/api/v1/audit?limit=500')).body['entries'] as Array<Record<string, unknown>>;
    const mine = audit.filter((e) => e['keyName'] === 'sara (console)').map((e) => e['action']);
    expect(mine).toEqual(expect.arrayContaining(['console.sign_in', 'flags.list', 'flag.acknowledge', 'calls.list', 'call.read']));
    expect(audit.some((e) => e['action'] === 'console.sign_in_failed')).toBe(true);
  });

  test('live: a call in progress is listed with the question it is on, and leaves the list when it ends', async () => {
    const s = await RawStream.open(t.base, AUTH_TOKEN);
    const echo = setInterval(() => s.echoMarks(), 20);
    try {
      s.start('CAconsole-live');
      await s.until((r) => r.some((m) => m['event'] === 'mark'), 10_000);
      s.dtmf('1'); // consent
      await waitFor(async () => Object.keys((await t.saved('CAconsole-live')).answers).includes('consent'), 5000, 'consent committed');
      await page.click('nav a[href="#/live"]');
      await page.waitForSelector('#live tbody tr');
      const row = await page.locator('#live tbody tr').innerText();
      expect(row).toContain('هل تشعر بألم في الصدر الآن؟'); // the question after consent
      expect(row).toMatch(/0:\d\d/); // its duration so far
    } finally {
      clearInterval(echo);
      s.ws.close();
    }
    await page.waitForSelector('#no-live', { timeout: 10_000 }); // the next refresh: ended, gone
  });

  test('overview: calls per day by outcome and flags per day as charts, with the completion rate and median length the API reports', async () => {
    await page.click('nav a[href="#/overview"]');
    await page.waitForSelector('#chart-calls svg');
    // The clinic's days (CONSOLE_TIME_ZONE, Asia/Riyadh by default), as the page asks for them.
    const api = (await admin('/api/v1/overview?tz=Asia/Riyadh')).body as { calls: number; completionRate: number; days: Array<{ byStatus: Record<string, number>; flags: number }> };
    expect(api.calls).toBe(3); // two flagged calls and the live one
    expect(api.completionRate).toBeCloseTo(2 / 3); // the two escalated reached their end; the live one was hung up
    expect(api.days.reduce((n, d) => n + d.flags, 0)).toBe(2);
    expect(await page.textContent('[data-figure=calls]')).toBe('3');
    expect(await page.textContent('[data-figure=completion]')).toBe(`${Math.round(api.completionRate * 100)}%`);
    const bars = api.days.reduce((n, d) => n + Object.values(d.byStatus).filter((v) => v > 0).length, 0);
    expect(await page.locator('#chart-calls svg rect').count()).toBe(bars);
    expect(await page.locator('#chart-calls svg rect[data-series=escalated]').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('#chart-flags svg rect').count()).toBe(api.days.filter((d) => d.flags > 0).length);
    expect(await page.getAttribute('#chart-calls svg', 'aria-label')).toBe('Calls per day by outcome');
  });

  test('a coordinator starts a campaign from a CSV with its window and retries, sees bad lines named, and pauses and resumes it', async () => {
    await admin('/api/v1/console-users', { body: { username: 'huda', displayName: 'Huda', password: PASSWORD, scopes: ['results:read', 'calls:write'] } });
    const coordinator = await signedInPage(t.base, 'huda', '#/campaigns', '#new-campaign');
    const form = coordinator.locator('#new-campaign');
    await form.locator('input[name=name]').fill('متابعة الأسبوع');
    await form.locator('select[name=questionnaire]').selectOption('post-discharge');
    await form.locator('input[name=file]').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('phone,reference\n0501234567,Patient/1\n') });
    await form.locator('button[type=submit]').click();
    await coordinator.waitForFunction(() => (document.querySelector('#campaign-error')?.textContent ?? '') !== '');
    expect(await coordinator.textContent('#campaign-error')).toContain('CSV line 2');

    await form.locator('input[name=file]').setInputFiles({ name: 'patients.csv', mimeType: 'text/csv', buffer: Buffer.from('phone,reference,name\n+966501110001,Patient/c1,سارة\n+966501110002,Patient/c2,خالد\n') });
    await form.locator('input[name=start]').fill('08:00');
    await form.locator('input[name=maxAttempts]').fill('2');
    await form.locator('select[name=voicemail]').selectOption('hang_up');
    await form.locator('input[name=excludedDate]').fill('2030-03-31');
    await form.locator('button[data-action=exclude]').click();
    await form.locator('input[name=excludedDate]').fill('2030-04-01');
    await form.locator('button[data-action=exclude]').click();
    await form.locator('button[type=submit]').click();
    await coordinator.waitForSelector('#campaign-patients tbody tr');
    expect(await coordinator.locator('#campaign-patients tbody tr').count()).toBe(2);
    const id = coordinator.url().split('#/campaigns/')[1] as string;
    const stored = (await admin(`/api/v1/campaigns/${id}`)).body;
    expect(stored).toMatchObject({ name: 'متابعة الأسبوع', status: 'active', settings: { maxAttempts: 2, voicemail: 'hang_up', window: { start: '08:00', end: '17:00', timeZone: 'Asia/Riyadh', days: [7, 1, 2, 3, 4], excludedDates: ['2030-03-31', '2030-04-01'] } } });
    expect(JSON.stringify(await coordinator.textContent('#campaign-patients'))).not.toContain('+96650111'); // no numbers on the page

    await coordinator.click('button[data-action=pause]');
    await coordinator.waitForSelector('button[data-action=resume]');
    expect((await admin(`/api/v1/campaigns/${id}`)).body['status']).toBe('paused');
    await coordinator.click('button[data-action=resume]');
    await coordinator.waitForSelector('button[data-action=pause]');
    expect((await admin(`/api/v1/campaigns/${id}`)).body['status']).toBe('active');

    // Progress is refreshed every 5 s, by one timer however often the page was drawn (it was
    // drawn three times above: opened, paused, resumed): about 12 s make at most 3 reads.
    let reads = 0;
    const countReads = (r: { method(): string; url(): string }) => {
      if (r.method() === 'GET' && new URL(r.url()).pathname === `/api/v1/campaigns/${id}`) reads++;
    };
    coordinator.on('request', countReads);
    await coordinator.waitForTimeout(12_000);
    coordinator.off('request', countReads);
    expect(reads).toBeGreaterThanOrEqual(1); // it does refresh
    expect(reads).toBeLessThanOrEqual(3);

    // The system page, in the words of /ready; webhook deliveries only for an admin account.
    // Reached by the menu (no reload): the campaign's refresh stops, and the page stays the system page.
    await coordinator.click('nav a[href="#/system"]');
    await coordinator.waitForSelector('#components tbody tr');
    await coordinator.waitForTimeout(6000);
    expect(await coordinator.locator('#components').isVisible()).toBe(true);
    expect(await coordinator.locator('#campaign-patients').count()).toBe(0);
    expect(await coordinator.locator('#components tbody tr[data-component="store"]').innerText()).toContain('يعمل');
    // Every component /ready reports, named in words (voice and webhooks too; unset webhooks are not a fault).
    const components = Object.fromEntries(await Promise.all(['voice', 'store', 'webhooks'].map(async (c) => [c, await coordinator.locator(`#components tbody tr[data-component="${c}"]`).innerText()] as const)));
    expect(components['voice']).toMatch(/الصوت[\s\S]*يعمل/);
    expect(components['store']).toContain('قاعدة البيانات');
    expect(components['webhooks']).toMatch(/الإشعارات[\s\S]*غير مُعدّة/);
    expect(await coordinator.textContent('#ready-status')).toBe('جاهزة');
    expect(await coordinator.locator('#deliveries').count()).toBe(0);
    await coordinator.context().close();
  }, 60_000);

  test('a questionnaire editor sees the validator’s problems beside their lines, tries a draft in the simulator, then publishes it', async () => {
    await admin('/api/v1/console-users', { body: { username: 'editor', displayName: 'Editor', password: PASSWORD, scopes: ['questionnaires:write'] } });
    const editor = await signedInPage(t.base, 'editor', '#/questionnaires', '#q-source');
    expect(await editor.locator('#questionnaires tr[data-questionnaire="post-discharge"]').count()).toBe(1);
    const good = twoQuestionYaml('console-draft', 'أهلاً، هذه مكالمة من العيادة.');
    // A typo in an item's type: the problem is shown beside the line where that item's type is.
    const typo = good.replace('type: boolean, required: true, text: "هل تشعر', 'type: booleen, required: true, text: "هل تشعر');
    // The broken file uploaded (and published): refused, with the validator's problem on its line.
    await editor.locator('#q-file').setInputFiles({ name: 'draft.yaml', mimeType: 'application/yaml', buffer: Buffer.from(typo) });
    await editor.waitForFunction((text) => (document.querySelector('#q-source') as HTMLTextAreaElement).value === text, typo);
    await editor.click('#q-publish');
    await editor.waitForSelector('#q-lines li.problem');
    const flagged = await editor.locator('#q-lines li.problem').getAttribute('data-line');
    expect(typo.split('\n')[Number(flagged) - 1]).toContain('booleen');
    expect(await editor.locator('#q-lines li.problem').innerText()).toContain('must be one of boolean');
    expect((await admin('/api/v1/questionnaires')).body['questionnaires']).not.toContainEqual(expect.objectContaining({ id: 'console-draft' }));
    // The simulator's "Try" names the same line.
    await editor.click('#q-try');
    await editor.waitForSelector('#q-lines li.problem');
    expect(await editor.locator('#q-lines li.problem').getAttribute('data-line')).toBe(flagged);
    // Fixed: the simulator says what the bridge would say, turn by turn, before anything is live.
    await editor.locator('#q-file').setInputFiles({ name: 'draft.yaml', mimeType: 'application/yaml', buffer: Buffer.from(good) });
    await editor.waitForFunction((text) => (document.querySelector('#q-source') as HTMLTextAreaElement).value === text, good);
    await editor.fill('#q-turns', '#1\nلا');
    await editor.click('#q-try');
    await editor.waitForSelector('#q-transcript');
    const transcript = await editor.locator('#q-transcript li').allInnerTexts();
    expect(transcript[0]).toContain('أهلاً، هذه مكالمة من العيادة.');
    expect(transcript.join('\n')).toMatch(/consent = (نعم|Yes)/);
    expect(transcript.join('\n')).toMatch(/feeling_well = (لا|No)/);
    expect((await admin('/api/v1/questionnaires')).body['questionnaires']).not.toContainEqual(expect.objectContaining({ id: 'console-draft' })); // a draft is not live
    await editor.click('#q-publish');
    await editor.waitForSelector('#q-published');
    expect((await admin('/api/v1/questionnaires')).body['questionnaires']).toContainEqual(expect.objectContaining({ id: 'console-draft', version: 1 }));
    // Its versions, the live one marked.
    await editor.click('button[data-versions="post-discharge"]');
    await editor.waitForSelector('#q-versions li[data-version="1"]');
    expect(await editor.locator('#q-versions li[data-version="1"]').innerText()).toContain('المعتمد الآن');
    // A FHIR Questionnaire is uploaded as the API takes it (told apart by its content).
    const fhir = (await admin('/fhir/r4/Questionnaire/pre-visit-screening')).body;
    await editor.locator('#q-file').setInputFiles({ name: 'pre-visit.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify({ ...fhir, version: '7' })) });
    await editor.waitForFunction(() => (document.querySelector('#q-source') as HTMLTextAreaElement).value.includes('"resourceType"'));
    await editor.click('#q-publish');
    await editor.waitForSelector('#q-published');
    expect((await admin('/api/v1/questionnaires')).body['questionnaires']).toContainEqual(expect.objectContaining({ id: 'pre-visit-screening', version: 7 }));
    await editor.context().close();
  }, 60_000);

  test('disabling the account ends its session at once; repeated wrong passwords are throttled', async () => {
    await page.click('nav a[href="#/flags"]');
    await page.waitForSelector('#done-flags');
    expect((await admin(`/api/v1/console-users/${nurseId}`, { method: 'DELETE' })).status).toBe(200);
    await page.waitForSelector('#signin:not([hidden])', { timeout: 10_000 }); // the next poll is refused
    expect(await page.textContent('#signin-error')).toBe('Your session has ended. Sign in again.');
    const signIn = (password: string) => fetch(`${t.base}/console/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'sara', password }) });
    expect((await signIn(PASSWORD)).status).toBe(401); // disabled
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await signIn(`guess number ${i}`)).status);
    expect(statuses.slice(-2)).toEqual([429, 429]);
    // Guesses sent all at once are counted before their passwords are checked: at most 5 get checked.
    const burst = await Promise.all(Array.from({ length: 12 }, (_, i) => fetch(`${t.base}/console/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'someone-else', password: `parallel guess ${i}` }) }).then((r) => r.status)));
    expect(burst.filter((x) => x === 401).length).toBeLessThanOrEqual(5);
    expect(burst.filter((x) => x === 429).length).toBeGreaterThanOrEqual(7);
    await waitFor(() => t.logs.some((l) => l['msg'] === 'console sign-in refused: unknown name, wrong password or disabled account'), 1000, 'log line');
    expect(JSON.stringify(t.logs)).not.toContain(PASSWORD);
  });

  test("the clinic's digits: with CONSOLE_DIGITS=arab the Arabic pages show numbers in Arabic-Indic digits", async () => {
    const other = await startBridge({ BRIDGE_API_KEY: ADMIN_KEY, CONSOLE_DIGITS: 'arab' });
    try {
      const made = await fetch(`${other.base}/api/v1/console-users`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ username: 'mona', displayName: 'Mona', password: PASSWORD, scopes: ['results:read'] }) });
      expect(made.status).toBe(201);
      await placeCall({ baseUrl: other.base, questionnaire: 'post-discharge', authToken: AUTH_TOKEN, dtmf: ['1', '1', '1'] });
      const p = await signedInPage(other.base, 'mona', '#/overview', '#chart-calls svg');
      expect(await p.textContent('[data-figure=calls]')).toBe('١');
      expect(await p.locator('#overview-days tbody td').allInnerTexts()).toContain('١');
      await p.context().close();
    } finally {
      await other.close();
    }
  });

  test('calls: the whole filtered list (paged, exported), days in the clinic\'s time zone, statuses and timeline in words, every number in the clinic\'s digits', async () => {
    const other = await startBridge({ BRIDGE_API_KEY: ADMIN_KEY, CONSOLE_DIGITS: 'arab' });
    try {
      const made = await fetch(`${other.base}/api/v1/console-users`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ username: 'rana', displayName: 'Rana', password: PASSWORD, scopes: ['results:read'] }) });
      expect(made.status).toBe(201);
      const version = shipped('post-discharge').version;
      const call = (startedAt: string, status: 'completed' | 'escalated' | 'transferred' | 'stopped', extra: Partial<Parameters<typeof other.database.calls.save>[0]> = {}) =>
        other.database.calls.save({ id: randomUUID(), provider: 'twilio', providerCallId: `CA${randomUUID().replaceAll('-', '')}`, questionnaire: 'post-discharge', questionnaireVersion: version, status, startedAt, endedAt: new Date(Date.parse(startedAt) + 90_000).toISOString(), answers: {}, flags: [], ...extra }, 'test');
      for (let i = 0; i < 125; i++) await call(new Date(Date.UTC(2026, 0, 5, 8, i)).toISOString(), 'completed');
      // Riyadh (UTC+3) days: 00:30 and 23:30 on 10 March, then 00:30 on 11 March.
      await call('2026-03-09T21:30:00.000Z', 'escalated', { patientReference: 'Patient/alpha' });
      const at = (s: number) => new Date(Date.parse('2026-03-10T20:30:00.000Z') + s * 1000).toISOString();
      const prompt = (s: number, key: string) => ({ at: at(s), type: 'prompt', detail: { key } });
      await call(at(0), 'transferred', {
        patientReference: 'Patient/beta',
        answers: { chest_pain: { value: true, method: 'voice', transcript: 'ايوه', confidence: 0.91, attempts: 2, answeredAt: at(9) } },
        appendEvents: [
          { at: at(0), type: 'started', detail: { speech: true } },
          prompt(1, 'item:chest_pain'),
          { at: at(2), type: 'no_input' },
          prompt(3, 'prompt:no_input'),
          prompt(4, 'item:chest_pain'),
          { at: at(5), type: 'barge_in' },
          { at: at(6), type: 'speech_unavailable', detail: { reason: 'recognition unreachable' } },
          { at: at(7), type: 'speech_available' },
          { at: at(8), type: 'input', detail: { method: 'voice', confidence: 0.91 } },
          { at: at(9), type: 'answer', detail: { item: 'chest_pain', method: 'voice', attempts: 2 } },
          prompt(10, 'prompt:transfer'),
          { at: at(11), type: 'transfer' },
          { at: at(12), type: 'ended', detail: { status: 'transferred' } },
        ],
      });
      await call('2026-03-10T21:30:00.000Z', 'stopped', { patientReference: 'Patient/gamma' });

      // A browser in another time zone than the clinic's (Asia/Riyadh): days are the clinic's.
      const p = await signedInPage(other.base, 'rana', '#/calls', '#calls tbody tr', { timezoneId: 'America/New_York' });
      expect(await p.locator('#calls tbody tr').count()).toBe(100); // the API's page
      await p.click('#calls-more');
      await p.waitForFunction(() => document.querySelectorAll('#calls tbody tr').length === 128);
      expect(await p.locator('#calls-more').count()).toBe(0); // nothing more to fetch
      const listed = await p.textContent('#calls tbody');
      expect(listed).toContain('اكتملت'); // completed, in words
      expect(listed).not.toMatch(/completed|[0-9]/); // no API codes, no Western digits
      expect(await p.locator('select[name=status] option[value=completed]').textContent()).toBe('اكتملت');

      // The export is the whole filtered list, fetched page by page, not the rows on screen.
      await p.evaluate(() => {
        location.hash = '#/calls?status=completed';
      });
      await p.waitForFunction(() => document.querySelectorAll('#calls tbody tr').length === 100 && location.hash.includes('completed'));
      const [download] = await Promise.all([p.waitForEvent('download'), p.click('#calls-csv')]);
      const csv = readFileSync((await download.path()) as string, 'utf8').trim().split('\r\n');
      expect(csv).toHaveLength(126); // the header and 125 calls
      expect(csv.slice(1).every((line) => line.includes(',completed,'))).toBe(true);

      // From 10 March to 10 March: that whole day in Riyadh, the last day included.
      await p.evaluate(() => {
        location.hash = '#/calls?since=2026-03-10&until=2026-03-10';
      });
      await p.waitForFunction(() => location.hash.includes('since') && document.querySelectorAll('#calls tbody tr').length === 2);
      expect(await p.locator('#calls tbody tr td:nth-child(2)').allInnerTexts()).toEqual(['Patient/beta', 'Patient/alpha']);

      // The call's page: each question's text, and a timeline that tells a reprompt, a barge-in,
      // a recognition outage and a transfer apart, in words.
      await p.locator('#calls tbody tr', { hasText: 'Patient/beta' }).getByRole('link').click();
      await p.waitForSelector('#timeline li');
      const answer = await p.locator('#answers tbody tr[data-item="chest_pain"]').innerText();
      expect(answer).toContain('هل تشعر بألم في الصدر الآن؟');
      expect(answer).toMatch(/٠٫٩١|٠,٩١/);
      expect(await p.textContent('#answers tbody')).not.toMatch(/[0-9]/);
      const line = (selector: string) => p.locator(`#timeline li${selector}`).innerText();
      expect(await line('[data-event="prompt"][data-kind="question"]')).toContain('هل تشعر بألم في الصدر الآن؟');
      expect(await line('[data-event="prompt"][data-kind="reprompt"]')).toContain('أُعيد السؤال');
      expect(await line('[data-event="prompt"][data-key="prompt:no_input"]')).toContain('لم يُسمع جواب');
      expect(await line('[data-event="barge_in"]')).toContain('قاطع المتصل');
      expect(await line('[data-event="speech_unavailable"]')).toContain('التعرّف على الكلام متوقف');
      expect(await line('[data-event="transfer"]')).toContain('حُوّلت المكالمة');
      const timeline = await p.locator('#timeline li').allInnerTexts();
      expect(timeline).toHaveLength(13);
      expect(timeline.join('\n')).not.toMatch(/barge_in|speech_unavailable|[0-9]/);
      expect(await p.textContent('#call-summary')).toContain('حُوّلت');
      await p.context().close();
    } finally {
      await other.close();
    }
  }, 90_000);

  test('a refreshed view is audited when what it shows changes, not on every refresh', async () => {
    const count = async () => ((await admin('/api/v1/audit?limit=500&action=flags.list')).body['entries'] as Array<Record<string, unknown>>).filter((e) => e['keyName'] === 'bootstrap (BRIDGE_API_KEY)').length;
    const before = await count();
    for (let i = 0; i < 3; i++) await admin('/api/v1/flags?status=all');
    expect(await count()).toBe(before + 1); // the same flags three times: one record
    await flaggedCall();
    await admin('/api/v1/flags?status=all');
    expect(await count()).toBe(before + 2); // a new flag shown: recorded again
  });

  test('a console session never mints a credential, even with the admin scope; a draft with many problems gets the first 100', async () => {
    await admin('/api/v1/console-users', { body: { username: 'ops', displayName: 'Ops', password: PASSWORD, scopes: ['admin'] } });
    const signedIn = await fetch(`${t.base}/console/session`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '10.9.9.9' }, body: JSON.stringify({ username: 'ops', password: PASSWORD }) });
    expect(signedIn.status).toBe(200);
    const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const { csrfToken } = (await signedIn.json()) as { csrfToken: string };
    const asOps = (path: string, body: unknown) => fetch(`${t.base}${path}`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const minted = await asOps('/api/v1/keys', { name: 'sara (console)', scopes: ['admin'] });
    expect({ status: minted.status, error: ((await minted.json()) as Record<string, unknown>)['error'] }).toEqual({ status: 403, error: 'session_not_allowed' });
    const account = await asOps('/api/v1/console-users', { username: 'sneaky', displayName: 'x', password: PASSWORD, scopes: ['admin'] });
    expect(account.status).toBe(403);
    expect((await fetch(`${t.base}/api/v1/webhooks/deliveries`, { headers: { cookie } })).status).toBe(200); // reading is allowed
    const many = `id: many\nversion: 1\nlanguage: ar\ntitle: t\nitems:\n${Array.from({ length: 300 }, (_, i) => `  - { id: q${i}, type: nope, text: x }`).join('\n')}\n`;
    const checked = await asOps('/api/v1/questionnaires/simulate', { definition: many, turns: [] });
    const body = (await checked.json()) as { problems: string[]; problemLines: Array<number | null> };
    expect(body.problems).toHaveLength(101);
    expect(body.problems[100]).toMatch(/^… and \d+ more problems$/);
    expect(body.problemLines).toHaveLength(101);

    // An admin's system page lists the instances sharing the database, with their state in words.
    await t.database.instances.beat({ id: 'bridge-a', maxCalls: 100, draining: false, version: '9.9.1' });
    await t.database.instances.beat({ id: 'bridge-b', maxCalls: 50, draining: true, version: '9.9.0' });
    const ops = await signedInPage(t.base, 'ops', '#/system', '#instances tbody tr[data-instance="bridge-b"]');
    expect(await ops.locator('#instances tr[data-instance="bridge-a"]').innerText()).toMatch(/9\.9\.1[\s\S]*تعمل[\s\S]*0 \/ 100/);
    expect(await ops.locator('#instances tr[data-instance="bridge-b"]').getAttribute('data-state')).toBe('draining');
    await ops.context().close();
    for (const id of ['bridge-a', 'bridge-b']) await t.database.instances.leave(id);
  });

  test('accessibility: signed in and a flag acknowledged with the keyboard alone; every field labelled; text contrast at least 4.5:1 on every page', async () => {
    // An account of its own: the suite disables sara's before this test runs.
    const nurse = await admin('/api/v1/console-users', { body: { username: 'nadia', displayName: 'الممرضة نادية', password: PASSWORD, scopes: ['results:read', 'flags:write'] } });
    expect(nurse.status).toBe(201);
    await flaggedCall();
    const p = await watched(await (await browser.newContext()).newPage());
    await p.goto(`${t.base}/console`);
    const focused = () => p.evaluate(() => document.activeElement?.id ?? '');
    /** Presses Tab until `reached` holds for the focused element; false when it never does. */
    const tabTo = async (reached: () => Promise<boolean>, limit: number) => {
      for (let i = 0; i < limit; i++) {
        if (await reached()) return true;
        await p.keyboard.press('Tab');
      }
      return reached();
    };
    expect(await tabTo(async () => (await focused()) === 'username', 10)).toBe(true);
    await p.keyboard.type('nadia');
    await p.keyboard.press('Tab');
    expect(await focused()).toBe('password');
    await p.keyboard.type(PASSWORD);
    await p.keyboard.press('Enter');
    await p.waitForSelector('#open-flags tbody tr');
    const open = await p.locator('#open-flags tbody tr').count();
    const onAcknowledge = () => p.evaluate(() => document.activeElement?.tagName === 'BUTTON' && document.activeElement.closest('#open-flags') !== null);
    expect(await tabTo(onAcknowledge, 80)).toBe(true);
    await p.keyboard.press('Enter');
    await p.waitForFunction((n) => document.querySelectorAll('#open-flags tbody tr').length === n - 1, open, { timeout: 5000 });
    // A keyboard user sees where the focus is.
    await tabTo(onAcknowledge, 80);
    const outline = await p.evaluate(() => {
      const style = getComputedStyle(document.activeElement as Element);
      return { width: style.outlineWidth, style: style.outlineStyle, shadow: style.boxShadow };
    });
    expect(outline.style !== 'none' || outline.shadow !== 'none').toBe(true);

    const created = await admin('/api/v1/console-users', { body: { username: 'lina', displayName: 'Lina', password: PASSWORD, scopes: ['admin'] } });
    expect(created.status).toBe(201);
    const q = await signedInPage(t.base, 'lina', '#/flags', '#open-flags');
    for (const lang of ['ar', 'en']) {
      if (lang === 'en') await q.click('#lang');
      for (const hash of ['#/flags', '#/live', '#/calls', '#/campaigns', '#/overview', '#/questionnaires', '#/system']) {
        await q.goto(`${t.base}/console${hash}`);
        await q.waitForFunction(() => document.querySelector('main h2') !== null);
        await q.waitForTimeout(300);
        const problems = await q.evaluate(() => {
          const found: string[] = [];
          const visible = (el: Element) => {
            const r = el.getBoundingClientRect();
            const st = getComputedStyle(el);
            return r.width > 0 && r.height > 0 && st.visibility !== 'hidden' && st.display !== 'none';
          };
          for (const field of Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))) {
            if (!visible(field)) continue;
            const f = field as HTMLInputElement;
            const named = (f.labels?.length ?? 0) > 0 || f.getAttribute('aria-label') || f.getAttribute('aria-labelledby') || f.title;
            if (!named) found.push(`unlabelled ${f.tagName.toLowerCase()}#${f.id || f.name || '?'}`);
          }
          const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
          const luminance = ([r = 0, g = 0, b = 0]: number[]) => {
            const lin = (v: number) => {
              const s = v / 255;
              return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
            };
            return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
          };
          const background = (el: Element | null): number[] => {
            for (let at = el; at; at = at.parentElement) {
              const c = rgb(getComputedStyle(at).backgroundColor);
              if (c.length >= 3 && (c[3] === undefined || c[3] > 0.5)) return c;
            }
            return [255, 255, 255];
          };
          for (const el of Array.from(document.querySelectorAll('body *'))) {
            const own = Array.from(el.childNodes).some((n) => n.nodeType === Node.TEXT_NODE && (n.textContent ?? '').trim() !== '');
            if (!own || !visible(el)) continue;
            const st = getComputedStyle(el);
            const [fg, bg] = [luminance(rgb(st.color)), luminance(background(el))];
            const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
            const size = Number.parseFloat(st.fontSize);
            const large = size >= 24 || (size >= 18.66 && Number(st.fontWeight) >= 700);
            if (ratio < (large ? 3 : 4.5)) found.push(`${el.tagName.toLowerCase()} "${(el.textContent ?? '').trim().slice(0, 30)}" ${ratio.toFixed(2)}:1`);
          }
          return found;
        });
        expect({ lang, hash, problems }).toEqual({ lang, hash, problems: [] });
      }
    }
  }, 120_000);

  test('no page had a script error or an unexpected console error', () => {
    expect(pageErrors).toEqual([]);
  });
}

describe('the console without a browser', () => {
  test('the session cookie: Secure when PUBLIC_URL is https (not otherwise), always HttpOnly and SameSite=Strict', async () => {
    for (const [publicUrl, secure] of [['https://clinic.example', true], ['http://clinic.example', false]] as const) {
      const b = await startBridge({ BRIDGE_API_KEY: ADMIN_KEY, PUBLIC_URL: publicUrl });
      try {
        const made = await fetch(`${b.base}/api/v1/console-users`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ username: 'nour', displayName: 'Nour', password: PASSWORD, scopes: ['results:read'] }) });
        expect(made.status).toBe(201);
        // Plain HTTP to the bridge (as behind a TLS-terminating proxy): PUBLIC_URL decides.
        const signedIn = await fetch(`${b.base}/console/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'nour', password: PASSWORD }) });
        expect(signedIn.status).toBe(200);
        const attributes = (signedIn.headers.get('set-cookie') ?? '').split(';').map((a) => a.trim());
        expect(attributes[0]).toMatch(/^bridge_console=[A-Za-z0-9_-]{20,}$/);
        expect(attributes).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/']));
        expect({ publicUrl, secure: attributes.includes('Secure') }).toEqual({ publicUrl, secure });
      } finally {
        await b.close();
      }
    }
  }, 30_000);

  test("the page's scripts are modules under STYLE's 600 lines each, every one loaded from the page or another module", () => {
    const dir = path.resolve(__dirname, '../src/console/static');
    const scripts = readdirSync(dir).filter((f) => f.endsWith('.js'));
    for (const file of scripts) expect({ file, lines: readFileSync(path.join(dir, file), 'utf8').split('\n').length < 600 }).toEqual({ file, lines: true });
    const loaded = new Set<string>();
    const html = readFileSync(path.join(dir, 'index.html'), 'utf8');
    for (const m of html.matchAll(/<script type="module" src="\/console\/([\w-]+\.js)">/g)) loaded.add(m[1] as string);
    for (const file of scripts) for (const m of readFileSync(path.join(dir, file), 'utf8').matchAll(/from '\.\/([\w-]+\.js)'/g)) loaded.add(m[1] as string);
    expect([...loaded].sort()).toEqual([...scripts].sort());
  });
});
