import type { Logger } from '../observability/logger';
import type { Metrics, UNKNOWN_QUESTIONNAIRE_SOURCES } from '../observability/metrics';

/** UNKNOWN_QUESTIONNAIRE: what a call naming a questionnaire the bridge does not have gets. */
export const UNKNOWN_QUESTIONNAIRE_POLICIES = ['default', 'reject'] as const;
export type UnknownQuestionnairePolicy = (typeof UNKNOWN_QUESTIONNAIRE_POLICIES)[number];

/** Where the id came from: the `source` label of bridge_unknown_questionnaire_total. */
export type QuestionnaireSource = (typeof UNKNOWN_QUESTIONNAIRE_SOURCES)[number];

/** Ids are attacker-controlled: logs keep at most this many characters. */
export const LOGGED_ID_MAX_CHARS = 64;

export interface QuestionnaireRequest {
  /** The id the call names (`?questionnaire=`, a stream parameter, a campaign variable); untrusted. */
  named: unknown;
  /** The called number's entry in QUESTIONNAIRE_BY_NUMBER, if any. */
  byNumber?: string | undefined;
  known: ReadonlySet<string>;
  defaultId: string;
  policy: UnknownQuestionnairePolicy;
}

export type QuestionnaireChoice =
  | { outcome: 'chosen'; id: string }
  /** The call named an unknown id (`named`, truncated); it runs `id` instead (policy `default`). */
  | { outcome: 'fallback'; id: string; named: string }
  /** The call named an unknown id and is refused (policy `reject`). */
  | { outcome: 'rejected'; named: string };

/**
 * The named questionnaire, else the called number's, else the default. A named id the bridge
 * does not have is never silent: the choice says so, and under `reject` the call is refused.
 */
export function chooseQuestionnaire(request: QuestionnaireRequest): QuestionnaireChoice {
  const { named, byNumber, known, defaultId, policy } = request;
  const fallback = byNumber !== undefined && known.has(byNumber) ? byNumber : defaultId;
  if (typeof named !== 'string' || named === '') return { outcome: 'chosen', id: fallback };
  if (known.has(named)) return { outcome: 'chosen', id: named };
  const shown = truncateId(named);
  return policy === 'reject' ? { outcome: 'rejected', named: shown } : { outcome: 'fallback', id: fallback, named: shown };
}

export function truncateId(id: string): string {
  const chars = [...id];
  return chars.length <= LOGGED_ID_MAX_CHARS ? id : `${chars.slice(0, LOGGED_ID_MAX_CHARS).join('')}…`;
}

/** Counts and logs (error level) a call that named an unknown questionnaire; nothing otherwise. */
export function reportQuestionnaireChoice(
  choice: QuestionnaireChoice,
  source: QuestionnaireSource,
  deps: { metrics: Metrics; logger: Logger },
): void {
  if (choice.outcome === 'chosen') return;
  deps.metrics.unknownQuestionnaire.inc({ source });
  const action = choice.outcome === 'rejected' ? 'call refused' : `running ${choice.id} instead`;
  deps.logger.error({ questionnaire: choice.named, source, action }, 'call names an unknown questionnaire');
}
