/**
 * Requests the caller makes instead of answering: hear the question again, talk to a person,
 * or stop. Precedence when several appear: human > stop > repeat.
 */

import * as lexicon from './intent-lexicon';
import { tokenizeArabic, tokenizeClauses } from './normalize';
import { findNumbers } from './number-grammar';
import { NOW_MARKERS } from './time-words';
import { prefixVariants } from './word-forms';
import { hasConjunction } from './word-list';

export type Intent = 'repeat' | 'human' | 'stop';

const DISCOURSE = new Set([...lexicon.POLITE_WORDS, ...lexicon.WANT_WORDS, lexicon.DONE, 'لا', 'والله']);

/** `word` is `form`, or `form` with an attached و/ف. Allocates nothing: it runs for every token against every phrase. */
function isVerbForm(word: string, form: string): boolean {
  return word === form || (word.length === form.length + 1 && hasConjunction(word) && word.endsWith(form));
}

/** The word, or the word without an attached و/ف, is in the set. */
function isIn(set: ReadonlySet<string>, word: string | undefined): boolean {
  return word !== undefined && (set.has(word) || (hasConjunction(word) && set.has(word.slice(1))));
}

/** For people: "بموظف"، "للدكتور"، "مع الممرضه" all name the person. */
function namesIn(set: ReadonlySet<string>, word: string): boolean {
  return prefixVariants(word).some((form) => set.has(form));
}

/** A phrase of the table starts at some token (its first word may carry و/ف), and `unless` does not hold of the word after it. */
function containsPhrase(tokens: readonly string[], table: readonly (readonly string[])[], unless?: (after: string | undefined) => boolean): boolean {
  for (let start = 0; start < tokens.length; start++) {
    for (const phrase of table) {
      if (phraseAt(tokens, start, phrase) && !unless?.(tokens[start + phrase.length])) return true;
    }
  }
  return false;
}

function phraseAt(tokens: readonly string[], start: number, phrase: readonly string[]): boolean {
  if (start + phrase.length > tokens.length) return false;
  for (let offset = 0; offset < phrase.length; offset++) {
    const token = tokens[start + offset] as string;
    const word = phrase[offset] as string;
    if (offset === 0 ? !isVerbForm(token, word) : token !== word) return false;
  }
  return true;
}

/** "ما فهمت الدكتور شو قال": what the caller did not understand was someone else, not the question. */
function namesSomeone(word: string | undefined): boolean {
  return word !== undefined && namesIn(lexicon.PEOPLE, word);
}

/** "ما بدي احكي": the verb at `index` is negated directly or through the want word before it. */
function isNegated(tokens: readonly string[], index: number): boolean {
  const previous = tokens[index - 1];
  if (isIn(lexicon.NEGATORS, previous) || isIn(lexicon.NEGATED_WANT_WORDS, previous)) return true;
  return isIn(lexicon.WANT_WORDS, previous) && isIn(lexicon.NEGATORS, tokens[index - 2]);
}

/** Only polite words, "خلاص" and want words come before `index`: a command can stand here. */
function atCommandPosition(tokens: readonly string[], index: number): boolean {
  if (isIn(lexicon.NEGATORS, tokens[index - 1])) return false;
  return tokens.slice(0, index).every((token) => isIn(DISCOURSE, token));
}

function wantsHuman(tokens: readonly string[]): boolean {
  if (containsPhrase(tokens, lexicon.HUMAN_PHRASES)) return true;
  // "خل الدكتور يتصل فيني": let a person call or talk to me.
  const letAt = tokens.findIndex((token) => lexicon.LET_WORDS.has(token));
  if (letAt >= 0 && namesIn(lexicon.PEOPLE, tokens[letAt + 1] ?? '') && tokens.slice(letAt + 2).some((token) => isIn(lexicon.CALL_ME_VERBS, token) || isIn(lexicon.TALK_VERBS, token))) return true;
  const personAfter = (index: number, people: ReadonlySet<string>): boolean =>
    tokens.slice(index + 1).some((token) => namesIn(people, token));
  const personBesides = (index: number, people: ReadonlySet<string>): boolean =>
    tokens.some((token, other) => other !== index && namesIn(people, token));
  const asked = tokens.some((token, index) => {
    if (isNegated(tokens, index) || isIn(lexicon.NEGATED_WANT_WORDS, token)) return false;
    if (isIn(lexicon.TRANSFER_VERBS, token)) return true;
    if (isIn(lexicon.TALK_VERBS, token) || isIn(lexicon.CONNECT_VERBS, token)) {
      // "بدي احكي مع حدا" and "ابغى احد يكلمني": the person may come before or after.
      return personBesides(index, lexicon.PEOPLE) || personBesides(index, lexicon.SOMEONE);
    }
    if (!isIn(lexicon.WANT_WORDS, token)) return false;
    if (personAfter(index, lexicon.PEOPLE)) return true;
    // "بدي حدا يرد علي"، "ابي احد حقيقي": someone to answer me, a real person.
    const someone = tokens[index + 1];
    const what = tokens[index + 2];
    return isIn(lexicon.SOMEONE, someone) && (isIn(lexicon.CALL_ME_VERBS, what) || isIn(lexicon.TALK_VERBS, what) || isIn(lexicon.REAL_WORDS, what));
  });
  if (asked) return true;
  const content = tokens.filter((token) => !lexicon.POLITE_WORDS.has(token));
  if (content.length > 0 && content.length <= 2 && content.every((token) => namesIn(lexicon.PEOPLE_ALONE, token))) return true;
  // "الممرضه لو سمحت": a person named alone, asked for politely (a doctor named alone may be an answer).
  const polite = tokens.some((token) => lexicon.PLEASE_WORDS.has(token));
  return polite && content.length === 1 && namesIn(lexicon.PEOPLE, content[0] as string);
}

function refusesToContinue(tokens: readonly string[], index: number): boolean {
  const token = tokens[index];
  let afterWant: number;
  if (isIn(lexicon.NEGATED_WANT_WORDS, token)) afterWant = index + 1;
  else if (isIn(lexicon.NEGATORS, token) && (isIn(lexicon.WANT_WORDS, tokens[index + 1]) || isIn(lexicon.ABLE_WORDS, tokens[index + 1]))) afterWant = index + 2;
  else return false;
  const rest = tokens.slice(afterWant, afterWant + 3);
  const going = rest.findIndex((word) => isIn(lexicon.CONTINUE_VERBS, word));
  // "ما اقدر اتكلم زين من الكحه": unable to talk well is a symptom; unable to go on ("ما اقدر اكمل") refuses the call.
  if (going >= 0 && isIn(lexicon.ABLE_WORDS, tokens[afterWant - 1]) && rest.length > going + 1) return false;
  if (going >= 0) {
    // "ما بدي كمل الدوا": going on with something else (a medicine) is an answer, not a refusal of the call.
    const object = rest[going + 1];
    // "ما بدي احكي كتير": not at length, which is no refusal of the call.
    if (object !== undefined && lexicon.MUCH_WORDS.has(object)) return false;
    return object === undefined || !object.startsWith('ال') || lexicon.CALL_OBJECTS.has(object);
  }
  // "خلاص ما بدي" / "خلص بعد ما اريد" / "كافي بعد ما اريد": done or enough, and nothing else
  // wanted. "كافي" only opening the answer: "الدوا كافي ما بدي غيره" is about the medicine.
  return (tokens.slice(0, index).some((word) => lexicon.DONE_WORDS.has(word)) || tokens[0] === lexicon.ENOUGH_OF) && rest.every((word) => lexicon.POLITE_WORDS.has(word));
}

/** "شو؟" alone, or "هاه شنو؟" (two of them), asks for a repeat; "شو؟ ما عندي شي" goes on to answer. */
function whatAlone(tokens: readonly string[]): boolean {
  return tokens.length >= 1 && tokens.length <= 2 && tokens.every((token) => lexicon.WHAT_ALONE.has(token));
}

/** "نعم؟" alone, asked: "pardon?". */
function pardon(text: string, tokens: readonly string[]): boolean {
  const [only] = tokens;
  return tokens.length === 1 && only !== undefined && lexicon.PARDON_IF_ASKED.has(only) && /[?\u061F]\s*$/.test(text);
}

/** "سكر" alone (or with "خلاص"/polite words) is "hang up"; next to other words it may be sugar. */
function hangUpAlone(tokens: readonly string[]): boolean {
  const content = tokens.filter((token) => !lexicon.POLITE_WORDS.has(token) && token !== lexicon.DONE);
  const [only] = content;
  return content.length === 1 && only !== undefined && lexicon.HANG_UP_ALONE.has(only);
}

/**
 * "لا عاد تتصلون علي"، "ما بقى تدقوا علي": you, no longer, calling me. ("لا عاد يتصل علي" is
 * someone else who no longer calls; "ما عاد تتصلون علي من زمان" a complaint, with more after it.)
 */
function noMoreCalls(tokens: readonly string[]): boolean {
  // "بطلوا تتصلوا عليا": stop calling me, at the head of what is said.
  if (tokens.some((token, index) => isIn(lexicon.STOP_DOING_VERBS, token) && atCommandPosition(tokens, index) && lexicon.CALL_YOU_VERBS.has(tokens[index + 1] ?? ''))) return true;
  return tokens.some((token, index) => {
    if (!isIn(lexicon.NEGATORS, token) || !lexicon.NO_MORE_WORDS.has(tokens[index + 1] ?? '')) return false;
    if (!lexicon.CALL_YOU_VERBS.has(tokens[index + 2] ?? '')) return false;
    const rest = tokens.slice(index + 3);
    return rest.length === 0 || (lexicon.TO_ME.has(rest[0] as string) && rest.slice(1).every((word) => lexicon.POLITE_WORDS.has(word) || isIn(DISCOURSE, word)));
  });
}

/**
 * "شيلوا رقمي من عندكم"، "بدي تمسحوا رقمي": take me off the list, which ends the calls. The
 * command must not be negated ("لا تشيلوا رقمي") and must be the caller's own entry ("رقمي"،
 * "رقم تلفوني"); "شيل الدوا" or "الدكتور شال رقمي" are not requests.
 */
function removeMyNumber(tokens: readonly string[]): boolean {
  return tokens.some((token, index) => {
    if (!isIn(lexicon.REMOVE_VERBS, token) || isNegated(tokens, index)) return false;
    const object = tokens[index + 1] ?? '';
    const mine = lexicon.MY_NUMBER.has(object) || ((object === 'رقم' || object === 'الرقم') && lexicon.MY_NUMBER.has(tokens[index + 2] ?? ''));
    const asked = atCommandPosition(tokens, index) || isIn(lexicon.WANT_WORDS, tokens[index - 1]);
    return mine && asked;
  });
}

function wantsToStop(tokens: readonly string[]): boolean {
  if (containsPhrase(tokens, lexicon.STOP_PHRASES) || noMoreCalls(tokens)) return true;
  // "كافي" alone, or with "خلاص" or polite words: enough. ("الدوا كافي" is an answer.)
  if (tokens.includes(lexicon.ENOUGH_OF) && tokens.every((token) => token === lexicon.ENOUGH_OF || isIn(DISCOURSE, token) || lexicon.DONE_WORDS.has(token))) return true;
  // "بسكر الحين"، "خلاص بسكر الخط": the caller says they are hanging up ("بسكر" alone may be "with sugar").
  const hangingUp = tokens.findIndex((token) => lexicon.HANGING_UP.has(token));
  if (hangingUp >= 0 && tokens.length > 1) {
    const others = tokens.filter((_, index) => index !== hangingUp);
    if (others.every((token) => isIn(DISCOURSE, token) || lexicon.CALL_OBJECTS.has(token) || NOW_MARKERS.has(token))) return true;
  }
  // "باي" ends the sentence as a goodbye; "باي الم" is "بأي ألم" (with any pain).
  if (tokens.length > 0 && lexicon.BYE.has(tokens.at(-1) as string)) return true;
  // "ما اريد احچي": not wanting to talk at all (no one named) is a refusal of the call.
  const talk = tokens.findIndex((token, index) => isIn(lexicon.TALK_VERBS, token) && isNegated(tokens, index));
  if (talk >= 0 && tokens.slice(talk + 1).every((token) => lexicon.POLITE_WORDS.has(token) || lexicon.WITH_YOU.has(token))) return true;
  if (removeMyNumber(tokens)) return true;
  return tokens.some((token, index) => {
    const previous = tokens[index - 1];
    const next = tokens[index + 1];
    if (isIn(lexicon.ENOUGH_WORDS, token)) return !isIn(lexicon.NEGATORS, previous);
    if (token === lexicon.ENOUGH_OF) return !isIn(lexicon.NEGATORS, previous) && next !== undefined && lexicon.CALL_OBJECTS.has(next);
    if (isIn(lexicon.STOP_VERBS, token)) {
      // "وقف" alone may be "it stopped" (the pain): a command needs company ("وقف المكالمه"، "خلاص وقف").
      if (tokens.length === 1 && !/^[a-z]+$/.test(token) && token !== 'ستوب') return false;
      if (next !== undefined && lexicon.WHEN_WORDS.has(next)) return false;
      const takesCallObject = next === undefined || !next.startsWith('ال') || lexicon.CALL_OBJECTS.has(next);
      return atCommandPosition(tokens, index) && takesCallObject;
    }
    if (isIn(lexicon.FIRST_PERSON_STOP_VERBS, token)) {
      return (isIn(lexicon.LET_US, previous) || isIn(lexicon.WANT_WORDS, previous)) && !isNegated(tokens, index);
    }
    if (isIn(lexicon.HANG_UP_VERBS, token)) {
      const asked = isIn(lexicon.WANT_WORDS, previous) || isIn(lexicon.LET_US, previous) || previous === lexicon.DONE;
      return (asked && !isNegated(tokens, index)) || (next !== undefined && lexicon.CALL_OBJECTS.has(next));
    }
    return refusesToContinue(tokens, index);
  });
}

/** "قولي تاني"، "مره ثانيه لو سمحت": "again" with nothing else but a "say" verb or polite words. */
function againAlone(tokens: readonly string[]): boolean {
  for (const phrase of lexicon.AGAIN_PHRASES) {
    const start = tokens.findIndex((_, at) => phrase.every((word, offset) => tokens[at + offset] === word));
    if (start < 0) continue;
    const others = tokens.filter((_, index) => index < start || index >= start + phrase.length);
    if (others.every((token) => isIn(DISCOURSE, token) || isIn(lexicon.SAY_VERBS, token) || isIn(lexicon.REPEAT_VERBS, token))) return true;
  }
  return false;
}

function wantsRepeat(tokens: readonly string[]): boolean {
  if (containsPhrase(tokens, lexicon.REPEAT_PHRASES, namesSomeone) || againAlone(tokens)) return true;
  return tokens.some((token, index) => {
    // "لا تعيد علي، قلت لك لا": told not to repeat (the prohibitive "لا تـ…"), the caller has
    // answered already. ("لا عيد السؤال" is "no, say it again".)
    if (isIn(lexicon.REPEAT_VERBS, token) && tokens[index - 1] === 'لا' && token.startsWith('ت')) return false;
    // "تكرر مرتين": it recurred twice.
    if (isIn(lexicon.REPEAT_VERBS, token)) return !isIn(lexicon.FEAST_FOLLOWERS, tokens[index + 1]) && !isIn(lexicon.COUNT_WORDS, tokens[index + 1]);
    return isIn(lexicon.REPEAT_COMMAND_VERBS, token) && atCommandPosition(tokens, index);
  });
}

const ASKED = /[?\u061F]/;
/** "تقصد الحراره؟"، "قصدك السكر؟": the caller checks what the question is about. */
const CHECK_VERBS = new Set(['تقصد', 'تقصدي', 'بتقصد', 'بتقصدي', 'قصدك', 'قصدكم', 'تسال', 'تسالي', 'بتسال', 'بتسالي', 'تسالني', 'بتسالني']);
const WHAT_WORDS = new Set([...lexicon.WHAT_ALONE, 'ايه', 'ايش', 'شي', 'عن']);
/** What opens an answer: a yes or a no ("لا" also in "لأ"). */
const YES_NO_WORDS = new Set(['اي', 'ايوه', 'ايوا', 'اه', 'نعم', 'ايه', 'اكيد', 'لا']);

/**
 * "شو قلت؟ عمري؟ تمانين"، "ما فهمت تقصد الحراره؟ سبعه وثلاثين": the caller asked, checked what
 * the question is about (an echo of it, "عمري؟", or "تقصد…؟" naming it), and then answered with a
 * number or a yes or no: they have answered. A bare "شو قلت؟", "شو قلت؟ تمانين" (nothing
 * checked) and "تقصد شو؟ سبعه" (nothing named) stay requests to repeat.
 */
function checkedThenAnswered(text: string): boolean {
  const segments = text.split(ASKED);
  const tail = tokenizeArabic(segments.at(-1) ?? '');
  if (segments.length < 2 || tail.length === 0) return false;
  if (wantsRepeat(tail) || wantsHuman(tail) || wantsToStop(tail)) return false;
  const answers = YES_NO_WORDS.has(tail[0] as string) || findNumbers(tail).some((number) => number.value !== null);
  if (!answers) return false;
  const asked = segments.slice(0, -1).map((segment) => tokenizeArabic(segment));
  const names = (tokens: readonly string[]) => tokens.some((token, index) => CHECK_VERBS.has(token) && tokens[index + 1] !== undefined && !WHAT_WORDS.has(tokens[index + 1] as string));
  const echo = (tokens: readonly string[]) => tokens.length > 0 && tokens.length <= 3 && !wantsRepeat(tokens) && !tokens.some((token) => WHAT_WORDS.has(token) || CHECK_VERBS.has(token));
  // "شو قلت؟ سبعه؟ لا تمانيه": a number asked back is the caller checking what was heard, not the question.
  if (asked.some((tokens) => findNumbers(tokens).length > 0)) return false;
  return asked.some(names) || asked.slice(1).some(echo);
}

/**
 * The caller's request in the sentence, or null when they are just answering. Each punctuated
 * clause is read on its own ("عيد السؤال؟ لا خلاص وقف" ends with a command), except that a
 * lone "سكر" or "شو" must be the whole utterance: in "عندي ضغط، سكر" it is diabetes.
 */
export function detectIntent(text: string): Intent | null {
  const clauses = tokenizeClauses(text);
  const whole = tokenizeArabic(text);
  if (clauses.some(wantsHuman)) return 'human';
  if (clauses.some(wantsToStop) || hangUpAlone(whole)) return 'stop';
  if ((clauses.some(wantsRepeat) || whatAlone(whole) || pardon(text, whole)) && !checkedThenAnswered(text)) return 'repeat';
  return null;
}
