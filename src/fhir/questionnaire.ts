import type { Extension, Questionnaire as FhirQuestionnaire, QuestionnaireItem, QuestionnaireItemAnswerOption, QuestionnaireItemEnableWhen } from 'fhir/r4';
import type { Condition, Item, PromptKey, Questionnaire } from '../questionnaire/schema';
import { type ExtensionName, MAX_VALUE_URL, MIN_VALUE_URL, UNIT_URL, extensionUrl, optionSystemUrl, questionnaireUrl } from './urls';
import { typedValue, withPrefix } from './values';

export interface FhirExportOptions {
  /** The bridge's public base URL; canonicals, code systems and extension URLs hang off it. */
  baseUrl: string;
}

/** FHIR's item type for each of ours. A spoken free-text answer is one utterance: a single line. */
const ITEM_TYPES = {
  boolean: 'boolean',
  integer: 'integer',
  decimal: 'decimal',
  choice: 'choice',
  text: 'string',
  display: 'display',
} as const satisfies Record<Item['type'], QuestionnaireItem['type']>;

/**
 * Our definition as a FHIR R4 Questionnaire. What FHIR expresses is written the standard way
 * (linkId, required, answerOption, enableWhen, minValue/maxValue, questionnaire-unit); what only a
 * phone call needs (prompts, settings, confirmation, red flags, opt-out, synonyms, keypad digits,
 * recordings) goes in our extensions, so `fromFhirQuestionnaire` gives the same definition back.
 */
export function toFhirQuestionnaire(definition: Questionnaire, options: FhirExportOptions): FhirQuestionnaire {
  const ext = (name: ExtensionName, parts: Omit<Extension, 'url'>): Extension => ({ url: extensionUrl(options.baseUrl, name), ...parts });
  const system = (itemId: string) => optionSystemUrl(options.baseUrl, definition.id, itemId);
  const byId = new Map(definition.items.map((item) => [item.id, item]));

  const s = definition.settings;
  const settings: Extension[] = [
    { url: 'max-reprompts', valueInteger: s.max_reprompts },
    { url: 'no-input-ms', valueInteger: s.no_input_ms },
    { url: 'min-confidence', valueDecimal: s.min_confidence },
    { url: 'emergency-number', valueString: s.emergency_number },
    ...(s.transfer_number === undefined ? [] : [{ url: 'transfer-number', valueString: s.transfer_number }]),
  ];
  const promptKeys = new Set<PromptKey>([...(Object.keys(definition.prompts) as PromptKey[]), ...(Object.keys(definition.prompt_audio ?? {}) as PromptKey[])]);
  const prompts = [...promptKeys].flatMap((key) => {
    const text = definition.prompts[key];
    const audio = definition.prompt_audio?.[key];
    if (text === undefined && audio === undefined) return [];
    const parts: Extension[] = [{ url: 'key', valueCode: key }];
    if (text !== undefined) parts.push({ url: 'text', valueString: text });
    if (audio !== undefined) parts.push({ url: 'audio', valueString: audio });
    return [ext('voice-prompt', { extension: parts })];
  });

  const condition = (name: ExtensionName, cond: Condition, target: Item): Extension =>
    ext(name, { extension: [{ url: 'operator', valueCode: cond.operator }, conditionAnswer(cond, target, system(target.id), 'value')] });

  const item = (it: Item): QuestionnaireItem => {
    const extension: Extension[] = [];
    if (it.min !== undefined) extension.push({ url: MIN_VALUE_URL, ...numberFor(it, it.min) });
    if (it.max !== undefined) extension.push({ url: MAX_VALUE_URL, ...numberFor(it, it.max) });
    if (it.unit !== undefined) extension.push({ url: UNIT_URL, valueCoding: { display: it.unit } });
    if (it.audio !== undefined) extension.push(ext('voice-audio', { valueString: it.audio }));
    if (it.type !== 'display') extension.push(ext('voice-confirm', { valueCode: it.confirm }));
    for (const flag of it.red_flag) {
      const when = condition('voice-red-flag', flag.when, it);
      extension.push({ ...when, extension: [{ url: 'action', valueCode: flag.action }, ...(when.extension ?? [])] });
    }
    if (it.opt_out_when) extension.push(condition('voice-opt-out-when', it.opt_out_when, it));

    const out: QuestionnaireItem = { linkId: it.id, text: it.text, type: ITEM_TYPES[it.type] };
    if (extension.length > 0) out.extension = extension;
    if (it.type !== 'display') out.required = it.required;
    if (it.enable_when.length > 0) {
      out.enableWhen = it.enable_when.map((cond): QuestionnaireItemEnableWhen => {
        const target = byId.get(cond.question);
        const answer = target ? conditionAnswer(cond, target, system(target.id), 'answer') : { answerString: String(cond.answer) };
        return { question: cond.question, operator: cond.operator, ...answer } as QuestionnaireItemEnableWhen;
      });
      // FHIR asks for enableBehavior once there is more than one condition; ours are all ANDed.
      if (it.enable_when.length > 1) out.enableBehavior = 'all';
    }
    if (it.options) out.answerOption = it.options.map((o) => answerOption(o, system(it.id), ext));
    return out;
  };

  const resource: FhirQuestionnaire = {
    resourceType: 'Questionnaire',
    id: definition.id,
    language: definition.language,
    url: questionnaireUrl(options.baseUrl, definition.id),
    version: String(definition.version),
    title: definition.title,
    status: 'active',
    extension: [ext('voice-settings', { extension: settings }), ...prompts],
    item: definition.items.map(item),
  };
  return resource;
}

function answerOption(
  option: NonNullable<Item['options']>[number],
  system: string,
  ext: (name: ExtensionName, parts: Omit<Extension, 'url'>) => Extension,
): QuestionnaireItemAnswerOption {
  const extension = [
    ...option.synonyms.map((synonym) => ext('voice-synonym', { valueString: synonym })),
    ...(option.dtmf === undefined ? [] : [ext('voice-keypad-digit', { valueString: option.dtmf })]),
  ];
  return {
    ...(extension.length > 0 ? { extension } : {}),
    valueCoding: { system, code: option.code, display: option.display },
  };
}

/** `exists` always compares with true/false; other operators with a value of the target's type. */
function conditionAnswer(cond: Condition, target: Item, system: string, prefix: 'value' | 'answer'): Record<string, unknown> & Extension {
  const typed =
    cond.operator === 'exists' && typeof cond.answer === 'boolean'
      ? ({ kind: 'Boolean', value: cond.answer } as const)
      : typedValue(target, cond.answer, system);
  const value = typed ? withPrefix(prefix, typed) : {};
  return (prefix === 'value' ? { url: 'answer', ...value } : value) as Record<string, unknown> & Extension;
}

function numberFor(item: Item, value: number): Pick<Extension, 'valueInteger' | 'valueDecimal'> {
  return item.type === 'integer' ? { valueInteger: value } : { valueDecimal: value };
}
