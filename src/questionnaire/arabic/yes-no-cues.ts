/**
 * Reads the yes/no cues of one clause: particles, statements of having or feeling something
 * (affirmed or negated), hedges. Deciding what they add up to is yes-no.ts's job.
 */

import * as lexicon from './yes-no-lexicon';
import { SYMPTOMS } from './yes-no-symptom';
import { namesPartOfDay } from './yes-no-when';

export interface YesNoCues {
  /** Yes particles: نعم، ايوه، اي (clause-initial)… */
  yes: number;
  /** No particles and bare negations: لا، ابدا، مش… */
  no: number;
  /** Affirmed having/feeling/existence: عندي ألم، في ضيق، بيوجعني. */
  existYes: number;
  /** Negated having/feeling/existence: ما عندي، مافي، مش حاسس. */
  existNo: number;
  hedge: number;
  /** شوي، كتير، احيانا: something is there. */
  weakYes: number;
  /** A negated intensifier: "مش كتير". */
  weakHedge: number;
  /** اكيد، طبعا: yes alone, otherwise the polarity of the rest. */
  emphaticYes: number;
  /** والله */
  emphasis: number;
  /** ايه: yes or "what?". */
  ambiguousYes: number;
  /** "ما ابي اتعبك": what the caller does not want to do; an answer only if nothing else is said. */
  aside: number;
  /** ما فهمت، مش سامع, or a clause that is a question ("مين معي؟"): not an answer. */
  nonAnswer: number;
  /** Words that are neither cues nor fillers: what the sentence is about, when it is not the question. */
  unexplained: number;
}

export function emptyCues(): YesNoCues {
  return {
    yes: 0,
    no: 0,
    existYes: 0,
    existNo: 0,
    hedge: 0,
    weakYes: 0,
    weakHedge: 0,
    emphaticYes: 0,
    emphasis: 0,
    ambiguousYes: 0,
    aside: 0,
    nonAnswer: 0,
    unexplained: 0,
  };
}

type Role =
  | 'yes'
  | 'clauseInitialYes'
  | 'ambiguousYes'
  | 'emphaticYes'
  | 'emphasis'
  | 'no'
  | 'la'
  | 'nor'
  | 'negator'
  | 'possession'
  | 'existential'
  | 'feeling'
  | 'negatedStatement'
  | 'negatedVerb'
  | 'nothing'
  | 'intensifier'
  | 'contrast'
  | 'except'
  | 'hedge'
  | 'maybe'
  | 'resolved'
  | 'unresolved'
  | 'returned'
  | 'want'
  | 'still';

/** Roles after which "في"/"فيه" means "there is" and "اي"/"ايه" may mean yes. */
const PARTICLE_ROLES: ReadonlySet<Role | null> = new Set<Role | null>([
  'yes',
  'clauseInitialYes',
  'ambiguousYes',
  'emphaticYes',
  'emphasis',
  'no',
  'la',
  'negator',
  'contrast',
  'intensifier',
  'still',
]);
const YES_ROLES: ReadonlySet<Role | null> = new Set<Role | null>(['yes', 'clauseInitialYes', 'ambiguousYes', 'emphaticYes', 'emphasis']);

/** "ما هو"، "مش هي": a pronoun between a negator and what it negates. */
const PRONOUNS = new Set(['هو', 'هي', 'هيه', 'هوه']);

const FUSED_NEGATION = 'ما';
const CIRCUMFIX_NEGATION = /^ما?(.{3,})ش$/; // Egyptian/Levantine ما…ش: مبدخنش، ماحسيتش

function isStatementWord(word: string): boolean {
  return lexicon.POSSESSION_WORDS.has(word) || lexicon.EXISTENTIAL_WORDS.has(word) || lexicon.FEELING_VERBS.has(word);
}

function roleOfWord(word: string, isQuestionWord: (word: string) => boolean): Role | null {
  if (lexicon.HEDGE_WORDS.has(word) || lexicon.EASED_WORDS.has(word)) return 'hedge';
  if (word === lexicon.MAYBE) return 'maybe';
  if (word === lexicon.LA) return 'la';
  if (word === lexicon.NOR) return 'nor';
  if (lexicon.NO_WORDS.has(word)) return 'no';
  if (lexicon.NEGATORS.has(word)) return 'negator';
  if (lexicon.YES_WORDS.has(word) || lexicon.YES_PATTERNS.some((pattern) => pattern.test(word))) return 'yes';
  if (lexicon.CLAUSE_INITIAL_YES.has(word)) return 'clauseInitialYes';
  if (word === lexicon.AMBIGUOUS_YES) return 'ambiguousYes';
  if (lexicon.EMPHATIC_YES.has(word)) return 'emphaticYes';
  if (lexicon.EMPHASIS.has(word)) return 'emphasis';
  if (lexicon.POSSESSION_WORDS.has(word)) return 'possession';
  if (lexicon.EXISTENTIAL_WORDS.has(word)) return 'existential';
  if (lexicon.FEELING_VERBS.has(word) || isQuestionWord(word)) return 'feeling';
  if (lexicon.NEGATED_EXISTENCE.has(word)) return 'negatedStatement';
  if (lexicon.NOTHING_WORDS.has(word)) return 'nothing';
  if (lexicon.INTENSIFIERS.has(word)) return 'intensifier';
  if (lexicon.CONTRAST_WORDS.has(word)) return 'contrast';
  if (lexicon.RESOLVED_WORDS.has(word) || lexicon.RECOVERED.has(word)) return 'resolved';
  if (lexicon.RETURNED_WORDS.has(word)) return 'returned';
  // Egyptian "ما وقفش": the ش closes a negation of "it stopped".
  if (word.endsWith('ش') && word.length > 3) {
    const stem = word.slice(0, -1);
    if (lexicon.RESOLVED_WORDS.has(stem) || lexicon.RESOLVED_WORDS.has(stem.replace(/(و|ه|ها)$/, ''))) return 'unresolved';
  }
  if (lexicon.WANT_WORDS.has(word)) return 'want';
  if (lexicon.STILL_WORDS.has(word)) return 'still';
  if (lexicon.EXCEPT_WORDS.has(word)) return 'except';
  if (word.startsWith(FUSED_NEGATION) && isStatementWord(word.slice(FUSED_NEGATION.length))) return 'negatedStatement';
  const circumfix = CIRCUMFIX_NEGATION.exec(word);
  if (circumfix !== null) {
    const core = circumfix[1] ?? '';
    // "ما وقفش"، "ما بطلتوش": it did not stop, so it goes on.
    if (lexicon.RESOLVED_WORDS.has(core) || lexicon.RESOLVED_WORDS.has(core.replace(/(و|ه|ها)$/, ''))) return 'unresolved';
    return isStatementWord(core) ? 'negatedStatement' : 'negatedVerb';
  }
  if (word.startsWith('م') && word.endsWith('ش') && isStatementWord(word.slice(1, -1))) return 'negatedStatement';
  return null;
}

/** The role of a word, reading an attached و/ف ("وعندي"، "فما") when the word itself has none. */
function roleOf(word: string, isQuestionWord: (word: string) => boolean): Role | null {
  // "ولدي" is "my son" before it is "و + لدي" (and I have).
  if (lexicon.THIRD_PARTIES.has(word)) return null;
  const own = roleOfWord(word, isQuestionWord);
  if (own !== null || word.length < 3 || !(word.startsWith('و') || word.startsWith('ف'))) return own;
  return roleOfWord(word.slice(1), isQuestionWord);
}

/** Roles that a yes particle may stand after: other particles, "but", emphasis. */
const BEFORE_A_PARTICLE: ReadonlySet<Role | null> = new Set<Role | null>([...YES_ROLES, 'no', 'la', 'contrast']);

/**
 * "اي"/"ايه" at `index` is "any" (MSA "أي"، "أية"), not the Gulf/Levantine yes: a word of the
 * sentence stands before it and a noun after it ("لا يوجد لدي أي ألم"، "ما في اي تعب"، "ولا اي
 * مشكله"). A yes opens its clause or follows a particle ("لا... اي عندي"، "لا والله اي فيه").
 */
export function meansAny(tokens: readonly string[], index: number): boolean {
  const token = tokens[index];
  if (token === undefined || index === 0 || !(lexicon.CLAUSE_INITIAL_YES.has(token) || token === lexicon.AMBIGUOUS_YES)) return false;
  const before = tokens[index - 1] as string;
  const after = tokens[index + 1];
  if (after === undefined || BEFORE_A_PARTICLE.has(roleOf(before, () => false)) || lexicon.FILLER_WORDS.has(before)) return false;
  const role = roleOf(after, () => false);
  // ("اي واحد": any one, though "واحد" is a filler elsewhere.)
  return role === 'nothing' || (role === null && (!lexicon.FILLER_WORDS.has(after) || after === 'واحد' || after === 'وحده'));
}

/**
 * "ما" at `index` joins a clause instead of negating one: "زي ما قال"، "كل ما امشي يوجعني"
 * (whenever), "من يوم ما توفى ابوي وانا تعبان" (since), "قبل ما انام جاني" (before). After "since"
 * and "before/after", a verb that is no cue must follow and a statement of having or feeling
 * must come later: Gulf "بعد ما اقدر امشي" is "I can no longer walk", "من ساعه ما حسيت بشي" is
 * "for an hour I have felt nothing", "قبل ما كان عندي" is "before, I did not have it".
 */
export function conjunctionMa(tokens: readonly string[], index: number): boolean {
  if (tokens[index] !== 'ما') return false;
  const before = (tokens[index - 1] ?? '').replace(/^و(?=.{3})/, '');
  if (lexicon.RELATIVE_BEFORE_MA.has(before) || lexicon.WHENEVER.has(before)) return true;
  const since = lexicon.SINCE_NOUNS.has(before) && /^و?من$/.test(tokens[index - 2] ?? '');
  if (!since && !lexicon.BEFORE_AFTER.has(before)) return false;
  const verb = tokens[index + 1] ?? '';
  // ("من يوم ما رجعت من المستشفى": a verb of coming back or going is a verb like any other.)
  const verbRole = roleOf(verb, () => false);
  if (verb.length < 3 || verb.startsWith('ال') || !(verbRole === null || verbRole === 'returned' || verbRole === 'resolved') || lexicon.ABLE_WORDS.has(verb) || lexicon.PAST_VERBS.has(verb)) return false;
  const said = (token: string) => {
    const role = roleOf(token, () => false);
    return role === 'feeling' || role === 'possession' || role === 'existential';
  };
  // "من يوم ما طلعت وانا تعبان": "and I…" opens what has been so since.
  return tokens.slice(index + 2).some((token) => said(token) || (since && token === 'وانا'));
}

type PhraseKind = 'hedge' | 'yes' | 'no' | 'nonAnswer';
const PHRASE_TABLES: readonly [PhraseKind, readonly (readonly string[])[]][] = [
  ['nonAnswer', lexicon.NON_ANSWER_PHRASES],
  ['yes', lexicon.YES_PHRASES],
  ['no', lexicon.NO_PHRASES],
  ['hedge', lexicon.HEDGE_PHRASES],
];

function phraseAt(tokens: readonly string[], index: number): { kind: PhraseKind; length: number } | null {
  for (const [kind, table] of PHRASE_TABLES) {
    for (const phrase of table) {
      const matches = phrase.every((word, offset) => {
        const token = tokens[index + offset];
        if (token === undefined) return false;
        return token === word || (offset === 0 && /^[وف]/.test(token) && token.slice(1) === word);
      });
      if (matches) return { kind, length: phrase.length };
    }
  }
  return null;
}

/** Adds the cues of one clause (normalised words) to `cues`. */
export function readClause(tokens: readonly string[], cues: YesNoCues, isQuestionWord: (word: string) => boolean): void {
  const [first] = tokens;
  if (first !== undefined && lexicon.INTERROGATIVES.has(first)) {
    cues.nonAnswer += 1;
    return;
  }
  const roles = tokens.map((token) => roleOf(token, isQuestionWord));
  /**
   * A negator waiting for what it negates; `used` once it has negated something, `statement`
   * when that was a statement (counted in existNo).
   */
  let negation: { index: number; used: boolean; statement?: boolean } | null = null;
  const closeNegation = (): void => {
    if (negation !== null && !negation.used) cues.no += 1;
    negation = null;
  };
  let previous: Role | null = null;
  let index = 0;
  /** A "but" after a negative answer: what follows must say something, or the answer is in doubt. */
  let contrastAfterNegative: { cuesBefore: number } | null = null;
  const startCues = cueCount(cues);
  while (index < tokens.length) {
    const phrase = phraseAt(tokens, index);
    if (phrase !== null) {
      closeNegation();
      if (phrase.kind === 'hedge') cues.hedge += 1;
      else if (phrase.kind === 'yes') cues.yes += 1;
      else if (phrase.kind === 'no') cues.existNo += 1;
      else cues.nonAnswer += 1;
      index += phrase.length;
      previous = null;
      continue;
    }
    const role = roles[index] ?? null;
    const next = roles[index + 1] ?? null;
    const following = tokens[index + 1];
    // "مش كتير يعني في شويه": a filler does not stop "في" from opening what follows.
    const afterFillers = tokens.slice(0, index).every((token) => lexicon.FILLER_WORDS.has(token)) && !(following ?? '').startsWith('ال');
    const opensClause = index === 0 || PARTICLE_ROLES.has(previous) || afterFillers;
    let step = 1;
    switch (role) {
      case 'hedge':
        // "ما خف"، "ما هدي ابدا": it has not eased, so it is there.
        if (lexicon.NOT_EASED.has(bareWord(tokens[index] as string)) && negation !== null && !negation.used && negation.index === index - 1) {
          cues.existYes += 1;
          negation.used = true;
          negation.statement = true;
          break;
        }
        cues.hedge += 1;
        break;
      case 'maybe':
        if (following === undefined || lexicon.MAYBE_FOLLOWERS.has(following)) cues.hedge += 1;
        break;
      case 'negator':
        // "زي ما الدكتور قال": "as the doctor said", not a negation.
        if (conjunctionMa(tokens, index)) break;
        // "ما اقدر اتكلم زين": what the caller cannot do answers "is it hard?" and "can you?" oppositely.
        if (following !== undefined && lexicon.ABLE_WORDS.has(following) && tokens[index + 2] !== undefined) {
          closeNegation();
          cues.hedge += 1;
          step = 2;
          break;
        }
        // "مو وجع وجع"، "ما هو تعب تعب": not real pain, which is some of something else: unclear.
        if (notReally(tokens, roles, index) > 0) {
          closeNegation();
          cues.hedge += 1;
          step = notReally(tokens, roles, index);
          break;
        }
        // "مو كل يوم"، "مش دايما"، "مش على طول": not every time is some of the time.
        if (following !== undefined && (lexicon.EVERY_WORDS.has(following) || (following === lexicon.ON && tokens[index + 2] === lexicon.LENGTH))) {
          closeNegation();
          cues.weakHedge += 1;
          step = lexicon.EVERY_WORDS.has(following) ? 2 : 3;
          break;
        }
        closeNegation();
        negation = { index, used: false };
        break;
      case 'want':
        // "ما ابي شي" is no; "ما ابي الدوا"، "ما ابي شي منكم": what the caller wants is not whether they have it.
        if (negation !== null && !negation.used && negation.index === index - 1) {
          negation.used = true;
          const contrast = tokens.findIndex((token, at) => at > index && lexicon.CONTRAST_WORDS.has(token));
          // "ما بدي اكذب عليكي في شوي وجع": with no "but", the aside ends where a symptom is said to be there.
          const said = tokens.findIndex((_token, at) => at > index + 1 && (contrast < 0 || at < contrast) && saysSymptomHere(tokens, at));
          const end = said >= 0 ? said : contrast < 0 ? tokens.length : contrast;
          const rest = tokens.slice(index + 1, end).filter((token) => !lexicon.COURTESY_WORDS.has(token) && !lexicon.FILLER_WORDS.has(token));
          // "لا ما بدي" (to "do you agree…?"), "ما ابغى شي الله يسلمك": not wanting, with nothing named, is a no.
          // A bare "ما بدي" may refuse the question or the call: asked again unless a "لا" says which.
          if (rest.length === 1 && lexicon.NOTHING_WORDS.has(rest[0] as string)) cues.no += 1;
          else if (rest.length === 0) {
            if (tokens.slice(0, index).includes(lexicon.LA)) cues.no += 1;
            else cues.hedge += 1;
          }
          // "ما ابي اتعبك بس عندي دوخه": what the caller does not want to do is an aside; what follows answers.
          else cues.aside += 1;
          index = end;
          // What follows the aside is a clause of its own: the "ما" of "ما بدي" does not reach it.
          if (said >= 0) {
            negation = null;
            previous = 'contrast';
          }
          continue;
        }
        break;
      case 'la':
        closeNegation();
        // "لا مو مره"، "لا مش دايما": the "لا" is the "not" of "not much", not a no of its own.
        // ("اه لا مش كتير" takes back a yes: left to count.)
        if (next === 'negator' && notAll(tokens, index + 1) && !roles.slice(0, index).some((before) => YES_ROLES.has(before))) break;
        if (next === 'feeling') {
          cues.existNo += 1;
          negation = { index, used: true, statement: true };
          step = 2;
        } else {
          cues.no += 1;
          if (next === 'nothing') step = 2;
        }
        break;
      case 'nor':
        if (next === 'nothing' || following === lexicon.ONCE) {
          cues.no += 1;
          step = 2;
        }
        break;
      case 'no':
        closeNegation();
        cues.no += 1;
        break;
      case 'yes':
        if (negation !== null && !negation.used && negation.index === index - 1) {
          cues.no += 1;
          negation.used = true;
        } else {
          closeNegation();
          cues.yes += 1;
        }
        break;
      case 'clauseInitialYes':
        // "اي شي" is "anything", not "yes, something"; "لا اي" is no then yes; "لا يوجد اي الم" is "any".
        if ((index === 0 || YES_ROLES.has(previous) || previous === 'la') && next !== 'nothing' && !meansAny(tokens, index)) cues.yes += 1;
        break;
      case 'ambiguousYes':
        if (index === 0 || YES_ROLES.has(previous)) cues.ambiguousYes += 1;
        break;
      case 'emphaticYes':
        cues.emphaticYes += 1;
        break;
      case 'emphasis':
        cues.emphasis += 1;
        break;
      case 'existential':
      case 'possession':
      case 'feeling':
        if (role === 'existential' && !opensClause) break;
        if (negation !== null) {
          cues.existNo += 1;
          negation.used = true;
          negation.statement = true;
        } else cues.existYes += 1;
        break;
      case 'negatedStatement':
        closeNegation();
        cues.existNo += 1;
        negation = { index, used: true, statement: true };
        break;
      case 'except':
        // "ما عندي غير شوية صداع": only a headache, so there is something.
        if (negation?.statement && following !== undefined && !lexicon.DEMONSTRATIVES.has(following) && !lexicon.WELLBEING_NOUNS.has(following)) {
          cues.existNo -= 1;
          cues.existYes += 1;
          negation = null;
        }
        break;
      case 'negatedVerb':
        closeNegation();
        cues.no += 1;
        break;
      case 'intensifier':
        // "مش كتير": the negation is spent on "much"; "مش كتير يعني في شويه" then says there is some.
        if (negation !== null) {
          cues.weakHedge += 1;
          negation = null;
        } else cues.weakYes += 1;
        break;
      case 'resolved':
        // Levantine "راح" + a present verb is the future ("راح اشوف"), not "it went".
        // ("ما راح ابدا": after "راح", a last "ابدا" is "never", not "I start": it never went.)
        if (tokens[index] === lexicon.WENT && following !== undefined && /^[ايتن]/.test(following) && !following.startsWith('ال') && following.length > 2 && !neverLast(tokens, index + 1)) break;
        // "وقف" or "خلاص وقفت" alone: it stopped, or the caller stopped something; which, the question decides.
        if (tokens.every((token, i) => i === index || token === 'خلاص' || token === 'خلص')) {
          cues.hedge += 1;
          break;
        }
        // "خف شوي": it eased a little, so it is still there, less.
        if (next === 'intensifier') {
          cues.hedge += 1;
          step = 2;
          break;
        }
        // "الوجع راح": it went away, so it is not there; "ما وقف الالم": it did not stop, so it is.
        if (negation !== null) {
          cues.existYes += 1;
          negation.used = true;
        } else cues.existNo += 1;
        break;
      case 'unresolved':
        if (negation !== null) negation.used = true;
        cues.existYes += 1;
        break;
      case 'returned':
        // "راح ورجع": it went and came back, so it is there.
        if (roles.slice(0, index).includes('resolved')) {
          cues.existNo -= 1;
          cues.existYes += 1;
        } else if (negation === null && (namesSymptom(tokens[index - 1]) || namesSymptom(following))) {
          // "رجع الالم"، "الصداع رجع تاني": a symptom named as back is there. ("ما عاد" is "no longer".)
          cues.existYes += 1;
        }
        break;
      case 'contrast':
        closeNegation();
        contrastAfterNegative = cues.no + cues.existNo > 0 ? { cuesBefore: cueCount(cues) } : null;
        break;
      case 'nothing':
      case 'still':
        break;
      case null:
        // "مش دايما بس بيجي"، "بس يجي بالليل": after a "but", "it comes" says it is there.
        if (previous === 'contrast' && lexicon.COMES_ALONE.has(bareWord(tokens[index] as string)) && tokens.slice(index + 1).every((token) => lexicon.INTENSIFIERS.has(token) || lexicon.FILLER_WORDS.has(token) || namesPartOfDay([token]))) {
          cues.existYes += 1;
          break;
        }
        if (!lexicon.FILLER_WORDS.has(tokens[index] as string)) cues.unexplained += 1;
        break;
      default: {
        const unhandled: never = role;
        throw new Error(`unhandled yes/no role ${String(unhandled)}`);
      }
    }
    if (role !== null || !lexicon.FILLER_WORDS.has(tokens[index] as string)) previous = role;
    index += step;
  }
  closeNegation();
  // "ما عندي حراره بس جسمي دافي": "no, but…" and something the rules cannot place is not a clean no.
  if (contrastAfterNegative !== null && cueCount(cues) === contrastAfterNegative.cuesBefore) {
    const contrast = roles.findIndex((role, i) => i > 0 && role === 'contrast');
    const after = tokens.slice(contrast + 1).filter((token) => !lexicon.WELL_WORDS.has(token) && token !== 'الحمد' && token !== 'لله' && token !== 'والحمد');
    if (after.length > 0) cues.hedge += 1;
  }
  // "ما عندي دوا"، "وقفت الدوا": about a medicine, a negative depends on which question was asked.
  if (tokens.some((token) => lexicon.MEDICINE_WORDS.has(token)) && cueCount(cues) > startCues && cues.existYes + cues.yes === 0) cues.hedge += 1;
}

/** "في شوي وجع"، "عندي صداع"، "فيه شويه": a word of having, then how much or which symptom. */
function saysSymptomHere(tokens: readonly string[], at: number): boolean {
  const having = (word: string): boolean => lexicon.POSSESSION_WORDS.has(word) || lexicon.EXISTENTIAL_WORDS.has(word);
  if (!having(tokens[at] as string) && !having(bareWord(tokens[at] as string))) return false;
  const next = tokens[at + 1] ?? '';
  return lexicon.INTENSIFIERS.has(next) || SYMPTOMS.has(next) || namesSymptom(next);
}

/**
 * "مو وجع وجع"، "ما هو تعب تعب": after the negator at `at`, a word that is no cue said twice (a
 * pronoun may come between). The number of words it takes, or 0.
 */
function notReally(tokens: readonly string[], roles: readonly (Role | null)[], at: number): number {
  const twice = PRONOUNS.has(tokens[at + 1] ?? '') ? at + 2 : at + 1;
  const word = tokens[twice];
  return word !== undefined && tokens[twice + 1] === word && roles[twice] === null && !lexicon.FILLER_WORDS.has(word) ? twice + 2 - at : 0;
}

/** "ابدا" at `at` with only fillers after it: "never", not "I start" ("ما راح ابدا"). */
function neverLast(tokens: readonly string[], at: number): boolean {
  return lexicon.NO_WORDS.has(tokens[at] ?? '') && tokens.slice(at + 1).every((token) => lexicon.FILLER_WORDS.has(token));
}

/** The word without an attached و/ف ("وخف"، "فبيجي"). */
function bareWord(word: string): string {
  return word.length > 2 && /^[وف]/.test(word) ? word.slice(1) : word;
}

/** "مو مره"، "مش كتير"، "مش دايما"، "مش على طول": a negator at `at` before "much" or "always". */
function notAll(tokens: readonly string[], at: number): boolean {
  const following = tokens[at + 1];
  if (following === undefined || !lexicon.NEGATORS.has(tokens[at] as string)) return false;
  return lexicon.INTENSIFIERS.has(following) || lexicon.EVERY_WORDS.has(following) || (following === lexicon.ON && tokens[at + 2] === lexicon.LENGTH);
}

/** A symptom named with the article, also with an attached و/ف ("والوجع"). */
function namesSymptom(word: string | undefined): boolean {
  return word !== undefined && (lexicon.SYMPTOM_NOUNS.has(word) || (/^[وف]/.test(word) && lexicon.SYMPTOM_NOUNS.has(word.slice(1))));
}

function cueCount(cues: YesNoCues): number {
  return cues.yes + cues.no + cues.existYes + cues.existNo + cues.hedge + cues.weakYes + cues.weakHedge + cues.emphaticYes + cues.ambiguousYes;
}
