/**
 * A symptom stated as present, with no yes or no: "نفسي ضايق"، "راسي يدور"، "ضيقه نفس شوي"،
 * "حاجه بسيطه". Read only when every word of the answer is one this reading knows (a symptom, a
 * body part of the caller's with a state, "a little", "now", a yes, a filler): any other word — a
 * negation, a past, an "if", a question, someone else — leaves the answer to the other rules,
 * which ask again. A question that names its own symptom is answered only by that symptom.
 * Normalised spelling (see normalize.ts).
 */

import { tokenizeArabic } from './normalize';
import * as lexicon from './yes-no-lexicon';
import { bare, words } from './word-list';


/** The caller's own body parts: "راسي"، "نفسي" (my breath), "صدري". ("عيني" is also "my dear": not here.) */
const MY_BODY = words(`
  راسي نفسي صدري بطني ظهري ضهري قلبي معدتي حلقي زوري ركبتي ركبي رجلي رجليه ايدي جسمي بدني
  مفاصلي ضرسي سناني اذني ودني راسيه
`);
/** What a body part does or is when it is not well: "يدور"، "ضايق"، "يوجع". */
const STATES = words(`
  ضايق ضايقه ضايج ضايجه مضايق مضايقه ضيق يدور بيدور تدور بتدور يلف بيلف دايخ دايخه مصدع مصدعه يوجع بيوجع
  توجع بتوجع واجع واجعه يوجعني بيوجعني توجعني بتوجعني يعور بيعور تعور يعورني تعورني تاعبني
  تعبان تعبانه يحرق بيحرق تحرق بتحرق حارق يحك بيحك يرجف بيرجف يدق بيدق مضغوط مكتوم مقبوض
  ثقيل تقيل منفوخ منفوخه وارم وارمه سخن سخنه مولع
`);
/** Symptoms named as things: "صداع"، "ضيقه"، "دوخه" (and with the article, SYMPTOM_NOUNS). */
export const SYMPTOMS = words(`
  صداع وجع الم اوجاع ضيقه ضيق دوخه دوار كحه سعال حراره سخونه حمي غثيان حموضه حرقه رشح زكام
  اسهال ترجيع استفراغ رجفه رعشه تنميل خفقان نغزه نغزات ضغطه تعب ارهاق
`);
/** "ضيقه نفس"، "ضيق تنفس": breath, only after tightness ("نفس الشي" is "the same thing"). */
const BREATH = words('نفس تنفس بالنفس بالتنفس');
/** "بلشت": it has started. */
const STARTED = words('بلش بلشت بلشو بدا بدات ابتدا ابتدت');
/** "شي بسيط"، "حاجه بسيطه": something minor. */
const SOMETHING = words('شي شيء حاجه اشي');
const MINOR = words('بسيط بسيطه خفيف خفيفه');
/** How much: "شوي"، "كثير". */
const AMOUNT = words('شوي شويه شويا شوييه كثير كتير وايد واجد جدا قوي اوي هوايه بسيط بسيطه خفيف خفيفه قليل');
/** Said with the symptom without changing it: "عندي"، "فيه"، "هسه"، "لسا" (Iraqi "بعدني")، "والله". */
const ALONGSIDE = words('عندي فيني في فيه معي الحين هسه هلق هلا دلوقتي حاليا الان لسا لسه للحين بعدني بعده بعدها والله اي ايوه ايوا اه نعم هيه');


/**
 * The words of the answer that name a symptom, when the whole answer says that it is there now
 * and says nothing else; null otherwise.
 */
function symptomWords(tokens: readonly string[]): string[] | null {
  const named: string[] = [];
  // "هسه بلشت": it has started, said with "now"; "بلشت" alone may be a medicine or a job.
  const saysNow = tokens.some((token) => lexicon.NOW_MARKERS.has(token));
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] as string;
    const word = bare(token);
    const previous = bare(tokens[index - 1] ?? '');
    // "يا بنيتي"، "يا ابني": a vocative and the one called.
    if (token === 'يا') {
      index += 1;
      continue;
    }
    if (MY_BODY.has(word) || SYMPTOMS.has(word) || lexicon.SYMPTOM_NOUNS.has(word)) named.push(word);
    else if (BREATH.has(word) && (previous === 'ضيقه' || previous === 'ضيق')) named.push(word);
    else if (MINOR.has(word) && SOMETHING.has(previous)) named.push(previous);
    else if (SOMETHING.has(word) && MINOR.has(bare(tokens[index + 1] ?? ''))) continue;
    else if (STATES.has(word) || (STARTED.has(word) && saysNow)) named.push(word);
    else if (!(AMOUNT.has(word) || ALONGSIDE.has(token) || ALONGSIDE.has(word) || lexicon.FILLER_WORDS.has(token))) return null;
  }
  // A body part says nothing alone ("راسي"): it needs its state ("راسي يدور").
  const body = tokens.some((token) => MY_BODY.has(bare(token)));
  const state = tokens.some((token) => STATES.has(bare(token)));
  if (body && !state) return null;
  return named.length > 0 ? named : null;
}

/** Consonants of a word without the article or a suffix: "ضايق" and "ضيق" meet, as "نفسي" and "التنفس". */
function skeleton(word: string): string {
  return word
    .replace(/^(وال|بال|فال|ال|ب)/, '')
    .replace(/(ي|ه|ها)$/, '')
    .replace(/[اوي]/g, '');
}

/**
 * "نفسي ضايق" to "do you have it?": yes. Null when the answer is not only a present symptom, or
 * when the question names a symptom the answer does not ("راسي يدور" to "ضيق نفس؟").
 */
export function statesSymptom(tokens: readonly string[], endsWithQuestionMark: boolean, question: string): 'yes' | null {
  if (endsWithQuestionMark) return null;
  const named = symptomWords(tokens);
  if (named === null) return null;
  const asked = tokenizeArabic(question).filter((word) => {
    const plain = bare(word).replace(/^(بال|ال|ب)/, '');
    return MY_BODY.has(plain) || SYMPTOMS.has(plain) || lexicon.SYMPTOM_NOUNS.has(bare(word)) || SYMPTOMS.has(bare(word).replace(/^ب/, ''));
  });
  if (asked.length === 0) return 'yes';
  const meets = (a: string, b: string): boolean => {
    const x = skeleton(a);
    const y = skeleton(b);
    return x.length >= 2 && y.length >= 2 && (x.includes(y) || y.includes(x));
  };
  return named.some((word) => asked.some((ask) => meets(word, ask))) ? 'yes' : null;
}
