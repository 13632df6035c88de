import { isMedicationQuestion } from './medication-answer';
import { parseYesNo } from './yes-no';

const taking = 'هل تأخذ دواءك كما وصفه الطبيب؟';
const stopping = 'هل توقفت عن أي دواء هذا الأسبوع؟';
const symptom = 'هل عندك ألم في الصدر؟';

test('only a question about taking the medicine is one', () => {
  expect(isMedicationQuestion(taking)).toBe(true);
  expect(isMedicationQuestion('هل تتناول العلاج بانتظام؟')).toBe(true);
  expect(isMedicationQuestion(stopping)).toBe(false);
  expect(isMedicationQuestion(symptom)).toBe(false);
});

describe('asked whether the medicine is taken', () => {
  test.each([
    ['ايه اخذه الصبح والليل', 'yes'],
    ['ابشر ماخذه كل يوم', 'yes'],
    ['بنتي تجيب لي الدوا وانا اخذه', 'yes'],
    ['اخذ 3 حبات يوميا', 'yes'],
    ['وقفت الدوا', 'no'],
    ['بطلته من اسبوع', 'no'],
    ['لا مش باخده', 'no'],
    ['ما قدرت اكمل الدوا عشان المعده', 'no'],
    ['لا والله نسيته ذي الايام', 'no'],
    // Partly, conditionally, or a participle that may be "ما اخذه" run together: asked again.
    ['اخذه بس مو كل يوم', 'uncertain'],
    ['باخده لما افتكر', 'uncertain'],
    ['نسيته كم مره', 'uncertain'],
    ['ماخذه', 'uncertain'],
  ])('"%s" is %s', (said, expected) => {
    expect(parseYesNo(said, { question: taking })).toBe(expected);
  });

  test('what the caller wants, or what the doctor did, is left to the general reading (asked again)', () => {
    expect(parseYesNo('ما بدي كمل الدوا', { question: taking })).toBe('uncertain');
    expect(parseYesNo('الدكتور وقف الدوا', { question: taking })).toBeNull();
  });
});

test('the same words answer nothing when the question is about a symptom or about stopping', () => {
  for (const question of [symptom, stopping]) {
    expect(parseYesNo('وقفت الدوا', { question })).not.toBe('no');
    expect(parseYesNo('اخذه يوميه', { question })).not.toBe('yes');
  }
});

describe('taking it as prescribed, said without "I take it"', () => {
  test.each([
    ['every day, with a time', 'كل ليله قبل النوم'],
    ['every day, given by family', 'ابوي يجيبه لي كل يوم'],
    ['never forgot or missed it', 'عمري ما فوتها'],
    ['never forgot, with an aspect word', 'ما عدت انساه'],
    ['keeps to it', 'ملتزمه فيه'],
    ['Egyptian "did not stop it"', 'ما وقفتوش'],
    ['was, and now is', 'كنت اوقفه بس هلا صرت اخذه كل يوم'],
  ])('%s: "%s" is yes', (_why, said) => {
    expect(parseYesNo(said, { question: taking })).toBe('yes');
  });
});

describe('not taken as prescribed', () => {
  test.each([
    ['not taking, run together', 'مباخدهوش'],
    ['no longer', 'ما عدت اتناوله'],
    ['not taking, progressive', 'ما عم باخدها'],
    ['forgets often', 'بنساه وايد'],
    ['some of the time', 'مرات'],
    ['not every day', 'مو كل يوم'],
    ['part of a pill', 'باخد ربع حبه'],
    ['a lower dose', 'قللت الجرعه'],
    ['fewer than prescribed', 'حبه بدل حبتين'],
    ['ran out', 'الحبوب خلصت معي'],
    ['left it off', 'خليتها من شهر'],
    ['does not want to take it', 'ما ابغى اخذها'],
    ['cannot get it', 'ما اقدر اجيبه'],
    ['was, and now is not', 'كنت باخده بس هلا لا'],
    ['does not keep to it', 'مش ملتزم'],
  ])('%s: "%s" is no', (_why, said) => {
    expect(parseYesNo(said, { question: taking })).toBe('no');
  });
});

describe('near misses that must not be read as a dose, a stop or a daily habit', () => {
  test.each([
    ['half an hour is a time, not half a dose', 'باخده نص ساعه قبل الاكل', 'yes'],
    ['instead of the old medicine, not fewer times', 'باخده بدل الدوا القديم', 'yes'],
    ['every other day is not every day', 'كل يومين', 'uncertain'],
    ['about every day', 'كل يوم تقريبا', 'uncertain'],
    ['does not forget it much', 'ما بنساه كثير', 'uncertain'],
    ['a dose not lowered', 'ما قللت الجرعه', 'uncertain'],
    ['finished: a course, or ran out?', 'خلص الدوا', 'uncertain'],
    ['finished, got more and takes it', 'خلص وجبت غيره وباخده', 'uncertain'],
    ['left somewhere', 'خليته بالثلاجه', 'uncertain'],
    ['cannot buy it, but someone brings it', 'ما اقدر اشتريه بس اخته تجيبه', 'uncertain'],
    ['not wanting, but', 'ما اريد اخذه بس الدكتور قال', 'uncertain'],
    ['stopped something else, takes the medicine', 'توقفت عن الاكل بس الدوا باخده', 'uncertain'],
    ['leads with "I take it", then "not every day"', 'باخدها بس مش كل يوم', 'uncertain'],
  ])('%s: "%s" is %s', (_why, said, expected) => {
    expect(parseYesNo(said, { question: taking })).toBe(expected);
  });

  test('what the doctor said to do is not what the caller does', () => {
    expect(parseYesNo('الدكتور قال لي اخذه كل يوم', { question: taking })).not.toBe('yes');
  });
});

describe('asked whether the medicine is taken: schedules and past stops', () => {
  test.each([
    ['باخده يوم ايه ويوم لا', 'no'],
    ['مخدتوش من يومين', 'no'],
    ['من كم يوم ما اخدته', 'no'],
    ['ايوه بمواعيدها', 'yes'],
    ['ماشيه عليه الحمد لله', 'yes'],
    ['الصبح والليل زي ما كتبلي', 'yes'],
    ['كنت موقفه وهلق باخده', 'yes'],
    ['ما بفوتوش ولا مره', 'yes'],
    ['مستعملها هالفتره لا، موقفها', 'no'],
  ])('%s → %s', (text, expected) => {
    expect(parseYesNo(text, { question: taking })).toBe(expected);
  });

  test.each([
    // near misses that must not read as taken as prescribed
    ['مش في مواعيده', 'no'],
    ['اخدته مره وحده بس', 'uncertain'],
    ['الصبح بس مش المسا', 'uncertain'],
    ['كنت باخده بس وقفته', 'no'],
  ])('%s → %s', (text, expected) => {
    expect(parseYesNo(text, { question: taking })).toBe(expected);
  });

  test('a symptom question is not read this way', () => {
    expect(parseYesNo('ماشي عليه', { question: symptom })).not.toBe('yes');
  });
});

describe('taken, but not as prescribed', () => {
  test.each([
    // forgotten some of the time, with no "I take it" before
    ['مرات انساه', 'no'],
    ['احيانا بنساها', 'no'],
    // most days is not every day
    ['معظم الايام باخده بس ساعات بنساه', 'no'],
    // the caller changed the amount themself
    ['اي بس عدلت الجرعه على كيفي', 'no'],
    ['بغير الجرعه حسب ما احس', 'no'],
    // not started yet
    ['بكرا ببدا فيه ان شاء الله', 'no'],
    ['رح ابلش فيه الاسبوع الجاي', 'no'],
    // one taken, another not
    ['باخد حبة الضغط بس حبة السكر ما باخدها', 'no'],
    ['اخذ الصبح بس الليل ما اخذه', 'no'],
    // the doctor said one number, the caller takes another
    ['الدكتور قال ثلاث حبات وانا اخذ ثنتين', 'no'],
    ['الدكتوره كتبتلي حبه بس الدكتور قال حبتين وانا باخد وحده', 'no'],
  ])('%s → %s', (text, expected) => {
    expect(parseYesNo(text, { question: taking })).toBe(expected);
  });

  test.each([
    // leading with "I take it" or a yes, the forgetting is asked again
    'اي بس احيانا بنساه',
    'باخده بس مرات انساه',
    // "ما عدلت الجرعه": not changed; "ابدا" alone is "never", not "I start"
    'ما عدلت الجرعه',
    // the doctor changed it
    'الدكتور غيرلي الجرعه',
    // how it is taken, not whether; or a "not" that names nothing else
    'اخذه بس ما اخذه مع الاكل',
    'باخده بس ما باخده',
  ])('%s is not read as "not as prescribed"', (text) => {
    expect(parseYesNo(text, { question: taking })).not.toBe('no');
  });
});

describe('taken after all', () => {
  test.each([
    // stopped, then went back to it
    ['بطلته فتره بس رجعت اخذه', 'yes'],
    ['وقفتها اسبوع ورديت اخذها كل يوم', 'yes'],
    // a helper's story ending with "and I take it"
    ['انا نظري ضعيف ما اشوف الاسامي، ابني يرتبهم لي وانا اخذهم كل يوم', 'yes'],
    ['الدكتور قال حبتين وانا اخذ حبتين', 'yes'],
  ])('%s → %s', (text, expected) => {
    expect(parseYesNo(text, { question: taking })).toBe(expected);
  });

  test.each([
    // did not go back to it, or went back only partly
    'وقفته وما رجعت اخذه',
    'وقفته بس رجعت اخذه احيانا',
    // a negation about taking in the story
    'ابني يعطيني الدوا بس ما اخذه كل يوم وانا اخذه',
    'ما ادري اذا الدوا صح وانا اخذه',
  ])('%s is not yes', (text) => {
    expect(parseYesNo(text, { question: taking })).not.toBe('yes');
  });
});

test('a symptom said after an aside is no answer about the medicine', () => {
  expect(parseYesNo('ما ابي اتعبك بس عندي دوخه', { question: taking })).toBe('uncertain');
  expect(parseYesNo('ما بدي اكذب عليكي في شوي وجع', { question: taking })).toBe('uncertain');
  // not wanting to take it is still a no
  expect(parseYesNo('ما اريد اخذه', { question: taking })).toBe('no');
});

describe('never stopped, one of several stopped, "not always" alone', () => {
  test.each([
    ['عمري ما تركته', 'yes'],
    ['ما وقفتها ولا مره', 'yes'],
    ['والله ما قطعت الدوا من سنتين', 'yes'],
    ['ما بطلته ابدا الحمد لله', 'yes'],
    // "لا" before a past verb is "no", not its negation: "no, I stopped it"
    ['لا تركتها', 'no'],
    ['لا وقفتها من اسبوع', 'no'],
    // "not every day" says days are missed
    ['مش كل يوم', 'no'],
    ['لا مش دايما', 'no'],
  ])('%s → %s', (text, expected) => {
    expect(parseYesNo(text, { question: taking })).toBe(expected);
  });

  test.each([
    // a "no" beside "I did not stop it", or a hedge: which is meant?
    'لا ما بطلته',
    'ما قطعته يمكن',
    // one of them stopped: the doctor's change, or the caller's?
    'ايوه بس وقفت واحد منهم',
    'تركت حبه منهم',
    // not always what: taken, on time, with food?
    'مش دايما',
    'مب دايم',
    'مش على طول',
    // the name is forgotten, not the medicine
    'احيانا انسى اسم الدوا',
    'ساعات بنسى اسمه',
  ])('%s is asked again', (text) => {
    expect(parseYesNo(text, { question: taking })).toBe('uncertain');
  });

  test('forgetting the medicine itself some of the time is still no', () => {
    expect(parseYesNo('احيانا انساه', { question: taking })).toBe('no');
    expect(parseYesNo('ساعات انسى', { question: taking })).toBe('no');
  });
});

test('"I never stop it" in the present, and "honestly" beside a plain answer', () => {
  expect(parseYesNo('ما بقطعها ابدا', { question: taking })).toBe('yes');
  expect(parseYesNo('اكيد ما اقطعه', { question: taking })).toBe('yes');
  expect(parseYesNo('بقطعه احيانا', { question: taking })).not.toBe('yes');
  expect(parseYesNo('بصراحه لا', { question: taking })).toBe('no');
  expect(parseYesNo('الصراحه نعم', { question: taking })).toBe('yes');
});

describe('a yes, "as the doctor said"', () => {
  test.each(['ايوه زي ما كتبه الدكتور', 'نعم مثل ما وصفه', 'اي والله متل ما قالولي بالمستشفى', 'اه بالظبط زي ما قالت الدكتوره'])('%s is yes', (said) => {
    expect(parseYesNo(said, { question: taking })).toBe('yes');
  });

  test.each([
    // no yes of its own
    'مثل ما قال الدكتور',
    // "not as he said", a hedge, a "but"
    'اي بس مو زي ما قال الدكتور',
    'اي يمكن مثل ما قالوا',
    'لا مو مثل ما قال',
  ])('%s is not yes', (said) => {
    expect(parseYesNo(said, { question: taking })).not.toBe('yes');
  });
});

test('"none left" with "finished" is a no; either alone, or more bought and taken, is asked again', () => {
  expect(parseYesNo('ما في حبوب خلصت', { question: taking })).toBe('no');
  expect(parseYesNo('مافي دوا، خلص من يومين', { question: taking })).toBe('no');
  expect(parseYesNo('انا ما عندي دوا', { question: taking })).toBe('uncertain');
  expect(parseYesNo('خلص الدوا', { question: taking })).toBe('uncertain');
  expect(parseYesNo('ماكو دوا خلص بس جبت غيره وباخده', { question: taking })).toBe('uncertain');
});

test('taken, but not on time, is not as prescribed', () => {
  expect(parseYesNo('اخذه بس مو بوقته', { question: taking })).toBe('no');
  expect(parseYesNo('باخدها بس مش بمواعيدها', { question: taking })).toBe('no');
  // on time, or a negation that is not of the schedule
  expect(parseYesNo('باخده في مواعيده', { question: taking })).toBe('yes');
  expect(parseYesNo('اخذه وما اتاخر عن مواعيده', { question: taking })).not.toBe('no');
});

test('not taken except when something brings it on is not as prescribed', () => {
  expect(parseYesNo('ما باخده غير لما يوجعني', { question: taking })).toBe('no');
  expect(parseYesNo('ما اخذها الا اذا ارتفع الضغط', { question: taking })).toBe('no');
  // a condition without "only": asked again
  expect(parseYesNo('ما اخذه اذا تعبت', { question: taking })).toBe('uncertain');
  expect(parseYesNo('اخذه الا اذا نسيت', { question: taking })).toBe('uncertain');
});
