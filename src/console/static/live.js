// Live: calls in progress on every instance, with the question each is on and its duration.
// Refreshed by route() every few seconds.
import { api, el, head, minutes, show, state, t, version } from './core.js';

const duration = (from) => minutes(Math.max(0, Math.floor((Date.now() - Date.parse(from)) / 1000)));

export async function liveView() {
  const token = state.route;
  const live = await api('/api/v1/calls/live');
  show(
    token,
    el('h2', {}, t('nav.live')),
    live.calls.length === 0
      ? el('p', { id: 'no-live' }, t('live.none'))
      : el(
          'table',
          { id: 'live' },
          head('duration', 'patient', 'questionnaire', 'current', 'instance', 'call'),
          el('tbody', {}, live.calls.map((c) => el('tr', { 'data-call': c.id }, el('td', { 'data-started': c.startedAt }, duration(c.startedAt)), el('td', {}, c.patient?.reference ?? '—'), el('td', {}, version(c.questionnaire)), el('td', {}, c.currentItem?.text ?? ''), el('td', {}, c.instance), el('td', {}, el('a', { href: `#/calls/${c.id}` }, t('open')))))),
        ),
  );
}

