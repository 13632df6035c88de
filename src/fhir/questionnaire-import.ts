import type { Extension, QuestionnaireItem } from 'fhir/r4';
import { salvageParts } from '../questionnaire/salvage';
import { type Questionnaire, questionnaireSchema } from '../questionnaire/schema';
import { fromZodIssue } from '../questionnaire/schema-issues';
import { type DefinitionIssue, validateParts, validateQuestionnaire } from '../questionnaire/validate';
import { fhirPathOf } from './import-paths';
import { MAX_VALUE_URL, MIN_VALUE_URL, UNIT_URL, ourExtensionName } from './urls';
import { readValue } from './values';

/** One thing in a FHIR Questionnaire: where (`Questionnaire.item[2].enableWhen[0]`) and what. */
export interface ImportIssue {
  path: string;
  message: string;
}

/** Errors block the import; warnings name what was dropped because a phone call has no use for it. */
export type FhirImportResult = { definition: Questionnaire; warnings: ImportIssue[] } | { errors: ImportIssue[]; warnings: ImportIssue[] };

type Mapping = Record<string, unknown>;
const isMapping = (v: unknown): v is Mapping => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

const ITEM_TYPES: Record<string, string> = { boolean: 'boolean', integer: 'integer', decimal: 'decimal', choice: 'choice', string: 'text', text: 'text', display: 'display' };
/** Item elements we have no use for; they are dropped with a warning. */
const IGNORED_ITEM_FIELDS = ['code', 'prefix', 'definition', 'initial', 'maxLength'];

/**
 * A FHIR R4 Questionnaire as our definition: what maps is converted, and everything that does not
 * is reported with its FHIR path. The result passes the same schema and cross-item rules as a
 * YAML file (their findings are reported at the FHIR element they came from). Groups are
 * flattened: their questions join the list in order, and a group's text becomes a display item.
 */
export function fromFhirQuestionnaire(resource: unknown): FhirImportResult {
  const errors: ImportIssue[] = [];
  const warnings: ImportIssue[] = [];
  const error = (path: string, message: string) => errors.push({ path, message });
  const warn = (path: string, message: string) => warnings.push({ path, message });
  if (!isMapping(resource) || resource['resourceType'] !== 'Questionnaire') {
    return { errors: [{ path: 'resourceType', message: 'must be "Questionnaire"' }], warnings };
  }

  const raw: Mapping = {
    id: resource['id'],
    version: typeof resource['version'] === 'string' && /^\d+$/.test(resource['version']) ? Number(resource['version']) : resource['version'],
    language: resource['language'],
    title: resource['title'] ?? resource['name'],
    settings: undefined,
    prompts: undefined,
    items: [],
  };
  const prompts: Mapping = {};
  const promptAudio: Mapping = {};
  if (resource['modifierExtension'] !== undefined) error('Questionnaire.modifierExtension', 'is not understood, so the questionnaire cannot be used safely');
  list(resource['extension']).forEach((e, i) => {
    const at = `Questionnaire.extension[${i}]`;
    if (!isMapping(e) || typeof e['url'] !== 'string') {
      error(at, 'an extension needs a url');
      return;
    }
    const name = ourExtensionName(e['url']);
    if (name === 'voice-settings') raw['settings'] = settingsOf(e as unknown as Extension);
    else if (name === 'voice-prompt') {
      const parts = partsOf(e as unknown as Extension);
      const key = parts.get('key')?.valueCode;
      if (typeof key !== 'string') {
      error(at, 'a voice-prompt extension needs a key');
      return;
    }
      if (parts.get('text')) prompts[key] = parts.get('text')?.valueString;
      if (parts.get('audio')) promptAudio[key] = parts.get('audio')?.valueString;
    } else warn(at, `extension ${e['url']} is not used by the bridge and was dropped`);
  });
  raw['prompts'] = prompts;
  if (Object.keys(promptAudio).length > 0) raw['prompt_audio'] = promptAudio;

  const items: Mapping[] = [];
  const itemPaths: string[] = [];
  const walk = (fhirItems: unknown, parent: string) => {
    list(fhirItems).forEach((fi, i) => {
      const at = `${parent}.item[${i}]`;
      if (!isMapping(fi)) {
      error(at, 'must be an item');
      return;
    }
      if (fi['type'] === 'group') {
        if (fi['enableWhen'] !== undefined) error(`${at}.enableWhen`, 'a condition on a group cannot be expressed: put it on each question of the group');
        if (typeof fi['text'] === 'string') {
          items.push({ id: fi['linkId'], type: 'display', text: fi['text'] });
          itemPaths.push(at);
        }
        walk(fi['item'], at);
        return;
      }
      items.push(convertItem(fi as unknown as QuestionnaireItem, at, error, warn));
      itemPaths.push(at);
    });
  };
  walk(resource['item'], 'Questionnaire');
  raw['items'] = items;

  const parsed = questionnaireSchema.safeParse(raw);
  const issues: DefinitionIssue[] = parsed.success
    ? validateQuestionnaire(parsed.data)
    : [...parsed.error.issues.flatMap(fromZodIssue), ...validateParts(salvageParts(raw, parsed.error.issues))];
  const seen = new Set(errors.map((e) => `${e.path}\u0000${e.message}`));
  for (const issue of issues) {
    const converted = fhirPathOf(issue, itemPaths);
    const key = `${converted.path}\u0000${converted.message}`;
    if (!seen.has(key)) errors.push(converted);
    seen.add(key);
  }
  if (errors.length > 0 || !parsed.success) return { errors, warnings };
  return { definition: parsed.data, warnings };
}

function convertItem(fi: QuestionnaireItem, at: string, error: (p: string, m: string) => void, warn: (p: string, m: string) => void): Mapping {
  const type = ITEM_TYPES[fi.type];
  if (type === undefined && typeof fi.type === 'string') {
    error(`${at}.type`, fi.type === 'open-choice' ? 'open-choice is not supported: list every option and use choice' : `type "${fi.type}" is not supported: the bridge asks boolean, integer, decimal, choice, string, text and display items`);
  }
  const out: Mapping = { id: fi.linkId, type: type ?? fi.type, text: fi.text };
  if (fi.required !== undefined && type !== 'display') out['required'] = fi.required;
  if (fi.repeats === true) error(`${at}.repeats`, 'a caller gives one answer per question; repeating items are not supported');
  if (fi.readOnly === true) error(`${at}.readOnly`, 'a read-only question cannot be asked on a call');
  if (fi.answerValueSet !== undefined) error(`${at}.answerValueSet`, 'value sets are not expanded: list the options as answerOption with valueCoding');
  if (fi.item !== undefined) error(`${at}.item`, 'questions nested under a question are not supported');
  if (fi.modifierExtension !== undefined) error(`${at}.modifierExtension`, 'is not understood, so the item cannot be used safely');
  for (const field of IGNORED_ITEM_FIELDS) {
    if ((fi as unknown as Mapping)[field] !== undefined) warn(`${at}.${field}`, 'is not used on a call and was dropped');
  }

  const redFlags: Mapping[] = [];
  (fi.extension ?? []).forEach((e, i) => {
    const where = `${at}.extension[${i}]`;
    const name = ourExtensionName(e.url);
    if (e.url === MIN_VALUE_URL || e.url === MAX_VALUE_URL) {
      const v = e.valueInteger ?? e.valueDecimal;
      if (v === undefined) {
      error(where, 'the bridge compares numbers only: use valueInteger or valueDecimal');
      return;
    }
      out[e.url === MIN_VALUE_URL ? 'min' : 'max'] = v;
    } else if (e.url === UNIT_URL) out['unit'] = e.valueCoding?.display ?? e.valueCoding?.code;
    else if (name === 'voice-audio') out['audio'] = e.valueString;
    else if (name === 'voice-confirm') out['confirm'] = e.valueCode;
    else if (name === 'voice-red-flag') {
      const parts = partsOf(e);
      redFlags.push({ action: parts.get('action')?.valueCode, when: conditionOf(e, where, error) });
    } else if (name === 'voice-opt-out-when') out['opt_out_when'] = conditionOf(e, where, error);
    else warn(where, `extension ${e.url} is not used by the bridge and was dropped`);
  });
  if (redFlags.length > 0) out['red_flag'] = redFlags;

  if (fi.enableWhen) {
    if (fi.enableBehavior === 'any' && fi.enableWhen.length > 1) {
      error(`${at}.enableBehavior`, '"any" cannot be expressed: the bridge asks a question only when all of its conditions hold');
    }
    out['enable_when'] = fi.enableWhen.map((w, i) => {
      const answer = readValue(w, 'answer');
      if (answer && 'unsupported' in answer) error(`${at}.enableWhen[${i}].${answer.unsupported}`, 'the bridge compares with booleans, numbers, codes and text only');
      return { question: w.question, operator: w.operator, answer: answer && 'value' in answer ? answer.value : undefined };
    });
  }
  if (fi.answerOption) {
    out['options'] = fi.answerOption.map((o, i) => {
      const where = `${at}.answerOption[${i}]`;
      if (!o.valueCoding) error(where, 'only valueCoding options are supported (a code the answer is stored as, and the display the caller hears)');
      if (o.initialSelected !== undefined) warn(`${where}.initialSelected`, 'a call has no preselected answer; dropped');
      const synonyms: unknown[] = [];
      let dtmf: unknown;
      (o.extension ?? []).forEach((e, j) => {
        const name = ourExtensionName(e.url);
        if (name === 'voice-synonym') synonyms.push(e.valueString);
        else if (name === 'voice-keypad-digit') dtmf = e.valueString;
        else warn(`${where}.extension[${j}]`, `extension ${e.url} is not used by the bridge and was dropped`);
      });
      return { code: o.valueCoding?.code, display: o.valueCoding?.display, synonyms, ...(dtmf === undefined ? {} : { dtmf }) };
    });
  }
  return out;
}

function partsOf(e: Extension): Map<string, Extension> {
  return new Map((e.extension ?? []).map((part) => [part.url, part]));
}

function conditionOf(e: Extension, where: string, error: (p: string, m: string) => void): Mapping {
  const parts = partsOf(e);
  const answerPart = parts.get('answer');
  const answer = answerPart ? readValue(answerPart, 'value') : undefined;
  if (answer && 'unsupported' in answer) error(`${where}.extension(answer).${answer.unsupported}`, 'the bridge compares with booleans, numbers, codes and text only');
  return { operator: parts.get('operator')?.valueCode, answer: answer && 'value' in answer ? answer.value : undefined };
}

function settingsOf(e: Extension): Mapping {
  const parts = partsOf(e);
  const settings: Mapping = {
    max_reprompts: parts.get('max-reprompts')?.valueInteger,
    no_input_ms: parts.get('no-input-ms')?.valueInteger,
    min_confidence: parts.get('min-confidence')?.valueDecimal,
    emergency_number: parts.get('emergency-number')?.valueString,
    transfer_number: parts.get('transfer-number')?.valueString,
  };
  return Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
}
