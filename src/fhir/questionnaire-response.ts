import type { Extension, QuestionnaireResponse, QuestionnaireResponseItem, QuestionnaireResponseItemAnswer } from 'fhir/r4';
import { conditionHolds } from '../questionnaire/conditions';
import type { AnswerValue, Questionnaire } from '../questionnaire/schema';
import type { CallSnapshot, StoredAnswer, StoredFlag } from '../store/calls';
import { type ExtensionName, extensionUrl, optionSystemUrl, questionnaireUrl } from './urls';
import { typedValue, withPrefix } from './values';

export interface FhirResponseOptions {
  /** The bridge's public base URL; canonicals, code systems and extension URLs hang off it. */
  baseUrl: string;
}

/**
 * A stored call as a FHIR R4 QuestionnaireResponse (id = the call's UUID). `definition` is the
 * questionnaire version the call ran. Items follow the definition's order; unanswered items are
 * left out. How each answer was given and the red flags raised ride in our extensions.
 */
export function toQuestionnaireResponse(call: CallSnapshot, definition: Questionnaire, options: FhirResponseOptions): QuestionnaireResponse {
  const ext = (name: ExtensionName, parts: Omit<Extension, 'url'>): Extension => ({ url: extensionUrl(options.baseUrl, name), ...parts });
  const known = new Set(definition.items.map((i) => i.id));
  // Answers to items the definition lacks (it should not happen) come last rather than vanish.
  const order = [...definition.items.map((i) => i.id), ...Object.keys(call.answers).filter((id) => !known.has(id))];

  const items = order.flatMap((linkId): QuestionnaireResponseItem[] => {
    const stored = Object.hasOwn(call.answers, linkId) ? call.answers[linkId] : undefined;
    const flags = call.flags.filter((f) => f.item === linkId);
    if (!stored && flags.length === 0) return [];
    const item = definition.items.find((i) => i.id === linkId);
    const out: QuestionnaireResponseItem = { linkId };
    if (item) out.text = item.text;
    if (flags.length > 0) out.extension = flags.map((f) => redFlag(f, ext));
    const typed = stored ? typedValue(item, stored.value, optionSystemUrl(options.baseUrl, definition.id, linkId)) : undefined;
    if (stored && typed) out.answer = [{ extension: answerExtensions(stored, ext), ...withPrefix('value', typed) } as QuestionnaireResponseItemAnswer];
    return [out];
  });

  const response: QuestionnaireResponse = {
    resourceType: 'QuestionnaireResponse',
    id: call.id,
    meta: { lastUpdated: lastUpdated(call) },
    extension: [ext('call-status', { valueCode: call.status })],
    questionnaire: `${questionnaireUrl(options.baseUrl, call.questionnaire)}|${call.questionnaireVersion}`,
    status: responseStatus(call, definition),
    authored: authored(call),
  };
  if (call.patientReference) response.subject = { reference: call.patientReference };
  if (items.length > 0) response.item = items;
  return response;
}

/**
 * FHIR's status from the call's (docs/fhir.md has the table). `completed` means the answers are
 * definitive: the call finished the questionnaire, or ended another way after every required
 * question that applied had an answer. Otherwise an ended call is `stopped` (abandoned part way).
 * `amended` and `entered-in-error` are never produced: a call's answers are not edited later.
 */
export function responseStatus(call: Pick<CallSnapshot, 'status' | 'answers'>, definition: Questionnaire): 'in-progress' | 'completed' | 'stopped' {
  switch (call.status) {
    case 'in_progress':
      return 'in-progress';
    case 'completed':
      return 'completed';
    case 'escalated':
    case 'transferred':
    case 'opted_out':
    case 'stopped':
    case 'interrupted':
      return requiredAnswered(call.answers, definition) ? 'completed' : 'stopped';
    default: {
      const never: never = call.status;
      throw new Error(`unknown call status ${String(never)}`);
    }
  }
}

/** Every required item that the answers enable has an answer. */
function requiredAnswered(answers: Readonly<Record<string, StoredAnswer>>, definition: Questionnaire): boolean {
  const value = (id: string) => (Object.hasOwn(answers, id) ? (answers[id]?.value as AnswerValue | undefined) : undefined);
  return definition.items.every((item) => {
    if (!item.required) return true;
    const enabled = item.enable_when.every((c) => conditionHolds(c.operator, c.answer, value(c.question)));
    return !enabled || value(item.id) !== undefined;
  });
}

function answerExtensions(a: StoredAnswer, ext: (name: ExtensionName, parts: Omit<Extension, 'url'>) => Extension): Extension[] {
  const out = [ext('answer-method', { valueCode: a.method })];
  if (a.transcript !== null) out.push(ext('answer-transcript', { valueString: a.transcript }));
  out.push(ext('answer-confidence', { valueDecimal: a.confidence }), ext('answer-attempts', { valueInteger: a.attempts }));
  if (a.confirmed !== undefined) out.push(ext('answer-confirmed', { valueBoolean: a.confirmed }));
  return out;
}

function redFlag(f: StoredFlag, ext: (name: ExtensionName, parts: Omit<Extension, 'url'>) => Extension): Extension {
  return ext('red-flag', { extension: [{ url: 'action', valueCode: f.action }, { url: 'raisedAt', valueDateTime: f.raisedAt }] });
}

/** When the answers last changed: the latest answer, else the end of the call, else its start. */
function authored(call: CallSnapshot): string {
  const times = Object.values(call.answers).map((a) => a.answeredAt);
  return latest(times) ?? call.endedAt ?? call.startedAt;
}

/** When anything in the resource last changed (an answer, a flag, the call ending). */
function lastUpdated(call: CallSnapshot): string {
  const times = [call.startedAt, ...Object.values(call.answers).map((a) => a.answeredAt), ...call.flags.map((f) => f.raisedAt)];
  if (call.endedAt) times.push(call.endedAt);
  return latest(times) ?? call.startedAt;
}

function latest(isoTimes: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const t of isoTimes) if (best === undefined || Date.parse(t) > Date.parse(best)) best = t;
  return best;
}
