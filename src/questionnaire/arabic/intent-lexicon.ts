/**
 * Words and phrases for the caller's requests (repeat, talk to a person, stop), in normalised
 * spelling. The rules that combine them live in detect-intent.ts.
 */
import { words } from './word-list';

const phrases = (list: readonly string[]): readonly (readonly string[])[] => list.map((phrase) => phrase.split(' '));

/** "I want" / "can I" across dialects. */
export const WANT_WORDS = words(`
  ابي ابغي ابغا ابا بدي بدنا عايز عاوز عايزه عاوزه اريد نريد اود ودي حاب حابه بغيت اشتي ممكن ارغب نرغب
`);
/** Fused negated "I want": "مابي" (ما ابي)، "مابدي". */
export const NEGATED_WANT_WORDS = words('مابي ماابي مابغي ماابغي مابدي مابغيت ماريد مااريد');
export const NEGATORS = words('ما مش مو مب موب لا لست ماني مانيش مانيب');

// ---- human ----------------------------------------------------------------------------------

/** Talk verbs: "اكلم"، "احكي مع"، "اتكلم مع". */
export const TALK_VERBS = words(`
  اكلم احكي حكي اتكلم اتحدث التحدث احاكي ارمس اكلمه اكلمها نكلم نحكي نتكلم يكلمني يحكي يتكلم اتواصل
  نتواصل التواصل كلم احچي احجي اسولف
`);
/** "Put me through": enough on their own. */
export const TRANSFER_VERBS = words('حولني حوليني حولوني تحولني تحوليني حولني حولنا');
/** "Connect me / give me": need a person after them ("وصلني" alone is "it reached me"). */
export const CONNECT_VERBS = words(`
  وصلني وصليني توصلني توصليني وصلوني اعطني اعطيني عطني عطيني جيبلي جبلي هاتلي ناديلي
  انطيني نطيني انطوني عطوني اعطوني
`);
/** People the caller may ask for, without the article. */
export const PEOPLE = words(`
  موظف موظفه موظفين انسان بشر شخص دكتور دكتوره طبيب طبيبه ممرض ممرضه نيرس مسوول مسووله
  مشرف مشرفه مدير ممثل استقبال سكرتيره عملاء
  operator agent human person doctor nurse representative
`);
/** "Someone": a person only after a talk or connect verb ("بدي احكي مع حدا"). */
export const SOMEONE = words('حدا احد حد واحد حدن');
/** Asking for one of these on their own is enough ("موظف"، "انسان"). */
export const PEOPLE_ALONE = words('موظف موظفه انسان بشر operator agent human');
export const HUMAN_PHRASES = phrases([
  'شخص حقيقي',
  'انسان حقيقي',
  'موظف حقيقي',
  'بني ادم',
  'خدمه العملاء',
  'customer service',
  'real person',
]);
/** Words that make a bare name a request ("الممرضه لو سمحت"); "بس"، "طيب" do not. */
export const PLEASE_WORDS = words('لو سمحت سمحتي لوسمحت من فضلك فضلك ارجوك رجاء الله يخليك يخليكي please');
/** Words that may surround a bare request: "موظف لو سمحت". */
export const POLITE_WORDS = words(`
  لو سمحت سمحتي لوسمحت من فضلك فضلك ارجوك رجاء الله يخليك يخليكي يا ريت اخي اختي طيب بس اذا
  يلا انا اوكي ok please
`);

// ---- stop -----------------------------------------------------------------------------------

/** Stop verbs read as commands only where a command can stand (see detect-intent.ts). */
export const STOP_VERBS = words(`
  وقف وقفي وقفو اوقف توقف وقفها اوقفها اقفل اقفلي قفل اقفلها بطل بطلي انهي كنسل stop ستوب
`);
/** "Let's stop": need "خلينا"/"خليني" or a want word before them. */
export const FIRST_PERSON_STOP_VERBS = words('نوقف نوقفها نسكر نقفل ننهي اسكر اسكرها اقطع نقطع نكتفي');
/** "سكر" is also sugar (diabetes): a command only with "الخط"، after "خلاص" or a want word. */
export const HANG_UP_VERBS = words('سكر سكري سكرها سكرو سكره');
/** Said alone these are "hang up" ("سكري" alone is more likely "diabetes"). */
export const HANG_UP_ALONE = words('سكر سكرها سكرو');
/** What a stop command may take as object; any other "ال…" word makes it a report ("وقف النزيف"). */
export const CALL_OBJECTS = words(`
  المكالمه الاتصال الاستبيان الخط التلفون التليفون الهاتف السماعه السكه التسجيل الكلام السوال الاسيله اسيله هون هنا
`);
export const LET_US = words('خلينا خلنا خليني خلني');
/** "With you": "ما بدي احكي معكم"، "ما اريد احچي وياكم" (talking to the caller's callers, not to someone named). */
export const WITH_YOU = words('معك معكم معاك معاكم معكي معاكي وياك وياكم وياج وياكي وياچ');
/**
 * "شيلوا رقمي"، "امسحوا رقمي من عندكم": take my number off your list, said as a command (you,
 * plural or singular) or after a want word ("بدي تشيلوا رقمي"). "شالت رقمي" (she removed) is not one.
 */
export const REMOVE_VERBS = words(`
  شيلوا شيلو شيل شيلي امسحوا امسحو امسح امسحي احذفوا احذفو احذف احذفي الغوا الغو الغي اشطبوا اشطبو
  اشطب تشيلوا تشيلو تشيل تشيلي تمسحوا تمسحو تمسح تمسحي تحذفوا تحذفو تحذف تحذفي تلغوا تلغو
`);
/** "رقمي"، "رقم تلفوني"، "اسمي": the caller's own entry. */
export const MY_NUMBER = words('رقمي نمرتي اسمي تلفوني تليفوني موبايلي جوالي');
/** "كافي" is "enough" of the call only before what the call is ("كافي اسئله"); "الدوا كافي" is an answer. */
export const ENOUGH_OF = 'كافي';
/** "وقف بعد يومين": a stop verb followed by when is a report of what stopped, not a command. */
export const WHEN_WORDS = words('بعد من قبل امس مبارح امبارح البارحه يوم يومين ساعه ساعتين اسبوع اسبوعين لحاله لحالو لوحده شوي فجاه');
/** Enough: stop unless negated ("مش كفايه"). */
export const ENOUGH_WORDS = words('كفايه يكفي بكفي بيكفي كفي');
/** Continue/answer verbs a caller refuses: "ما ابي اكمل". */
export const CONTINUE_VERBS = words(`
  اكمل كمل نكمل تكمل اكملها نكملها اتابع نتابع تتابع المتابعه الاستمرار استمر نستمر اكمال الاكمال
  اجاوب جاوب نجاوب اجاوبك ارد احكي اتكلم اسولف اسيله الاسيله استبيان الاستبيان الاجابه اجيب الرد
`);
/**
 * "Much", "at length": "ما بدي احكي كتير" is not wanting to talk at length, said before an answer,
 * not a refusal of the call. ("اكتر"، "زياده" are not here: "ما بدي اكمل اكتر" is "no more".)
 */
export const MUCH_WORDS = words('كتير كثير كثيرا وايد هوايه واجد بزاف طويل بالطول بالتفصيل بالتفاصيل');
export const DONE = 'خلاص';
/** "Done" in other dialects (Iraqi, Levantine "خلص"). */
export const DONE_WORDS = words('خلاص خلص خلصنا');
/** "I can" / "I am able": "ما اقدر اكمل" refuses to go on. */
export const ABLE_WORDS = words('اقدر بقدر قادر قادره اقدرش اكدر');
export const STOP_PHRASES = phrases([
  'انهي المكالمه',
  'انه المكالمه',
  'انهاء المكالمه',
  'انهي الاتصال',
  'انهاء الاتصال',
  'اقفل الخط',
  'سكر الخط',
  'اقطع الخط',
  'اغلق الخط',
  'سكر التلفون',
  'اقفل التلفون',
  'سكر السماعه',
  // Iraqi "سد" (close) only with the line: "سد نفسي" is an appetite gone.
  'سد التلفون',
  'سدي التلفون',
  'سد الخط',
  'سدي الخط',
  // "Leave me alone": the caller refuses the call itself.
  'خلوني بحالي',
  'خليني بحالي',
  'خلني بحالي',
  'خلوني في حالي',
  'اتركوني بحالي',
  'اتركني بحالي',
  'اتركيني بحالي',
  'سيبوني في حالي',
  'سيبني في حالي',
  'سيبيني في حالي',
  'سيبوني بحالي',
  // "Do not call me (again)".
  'لا تتصل علي',
  'لا تتصلي علي',
  'لا تتصلو علي',
  'لا تتصلوا علي',
  'لا تتصلون علي',
  'لا تتصل بي',
  'لا تتصلوا بي',
  'لا تتصلون بي',
  'ما تتصلو علي',
  'متتصلوش تاني',
  'متتصليش تاني',
  'مع السلامه',
  'ما عندي وقت',
  'ماعندي وقت',
  'ما في وقت',
  'مش فاضي',
  'مش فاضيه',
  'مو فاضي',
  'مو فاضيه',
  'مب فاضي',
  'ماني فاضي',
  'مو وقته',
  'مش وقته',
  'اتصل بعدين',
  'اتصلي بعدين',
  'اتصلوا بعدين',
  'كلمني بعدين',
  'كلموني بعدين',
  'اتصل بوقت ثاني',
  'bye',
]);
/** "Bye" as speech-to-text writes it; also "بأي" (with any) once the hamza is gone: a goodbye only at the end. */
export const BYE = words('باي بااي');

// ---- repeat ---------------------------------------------------------------------------------

export const REPEAT_VERBS = words(`
  عيد عيدي عيدها عيده عيدلي عيديلي عيدو تعيد تعيدي تعيده تعيدها تعيدلي تعيديلي تعيدو تعيدين
  بتعيد بتعيدي اعد اعدها اعيدي كرر كرري كررها كرره كررلي تكرر تكرري تكررها تكرره تكررلي بتكرر
  repeat again pardon
`);
/** "عاود" is also "came back" ("الألم عاود"): a request only where a command can stand. */
export const REPEAT_COMMAND_VERBS = words('عاود عاودي تعاود تعاودي عاودلي');
/** "عيد ميلاد"، "عيد الفطر": the feast, not "repeat". */
export const FEAST_FOLLOWERS = words('ميلاد ميلادي الميلاد الفطر الاضحي الكبير الصغير سعيد مبارك');
/** Single-word "what?" that asks for a repeat (but not "نعم؟" or the ambiguous "ايه"). */
export const WHAT_ALONE = words('شو ايش وش شنو ها هاه هه افندم شتقول شتقولين what');
/** "نعم؟" alone, asked: "pardon?" (without the question mark it is yes). */
export const PARDON_IF_ASKED = words('نعم نعمم');
/**
 * "مره ثانيه" (again) asks for a repeat only with nothing else said but a "say" verb or polite
 * words: "رجع الالم مره ثانيه" is the pain coming back.
 */
export const AGAIN_PHRASES = phrases(['مره ثانيه', 'مره تانيه', 'مره ثاني', 'مره تاني', 'كمان مره', 'مره كمان', 'مره اخري', 'من جديد', 'تاني', 'ثاني']);
export const SAY_VERBS = words('قول قولي قولها قوليها قوله اسال اسالي اسالني اسمع اسمعك السوال سوال احكي احكيلي');
/** "تكرر مرتين": it recurred, counted; not "repeat". */
export const COUNT_WORDS = words('مره مرتين مرات كثير كتير وايد تلات ثلاث');
export const REPEAT_PHRASES = phrases([
  'تكرار السوال',
  'اعاده السوال',
  'اعاده الكلام',
  'ما سمعت',
  'ماسمعت',
  'ما سمعتك',
  'ماسمعتك',
  'ما سمعتش',
  'ماسمعتش',
  'مسمعتش',
  'مش سامع',
  'مش سامعه',
  'مش سامعك',
  'مو سامع',
  'مب سامع',
  'ما اسمعك',
  'ما اسمع',
  'لم اسمع',
  'ما فهمت',
  'مافهمت',
  'ما فهمتك',
  'ما فهمتش',
  'مفهمتش',
  'مش فاهم',
  'مش فاهمه',
  'مو فاهم',
  'مب فاهم',
  'ماني فاهم',
  'ماني سامع',
  'لم افهم',
  'شو قلت',
  'شو قلتي',
  'شو حكيت',
  'شو بتقول',
  'شو عم تقول',
  'شو تقول',
  'ايش قلت',
  'ايش قلتي',
  'ايش تقول',
  'وش قلت',
  'وش قلتي',
  'وش تقول',
  'ويش قلت',
  'شنو قلت',
  'شنو قلتي',
  'شنو تقول',
  'قلت ايه',
  'قلتي ايه',
  'بتقول ايه',
  'بتقولي ايه',
  'تقول ايه',
  'يعني ايه',
  'يعني ايش',
  'يعني شو',
  'يعني وش',
  'شو يعني',
  'ايش يعني',
  'وش يعني',
  'شنو يعني',
  'شو قصدك',
  'ايش قصدك',
  'وش قصدك',
  'شنو قصدك',
  'شو تقصد',
  'شو تقصدي',
  'شنو تقصد',
  'ايش تقصد',
  'شلون يعني',
  'كيف يعني',
  // Iraqi and Gulf "ك" for "ق": "شنو كلتي"
  'شنو كلت',
  'شنو كلتي',
  'شو كلت',
  'شو كلتي',
  'بصوت اعلي',
  'صوتك واطي',
  'ارفعي صوتك',
  'شو السوال',
  'شنو السوال',
  'ويش السوال',
  'شو كان السوال',
  'شنو كان السوال',
  'ايش السوال',
  'وش السوال',
  'ايه السوال',
  'مش واضح',
  'مو واضح',
  'الصوت مقطع',
  'صوتك مقطع',
  'الخط مقطع',
  'ما وصلني',
  'ارفع صوتك',
  'علي صوتك',
  'say again',
]);
/** "Let": "خل الدكتور يتصل فيني". */
export const LET_WORDS = words('خل خلي خلو خليه خليها');
/** A person calling or answering the caller. */
export const CALL_ME_VERBS = words('يتصل يتصلي تتصل يكلمني تكلمني يرد ترد يحاكيني يحكي يحچي يحكيني يتكلم');
/** "ابي احد حقيقي": a real person, not the recording. */
export const REAL_WORDS = words('حقيقي حقيقيه بشري طبيعي');
/** "بسكر الحين": I am hanging up (first person, now). */
/** "لا عاد تتصلون علي"، "ما عاد تدقوا علي": calling the caller (you, to me), and "any more". */
export const CALL_YOU_VERBS = words('تتصل تتصلي تتصلو تتصلوا تتصلون تدق تدقي تدقو تدقوا تدقون ترن ترني ترنو ترنوا ترنون تحاكوني تكلموني');
/**
 * "بطلوا تتصلوا عليا"، "وقفوا تدقوا علي": stop calling me. Said to the callers, in the plural too;
 * "بطلوا يزوروني" (they stopped visiting me) has no "you call" verb after it.
 */
export const STOP_DOING_VERBS = words('بطل بطلي بطلو بطلوا وقف وقفي وقفو وقفوا كفو كفوا خلصونا');
export const NO_MORE_WORDS = words('عاد بقي بقا بعد');
export const TO_ME = words('علي عليا بي فيني');
export const HANGING_UP = words('بسكر بقفل حسكر حقفل');
