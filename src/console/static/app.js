// The clinic console: plain browser modules, no build. Every figure on the page comes from the
// public clinic API (/api/v1), called with the session cookie (core.js). This module signs in and
// out and routes: it alone starts and stops a view's refresh, one timer at a time, so a view
// drawn again (a pause, a new flag) never adds a timer, and leaving a page stops its refresh.
import { callView, callsView } from './calls.js';
import { campaignView, campaignsView } from './campaigns.js';
import { $, api, el, signedOut, state, t } from './core.js';
import { flagsView } from './flags.js';
import { liveView } from './live.js';
import { overviewView } from './overview.js';
import { questionnairesView } from './questionnaires.js';
import { systemView } from './system.js';

/** The view for a location: how to draw it, and how often to redraw it (ms) while it is shown. */
function viewFor(path, params) {
  if (path.startsWith('/calls/')) return { draw: () => callView(path.slice('/calls/'.length)) };
  if (path.startsWith('/campaigns/')) return { draw: () => campaignView(path.slice('/campaigns/'.length)), every: 5000 }; // progress follows the calls
  if (path === '/campaigns') return { draw: campaignsView };
  if (path === '/system') return { draw: systemView };
  if (path === '/questionnaires') return { draw: questionnairesView };
  if (path === '/overview') return { draw: () => overviewView(params) };
  if (path === '/live') return { draw: liveView, every: 3000 };
  if (path === '/calls') return { draw: () => callsView(params) };
  return { draw: flagsView, every: 3000 }; // new flags appear without a reload
}

async function route() {
  if (!state.session) return;
  clearInterval(state.poll);
  state.poll = null;
  const token = ++state.route;
  const [path, search] = (location.hash.slice(1) || '/flags').split('?');
  for (const link of document.querySelectorAll('nav a')) {
    if (path.startsWith(link.getAttribute('href').slice(1))) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const view = viewFor(path, new URLSearchParams(search));
  try {
    await view.draw();
  } catch (error) {
    if (token === state.route) $('view').replaceChildren(el('p', { role: 'alert' }, `${t('error')}: ${error.message}`));
    return;
  }
  if (view.every && token === state.route) state.poll = setInterval(() => view.draw().catch(() => undefined), view.every);
}

function translate() {
  document.documentElement.lang = state.lang;
  document.documentElement.dir = state.lang === 'ar' ? 'rtl' : 'ltr';
  for (const node of document.querySelectorAll('[data-t]')) node.textContent = t(node.dataset.t);
  document.title = t('title');
}

function signedIn(session) {
  state.session = session;
  $('signin').hidden = true;
  $('nav').hidden = false;
  $('signout').hidden = false;
  $('who').textContent = session.user.displayName;
  route();
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
