// Calls: the filtered list (following the API's cursor), its CSV export (every page of the
// filter), and one call's page: each question as asked, its answer, and the timeline in words.
import { $, api, el, head, locale, num, period, show, state, t, value, version, when, word } from './core.js';

const STATUSES = ['in_progress', 'completed', 'stopped', 'escalated', 'opted_out', 'transferred', 'interrupted'];
const PAGE = 100;
/** The most an export fetches (10,000 calls in pages of 200); past that it says it stopped. */
const EXPORT_PAGES = 50;

/** The API query for the list's filters: days are the clinic's, both ends included. */
function callsQuery(params) {
  const query = new URLSearchParams();
  for (const key of ['status', 'questionnaire', 'flagged']) if (params.get(key)) query.set(key, params.get(key));
  return period(params, query);
}

const callRow = (c) =>
  el(
    'tr',
    { 'data-call': c.id, 'data-status': c.status },
    el('td', {}, when(c.startedAt)),
    el('td', {}, c.patient?.reference ?? '—'),
    el('td', {}, version(c.questionnaire)),
    el('td', {}, word('st', c.status)),
    el('td', {}, c.flags ? el('span', { class: 'action' }, num(c.flags)) : num(0)),
    el('td', {}, el('a', { href: `#/calls/${c.id}` }, t('open'))),
  );

export async function callsView(params) {
  const token = state.route;
  const query = callsQuery(params);
  const first = await api(`/api/v1/calls?${query}&limit=${PAGE}`);
  let next = first.next;
  const field = (name, control) => el('label', {}, t(name), control);
  const select = (name, options) => el('select', { name }, options.map(([v, label]) => el('option', { value: v, selected: params.get(name) === v }, label)));
  const body = el('tbody', {}, first.calls.map(callRow));
  const shown = el('p', { id: 'calls-shown', 'aria-live': 'polite' });
  const count = () => {
    shown.textContent = `${t('calls.shown')}: ${num(body.children.length)}`;
  };
  const more = el('button', { type: 'button', id: 'calls-more', onclick: async () => {
    more.disabled = true;
    const page = await api(`/api/v1/calls?${query}&limit=${PAGE}&cursor=${encodeURIComponent(next)}`);
    body.append(...page.calls.map(callRow));
    next = page.next;
    more.disabled = false;
    if (!next) more.remove();
    count();
  } }, t('more'));
  const form = el(
    'form',
    { class: 'filters', id: 'call-filters', onsubmit: (e) => {
      e.preventDefault();
      const data = new URLSearchParams([...new FormData(e.currentTarget)].filter(([, v]) => v !== ''));
      location.hash = `#/calls?${data}`;
    } },
    field('status', select('status', [['', t('any')], ...STATUSES.map((s) => [s, word('st', s)])])),
    field('questionnaire', el('input', { name: 'questionnaire', value: params.get('questionnaire') ?? '', pattern: '[a-z0-9-]{1,64}' })),
    field('flagged', select('flagged', [['', t('any')], ['true', t('yes')], ['false', t('no')]])),
    field('since', el('input', { type: 'date', name: 'since', value: params.get('since') ?? '' })),
    field('until', el('input', { type: 'date', name: 'until', value: params.get('until') ?? '' })),
    el('button', { type: 'submit' }, t('filter')),
    el('button', { type: 'button', id: 'calls-csv', onclick: (e) => exportCsv(query, e.currentTarget) }, t('csv')),
  );
  count();
  show(token, el('h2', {}, t('nav.calls')), form, el('table', { id: 'calls' }, head('started', 'patient', 'questionnaire', 'status', 'flags', 'call'), body), shown, next ? more : '');
}

/** Every call of the filter, page after page, as CSV (RFC 4180), made in the page. */
async function exportCsv(query, button) {
  button.disabled = true;
  try {
    const calls = [];
    let cursor = null;
    let pages = 0;
    do {
      const page = await api(`/api/v1/calls?${query}&limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      calls.push(...page.calls);
      cursor = page.next;
    } while (cursor && ++pages < EXPORT_PAGES);
    if (cursor) $('announce').textContent = `${t('calls.capped')} ${num(calls.length)} ${t('calls.rows')}`;
    download(calls);
  } catch (error) {
    $('announce').textContent = `${t('error')}: ${error.message}`;
  } finally {
    button.disabled = false;
  }
}

function download(calls) {
  // A cell a spreadsheet would run as a formula is prefixed with ' (patient references come from outside).
  const cell = (v) => {
    const text = /^[=+\-@\t\r]/.test(String(v)) ? `'${v}` : String(v);
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const lines = [['id', 'started_at', 'ended_at', 'status', 'questionnaire', 'version', 'patient', 'flags'], ...calls.map((c) => [c.id, c.startedAt, c.endedAt ?? '', c.status, c.questionnaire.id, c.questionnaire.version, c.patient?.reference ?? '', c.flags])];
  const blob = new Blob([`${lines.map((l) => l.map(cell).join(',')).join('\r\n')}\r\n`], { type: 'text/csv' });
  const url = URL.createObjectURL(blob);
  const link = el('a', { href: url, download: 'calls.csv' });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * One timeline entry in words. A prompt's key says what was said: `item:<id>` a question (asked
 * again when it was asked before: a reprompt), `prompt:<name>` one of the questionnaire's prompts
 * (no input heard, not understood, transfer…), `confirm:`/`out_of_range:` about an answer.
 */
function timelineEntry(e, asked, questionOf) {
  const key = typeof e.detail?.key === 'string' ? e.detail.key : null;
  const [kindOf, name] = key ? [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)] : [null, null];
  let kind = null;
  let text;
  if (e.type === 'prompt' && kindOf === 'item') {
    kind = asked.has(name) ? 'reprompt' : 'question';
    asked.add(name);
    text = `${t(`ev.${kind}`)}: ${questionOf(name)}`;
  } else if (e.type === 'prompt' && (kindOf === 'confirm' || kindOf === 'out_of_range')) {
    kind = kindOf;
    text = `${t(`ev.${kind}`)}: ${questionOf(name)}`;
  } else if (e.type === 'prompt') {
    kind = kindOf === 'keypad' ? 'keypad' : 'prompt';
    text = `${t('ev.said')}: ${kindOf === 'prompt' ? word('pr', name) : t('ev.keypad')}`;
  } else if (e.type === 'input') text = `${t('ev.input')} (${t(e.detail?.method ?? 'voice')}${typeof e.detail?.confidence === 'number' ? ` · ${num(e.detail.confidence)}` : ''})`;
  else if (e.type === 'answer' || e.type === 'flag') text = `${t(`ev.${e.type}`)}: ${questionOf(e.detail?.item ?? '')}${e.detail?.action ? ` · ${t(`action.${e.detail.action}`)}` : ''}`;
  else if (e.type === 'ended') text = `${t('ev.ended')}: ${word('st', e.detail?.status)}`;
  else text = word('ev', e.type);
  return el('li', { 'data-event': e.type, 'data-kind': kind, 'data-key': key }, el('time', { datetime: e.at }, when(e.at)), ' · ', text, key ? [' ', el('code', { dir: 'ltr' }, key)] : '');
}

export async function callView(id) {
  const token = state.route;
  const call = await api(`/api/v1/calls/${encodeURIComponent(id)}`);
  const questionOf = (item) => call.answers[item]?.question ?? item;
  const confidence = new Intl.NumberFormat(locale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const asked = new Set();
  show(
    token,
    el('h2', {}, `${t('call')} · ${call.patient?.reference ?? '—'}`),
    el('p', { id: 'call-summary' }, `${version(call.questionnaire)} · ${word('st', call.status)} · ${when(call.startedAt)}`),
    el(
      'table',
      { id: 'answers' },
      head('question', 'answer', 'method', 'said', 'confidence', 'attempts'),
      el('tbody', {}, Object.entries(call.answers).map(([item, a]) => el('tr', { 'data-item': item }, el('td', {}, a.question ?? item, a.question ? [' ', el('code', { dir: 'ltr', class: 'muted' }, item)] : ''), el('td', {}, value(a.value)), el('td', {}, t(a.method)), el('td', {}, a.transcript ?? ''), el('td', {}, confidence.format(a.confidence)), el('td', {}, num(a.attempts))))),
    ),
    el('h3', {}, t('flags')),
    el('ul', {}, call.flags.map((f) => el('li', {}, `${t(`action.${f.action}`)}: ${questionOf(f.item)} = ${value(f.value)}${f.acknowledgedBy ? ` · ${t('ack.by')} ${f.acknowledgedBy}` : ''}`))),
    el('h3', {}, t('timeline')),
    el('ol', { id: 'timeline' }, call.events.map((e) => timelineEntry(e, asked, questionOf))),
  );
}
