// System: what /ready reports, per component, in words an operator understands (the reason's
// stable code translated; the server's own words beside it for diagnosis), the instances, and
// for an admin the webhook deliveries with replay.
import { api, canWrite, el, head, num, show, state, t, when, word } from './core.js';

/** A component's state: its status in words, then what its code means (or the server's reason). */
function componentText(name, c) {
  const explained = c.code ? word(`code.${name}`, c.code) : null;
  const known = explained && explained !== c.code;
  return [
    el('td', {}, t(`status.${c.status}`)),
    el('td', {}, known ? explained : '', c.reason && !known ? el('span', { lang: 'en', dir: 'ltr' }, c.reason) : ''),
  ];
}

export async function systemView() {
  const token = state.route;
  const ready = await fetch('/ready').then((r) => r.json());
  const deliveries = canWrite('admin') ? await api('/api/v1/webhooks/deliveries?limit=20') : null;
  const instances = canWrite('admin') ? await api('/api/v1/instances') : null;
  const order = ['speech', 'voice', 'store', 'webhooks'];
  const components = Object.entries(ready.components ?? {}).sort(([a], [b]) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));
  show(
    token,
    el('h2', {}, t('system.ready')),
    el('p', { id: 'ready-status' }, word('phase', ready.status)),
    el(
      'table',
      { id: 'components' },
      head('system.component', 'status', 'system.detail'),
      el('tbody', {}, components.map(([name, c]) => el('tr', { 'data-component': name, 'data-status': c.status }, el('th', { scope: 'row' }, word('comp', name)), ...componentText(name, c)))),
    ),
    instances ? el('h2', {}, t('system.instances')) : '',
    instances
      ? el(
          'table',
          { id: 'instances' },
          head('instance', 'version', 'status', 'instances.calls', 'heartbeat'),
          el('tbody', {}, instances.instances.map((i) => el('tr', { 'data-instance': i.id, 'data-state': i.state }, el('td', {}, i.id), el('td', { dir: 'ltr' }, i.version), el('td', {}, t(`state.${i.state}`)), el('td', {}, `${num(i.activeCalls)} / ${num(i.maxCalls)}`), el('td', {}, el('time', { datetime: i.heartbeatAt }, when(i.heartbeatAt)))))),
        )
      : '',
    deliveries ? el('h2', {}, t('system.deliveries')) : '',
    deliveries
      ? el(
          'table',
          { id: 'deliveries' },
          head('event', 'status', 'tries', 'when', 'replay'),
          el('tbody', {}, deliveries.deliveries.map((d) => el('tr', { 'data-delivery': d.id }, el('td', { dir: 'ltr' }, d.eventType), el('td', {}, `${word('dl', d.status)}${d.lastStatus ? ` (${num(d.lastStatus)})` : ''}`), el('td', {}, num(d.attempts)), el('td', {}, when(d.createdAt)), el('td', {}, el('button', { type: 'button', onclick: async () => {
            await api(`/api/v1/webhooks/deliveries/${d.id}/replay`, { method: 'POST', body: {} });
            if (token === state.route) await systemView();
          } }, t('replay')))))),
        )
      : '',
  );
}
