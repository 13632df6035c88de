// Campaigns: the list, a new campaign from a CSV with its calling window (days, hours, excluded
// dates), retries and limits, and one campaign's patients with pause, resume and cancel. The
// views only draw: route() alone refreshes a campaign's progress.
import { $, api, canWrite, el, head, num, send, show, state, t, version, when, word } from './core.js';

const progressText = (progress) => Object.entries(progress).map(([k, n]) => `${word('ps', k)}: ${num(n)}`).join(' · ');

/** Days the campaign never calls (holidays), added one at a time from a date picker. */
function excludedDates() {
  const list = el('ul', { id: 'excluded-dates' });
  const picker = el('input', { type: 'date', name: 'excludedDate', 'aria-describedby': 'excluded-dates' });
  const add = el('button', { type: 'button', 'data-action': 'exclude', onclick: () => {
    const date = picker.value;
    if (!date || list.querySelector(`li[data-date="${date}"]`)) return;
    const item = el('li', { 'data-date': date }, `${date} `);
    item.append(el('button', { type: 'button', 'aria-label': `${t('remove')} ${date}`, onclick: () => item.remove() }, t('remove')));
    list.append(item);
    picker.value = '';
    picker.focus();
  } }, t('exclude'));
  return el('fieldset', {}, el('legend', {}, t('excluded')), el('label', {}, t('date'), picker), ' ', add, list);
}

export async function campaignsView() {
  const token = state.route;
  const [list, questionnaires] = await Promise.all([api('/api/v1/campaigns'), api('/api/v1/questionnaires').catch(() => ({ questionnaires: [] }))]);
  const number = (name, value, min, max) => el('label', {}, t(name), el('input', { type: 'number', name, value, min, max, step: name === 'callsPerSecond' ? '0.1' : '1', required: true }));
  const form = canWrite('calls:write')
    ? el(
        'form',
        { id: 'new-campaign', class: 'filters', onsubmit: createCampaign },
        el('label', {}, t('name'), el('input', { name: 'name', required: true, maxlength: 100 })),
        el('label', {}, t('questionnaire'), el('select', { name: 'questionnaire', required: true }, (questionnaires.questionnaires ?? []).map((q) => el('option', { value: q.id }, version(q))))),
        el('label', {}, t('campaign.file'), el('input', { type: 'file', name: 'file', accept: '.csv,text/csv', required: true })),
        el('label', {}, t('timeZone'), el('input', { name: 'timeZone', value: state.session?.timeZone ?? 'Asia/Riyadh', required: true })),
        el('fieldset', {}, el('legend', {}, t('days')), [7, 1, 2, 3, 4, 5, 6].map((d) => el('label', {}, el('input', { type: 'checkbox', name: 'days', value: d, checked: d <= 4 || d === 7 }), t(`day.${d}`)))),
        el('label', {}, t('start'), el('input', { type: 'time', name: 'start', value: '09:00', required: true })),
        el('label', {}, t('end'), el('input', { type: 'time', name: 'end', value: '17:00', required: true })),
        excludedDates(),
        number('maxAttempts', 3, 1, 10),
        ...['no_answer', 'busy', 'failed', 'voicemail'].map((k) => el('label', {}, t(`retry.${k}`), el('input', { type: 'number', name: `retry.${k}`, value: { no_answer: 120, busy: 30, failed: 60, voicemail: 240 }[k], min: 1, max: 10080, required: true }))),
        number('concurrency', 5, 1, 100),
        number('callsPerSecond', 1, 0.1, 30),
        el('label', {}, t('voicemail'), el('select', { name: 'voicemail' }, el('option', { value: 'message' }, t('voicemail.message')), el('option', { value: 'hang_up' }, t('voicemail.hang_up')))),
        el('button', { type: 'submit' }, t('create')),
        el('p', { id: 'campaign-error', role: 'alert' }),
      )
    : '';
  show(
    token,
    el('h2', {}, t('nav.campaigns')),
    el(
      'table',
      { id: 'campaigns' },
      head('name', 'questionnaire', 'status', 'progress', 'created', 'open'),
      el('tbody', {}, list.campaigns.map((c) => el('tr', { 'data-campaign': c.id }, el('td', {}, c.name), el('td', {}, c.questionnaire), el('td', {}, word('cs', c.status)), el('td', {}, progressText(c.progress)), el('td', {}, when(c.createdAt)), el('td', {}, el('a', { href: `#/campaigns/${c.id}` }, t('open')))))),
    ),
    form ? el('h2', {}, t('campaign.new')) : '',
    form,
  );
}

async function createCampaign(event) {
  event.preventDefault();
  const form = event.currentTarget;
  const data = new FormData(form);
  const settings = {
    window: {
      timeZone: data.get('timeZone'),
      days: data.getAll('days').map(Number),
      start: data.get('start'),
      end: data.get('end'),
      excludedDates: [...form.querySelectorAll('#excluded-dates li')].map((li) => li.dataset.date),
    },
    maxAttempts: Number(data.get('maxAttempts')),
    retryMinutes: Object.fromEntries(['no_answer', 'busy', 'failed', 'voicemail'].map((k) => [k, Number(data.get(`retry.${k}`))])),
    concurrency: Number(data.get('concurrency')),
    callsPerSecond: Number(data.get('callsPerSecond')),
    voicemail: data.get('voicemail'),
  };
  const query = new URLSearchParams({ name: data.get('name'), questionnaire: data.get('questionnaire'), settings: JSON.stringify(settings) });
  // The patient list goes to the API as it is: the API checks every line and says which is wrong.
  const res = await send(`/api/v1/campaigns?${query}`, 'text/csv', await data.get('file').text());
  if (!res.ok) {
    $('campaign-error').textContent = res.body?.message ?? `HTTP ${res.status}`;
    return;
  }
  location.hash = `#/campaigns/${res.body.id}`;
}

/** One campaign's progress per patient. Drawn once per call: the refresh timer is route()'s. */
export async function campaignView(id) {
  const token = state.route;
  const c = await api(`/api/v1/campaigns/${encodeURIComponent(id)}`);
  const steer = (action) => el('button', { type: 'button', 'data-action': action, onclick: async () => {
    await api(`/api/v1/campaigns/${c.id}/${action}`, { method: 'POST', body: {} }).catch((e) => ($('announce').textContent = e.message));
    if (token === state.route) await campaignView(c.id);
  } }, t(action));
  show(
    token,
    el('h2', {}, c.name),
    el('p', { id: 'campaign-status' }, `${c.questionnaire} · ${word('cs', c.status)} · ${progressText(c.progress)}`),
    canWrite('calls:write') && ['active', 'paused'].includes(c.status) ? el('p', {}, c.status === 'active' ? steer('pause') : steer('resume'), ' ', steer('cancel')) : '',
    el(
      'table',
      { id: 'campaign-patients' },
      head('position', 'patient', 'state', 'attempts', 'outcome', 'next', 'call'),
      el('tbody', {}, c.patients.map((p) => el('tr', { 'data-state': p.state }, el('td', {}, num(p.position)), el('td', {}, p.reference ?? '—'), el('td', {}, word('ps', p.state)), el('td', {}, num(p.attempts)), el('td', {}, word('oc', p.lastOutcome)), el('td', {}, when(p.nextAttemptAt)), el('td', {}, p.calls.map((x) => x.status).join('، '))))),
    ),
  );
}
