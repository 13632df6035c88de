import type { DefinitionIssue } from '../questionnaire/validate';

/** Where each field of our definition came from in the FHIR Questionnaire. */
const ITEM_FIELDS: Record<string, string> = {
  id: 'linkId',
  type: 'type',
  text: 'text',
  required: 'required',
  options: 'answerOption',
  enable_when: 'enableWhen',
  min: 'extension(minValue)',
  max: 'extension(maxValue)',
  unit: 'extension(questionnaire-unit)',
  audio: 'extension(voice-audio)',
  confirm: 'extension(voice-confirm)',
  red_flag: 'extension(voice-red-flag)',
  opt_out_when: 'extension(voice-opt-out-when)',
};
const OPTION_FIELDS: Record<string, string> = {
  code: 'valueCoding.code',
  display: 'valueCoding.display',
  synonyms: 'extension(voice-synonym)',
  dtmf: 'extension(voice-keypad-digit)',
};
const TOP_FIELDS: Record<string, string> = { id: 'id', version: 'version', language: 'language', title: 'title' };

const ITEM_PATH = /^items\[(\d+)\](?:\.([a-z_]+))?(?:\[(\d+)\])?(?:\.(.+))?$/;

/**
 * A finding of our schema or cross-item rules (`items[3].options[1].code`) at the FHIR element it
 * came from (`Questionnaire.item[0].item[2].answerOption[1].valueCoding.code`). What FHIR has no
 * element for (settings, prompts) points at the extension to add.
 */
export function fhirPathOf(issue: DefinitionIssue, itemPaths: readonly string[]): DefinitionIssue {
  const m = ITEM_PATH.exec(issue.path);
  if (m) {
    const [, index, field, sub, rest] = m;
    let path = itemPaths[Number(index)] ?? `Questionnaire.item[${index}]`;
    if (field) path += `.${ITEM_FIELDS[field] ?? field}`;
    if (sub !== undefined) path += `[${sub}]`;
    if (rest) path += `.${field === 'options' ? (OPTION_FIELDS[rest] ?? rest) : field === 'enable_when' && rest === 'answer' ? 'answer[x]' : rest}`;
    return { path, message: issue.message };
  }
  const [head, ...tail] = issue.path.split('.');
  if (head === 'settings') {
    const key = tail.join('.');
    return key
      ? { path: `Questionnaire.extension(voice-settings).extension(${key.replaceAll('_', '-')})`, message: issue.message }
      : { path: 'Questionnaire.extension(voice-settings)', message: `${issue.message}: FHIR has no phone settings; add our voice-settings extension (emergency-number at least)` };
  }
  if (head === 'prompts' || head === 'prompt_audio') {
    const key = tail.join('.');
    const hint = issue.message === 'is required' ? `: FHIR has no voice prompts; add our voice-prompt extension with key "${key}"` : '';
    return { path: `Questionnaire.extension(voice-prompt:${key})`, message: `${issue.message}${hint}` };
  }
  return { path: `Questionnaire.${TOP_FIELDS[head ?? ''] ?? issue.path}`, message: issue.message };
}
