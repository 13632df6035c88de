// Overview: calls per day by outcome and red flags per day as SVG charts (each with a text label
// and the figures in a table beneath), completion rate and median call length, for a
// questionnaire and a period of the clinic's days.
import { api, clinicZone, day, el, locale, minutes, num, period, show, state, t, word } from './core.js';

const SVG = 'http://www.w3.org/2000/svg';
const OUTCOME_COLOURS = { completed: '#15803d', escalated: '#b91c1c', transferred: '#c2410c', opted_out: '#6b7280', stopped: '#a16207', interrupted: '#7c3aed', in_progress: '#2563eb' };

/** A bar chart as SVG: one bar a day, stacked by series; `label` is read by screen readers. */
function barChart(days, series, colours, label, seriesName) {
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
      title.textContent = `${day(d.date)} · ${seriesName(key)}: ${num(n)}`;
      rect.append(title);
      svg.append(rect);
    }
  });
  return svg;
}

export async function overviewView(params) {
  const token = state.route;
  // Days are the clinic's (its time zone), the chosen last day included.
  const query = period(params, new URLSearchParams({ tz: clinicZone() }));
  if (params.get('questionnaire')) query.set('questionnaire', params.get('questionnaire'));
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
  if (!show(
    token,
    el('h2', {}, t('nav.overview')),
    form,
    el(
      'dl',
      { id: 'overview-summary' },
      el('dt', {}, t('ov.calls')), el('dd', { 'data-figure': 'calls' }, num(o.calls)),
      el('dt', {}, t('ov.completion')), el('dd', { 'data-figure': 'completion' }, o.completionRate === null ? '—' : percent.format(o.completionRate)),
      el('dt', {}, t('ov.median')), el('dd', { 'data-figure': 'median' }, o.medianSeconds === null ? '—' : minutes(o.medianSeconds)),
    ),
    el('h3', {}, t('ov.perDay')),
    el('p', { class: 'legend' }, statuses.map((st) => el('span', { class: 'swatch', 'data-colour': OUTCOME_COLOURS[st] ?? '#374151' }, `■ ${word('st', st)}  `))),
    el('figure', { id: 'chart-calls' }, barChart(rows, statuses, OUTCOME_COLOURS, t('ov.perDay'), (s) => word('st', s))),
    el('h3', {}, t('ov.flagsPerDay')),
    el('figure', { id: 'chart-flags' }, barChart(rows, ['flags'], { flags: '#b91c1c' }, t('ov.flagsPerDay'), () => t('flags'))),
    el(
      'table',
      { id: 'overview-days' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('date')), statuses.map((st) => el('th', { scope: 'col' }, word('st', st))), el('th', { scope: 'col' }, t('flags')))),
      el('tbody', {}, rows.map((r) => el('tr', {}, el('td', {}, el('time', { datetime: r.date }, day(r.date))), statuses.map((st) => el('td', {}, num(r[st] ?? 0))), el('td', {}, num(r.flags))))),
    ),
  ))
    return;
  // The legend's colours: set through the DOM (the page allows no inline styles).
  for (const swatch of document.querySelectorAll('.swatch')) swatch.style.color = swatch.dataset.colour;
}

