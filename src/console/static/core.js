// What every view shares: the page's state, building DOM nodes, words and numbers in the page's
// language and the clinic's digits and time zone, and calls to the public clinic API with the
// session cookie (changes carry the CSRF token, which lives only in this module's memory).
// Text from the API is only ever set as textContent.
import { T } from './i18n.js';

export const state = {
  lang: localStorage.getItem('console.lang') === 'en' ? 'en' : 'ar',
  session: null,
  seenFlags: null,
  /** The refresh of the view on screen (flags, live, a campaign); only route() sets and clears it. */
  poll: null,
  /** Counts navigations: a view drawn for an earlier one is dropped, never painted over the current one. */
  route: 0,
  audio: null,
};
export const $ = (id) => document.getElementById(id);
export const t = (key) => T[state.lang][key] ?? key;
/** A word for an API code under a prefix ('st.completed'), or the code itself when there is none. */
export const word = (prefix, code) => (code === null || code === undefined ? '' : (T[state.lang][`${prefix}.${code}`] ?? code));

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const child of children.flat()) node.append(child instanceof Node ? child : document.createTextNode(String(child ?? '')));
  return node;
}

/** Shows a view's content, unless the user has moved on since `token` (see state.route). */
export function show(token, ...children) {
  if (token !== state.route) return false;
  $('view').replaceChildren(...children);
  return true;
}

export const head = (...cols) => el('thead', {}, el('tr', {}, cols.map((c) => el('th', { scope: 'col' }, t(c)))));

// Arabic pages use the clinic's digits (CONSOLE_DIGITS); English pages Western ones.
export const locale = () => (state.lang === 'ar' ? `ar-SA-u-nu-${state.session?.digits === 'arab' ? 'arab' : 'latn'}` : 'en-GB');
export const num = (n) => new Intl.NumberFormat(locale()).format(n);
export const clinicZone = () => state.session?.timeZone ?? 'Asia/Riyadh';
/** An instant as the clinic reads it: its time zone, its digits. */
export const when = (iso) => (iso ? new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short', timeZone: clinicZone() }).format(new Date(iso)) : '');
/** A calendar day (YYYY-MM-DD) in the page's words and digits. */
export const day = (isoDay) => new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${isoDay}T00:00:00Z`));
export const version = (q) => `${q.id} v${num(q.version)}`;
export const value = (v) => (v === true ? t('yes') : v === false ? t('no') : v === null || v === undefined ? '' : typeof v === 'number' ? num(v) : typeof v === 'object' ? JSON.stringify(v) : String(v));
/** A length of time as m:ss. */
export const minutes = (seconds) => {
  const s = Math.round(seconds);
  return `${num(Math.floor(s / 60))}:${new Intl.NumberFormat(locale(), { minimumIntegerDigits: 2 }).format(s % 60)}`;
};

/** Milliseconds the time zone is ahead of UTC at `utcMs`. */
function zoneOffsetMs(utcMs, timeZone) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(new Date(utcMs))
      .map((p) => [p.type, p.value]),
  );
  return Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second)) - Math.floor(utcMs / 1000) * 1000;
}

/** The instant (ISO) a calendar day (YYYY-MM-DD) starts in the clinic's time zone. */
export function dayStart(isoDay) {
  const [y, m, d] = isoDay.split('-').map(Number);
  const midnight = Date.UTC(y, m - 1, d);
  const first = midnight - zoneOffsetMs(midnight, clinicZone());
  return new Date(midnight - zoneOffsetMs(first, clinicZone())).toISOString(); // again, across a DST change
}

/** A period chosen as days (both included) as the API takes it: [start of the first, start of the day after the last). */
export function period(params, query) {
  if (params.get('since')) query.set('since', dayStart(params.get('since')));
  if (params.get('until')) {
    const after = new Date(`${params.get('until')}T00:00:00Z`);
    after.setUTCDate(after.getUTCDate() + 1);
    query.set('until', dayStart(after.toISOString().slice(0, 10)));
  }
  return query;
}

class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.error;
  }
}

export async function api(path, { method = 'GET', body } = {}) {
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

/** A change sent as it is (a CSV, a questionnaire): the response's status and body, errors included. */
export async function send(path, contentType, text) {
  const res = await fetch(path, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': contentType, 'x-csrf-token': state.session?.csrfToken ?? '' }, body: text });
  if (res.status === 401) return signedOut(t('session.ended'));
  return { status: res.status, ok: res.ok, body: await res.json().catch(() => ({})) };
}

export const canWrite = (scope) => state.session.user.scopes.includes('admin') || state.session.user.scopes.includes(scope);

export function signedOut(message = '') {
  state.session = null;
  state.route++;
  clearInterval(state.poll);
  state.poll = null;
  $('nav').hidden = true;
  $('signout').hidden = true;
  $('who').textContent = '';
  $('view').replaceChildren();
  $('signin').hidden = false;
  $('signin-error').textContent = message;
  return new Promise(() => undefined); // the page waits for a new sign-in
}
