// Questionnaires: the live versions and every stored one; for an editor, a draft pasted or read
// from a file (YAML, JSON, or a FHIR Questionnaire, told apart by its content as the API does),
// the validator's problems beside the lines they name, the simulator, and publishing.
import { $, api, canWrite, el, head, num, send, show, state, t, value, when } from './core.js';

/** The validator's problems beside their lines, or the server's message: true when the draft was refused. */
function refused(source, res) {
  if (res.status === 400 && res.body.problems) {
    showProblems(source, res.body);
    return true;
  }
  if (!res.ok) {
    $('q-result').textContent = res.body.message ?? `HTTP ${res.status}`;
    return true;
  }
  return false;
}

export async function questionnairesView() {
  const token = state.route;
  const list = await api('/api/v1/questionnaires');
  const editor = canWrite('questionnaires:write')
    ? el(
        'form',
        { id: 'q-editor', onsubmit: (e) => e.preventDefault() },
        el('label', { for: 'q-file' }, t('q.file')),
        el('input', { type: 'file', id: 'q-file', accept: '.yaml,.yml,.json,application/yaml,application/json,application/fhir+json', onchange: readFile }),
        el('label', { for: 'q-source' }, t('q.source')),
        el('textarea', { id: 'q-source', rows: 18, cols: 80, dir: 'auto', spellcheck: 'false' }),
        el('label', { for: 'q-turns' }, t('q.turns')),
        el('textarea', { id: 'q-turns', rows: 5, cols: 80, dir: 'auto' }),
        el('p', {}, el('button', { type: 'button', id: 'q-try', onclick: tryDraft }, t('q.try')), ' ', el('button', { type: 'button', id: 'q-publish', onclick: publishDraft }, t('q.publish'))),
        el('div', { id: 'q-result', 'aria-live': 'polite' }),
      )
    : '';
  show(
    token,
    el('h2', {}, t('nav.questionnaires')),
    el(
      'table',
      { id: 'questionnaires' },
      head('name', 'version', 'title_', 'items', 'q.versions'),
      el('tbody', {}, list.questionnaires.map((q) => el('tr', { 'data-questionnaire': q.id }, el('td', {}, q.id), el('td', {}, num(q.version)), el('td', {}, q.title ?? ''), el('td', {}, num(q.items)), el('td', {}, el('button', { type: 'button', 'data-versions': q.id, onclick: () => showVersions(q.id) }, t('q.versions')))))),
    ),
    el('div', { id: 'q-versions', 'aria-live': 'polite' }),
    editor,
  );
}

/** A chosen file goes into the editor as it is: what is uploaded is what the editor shows. */
async function readFile(event) {
  const file = event.currentTarget.files?.[0];
  if (!file) return;
  $('q-source').value = await file.text();
  $('q-result').replaceChildren();
}

/** FHIR when the text is a JSON Questionnaire resource; otherwise ours (JSON is YAML, and YAML keeps line numbers). */
function contentType(source) {
  if (!/^\s*\{/.test(source)) return 'application/yaml';
  try {
    return JSON.parse(source)?.resourceType === 'Questionnaire' ? 'application/fhir+json' : 'application/yaml';
  } catch {
    return 'application/yaml'; // broken JSON: the YAML reader names the line
  }
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
        el('li', { class: byLine.has(i + 1) ? 'problem' : '', 'data-line': i + 1 }, el('code', {}, text), ...(byLine.get(i + 1) ?? []).map((p) => el('div', { class: 'action', role: 'note' }, `${t('q.line')} ${num(i + 1)}: ${p}`))),
      ),
    ),
  );
}

async function tryDraft() {
  const source = $('q-source').value;
  const turns = $('q-turns').value.split('\n');
  const res = await send('/api/v1/questionnaires/simulate', 'application/json', JSON.stringify({ definition: source, turns }));
  if (refused(source, res)) return;
  const describe = (line) =>
    line.type === 'say' || line.type === 'caller' ? line.text : line.type === 'answer' ? `${line.item} = ${value(line.value)} (${t(line.method)})` : line.type === 'escalate' ? `${t(`action.${line.kind}`) || line.kind}: ${line.item}` : line.status;
  $('q-result').replaceChildren(el('ol', { id: 'q-transcript' }, res.body.lines.map((line) => el('li', { class: `sim-${line.type}` }, el('strong', {}, `${t(`sim.${line.type}`)}: `), describe(line)))));
}

async function publishDraft() {
  const source = $('q-source').value;
  const res = await send('/api/v1/questionnaires', contentType(source), source);
  if (refused(source, res)) return;
  $('q-result').replaceChildren(el('p', { id: 'q-published' }, `${t('q.published')} ${res.body.id} v${num(res.body.version)}`));
  // The list shows the new version; the draft stays in the editor.
  const list = await api('/api/v1/questionnaires');
  for (const q of list.questionnaires) {
    const row = document.querySelector(`#questionnaires tr[data-questionnaire="${CSS.escape(q.id)}"] td:nth-child(2)`);
    if (row) row.textContent = num(q.version);
  }
}
