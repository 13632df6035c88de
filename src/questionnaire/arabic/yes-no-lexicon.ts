/**
 * Yes/no cue words across Gulf, Levantine, Egyptian, Iraqi and MSA, in normalised spelling
 * (ة→ه, أ/إ/آ→ا, ى/ئ→ي, ؤ→و). The rules that combine them live in yes-no.ts.
 */
import { words } from './word-list';

export { CONTRAST_WORDS, NOW_MARKERS, PAST_VERBS } from './time-words';

const phrases = (list: readonly string[]): readonly (readonly string[])[] => list.map((phrase) => phrase.split(' '));

/** Plain yes particles. */
export const YES_WORDS = words(`
  نعم ايوه ايوا ايواه اه اها بلي مبلي صح صحيح اجل مظبوط مضبوط مزبوط فعلا يب يس بالضبط بالزبط
  yes yeah yep yup sure
`);
/** ايوه / ايواا / اهه … beyond the listed spellings. */
export const YES_PATTERNS: readonly RegExp[] = [/^اي+و+[اه]*$/, /^ا+ه+ا*$/, /^ن+ع+م+$/];
/** Yes only at the start of a clause or after another yes word ("اي شي" is "any thing"). */
export const CLAUSE_INITIAL_YES = words('اي هيه');
/** Gulf/Levantine "yes", Egyptian "what?": yes only next to another cue. */
export const AMBIGUOUS_YES = 'ايه';
/** Yes on their own, but they take the polarity of anything else said ("طبعا لا" is no). */
export const EMPHATIC_YES = words('اكيد طبعا بالتاكيد بالطبع اكيدا حتما متاكد متاكده');
/** Emphasis with no polarity of its own; enough to read "ايه والله" as yes. */
export const EMPHASIS = words('والله بالله');

/** Plain no particles. */
export const NO_WORDS = words(`
  لا لاء لاا لالا كلا ابدا ابد اطلاقا مطلقا غلط خطا no nope نو
`);
/** Negate what follows: "ما عندي"، "مش حاسس"، "مو صحيح"، "لم اشعر". */
export const NEGATORS = words('ما مش مو مب موب موش لم لن ليس ليست لست ماني مانيش مانيب');
/** "لا" before a verb negates it (MSA "لا اشعر"); before "عندي" it is a separate "no". */
export const LA = 'لا';
/** "ولا شي": not a single thing. */
export const NOR = 'ولا';
export const NOTHING_WORDS = words('شي شيء اشي شيي حاجه حاجات بشي بشيء باشي بحاجه ابشي');

/** "I have / there is": a "لا" before them is a correction, not a negation. */
export const POSSESSION_WORDS = words(`
  عندي عندنا لدي لدينا فيني معي معاي معايا اكو موجود موجوده موجودين
`);
/** Existential "في"/"فيه": only when they open a clause or follow a particle ("في ألم"). */
export const EXISTENTIAL_WORDS = words('في فيه');
/** "I feel / it hurts me / I suffer". */
export const FEELING_VERBS = words(`
  حاسس حاسه حاس حاسين احس بحس حس نحس بنحس حسيت حسيته حسيتها اشعر بشعر شعرت نشعر
  يوجعني بيوجعني بوجعني توجعني بتوجعني وجعني يوجعنا يعورني تعورني بيعورني عورني يعوروني
  يالمني يولمني تولمني بيولمني اتالم بتالم اتوجع بتوجع اعاني بعاني عانيت نعاني
  يجيني تجيني يجيلي بيجيلي بيجيني جاني جاتني يصير بيصير صار صارلي يوجد توجد يضايقني مضايقني يزعجني
  يتكرر بيتكرر تتكرر بتتكرر
`);
/** "الالم يتكرر كل كم يوم": it recurs, which says it is there, not that it is there now. */
export const RECURS = words('يتكرر بيتكرر تتكرر بتتكرر');
/** Iraqi "ماكو" and other fused forms that do not split into negator + cue. */
export const NEGATED_EXISTENCE = words('ماكو مكو');

/** "A little / a lot / sometimes": the thing asked about is there, weakly said. */
export const INTENSIFIERS = words(`
  شوي شويه شويا شوييه كثير كتير وايد واجد جدا قوي اوي احيانا ساعات مرات دايما بسيط خفيف قليل قليلا
  مره مرتين كثيرا كتيرا هوايه جامد بشده بقوه
`);
/** "ولا مره": not once. */
export const ONCE = 'مره';
/** "ما عندي غير/الا…" is "I only have…": the negation was an exception, not a denial. */
export const EXCEPT_WORDS = words('غير الا سوي');
/** "ما عندي شي غير هيك" is "nothing else": an exception needs a thing after it. */
export const DEMONSTRATIVES = words('هيك هذا هذي هاد هادا هاذا كذا كده ذلك هيدا هيدي');

/** Hedges: the caller does not know or will not commit. */
export const HEDGE_WORDS = words(`
  يمكن ربما احتمال محتمل جايز يجوز بلكي مدري مادري ماادري معرفش ماعرفش مبعرفش مابعرف مااعرف
  تقريبا اظن اعتقد اتوقع ناسي ناسيه نسيت نسيته نسيتها بنساه بنساها انساه انساها انسي بنسي
  انشالله انشاءالله
`);
/**
 * "Fine / okay": "yes, I take it" to one question, "I'm fine" (no) to another. Alone, asked
 * again; beside a clear no ("عادي مافي شي"، "لا تمام الحمد لله"), that no.
 */
export const FINE_WORDS = words('تمام اوكي اوك ok okay عادي');
export const HEDGE_PHRASES = phrases([
  'ان شاء الله',
  'ان شالله',
  'انشاء الله',
  'لست متاكدا',
  'لست متاكد',
  'مش متاكد',
  'مو متاكد',
  'مب متاكد',
  'ماني متاكد',
  'غير متاكد',
  'ما انتبهت',
  'ما لاحظت',
  'ما يذكر',
  'يا ربي',
  'يا رب',
  'ما اقدر اقول',
  'ما بقدر اقول',
  'مش قادر اقول',
  'ما اقدر احدد',
  'صعب اقول',
  'ما ادري',
  'لا ادري',
  'ما اعرف',
  'لا اعرف',
  'ما بعرف',
  'مش بعرف',
  'ما نعرف',
  'لا اعلم',
  'ما اعلم',
  'الله اعلم',
  'علمي علمك',
  'مش عارف',
  'مش عارفه',
  'مو عارف',
  'مو عارفه',
  'مب عارف',
  'مش متاكد',
  'مش متاكده',
  'مو متاكد',
  'مو متاكده',
  'مب متاكد',
  'ماني متاكد',
  'مانيب متاكد',
  'لست متاكد',
  'لست متاكده',
  'غير متاكد',
  'غير متاكده',
  'مش اكيد',
  'مو اكيد',
  'مب اكيد',
  'ما اظن',
  'لا اظن',
  'ما بظن',
  'مش بظن',
  'ما اعتقد',
  'لا اعتقد',
  'ما بعتقد',
  'مش بعتقد',
  'ما اتوقع',
  'ما بتوقع',
  'مش متوقع',
  'مش متذكر',
  'مو متذكر',
  'ما اتذكر',
  'لا اتذكر',
  'لا اذكر',
  'مو متذكره',
  'مش متذكره',
  'ما اذكر',
  'مش فاكر',
  'مش فاكره',
  'ماني عارف',
  'ماني عارفه',
  'مانيش عارف',
  'ما اني عارف',
  'ما عارف',
  'ما عارفه',
  'مانا عارف',
  // "اقول لك اي ولا لا": whether to say yes or no
  'اي ولا لا',
  'اه ولا لا',
  'ايوه ولا لا',
  'نعم ولا لا',
  'نعم ام لا',
  'نعم او لا',
  'نص نص',
  'نوعا ما',
]);
/** "ممكن" is "maybe" only alone or before one of these ("ممكن تعيد" is a request). */
export const MAYBE = 'ممكن';
export const MAYBE_FOLLOWERS = words('يكون في فيه اه لا شوي شويه عندي ايوه نعم اي ايه');

/** "ما لاحظت شي": noticed nothing is a no ("ما لاحظت" alone is a hedge). */
export const NO_PHRASES = phrases(['ما لاحظت شي', 'ما لاحظت اي شي', 'ما لاحظت شيء', 'ما لاحظت حاجه', 'ما لاحظتش حاجه', 'مالاحظت شي']);
/** Thanks and endearments after an answer: "ايه الله يسلمك"، "ما بدي شي يا بنتي". */
export const COURTESY_WORDS = words('الله يسلمك يسلمك يسلمو تسلم تسلمي يعافيك يخليك يا بنتي ابني ولدي حبيبتي حبيبي عيني شكرا مشكور مشكوره');
/** "خالص" alone (Egyptian): not at all; elsewhere an intensifier ("تعبان خالص"). */
export const NOT_AT_ALL = 'خالص';
/** "الحين بالضبط لا": words that only sharpen "now". */
export const EXACTLY_WORDS = words('بالضبط بالزبط بالظبط تحديدا');
/** "لسا فيه": still there. */
export const STILL_WORDS = words('لسا لسه لساته لسي لساتو');
/** "بيجي وبيروح"، "ساعه يروح وساعه يرجع": it comes and goes. */
export const COMES = words('بيجي يجي يجيني بيجيني تجي بتجي يرجع بيرجع');
export const GOES = words('بيروح يروح تروح بتروح يختفي');
/** "ساعات اه وساعات لا"، "مرات اكو مرات ماكو": some of the time. */
export const AT_TIMES = words('ساعات ساعه مرات مره احيانا احيان ايام يوم');

/** Consent said with a negation: "ما عندي مانع" is yes. */
export const YES_PHRASES = phrases([
  'ما عندي مانع',
  'ماعندي مانع',
  'ما في مانع',
  'مافي مانع',
  'لا مانع',
  'ما يخالف',
  'مايخالف',
]);

/** A clause opening with one of these is the caller asking, not answering ("مين معي؟"). */
export const INTERROGATIVES = words('مين منو وين ليش ليه كيف شلون متي امتي قديش كم شنو وش ايش شو هل');

/** The caller did not hear or understand: not an answer. */
export const NON_ANSWER_PHRASES = phrases([
  'ما فهمت',
  'مافهمت',
  'ما فهمتش',
  'مفهمتش',
  'ما فهمتك',
  'مش فاهم',
  'مش فاهمه',
  'مو فاهم',
  'مب فاهم',
  'ما سمعت',
  'ماسمعت',
  'ما سمعتك',
  'ما سمعتش',
  'مسمعتش',
  'مش سامع',
  'مش سامعه',
  'مو سامع',
  'ماني فاهم',
  'ماني سامع',
  'لم افهم',
  'لم اسمع',
  'مو المريض',
  'مش المريض',
  'مب المريض',
  'لست المريض',
  'مو انا المريض',
  'مش انا المريض',
]);

/** "It was" markers: a past that the caller may contrast with now ("كان عندي… بس الحين…"). */
export const PAST_MARKERS = words('كان كانت كنت كانو كانوا چان چانت جان قبل امبارح مبارح امس البارحه البارح الماضي اول');
/** It went away: said of a symptom, its present is "no". */
export const RESOLVED_WORDS = words(`
  راح راحت اختفي اختفت زال زالت طاب طابت انتهي انتهت وقف وقفت انقطع بطل بطلت
`);
/** "طبت"، "تعافيت": the caller got well, so it is not there now (a past week may have had it). */
export const RECOVERED = words('طبت شفيت تعافيت');
/** How often, which does not say whether it is there now. */
export const HOW_OFTEN = words('احيانا احيان ساعات مرات');
/** "خف": eased, which is less, not gone; "احسن"، "افضل": better, which is not well: asked again. */
export const EASED_WORDS = words('خف خفت خفيت هدي هدا هديت احسن افضل');
/** Negated, "it has not eased" ("ما خف ابدا"): still there. Not "خفت" (also "I was afraid") nor "هديت" ("I calmed down"). */
export const NOT_EASED = words('خف خفيت هدي هدا');
/** Fine now: said of the present, "no" to "do you have it?". */
export const WELL_WORDS = words('زين تمام كويس كويسه منيح منيحه بخير الحمدلله طيب مرتاح مرتاحه عادي سليم');
/** A tag question after an answer: "…، صح؟". */
export const TAG_WORDS = words('صح صحيح مظبوط مضبوط');
/** "It went" (Gulf) and the Levantine future particle ("راح اشوف"): told apart by what follows. */
export const WENT = 'راح';
/** "ما فيني الا العافيه": nothing but good health is nothing. */
export const WELLBEING_NOUNS = words('العافيه الخير الصحه');
/** "زي ما الدكتور قال": "ما" after these is "as/what", not a negation. */
export const RELATIVE_BEFORE_MA = words('زي زيي مثل متل كما حسب قد');
/** "قبل ما انام"، "بعد ما اكل": before or after doing, when a present verb follows "ما". */
export const BEFORE_AFTER = words('قبل بعد');
/** "من يوم ما"، "من وقت ما"، "من اول ما": since, after "من". ("من يومين ما جاني" is a negation: two days.) */
export const SINCE_NOUNS = words('يوم وقت ساعه اول لحظه');
/** "كل ما امشي يوجعني"، "وقت ما اتعب"، "طول ما انا قاعد": whenever, when, as long as. */
export const WHENEVER = words('كل وقت طول');
/** Medicines: a statement about one ("ما عندي دوا", "وقفت الدوا") depends on which question was asked. */
export const MEDICINE_WORDS = words('دوا دواء الدوا الدواء ادويه الادويه حبوب الحبوب العلاج علاج الابره ابره حبه الحبه');
/** "I want": "ما ابي شي" is no; "ما ابي الدوا" is not a fact about the patient. */
export const WANT_WORDS = words('ابي ابغي ابغا بدي عايز عاوز اريد ارغب ابا');
/** Someone else as the subject: "الدكتور ما رد علي" is not about the patient's symptom. */
export const THIRD_PARTIES = words('الدكتور الدكتوره الطبيب الطبيبه الممرضه الممرض ولدي بنتي زوجي زوجتي ابني اخوي اختي المستشفي العياده امي ابوي ابويا جوزي مرتي');
/** Had, but not a symptom: "عندي سؤال"، "عندي سكر وضغط" (a long-standing condition) answer something else. */
export const NOT_A_SYMPTOM = words('سوال استفسار موعد طلب ملاحظه');
export const LONG_STANDING = words('سكر السكر سكري السكري ضغط الضغط');
/** "اكو مشكله بالتلفون"، "الخط فيه مشكله": trouble with the call, which is no symptom. */
export const TROUBLE_WORDS = words('مشكله مشاكل مشكل عطل خلل');
export const PHONE_WORDS = words('التلفون تلفون التليفون تليفون الخط خط الشبكه شبكه الصوت الجوال جوال الموبايل موبايل الاتصال المكالمه السماعه');
/** Came back: "راح ورجع". */
export const RETURNED_WORDS = words('رجع رجعت عاد عادت');
/** Symptoms named with the article: "رجع الالم"، "الصداع رجع" say that it is there again. */
export const SYMPTOM_NOUNS = words(`
  الالم الوجع الاوجاع الصداع الحراره السخونه الحمي الكحه السعال الدوخه الدوار الضيق الغثيان
  الترجيع الاستفراغ الاسهال النزيف الحكه الورم الانتفاخ الحموضه الرجفه الرعشه التنميل الخفقان
`);
/** Every / always, negated: "مو كل يوم" is sometimes. */
export const EVERY_WORDS = words('كل دايما دايم دوم علطول');
/** Egyptian "على طول" (always), in two words: "مش على طول". */
export const ON = 'علي';
export const LENGTH = 'طول';
/** "It comes", with no "to me": a statement only after a "but" ("مش دايما بس بيجي"). */
export const COMES_ALONE = words('بيجي يجي تجي بتجي');
/** "I can": "ما اقدر امشي" is a limitation, yes to "is walking hard?" and no to "can you walk?". */
export const ABLE_WORDS = words('اقدر بقدر قادر قادره اكدر اقدرش استطيع قدرت كدرت استطعت');
/** Words that carry no content of their own in an answer. */
export const FILLER_WORDS = words('بس يعني والله شوف شوفي وحده واحد بالمره الحمد لله الحمدلله اخ امم ام يا ولدي بنتي حبيبتي حبيبي يمه يما يمي يبه يابه يوبا');
