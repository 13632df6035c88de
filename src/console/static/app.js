// The clinic console: plain browser modules, no build. Every figure on the page comes from the
// public clinic API (/api/v1), called with the session cookie; changes carry the CSRF token,
// which lives only in this module's memory. Text from the API is only ever set as textContent.

const T = {
  ar: {
    title: 'لوحة العيادة', 'nav.flags': 'التنبيهات', 'nav.calls': 'المكالمات', lang: 'English', signout: 'تسجيل الخروج',
    'signin.title': 'تسجيل الدخول', 'signin.username': 'اسم المستخدم', 'signin.password': 'كلمة المرور', 'signin.submit': 'دخول',
    'signin.failed': 'اسم المستخدم أو كلمة المرور غير صحيحة.', 'signin.throttled': 'محاولات كثيرة فاشلة. انتظر ربع ساعة.', 'session.ended': 'انتهت الجلسة. سجّل الدخول من جديد.',
    'flags.open': 'تنبيهات لم تُعالج', 'flags.done': 'تنبيهات عولجت', 'flags.none': 'لا توجد تنبيهات مفتوحة.', 'flags.new': 'تنبيه جديد',
    patient: 'المريض', question: 'السؤال', answer: 'الإجابة', said: 'كلام المتصل', when: 'الوقت', call: 'المكالمة', action: 'الإجراء', ack: 'تمت المعالجة', 'ack.by': 'عالجه',
    open: 'فتح', status: 'الحالة', questionnaire: 'الاستبيان', flagged: 'فيها تنبيه', since: 'من', until: 'إلى', any: 'الكل', yes: 'نعم', no: 'لا', filter: 'تصفية', csv: 'تصدير CSV',
    started: 'البداية', duration: 'المدة', flags: 'التنبيهات', method: 'الطريقة', confidence: 'الثقة', attempts: 'المحاولات', timeline: 'المجريات', more: 'المزيد',
    'action.emergency': 'طوارئ', 'action.transfer': 'تحويل', 'action.notify': 'إشعار', voice: 'صوت', dtmf: 'لوحة المفاتيح', error: 'تعذّر التحميل',
    'nav.campaigns': 'الحملات', 'nav.system': 'النظام', name: 'الاسم', created: 'أُنشئت', progress: 'التقدم', position: 'الترتيب', state: 'الحالة', outcome: 'آخر نتيجة', next: 'المحاولة القادمة',
    pause: 'إيقاف مؤقت', resume: 'استئناف', cancel: 'إلغاء', 'campaign.new': 'حملة جديدة', 'campaign.file': 'قائمة المرضى (CSV)', timeZone: 'المنطقة الزمنية', days: 'الأيام', start: 'من الساعة', end: 'إلى الساعة',
    maxAttempts: 'أقصى عدد محاولات', concurrency: 'مكالمات متزامنة', callsPerSecond: 'مكالمات في الثانية', voicemail: 'البريد الصوتي', 'voicemail.message': 'اترك الرسالة', 'voicemail.hang_up': 'أغلق الخط', create: 'إنشاء',
    'retry.no_answer': 'إعادة بعد عدم الرد (دقائق)', 'retry.busy': 'إعادة بعد الانشغال (دقائق)', 'retry.failed': 'إعادة بعد الفشل (دقائق)', 'retry.voicemail': 'إعادة بعد البريد الصوتي (دقائق)',
    'system.instances': 'النسخ العاملة', 'instances.calls': 'المكالمات / الحد', heartbeat: 'آخر نبضة', 'state.live': 'تعمل', 'state.draining': 'تتوقف (تنهي مكالماتها)', 'state.stale': 'لا تستجيب',
    'system.ready': 'جاهزية الخدمة', 'system.component': 'المكوّن', 'system.deliveries': 'إرسال الإشعارات (Webhooks)', replay: 'إعادة الإرسال', event: 'الحدث', tries: 'المحاولات', 'status.ok': 'يعمل', 'status.degraded': 'متعطل جزئياً',
    'nav.overview': 'نظرة عامة', 'ov.calls': 'المكالمات', 'ov.completion': 'نسبة الإكمال', 'ov.median': 'متوسط مدة المكالمة (الوسيط)', 'ov.perDay': 'المكالمات يومياً حسب النتيجة', 'ov.flagsPerDay': 'التنبيهات يومياً', date: 'اليوم', show: 'اعرض',
    'nav.live': 'المكالمات الجارية', 'live.none': 'لا توجد مكالمات جارية الآن.', instance: 'الخادم', current: 'السؤال الحالي',
    'nav.questionnaires': 'الاستبيانات', 'q.source': 'الاستبيان (YAML)', 'q.turns': 'ما يقوله المتصل، سطر لكل دور (#1 للوحة المفاتيح، سطر فارغ للصمت)', 'q.try': 'جرّب', 'q.publish': 'انشر', 'q.problems': 'مشكلات', 'q.line': 'السطر', 'q.published': 'نُشر الإصدار', 'q.versions': 'الإصدارات', 'q.live': 'المعتمد الآن', title_: 'العنوان', items: 'الأسئلة', version: 'الإصدار',
    'sim.say': 'الجهاز', 'sim.caller': 'المتصل', 'sim.answer': 'سُجّل', 'sim.escalate': 'تصعيد', 'sim.end': 'انتهت المكالمة',
    'day.1': 'الاثنين', 'day.2': 'الثلاثاء', 'day.3': 'الأربعاء', 'day.4': 'الخميس', 'day.5': 'الجمعة', 'day.6': 'السبت', 'day.7': 'الأحد',
  },
  en: {
    title: 'Clinic console', 'nav.flags': 'Red flags', 'nav.calls': 'Calls', lang: 'العربية', signout: 'Sign out',
    'signin.title': 'Sign in', 'signin.username': 'Username', 'signin.password': 'Password', 'signin.submit': 'Sign in',
    'signin.failed': 'Unknown name or wrong password.', 'signin.throttled': 'Too many failed sign-ins. Wait 15 minutes.', 'session.ended': 'Your session has ended. Sign in again.',
    'flags.open': 'Open red flags', 'flags.done': 'Acknowledged', 'flags.none': 'No open red flags.', 'flags.new': 'New red flag',
    patient: 'Patient', question: 'Question', answer: 'Answer', said: "Caller's words", when: 'When', call: 'Call', action: 'Action', ack: 'Acknowledge', 'ack.by': 'Acknowledged by',
    open: 'Open', status: 'Status', questionnaire: 'Questionnaire', flagged: 'Flagged', since: 'From', until: 'To', any: 'Any', yes: 'Yes', no: 'No', filter: 'Filter', csv: 'Export CSV',
    started: 'Started', duration: 'Duration', flags: 'Red flags', method: 'How', confidence: 'Confidence', attempts: 'Attempts', timeline: 'Timeline', more: 'More',
    'action.emergency': 'Emergency', 'action.transfer': 'Transfer', 'action.notify': 'Notify', voice: 'Voice', dtmf: 'Keypad', error: 'Could not load',
    'nav.campaigns': 'Campaigns', 'nav.system': 'System', name: 'Name', created: 'Created', progress: 'Progress', position: 'Position', state: 'State', outcome: 'Last outcome', next: 'Next attempt',
    pause: 'Pause', resume: 'Resume', cancel: 'Cancel', 'campaign.new': 'New campaign', 'campaign.file': 'Patient list (CSV)', timeZone: 'Time zone', days: 'Days', start: 'From', end: 'Until',
    maxAttempts: 'Most attempts', concurrency: 'Calls at once', callsPerSecond: 'Calls per second', voicemail: 'Voicemail', 'voicemail.message': 'Leave the message', 'voicemail.hang_up': 'Hang up', create: 'Create',
    'retry.no_answer': 'Retry after no answer (minutes)', 'retry.busy': 'Retry after busy (minutes)', 'retry.failed': 'Retry after a failure (minutes)', 'retry.voicemail': 'Retry after voicemail (minutes)',
    'system.instances': 'Instances', 'instances.calls': 'Calls / limit', heartbeat: 'Last heartbeat', 'state.live': 'Live', 'state.draining': 'Draining (finishing its calls)', 'state.stale': 'Not answering',
    'system.ready': 'Service readiness', 'system.component': 'Component', 'system.deliveries': 'Webhook deliveries', replay: 'Replay', event: 'Event', tries: 'Tries', 'status.ok': 'Working', 'status.degraded': 'Degraded',
    'nav.overview': 'Overview', 'ov.calls': 'Calls', 'ov.completion': 'Completion rate', 'ov.median': 'Median call length', 'ov.perDay': 'Calls per day by outcome', 'ov.flagsPerDay': 'Red flags per day', date: 'Day', show: 'Show',
    'nav.live': 'Live', 'live.none': 'No calls in progress.', instance: 'Instance', current: 'Current question',
    'nav.questionnaires': 'Questionnaires', 'q.source': 'Questionnaire (YAML)', 'q.turns': "The caller's turns, one per line (#1 for keys, an empty line for silence)", 'q.try': 'Try it', 'q.publish': 'Publish', 'q.problems': 'Problems', 'q.line': 'line', 'q.published': 'Published version', 'q.versions': 'Versions', 'q.live': 'live', title_: 'Title', items: 'Questions', version: 'Version',
    'sim.say': 'Bridge', 'sim.caller': 'Caller', 'sim.answer': 'Recorded', 'sim.escalate': 'Escalation', 'sim.end': 'Call ended',
    'day.1': 'Monday', 'day.2': 'Tuesday', 'day.3': 'Wednesday', 'day.4': 'Thursday', 'day.5': 'Friday', 'day.6': 'Saturday', 'day.7': 'Sunday',
  },
};

const state = { lang: localStorage.getItem('console.lang') === 'en' ? 'en' : 'ar', session: null, seenFlags: null, poll: null, audio: null };
const $ = (id) => document.getElementById(id);
const t = (key) => T[state.lang][key] ?? key;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const child of children.flat()) node.append(child instanceof Node ? child : document.createTextNode(String(child ?? '')));
  return node;
}

// Arabic pages use the clinic's digits (CONSOLE_DIGITS); English pages Western ones.
const locale = () => (state.lang === 'ar' ? `ar-SA-u-nu-${state.session?.digits === 'arab' ? 'arab' : 'latn'}` : 'en-GB');
const num = (n) => new Intl.NumberFormat(locale()).format(n);
const when = (iso) => (iso ? new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)) : '');
const value = (v) => (v === true ? t('yes') : v === false ? t('no') : v === null || v === undefined ? '' : typeof v === 'number' ? num(v) : typeof v === 'object' ? JSON.stringify(v) : String(v));

class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.error;
  }
}

async function api(path, { method = 'GET', body } = {}) {
  const headers = { accept: 'application/json' };
  if (method !== 'GET') headers['x-csrf-token'] = state.session?.csrfToken ?? '';
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status === 204) return null;
  const json = await res.json().catch(() => null);
  if (res.status === 401 && path.startsWith('/api/')) return signedOut(t('session.ended'));
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}

function translate() {
  document.documentElement.lang = state.lang;
  document.documentElement.dir = state.lang === 'ar' ? 'rtl' : 'ltr';
  for (const node of document.querySelectorAll('[data-t]')) node.textContent = t(node.dataset.t);
  document.title = t('title');
}

function signedOut(message = '') {
  state.session = null;
  clearInterval(state.poll);
  $('nav').hidden = true;
  $('signout').hidden = true;
  $('who').textContent = '';
  $('view').replaceChildren();
  $('signin').hidden = false;
  $('signin-error').textContent = message;
  return new Promise(() => undefined); // the page waits for a new sign-in
}

function signedIn(session) {
  state.session = session;
  $('signin').hidden = true;
  $('nav').hidden = false;
  $('signout').hidden = false;
  $('who').textContent = session.user.displayName;
  route();
}

/** A short tone for a new red flag (a nurse may be looking elsewhere). */
function chime() {
  try {
    state.audio ??= new AudioContext();
    const osc = state.audio.createOscillator();
    const gain = state.audio.createGain();
    osc.frequency.value = 880;
    gain.gain.value = 0.15;
    osc.connect(gain).connect(state.audio.destination);
    osc.start();
    osc.stop(state.audio.currentTime + 0.4);
  } catch {
    // No audio output: the visible cue remains.
  }
}

async function flagsView() {
  const view = $('view');
  const [open, done] = await Promise.all([api('/api/v1/flags?status=open&limit=100'), api('/api/v1/flags?status=acknowledged&limit=20')]);
  const fresh = state.seenFlags ? open.flags.filter((f) => !state.seenFlags.has(f.id)) : [];
  state.seenFlags = new Set([...(state.seenFlags ?? []), ...open.flags.map((f) => f.id)]);
  if (fresh.length > 0) {
    chime();
    $('announce').textContent = `${t('flags.new')}: ${fresh.map((f) => f.question ?? f.item).join('، ')}`;
  }
  document.title = open.flags.length ? `(${open.flags.length}) ${t('title')}` : t('title');
  const head = (...cols) => el('thead', {}, el('tr', {}, cols.map((c) => el('th', { scope: 'col' }, t(c)))));
  const row = (f, isOpen) =>
    el(
      'tr',
      { class: `${isOpen ? 'open' : ''} ${fresh.includes(f) ? 'fresh' : ''}`.trim(), 'data-flag': f.id },
      el('td', {}, f.call.patient?.reference ?? '—'),
      el('td', {}, f.question ?? f.item),
      el('td', {}, el('span', { class: 'action' }, t(`action.${f.action}`)), ' ', value(f.value)),
      el('td', {}, f.answer?.transcript ?? (f.answer ? t(f.answer.method) : '')),
      el('td', {}, el('time', { datetime: f.raisedAt }, when(f.raisedAt))),
      el('td', {}, el('a', { href: `#/calls/${f.callId}` }, t('open'))),
      el(
        'td',
        {},
        isOpen
          ? el('button', { type: 'button', onclick: (e) => acknowledge(f, e.currentTarget) }, t('ack'))
          : el('span', { class: 'done' }, `${f.acknowledgedBy} · ${when(f.acknowledgedAt)}`),
      ),
    );
  view.replaceChildren(
    el('h2', {}, t('flags.open')),
    open.flags.length ? el('table', { id: 'open-flags' }, head('patient', 'question', 'answer', 'said', 'when', 'call', 'action'), el('tbody', {}, open.flags.map((f) => row(f, true)))) : el('p', { id: 'no-flags' }, t('flags.none')),
    el('h2', {}, t('flags.done')),
    el('table', { id: 'done-flags' }, head('patient', 'question', 'answer', 'said', 'when', 'call', 'ack.by'), el('tbody', {}, done.flags.map((f) => row(f, false)))),
  );
}

async function acknowledge(flag, button) {
  button.disabled = true;
  try {
    await api(`/api/v1/flags/${flag.id}/acknowledge`, { method: 'POST', body: { by: state.session.user.displayName } });
    await flagsView();
  } catch (error) {
    button.disabled = false;
    $('announce').textContent = `${t('error')}: ${error.message}`;
  }
}

async function callsView(params) {
  const view = $('view');
  const query = new URLSearchParams();
  for (const key of ['status', 'questionnaire', 'flagged', 'since', 'until']) if (params.get(key)) query.set(key, key === 'since' || key === 'until' ? new Date(params.get(key)).toISOString() : params.get(key));
  query.set('limit', '100');
  const page = await api(`/api/v1/calls?${query}`);
  const field = (name, control) => el('label', {}, t(name), control);
  const select = (name, options) => el('select', { name }, options.map(([v, label]) => el('option', { value: v, selected: params.get(name) === v }, label)));
  const form = el(
    'form',
    { class: 'filters', id: 'call-filters', onsubmit: (e) => {
      e.preventDefault();
      const data = new URLSearchParams([...new FormData(e.currentTarget)].filter(([, v]) => v !== ''));
      location.hash = `#/calls?${data}`;
    } },
    field('status', select('status', [['', t('any')], ...['in_progress', 'completed', 'stopped', 'escalated', 'opted_out', 'transferred', 'interrupted'].map((s) => [s, s])])),
    field('questionnaire', el('input', { name: 'questionnaire', value: params.get('questionnaire') ?? '', pattern: '[a-z0-9-]{1,64}' })),
    field('flagged', select('flagged', [['', t('any')], ['true', t('yes')], ['false', t('no')]])),
    field('since', el('input', { type: 'date', name: 'since', value: params.get('since') ?? '' })),
    field('until', el('input', { type: 'date', name: 'until', value: params.get('until') ?? '' })),
    el('button', { type: 'submit' }, t('filter')),
    el('button', { type: 'button', onclick: () => download(page.calls) }, t('csv')),
  );
  view.replaceChildren(
    el('h2', {}, t('nav.calls')),
    form,
    el(
      'table',
      { id: 'calls' },
      el('thead', {}, el('tr', {}, ['started', 'patient', 'questionnaire', 'status', 'flags', 'call'].map((c) => el('th', { scope: 'col' }, t(c))))),
      el('tbody', {}, page.calls.map((c) => el('tr', { 'data-call': c.id }, el('td', {}, when(c.startedAt)), el('td', {}, c.patient?.reference ?? '—'), el('td', {}, `${c.questionnaire.id} v${c.questionnaire.version}`), el('td', {}, c.status), el('td', {}, c.flags ? el('span', { class: 'action' }, num(c.flags)) : num(0)), el('td', {}, el('a', { href: `#/calls/${c.id}` }, t('open')))))),
    ),
  );
}

/** The listed calls as CSV (RFC 4180), made in the page from what the API returned. */
function download(calls) {
  // A cell a spreadsheet would run as a formula is prefixed with ' (patient references come from outside).
  const cell = (v) => {
    const text = /^[=+\-@\t\r]/.test(String(v)) ? `'${v}` : String(v);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const lines = [['id', 'started_at', 'ended_at', 'status', 'questionnaire', 'version', 'patient', 'flags'], ...calls.map((c) => [c.id, c.startedAt, c.endedAt ?? '', c.status, c.questionnaire.id, c.questionnaire.version, c.patient?.reference ?? '', c.flags])];
  const blob = new Blob([`${lines.map((l) => l.map(cell).join(',')).join('\r\n')}\r\n`], { type: 'text/csv' });
  const link = el('a', { href: URL.createObjectURL(blob), download: 'calls.csv' });
  document.body.append(link);
  link.click();
  link.remove();
}

async function callView(id) {
  const call = await api(`/api/v1/calls/${encodeURIComponent(id)}`);
  $('view').replaceChildren(
    el('h2', {}, `${t('call')} · ${call.patient?.reference ?? '—'}`),
    el('p', {}, `${call.questionnaire.id} v${call.questionnaire.version} · ${call.status} · ${when(call.startedAt)}`),
    el(
      'table',
      { id: 'answers' },
      el('thead', {}, el('tr', {}, ['question', 'answer', 'method', 'said', 'confidence', 'attempts'].map((c) => el('th', { scope: 'col' }, t(c))))),
      el('tbody', {}, Object.entries(call.answers).map(([item, a]) => el('tr', { 'data-item': item }, el('td', {}, item), el('td', {}, value(a.value)), el('td', {}, t(a.method)), el('td', {}, a.transcript ?? ''), el('td', {}, new Intl.NumberFormat(locale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(a.confidence)), el('td', {}, num(a.attempts))))),
    ),
    el('h3', {}, t('flags')),
    el('ul', {}, call.flags.map((f) => el('li', {}, `${t(`action.${f.action}`)}: ${f.item} = ${value(f.value)}${f.acknowledgedBy ? ` · ${t('ack.by')} ${f.acknowledgedBy}` : ''}`))),
    el('h3', {}, t('timeline')),
    el('ol', { id: 'timeline' }, call.events.map((e) => el('li', {}, `${when(e.at)} · ${e.type}${e.detail?.item ? ` (${e.detail.item})` : ''}`))),
  );
}

const canWrite = (scope) => state.session.user.scopes.includes('admin') || state.session.user.scopes.includes(scope);

async function campaignsView() {
  const [list, questionnaires] = await Promise.all([api('/api/v1/campaigns'), api('/api/v1/questionnaires').catch(() => ({ questionnaires: [] }))]);
  const counts = (progress) => Object.entries(progress).map(([k, n]) => `${k}: ${num(n)}`).join(' · ');
  const number = (name, value, min, max) => el('label', {}, t(name), el('input', { type: 'number', name, value, min, max, step: name === 'callsPerSecond' ? '0.1' : '1', required: true }));
  const form = canWrite('calls:write')
    ? el(
        'form',
        { id: 'new-campaign', class: 'filters', onsubmit: createCampaign },
        el('label', {}, t('name'), el('input', { name: 'name', required: true, maxlength: 100 })),
        el('label', {}, t('questionnaire'), el('select', { name: 'questionnaire', required: true }, (questionnaires.questionnaires ?? []).map((q) => el('option', { value: q.id }, `${q.id} v${q.version}`)))),
        el('label', {}, t('campaign.file'), el('input', { type: 'file', name: 'file', accept: '.csv,text/csv', required: true })),
        el('label', {}, t('timeZone'), el('input', { name: 'timeZone', value: 'Asia/Riyadh', required: true })),
        el('fieldset', {}, el('legend', {}, t('days')), [7, 1, 2, 3, 4, 5, 6].map((d) => el('label', {}, el('input', { type: 'checkbox', name: 'days', value: d, checked: d <= 4 || d === 7 }), t(`day.${d}`)))),
        el('label', {}, t('start'), el('input', { type: 'time', name: 'start', value: '09:00', required: true })),
        el('label', {}, t('end'), el('input', { type: 'time', name: 'end', value: '17:00', required: true })),
        number('maxAttempts', 3, 1, 10),
        ...['no_answer', 'busy', 'failed', 'voicemail'].map((k) => el('label', {}, t(`retry.${k}`), el('input', { type: 'number', name: `retry.${k}`, value: { no_answer: 120, busy: 30, failed: 60, voicemail: 240 }[k], min: 1, max: 10080, required: true }))),
        number('concurrency', 5, 1, 100),
        number('callsPerSecond', 1, 0.1, 30),
        el('label', {}, t('voicemail'), el('select', { name: 'voicemail' }, el('option', { value: 'message' }, t('voicemail.message')), el('option', { value: 'hang_up' }, t('voicemail.hang_up')))),
        el('button', { type: 'submit' }, t('create')),
        el('p', { id: 'campaign-error', role: 'alert' }),
      )
    : '';
  $('view').replaceChildren(
    el('h2', {}, t('nav.campaigns')),
    el(
      'table',
      { id: 'campaigns' },
      el('thead', {}, el('tr', {}, ['name', 'questionnaire', 'status', 'progress', 'created', 'open'].map((c) => el('th', { scope: 'col' }, t(c))))),
      el('tbody', {}, list.campaigns.map((c) => el('tr', { 'data-campaign': c.id }, el('td', {}, c.name), el('td', {}, c.questionnaire), el('td', {}, c.status), el('td', {}, counts(c.progress)), el('td', {}, when(c.createdAt)), el('td', {}, el('a', { href: `#/campaigns/${c.id}` }, t('open')))))),
    ),
    form ? el('h2', {}, t('campaign.new')) : '',
    form,
  );
}

async function createCampaign(event) {
  event.preventDefault();
  const data = new FormData(event.currentTarget);
  const settings = {
    window: { timeZone: data.get('timeZone'), days: data.getAll('days').map(Number), start: data.get('start'), end: data.get('end') },
    maxAttempts: Number(data.get('maxAttempts')),
    retryMinutes: Object.fromEntries(['no_answer', 'busy', 'failed', 'voicemail'].map((k) => [k, Number(data.get(`retry.${k}`))])),
    concurrency: Number(data.get('concurrency')),
    callsPerSecond: Number(data.get('callsPerSecond')),
    voicemail: data.get('voicemail'),
  };
  const query = new URLSearchParams({ name: data.get('name'), questionnaire: data.get('questionnaire'), settings: JSON.stringify(settings) });
  // The patient list goes to the API as it is: the API checks every line and says which is wrong.
  const res = await fetch(`/api/v1/campaigns?${query}`, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'text/csv', 'x-csrf-token': state.session.csrfToken }, body: await data.get('file').text() });
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    $('campaign-error').textContent = body?.message ?? `HTTP ${res.status}`;
    return;
  }
  location.hash = `#/campaigns/${body.id}`;
}

async function campaignView(id) {
  const c = await api(`/api/v1/campaigns/${encodeURIComponent(id)}`);
  const steer = (action) => el('button', { type: 'button', 'data-action': action, onclick: async () => {
    await api(`/api/v1/campaigns/${c.id}/${action}`, { method: 'POST', body: {} }).catch((e) => ($('announce').textContent = e.message));
    await campaignView(c.id);
  } }, t(action));
  $('view').replaceChildren(
    el('h2', {}, c.name),
    el('p', { id: 'campaign-status' }, `${c.questionnaire} · ${c.status} · ${Object.entries(c.progress).map(([k, n]) => `${k}: ${n}`).join(' · ')}`),
    canWrite('calls:write') && ['active', 'paused'].includes(c.status) ? el('p', {}, c.status === 'active' ? steer('pause') : steer('resume'), ' ', steer('cancel')) : '',
    el(
      'table',
      { id: 'campaign-patients' },
      el('thead', {}, el('tr', {}, ['position', 'patient', 'state', 'attempts', 'outcome', 'next', 'call'].map((h) => el('th', { scope: 'col' }, t(h))))),
      el('tbody', {}, c.patients.map((p) => el('tr', {}, el('td', {}, num(p.position)), el('td', {}, p.reference ?? '—'), el('td', {}, p.state), el('td', {}, num(p.attempts)), el('td', {}, p.lastOutcome ?? ''), el('td', {}, when(p.nextAttemptAt)), el('td', {}, p.calls.map((x) => x.status).join(', '))))),
    ),
  );
  // Progress follows the calls without a reload.
  state.poll = setInterval(() => campaignView(c.id).catch(() => undefined), 5000);
}

async function systemView() {
  const ready = await fetch('/ready').then((r) => r.json());
  const deliveries = canWrite('admin') ? await api('/api/v1/webhooks/deliveries?limit=20') : null;
  const instances = canWrite('admin') ? await api('/api/v1/instances') : null;
  $('view').replaceChildren(
    el('h2', {}, t('system.ready')),
    el('p', { id: 'ready-status' }, ready.status),
    el(
      'table',
      { id: 'components' },
      el('thead', {}, el('tr', {}, ['system.component', 'status'].map((h) => el('th', { scope: 'col' }, t(h))))),
      el('tbody', {}, Object.entries(ready.components ?? {}).map(([name, c]) => el('tr', { 'data-component': name }, el('td', {}, name), el('td', {}, `${t(`status.${c.status}`)}${c.reason ? `: ${c.reason}` : ''}`)))),
    ),
    instances ? el('h2', {}, t('system.instances')) : '',
    instances
      ? el(
          'table',
          { id: 'instances' },
          el('thead', {}, el('tr', {}, ['instance', 'version', 'status', 'instances.calls', 'heartbeat'].map((h) => el('th', { scope: 'col' }, t(h))))),
          el('tbody', {}, instances.instances.map((i) => el('tr', { 'data-instance': i.id, 'data-state': i.state }, el('td', {}, i.id), el('td', {}, i.version), el('td', {}, t(`state.${i.state}`)), el('td', {}, `${num(i.activeCalls)} / ${num(i.maxCalls)}`), el('td', {}, el('time', { datetime: i.heartbeatAt }, when(i.heartbeatAt)))))),
        )
      : '',
    deliveries ? el('h2', {}, t('system.deliveries')) : '',
    deliveries
      ? el(
          'table',
          { id: 'deliveries' },
          el('thead', {}, el('tr', {}, ['event', 'status', 'tries', 'when', 'replay'].map((h) => el('th', { scope: 'col' }, t(h))))),
          el('tbody', {}, deliveries.deliveries.map((d) => el('tr', { 'data-delivery': d.id }, el('td', {}, d.eventType), el('td', {}, `${d.status}${d.lastStatus ? ` (${d.lastStatus})` : ''}`), el('td', {}, num(d.attempts)), el('td', {}, when(d.createdAt)), el('td', {}, el('button', { type: 'button', onclick: async () => {
            await api(`/api/v1/webhooks/deliveries/${d.id}/replay`, { method: 'POST', body: {} });
            await systemView();
          } }, t('replay')))))),
        )
      : '',
  );
}

const SVG = 'http://www.w3.org/2000/svg';
const OUTCOME_COLOURS = { completed: '#15803d', escalated: '#b91c1c', transferred: '#c2410c', opted_out: '#6b7280', stopped: '#a16207', interrupted: '#7c3aed', in_progress: '#2563eb' };

/** A bar chart as SVG: one bar a day, stacked by series; `label` is read by screen readers. */
function barChart(days, series, colours, label) {
  const width = 720;
  const height = 180;
  const totals = days.map((d) => series.reduce((sum, key) => sum + (d[key] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const step = width / Math.max(1, days.length);
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height + 20}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  days.forEach((d, i) => {
    let y = height;
    for (const key of series) {
      const n = d[key] ?? 0;
      if (!n) continue;
      const h = (n / max) * height;
      y -= h;
      const rect = document.createElementNS(SVG, 'rect');
      for (const [k, v] of Object.entries({ x: i * step + 2, y, width: Math.max(1, step - 4), height: h, fill: colours[key] ?? '#374151', 'data-series': key })) rect.setAttribute(k, String(v));
      const title = document.createElementNS(SVG, 'title');
      title.textContent = `${d.date} · ${key}: ${n}`;
      rect.append(title);
      svg.append(rect);
    }
  });
  return svg;
}

async function overviewView(params) {
  const query = new URLSearchParams({ tz: Intl.DateTimeFormat().resolvedOptions().timeZone || 'Asia/Riyadh' });
  if (params.get('questionnaire')) query.set('questionnaire', params.get('questionnaire'));
  if (params.get('since')) query.set('since', new Date(params.get('since')).toISOString());
  if (params.get('until')) query.set('until', new Date(params.get('until')).toISOString());
  const o = await api(`/api/v1/overview?${query}`);
  const statuses = [...new Set(o.days.flatMap((d) => Object.keys(d.byStatus)))];
  const rows = o.days.map((d) => ({ date: d.date, ...d.byStatus, flags: d.flags }));
  const percent = new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 0 });
  const form = el(
    'form',
    { class: 'filters', id: 'overview-filters', onsubmit: (e) => {
      e.preventDefault();
      location.hash = `#/overview?${new URLSearchParams([...new FormData(e.currentTarget)].filter(([, v]) => v !== ''))}`;
    } },
    el('label', {}, t('questionnaire'), el('input', { name: 'questionnaire', value: params.get('questionnaire') ?? '', pattern: '[a-z0-9-]{1,64}' })),
    el('label', {}, t('since'), el('input', { type: 'date', name: 'since', value: params.get('since') ?? '' })),
    el('label', {}, t('until'), el('input', { type: 'date', name: 'until', value: params.get('until') ?? '' })),
    el('button', { type: 'submit' }, t('show')),
  );
  $('view').replaceChildren(
    el('h2', {}, t('nav.overview')),
    form,
    el(
      'dl',
      { id: 'overview-summary' },
      el('dt', {}, t('ov.calls')), el('dd', { 'data-figure': 'calls' }, num(o.calls)),
      el('dt', {}, t('ov.completion')), el('dd', { 'data-figure': 'completion' }, o.completionRate === null ? '—' : percent.format(o.completionRate)),
      el('dt', {}, t('ov.median')), el('dd', { 'data-figure': 'median' }, o.medianSeconds === null ? '—' : `${num(Math.floor(o.medianSeconds / 60))}:${new Intl.NumberFormat(locale(), { minimumIntegerDigits: 2 }).format(Math.round(o.medianSeconds % 60))}`),
    ),
    el('h3', {}, t('ov.perDay')),
    el('p', { class: 'legend' }, statuses.map((st) => el('span', { class: 'swatch', 'data-colour': OUTCOME_COLOURS[st] ?? '#374151' }, `■ ${st}  `))),
    el('figure', { id: 'chart-calls' }, barChart(rows, statuses, OUTCOME_COLOURS, t('ov.perDay'))),
    el('h3', {}, t('ov.flagsPerDay')),
    el('figure', { id: 'chart-flags' }, barChart(rows, ['flags'], { flags: '#b91c1c' }, t('ov.flagsPerDay'))),
    el(
      'table',
      { id: 'overview-days' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('date')), statuses.map((st) => el('th', { scope: 'col' }, st)), el('th', { scope: 'col' }, t('flags')))),
      el('tbody', {}, rows.map((r) => el('tr', {}, el('td', {}, r.date), statuses.map((st) => el('td', {}, num(r[st] ?? 0))), el('td', {}, num(r.flags))))),
    ),
  );
  // The legend's colours: set through the DOM (the page allows no inline styles).
  for (const swatch of document.querySelectorAll('.swatch')) swatch.style.color = swatch.dataset.colour;
}

const duration = (from) => {
  const s = Math.max(0, Math.floor((Date.now() - Date.parse(from)) / 1000));
  return `${num(Math.floor(s / 60))}:${new Intl.NumberFormat(locale(), { minimumIntegerDigits: 2 }).format(s % 60)}`;
};

async function liveView() {
  const live = await api('/api/v1/calls/live');
  $('view').replaceChildren(
    el('h2', {}, t('nav.live')),
    live.calls.length === 0
      ? el('p', { id: 'no-live' }, t('live.none'))
      : el(
          'table',
          { id: 'live' },
          el('thead', {}, el('tr', {}, ['duration', 'patient', 'questionnaire', 'current', 'instance', 'call'].map((h) => el('th', { scope: 'col' }, t(h))))),
          el('tbody', {}, live.calls.map((c) => el('tr', { 'data-call': c.id }, el('td', { 'data-started': c.startedAt }, duration(c.startedAt)), el('td', {}, c.patient?.reference ?? '—'), el('td', {}, `${c.questionnaire.id} v${c.questionnaire.version}`), el('td', {}, c.currentItem?.text ?? ''), el('td', {}, c.instance), el('td', {}, el('a', { href: `#/calls/${c.id}` }, t('open')))))),
        ),
  );
}

async function questionnairesView() {
  const list = await api('/api/v1/questionnaires');
  const editor = canWrite('questionnaires:write')
    ? el(
        'form',
        { id: 'q-editor', onsubmit: (e) => e.preventDefault() },
        el('label', { for: 'q-source' }, t('q.source')),
        el('textarea', { id: 'q-source', rows: 18, cols: 80, dir: 'auto', spellcheck: 'false' }),
        el('label', { for: 'q-turns' }, t('q.turns')),
        el('textarea', { id: 'q-turns', rows: 5, cols: 80, dir: 'auto' }),
        el('p', {}, el('button', { type: 'button', id: 'q-try', onclick: tryDraft }, t('q.try')), ' ', el('button', { type: 'button', id: 'q-publish', onclick: publishDraft }, t('q.publish'))),
        el('div', { id: 'q-result', 'aria-live': 'polite' }),
      )
    : '';
  $('view').replaceChildren(
    el('h2', {}, t('nav.questionnaires')),
    el(
      'table',
      { id: 'questionnaires' },
      el('thead', {}, el('tr', {}, ['name', 'version', 'title_', 'items', 'q.versions'].map((h) => el('th', { scope: 'col' }, t(h))))),
      el('tbody', {}, list.questionnaires.map((q) => el('tr', { 'data-questionnaire': q.id }, el('td', {}, q.id), el('td', {}, num(q.version)), el('td', {}, q.title ?? ''), el('td', {}, num(q.items)), el('td', {}, el('button', { type: 'button', 'data-versions': q.id, onclick: () => showVersions(q.id) }, t('q.versions')))))),
    ),
    el('div', { id: 'q-versions', 'aria-live': 'polite' }),
    editor,
  );
}

/** Every stored version of a questionnaire, the live one marked. */
async function showVersions(id) {
  const v = await api(`/api/v1/questionnaires/${encodeURIComponent(id)}/versions`);
  $('q-versions').replaceChildren(el('h3', {}, `${id} · ${t('q.versions')}`), el('ul', {}, v.versions.map((x) => el('li', { 'data-version': x.version }, `v${num(x.version)} · ${when(x.loadedAt)}${x.active ? ` · ${t('q.live')}` : ''}`))));
}

/** The validator's problems, each beside the source line it names. */
function showProblems(source, body) {
  const byLine = new Map();
  const loose = [];
  body.problems.forEach((problem, i) => {
    const line = body.problemLines?.[i];
    if (line) byLine.set(line, [...(byLine.get(line) ?? []), problem]);
    else loose.push(problem);
  });
  $('q-result').replaceChildren(
    el('h3', {}, t('q.problems')),
    el('ul', { id: 'q-problems' }, loose.map((p) => el('li', {}, p))),
    el(
      'ol',
      { id: 'q-lines', dir: 'ltr' },
      source.split('\n').map((text, i) =>
        el('li', { class: byLine.has(i + 1) ? 'problem' : '', 'data-line': i + 1 }, el('code', {}, text), ...(byLine.get(i + 1) ?? []).map((p) => el('div', { class: 'action', role: 'note' }, `${t('q.line')} ${i + 1}: ${p}`))),
      ),
    ),
  );
}

async function tryDraft() {
  const source = $('q-source').value;
  const turns = $('q-turns').value.split('\n');
  const res = await fetch('/api/v1/questionnaires/simulate', { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json', 'x-csrf-token': state.session.csrfToken }, body: JSON.stringify({ definition: source, turns }) });
  const body = await res.json().catch(() => ({}));
  if (res.status === 400 && body.problems) {
    showProblems(source, body);
    return;
  }
  if (!res.ok) {
    $('q-result').textContent = body.message ?? `HTTP ${res.status}`;
    return;
  }
  const describe = (line) =>
    line.type === 'say' || line.type === 'caller' ? line.text : line.type === 'answer' ? `${line.item} = ${value(line.value)} (${t(line.method)})` : line.type === 'escalate' ? `${t(`action.${line.kind}`) || line.kind}: ${line.item}` : line.status;
  $('q-result').replaceChildren(el('ol', { id: 'q-transcript' }, body.lines.map((line) => el('li', { class: `sim-${line.type}` }, el('strong', {}, `${t(`sim.${line.type}`)}: `), describe(line)))));
}

async function publishDraft() {
  const source = $('q-source').value;
  const res = await fetch('/api/v1/questionnaires', { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/yaml', 'x-csrf-token': state.session.csrfToken }, body: source });
  const body = await res.json().catch(() => ({}));
  if (res.status === 400 && body.problems) {
    showProblems(source, body);
    return;
  }
  if (!res.ok) {
    $('q-result').textContent = body.message ?? `HTTP ${res.status}`;
    return;
  }
  $('q-result').replaceChildren(el('p', { id: 'q-published' }, `${t('q.published')} ${body.id} v${body.version}`));
  // The list shows the new version; the draft stays in the editor.
  const list = await api('/api/v1/questionnaires');
  for (const q of list.questionnaires) {
    const row = document.querySelector(`#questionnaires tr[data-questionnaire="${CSS.escape(q.id)}"] td:nth-child(2)`);
    if (row) row.textContent = num(q.version);
  }
}

async function route() {
  if (!state.session) return;
  clearInterval(state.poll);
  const [path, search] = (location.hash.slice(1) || '/flags').split('?');
  for (const link of document.querySelectorAll('nav a')) link.toggleAttribute('aria-current', path.startsWith(link.getAttribute('href').slice(1)));
  for (const link of document.querySelectorAll('nav a')) if (link.hasAttribute('aria-current')) link.setAttribute('aria-current', 'page');
  try {
    if (path.startsWith('/calls/')) await callView(path.slice('/calls/'.length));
    else if (path.startsWith('/campaigns/')) await campaignView(path.slice('/campaigns/'.length));
    else if (path === '/campaigns') await campaignsView();
    else if (path === '/system') await systemView();
    else if (path === '/questionnaires') await questionnairesView();
    else if (path === '/overview') await overviewView(new URLSearchParams(search));
    else if (path === '/live') {
      await liveView();
      state.poll = setInterval(() => liveView().catch(() => undefined), 3000);
    }
    else if (path === '/calls') await callsView(new URLSearchParams(search));
    else {
      await flagsView();
      // New flags appear without a reload.
      state.poll = setInterval(() => flagsView().catch(() => undefined), 3000);
    }
  } catch (error) {
    $('view').replaceChildren(el('p', { role: 'alert' }, `${t('error')}: ${error.message}`));
  }
}

$('lang').addEventListener('click', () => {
  state.lang = state.lang === 'ar' ? 'en' : 'ar';
  localStorage.setItem('console.lang', state.lang); // a preference, never anything about a patient
  translate();
  route();
});

$('signin').addEventListener('submit', async (event) => {
  event.preventDefault();
  $('signin-error').textContent = '';
  const form = new FormData(event.currentTarget);
  try {
    const session = await api('/console/session', { method: 'POST', body: { username: form.get('username'), password: form.get('password') } });
    $('password').value = '';
    signedIn(session);
  } catch (error) {
    $('signin-error').textContent = error.status === 429 ? t('signin.throttled') : t('signin.failed');
  }
});

$('signout').addEventListener('click', async () => {
  await api('/console/session', { method: 'DELETE' }).catch(() => undefined);
  signedOut();
});

window.addEventListener('hashchange', route);
translate();
fetch('/console/session', { credentials: 'same-origin' })
  .then((res) => (res.ok ? res.json() : { signedIn: false }))
  .then((session) => (session.signedIn ? signedIn(session) : signedOut()));
