// Red flags, the landing page: open flags newest first; a new one is highlighted, announced and
// sounded; one click acknowledges it. Refreshed by route() every few seconds.
import { $, api, el, head, num, show, state, t, value, when } from './core.js';

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

export async function flagsView() {
  const token = state.route;
  const [open, done] = await Promise.all([api('/api/v1/flags?status=open&limit=100'), api('/api/v1/flags?status=acknowledged&limit=20')]);
  if (token !== state.route) return;
  const fresh = state.seenFlags ? open.flags.filter((f) => !state.seenFlags.has(f.id)) : [];
  state.seenFlags = new Set([...(state.seenFlags ?? []), ...open.flags.map((f) => f.id)]);
  if (fresh.length > 0) {
    chime();
    $('announce').textContent = `${t('flags.new')}: ${fresh.map((f) => f.question ?? f.item).join('، ')}`;
  }
  document.title = open.flags.length ? `(${num(open.flags.length)}) ${t('title')}` : t('title');
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
  show(
    token,
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
