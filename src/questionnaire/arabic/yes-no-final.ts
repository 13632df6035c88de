/**
 * A long answer whose last part answers the question plainly, after a "but": "كل شي بيوجعني بس
 * هاد الشي لا الحمد لله ماعندي" (everything hurts, but this one, no), "خف شويه بس لسه فيه"
 * (eased, but still there). What comes before is the caller's story; the last part names the thing
 * asked about ("هاد"، "ده بالذات") or says it is still there, and is read alone.
 * Normalised spelling (see normalize.ts).
 */

import type { YesNo } from './yes-no';
import { namesNothing } from './yes-no-correction';
import * as lexicon from './yes-no-lexicon';
import { bare, words } from './word-list';


/** "هاد"، "ده": the thing the question asks about. */
const THIS = words('هاد هادا هذا هاذا ده دا هيدا هيدي هذي هاي هاذ');
/** What may follow it and still only name it: "هاد الشي"، "ده بالذات"، "هاد اللي سالتي عنه". */
const NAMING = words('الشي الشيء الموضوع بالذات بالزات تحديدا اللي الي يلي عنه عليه عليها');
const ASKING_VERB = /^(ب|عم)?[تي]?(سال|قصد)/;
/** A symptom said to be there: "فيه"، "موجود"، "يوجعني". */
const THERE = words('فيه في موجود موجوده عندي معي يوجعني بيوجعني يجيني حاسس حاسه احس');
/** Iraqi "بعده موجود" (still there); elsewhere "بعده" is "after it", so only before a word of being there. */
const STILL_BEFORE_THERE = words('بعده بعدها بعدو');

/** The words after the last "but", or null when there is none or nothing follows it. */
function afterLastBut(tokens: readonly string[]): { head: string[]; tail: string[] } | null {
  let at = tokens.length - 1;
  while (at >= 0 && !lexicon.CONTRAST_WORDS.has(tokens[at] as string)) at -= 1;
  if (at <= 0 || at === tokens.length - 1) return null;
  return { head: tokens.slice(0, at), tail: tokens.slice(at + 1) };
}

/**
 * "… بس هاد الشي لا ماعندي" → no; "… بس ده بالذات عندي" → yes: the last part, past a word naming
 * the thing asked about, read by `read` when it is only a bare answer (particles, "عندي"، "ما في",
 * thanks). Null otherwise.
 */
export function answerAboutThis(tokens: readonly string[], read: (tokens: readonly string[]) => YesNo | null): YesNo | null {
  const split = afterLastBut(tokens);
  if (split === null || !THIS.has(split.tail[0] ?? '')) return null;
  let index = 1;
  while (index < split.tail.length && (NAMING.has(split.tail[index] as string) || ASKING_VERB.test(split.tail[index] as string))) index += 1;
  const answer = split.tail.slice(index);
  // "بس هذا مو…": a negator alone may be a sentence cut short.
  if (answer.every((token) => lexicon.NEGATORS.has(token)) || !namesNothing(answer)) return null;
  const reading = read(answer);
  return reading === 'yes' || reading === 'no' ? reading : null;
}

/**
 * "خف شويه بس لسه فيه"، "الحين خف بس لسا موجود شوي"، "الدوا مو كافي، لسه يوجعني": after a "but"
 * or in a last clause of its own, "still there" says it is there now: yes. Not when what comes
 * before denies having something ("ما عندي الم بس لسا فيه ضيق" names two things; "الدوا مو كافي"
 * denies nothing), nor when the last part holds a negation ("بس لسا ما راح" is read by the rest).
 */
export function stillThere(tokens: readonly string[], clauses: readonly (readonly string[])[] = [tokens]): YesNo | null {
  const last = clauses.at(-1);
  const split = afterLastBut(tokens) ?? (clauses.length > 1 && last !== undefined ? { head: clauses.slice(0, -1).flat(), tail: [...last] } : null);
  if (split === null) return null;
  const [still, there, ...rest] = split.tail;
  if (still === undefined || !(lexicon.STILL_WORDS.has(still) || STILL_BEFORE_THERE.has(still)) || there === undefined || !THERE.has(there)) return null;
  if (!rest.every((token) => lexicon.INTENSIFIERS.has(token) || lexicon.FILLER_WORDS.has(token))) return null;
  return deniesHaving(split.head) ? null : 'yes';
}

/** Words a negator may deny having with: "ما عندي"، "مش حاسس"، "ما في شي". */
const HAVING = new Set([...lexicon.POSSESSION_WORDS, ...lexicon.EXISTENTIAL_WORDS, ...lexicon.FEELING_VERBS, ...lexicon.NOTHING_WORDS]);

/** "ما عندي الم"، "لا"، "ماكو"، "مافي": a denial; "مو كافي" (not enough) or "ما راح" (did not go) is none. */
function deniesHaving(tokens: readonly string[]): boolean {
  return tokens.some((token, index) => {
    const word = token.replace(/^و(?=ما$)/, '');
    if (lexicon.NO_WORDS.has(word) || lexicon.NEGATED_EXISTENCE.has(word)) return true;
    if (lexicon.NEGATORS.has(word)) return HAVING.has(tokens[index + 1] ?? '');
    return word.startsWith('ما') && word.length > 3 && HAVING.has(word.slice(2));
  });
}

/** "مو مثل امبارح"، "مش زي امبارح": a comparison with an earlier time. */
const LIKE = words('مثل متل زي زيي');
/** Words that carry the earlier time on to now, or start it then: the earlier part is not only earlier. */
const GOES_ON = words('للحين لليوم لحد لغايه لهلق لهسه لسا لسه لساته لسي لساتو بدا بدات بلش بلشت ابتدا ابتدت');
const SINCE = 'من';

/**
 * "لا الحمد لله بس امس كان عندي شوي"، "هسه شويه بس مو مثل البارحه": an answer for now, then "but"
 * and a time before now. Asked how they are, the first part answers; the earlier time is another
 * time. Null when the part after "but" does not open with an earlier time ("امس"، "كان"، "مو مثل
 * امس"), or when it may reach now: "من امس" (since yesterday), "ولسا"، "رجع"، "بدا امس", a
 * negation, "now".
 */
export function answerBeforeAnEarlierTime(tokens: readonly string[], read: (tokens: readonly string[]) => YesNo | null): YesNo | null {
  const but = tokens.findIndex((token, index) => index > 0 && lexicon.CONTRAST_WORDS.has(token));
  if (but < 0) return null;
  const head = tokens.slice(0, but);
  let tail = tokens.slice(but + 1);
  if (head.some((token) => lexicon.PAST_MARKERS.has(token) || lexicon.PAST_VERBS.has(token))) return null;
  if (lexicon.NEGATORS.has(tail[0] ?? '') && LIKE.has(tail[1] ?? '')) tail = tail.slice(2);
  if (!lexicon.PAST_MARKERS.has(tail[0] ?? '')) return null;
  const reachesNow = tail.some(
    (token) =>
      token === SINCE ||
      GOES_ON.has(bare(token)) ||
      lexicon.NOW_MARKERS.has(bare(token)) ||
      lexicon.RETURNED_WORDS.has(bare(token)) ||
      lexicon.RESOLVED_WORDS.has(bare(token)) ||
      lexicon.EASED_WORDS.has(bare(token)) ||
      lexicon.NEGATORS.has(token.replace(/^و(?=ما$)/, '')) ||
      lexicon.CONTRAST_WORDS.has(token),
  );
  if (reachesNow) return null;
  const reading = read(head);
  if (reading === 'no') return 'no';
  // "اي بس امس": a bare yes before "but yesterday" may mean it was yesterday. A yes needs its own
  // words ("هسه شويه"، "عندي") and a said earlier time ("امس كان اكثر").
  const ownWords = head.some((token) => lexicon.INTENSIFIERS.has(token) || lexicon.POSSESSION_WORDS.has(token) || lexicon.EXISTENTIAL_WORDS.has(token) || lexicon.FEELING_VERBS.has(token));
  if (reading === 'yes' && ownWords && tokens.length - but - 1 >= 2) return 'yes';
  // "اه بس البارحه"، "اي بس امس كان": the yes may be for yesterday only. Asked again.
  return reading === 'yes' && !ownWords ? 'uncertain' : null;
}
