import { detectIntent } from './detect-intent';

describe('detectIntent: repeat', () => {
  test.each([
    ['Gulf', 'عيد'],
    ['Gulf', 'عيد لو سمحت'],
    ['Levantine', 'عيدي السؤال'],
    ['MSA', 'أعد السؤال'],
    ['MSA', 'أعد من فضلك'],
    ['Levantine', 'ممكن تعيد'],
    ['Levantine', 'ممكن تعيد السؤال؟'],
    ['Gulf', 'مرة ثانية'],
    ['MSA, asked', 'نعم؟'],
    ['Egyptian', 'افندم؟'],
    ['Egyptian', 'قولي تاني'],
    ['Iraqi', 'شتگول؟'],
    ['Egyptian', 'مرة تانية لو سمحت'],
    ['MSA', 'كرر'],
    ['MSA', 'كرر السؤال من فضلك'],
    ['all', 'ما سمعت'],
    ['Gulf', 'ما سمعتك زين'],
    ['all', 'ما فهمت'],
    ['Levantine', 'ما فهمت عليك'],
    ['Egyptian', 'مش فاهم'],
    ['Levantine', 'شو قلت'],
    ['Levantine', 'شو قلتي؟'],
    ['Gulf', 'ايش قلت'],
    ['Gulf', 'وش تقول'],
    ['Egyptian', 'بتقول ايه'],
    ['Egyptian', 'قلت ايه؟'],
    ['Egyptian', 'مش سامعك كويس'],
    ['Levantine', 'كمان مرة'],
    ['Gulf', 'عيدها الله يخليك'],
    ['Levantine', 'تعيدلي السؤال'],
    ['Gulf', 'عاود السؤال'],
    ['Iraqi', 'شنو؟'],
    ['Levantine', 'شو؟'],
    ['Gulf', 'ها؟'],
    ['Levantine', 'يعني شو'],
    ['all', 'الصوت مقطع'],
    ['MSA', 'لم أفهم السؤال'],
    ['MSA', 'هل يمكن إعادة السؤال'],
    ['Latin', 'pardon'],
    ['Latin', 'again please'],
    ['Gulf', 'ماني فاهم'],
    ['Levantine', 'معليش ما سمعت'],
  ])('%s: %s', (_dialect, text) => {
    expect(detectIntent(text)).toBe('repeat');
  });
});

describe('detectIntent: human', () => {
  test.each([
    ['Gulf', 'ابي اكلم موظف'],
    ['Levantine', 'بدي حدا يرد علي'],
    ['Levantine', 'وصليني عالدكتور'],
    ['Iraqi', 'اريد واحد يحچي وياي'],
    ['Gulf', 'ابي احد حقيقي'],
    ['Gulf', 'أبغى أكلم موظف'],
    ['Levantine', 'بدي احكي مع حدا'],
    ['Levantine', 'بدي احكي مع شخص حقيقي'],
    ['Levantine', 'بدي حكي مع انسان'],
    ['Egyptian', 'عايز اكلم دكتور'],
    ['Egyptian', 'عاوزة أتكلم مع الدكتورة'],
    ['Egyptian', 'عايز أكلم حد'],
    ['all', 'حولني'],
    ['Gulf', 'حولني على موظف'],
    ['Levantine', 'حوليني لو سمحت'],
    ['all', 'انسان'],
    ['all', 'موظف لو سمحت'],
    ['all', 'شخص حقيقي'],
    ['Levantine', 'ممكن احكي مع الممرضة'],
    ['Levantine', 'بدي الطبيب'],
    ['MSA', 'أريد التحدث مع طبيب'],
    ['Gulf', 'وصلني بموظف'],
    ['Gulf', 'أبغى أحد يكلمني'],
    ['Gulf', 'ودي اكلم الدكتور'],
    ['Gulf', 'اعطني المسؤول'],
    ['Levantine', 'جيبلي حدا احكي معه'],
    ['Latin', 'human please'],
    ['Latin', 'operator'],
    ['all', 'خدمة العملاء'],
  ])('%s: %s', (_dialect, text) => {
    expect(detectIntent(text)).toBe('human');
  });
});

describe('detectIntent: a bare Arabic stop verb', () => {
  // "وقف" alone may be "it stopped" (the pain, the medicine): asked again; "وقف المكالمه"، "خلاص وقف" are commands.
  test.each(['وقف', 'توقف', 'بطّل'])('%s is asked again, not taken as stop', (text) => {
    expect(detectIntent(text)).toBeNull();
  });
});

describe('detectIntent: stop', () => {
  test.each([
    ['all', 'وقف لو سمحت'],
    ['Levantine', 'بسكر الحين'],
    ['Levantine', 'خلاص بسكر الخط'],
    ['Gulf', 'ما ابغى اكمل الأسئلة'],
    ['all', 'خلاص وقف'],
    ['Levantine', 'بدي وقف'],
    ['Gulf', 'ابي اوقف'],
    ['Gulf', 'ما ابي اكمل'],
    ['Gulf', 'ما أبغى أكمل'],
    ['Egyptian', 'مش عايز اكمل'],
    ['Egyptian', 'مش عاوزة أكمل'],
    ['Levantine', 'ما بدي كمل'],
    ['Levantine', 'خلاص ما بدي'],
    ['Gulf', 'بس خلاص ما ابي'],
    ['MSA', 'لا أريد المتابعة'],
    ['MSA', 'لا اريد الاستمرار'],
    ['MSA', 'انهي المكالمة'],
    ['MSA', 'أنهِ المكالمة'],
    ['Levantine', 'سكر'],
    ['Levantine', 'سكر الخط'],
    ['Levantine', 'خلاص سكر'],
    ['all', 'اقفل الخط'],
    ['all', 'كفاية'],
    ['Egyptian', 'كفاية أسئلة'],
    ['MSA', 'يكفي'],
    ['Levantine', 'خلينا نوقف هون'],
    ['MSA', 'توقف عن الأسئلة'],
    ['Gulf', 'ما عندي وقت'],
    ['Egyptian', 'مش فاضي دلوقتي'],
    ['all', 'مع السلامة'],
    ['Latin', 'stop'],
    ['Levantine', 'ما بدي احكي'],
    ['Gulf', 'ما ودي اكمل'],
    ['Levantine', 'اتصل بعدين'],
    ['Egyptian', 'كلمني بعدين'],
    ['Gulf', 'مو وقته الحين'],
  ])('%s: %s', (_dialect, text) => {
    expect(detectIntent(text)).toBe('stop');
  });
});

describe('detectIntent: answers, not requests', () => {
  test.each([
    'خلاص',
    'خلاص تمام',
    'ما في شي',
    'نعم',
    'لا',
    'ايه',
    'ايه؟',
    'الألم وقف',
    'وقف النزيف',
    'ما وقف الألم',
    'لا توقف',
    'عندي سكر',
    'سكري عالي',
    'عيد ميلادي بكرة',
    'تكرار التبول',
    'الدكتور قال لي ارتاح',
    'اخذت موعد مع الطبيب',
    'الممرضة اتصلت فيني',
    'ما في احد في البيت',
    'ما ابي',
    'ما عندي ألم',
    'حرارتي تسعة وثلاثين',
    'كل شي تمام',
    'شوي',
    'عندي ضغط، سكر',
    'شو؟ ما عندي شي',
    // It came back again, it recurred twice: not "again, please".
    'رجع الالم مره ثانيه',
    'رجعت الحرارة مرة تانية',
    'تكرر مرتين',
    // "بسكر" may be "with sugar".
    'بسكر',
    'الشاي بسكر',
    '',
  ])('%j', (text) => {
    expect(detectIntent(text)).toBeNull();
  });
});

describe('detectIntent: precedence human > stop > repeat', () => {
  test.each([
    ['خلاص وقف، بدي احكي مع موظف', 'human'],
    ['ما فهمت، حولني على موظف', 'human'],
    ['عيد السؤال؟ لا خلاص وقف', 'stop'],
    ['ما سمعت، خلاص سكر الخط', 'stop'],
    ['ما بدي احكي مع حدا، سكر', 'stop'],
    ['مش فاهم، ممكن تعيد؟', 'repeat'],
  ])('%s', (text, expected) => {
    expect(detectIntent(text)).toBe(expected);
  });
});

describe('a negative answer is never a request to stop', () => {
  const negated = ['ما', 'مش', 'مو', 'مب', 'لا ما', 'لا مش', 'والله ما', 'يعني ما', 'الحمد لله ما'];
  const statements = [
    'حاسس بشي غريب', 'عندي الم', 'عندي حراره', 'احس بضيق', 'اشكي من شي', 'يوجعني صدري', 'اخذ الدوا', 'اخذت الحبوب',
    'فيه شي', 'نمت زين', 'قادر امشي', 'اكلت اليوم', 'اقدر اتنفس زين', 'حسيت بدوخه', 'اتقيات', 'طلعت من البيت',
    'كملت العلاج', 'وقفت الدوا', 'بدي شي', 'ابي شي', 'ابغى شي',
  ];
  test.each(negated.flatMap((n) => statements.map((s) => `${n} ${s}`)))('"%s" is an answer', (said) => {
    expect(detectIntent(said)).toBeNull();
  });
});

describe('detectIntent: more ways of asking', () => {
  test.each([
    ['repeat', 'ايش قصدك بالسؤال؟'],
    ['repeat', 'كيف يعني؟'],
    ['repeat', 'شو كلتي؟'],
    ['repeat', 'احكي بصوت اعلى لو سمحتي'],
    ['repeat', 'صوتك واطي'],
    ['human', 'انطيني الممرضه'],
    ['human', 'عطوني دكتور'],
    ['stop', 'اقفل السكه'],
    ['stop', 'سدي الخط'],
    ['stop', 'اتركوني بحالي'],
    ['stop', 'سيبيني في حالي الله يخليكي'],
    ['stop', 'لا تتصلوا علي بعد اليوم'],
    ['stop', 'متتصلوش تاني'],
    ['stop', 'ما اريد الاجابه'],
    ['stop', 'خلاص كافي'],
    // "no more" between the negation and the call
    ['stop', 'ما عاد تدقوا علي'],
    ['stop', 'لا بقى تتصلوا بي لو سمحت'],
    ['stop', 'لا عاد ترنون'],
  ])('%s: %s', (intent, said) => {
    expect(detectIntent(said)).toBe(intent);
  });

  test.each([
    // not understanding someone else is not asking for the question again
    'ما فهمت الدكتوره لما شرحت',
    'مش فاهم الطبيب بس ما عندي الم',
    // "سد" without the line: an appetite, a nose
    'سد نفسي عن الاكل',
    'انفي مسدود',
    // "enough" about something else
    'الدوا مو كافي',
    'النوم مش كافي',
    // a negative answer, however firm, is not a refusal of the call
    'لا ما في شي ابدا',
    'لا والله ما عندي',
    // someone else who no longer calls, or a complaint that goes on
    'لا عاد يتصل علي الدكتور',
    'ما عاد تتصلون علي من زمان',
  ])('not a request: %s', (said) => {
    expect(detectIntent(said)).toBeNull();
  });
});

describe('detectIntent: the question checked, then answered', () => {
  test.each([
    ['ايش قلتي؟ السكر؟ ميتين', 'an echo of the question, then a number'],
    ['عيدي السؤال؟ وزني؟ ستين', 'an echo after "repeat", then a number'],
    ['مش فاهم، قصدك الحراره؟ تسعه وتلاتين', '"قصدك" naming it'],
    ['شو قلتي؟ الصداع؟ اي عندي', 'an echo, then a yes'],
  ])('%s is an answer (%s)', (text) => {
    expect(detectIntent(text)).toBeNull();
  });

  test.each([
    ['شو قلت؟', 'nothing after'],
    ['شو قلت؟ تمانين', 'nothing checked'],
    ['شو قلت؟ عمري؟', 'checked, not answered'],
    ['ما فهمت تقصد شو؟ سبعه', 'nothing named'],
    ['شو قلت؟ عمري؟ ما سمعت', 'another request after'],
    ['شو قلت؟ الحراره؟ ما بعرف', 'no number, no yes or no after'],
    ['شو قلت؟ سبعه؟ لا تمانيه', 'a number asked back'],
  ])('%s is still a repeat (%s)', (text) => {
    expect(detectIntent(text)).toBe('repeat');
  });

  test('a request to stop or for a person after it still counts', () => {
    expect(detectIntent('شو قلت؟ عمري؟ تمانين، بدي احكي مع الدكتور')).toBe('human');
  });
});

describe('detectIntent: not wanting to talk with the callers, or to be on their list', () => {
  test.each(['ما بدي احكي معاكم', 'ما اريد احچي وياج', 'شيلوا رقمي من عندكم لو سمحت', 'لو سمحت امسحوا رقمي', 'بدي تشيلوا رقمي من القايمه', 'احذفو رقم تلفوني'])('%s is stop', (text) => {
    expect(detectIntent(text)).toBe('stop');
  });

  test.each([
    ['ما اريد احچي ويا الدكتور', 'someone else named'],
    ['ما اريد احچي عن هالموضوع', 'a subject, not the call'],
    ['ما اقدر احچي وياكم زين من الكحه', 'a symptom'],
    ['لا تشيلوا رقمي', 'a negated command'],
    ['الدكتور شال رقمي', 'someone else did it'],
    ['بنتي مسحت رقمي', 'someone else did it'],
    ['شيل الدوا', 'a medicine'],
    ['رقمي تغير', 'no request'],
  ])('%s is not stop (%s)', (text) => {
    expect(detectIntent(text)).not.toBe('stop');
  });
});

describe('detectIntent: not wanting to talk at length is no refusal of the call', () => {
  test.each(['ما ابي اتكلم وايد، بس الحمدلله ما فيني شي', 'ما اريد اسولف هوايه', 'مش عايز اتكلم كتير، اه عندي', 'ما بدي جاوب بالتفصيل'])('%s is not stop', (text) => {
    expect(detectIntent(text)).toBeNull();
  });

  test.each(['ما بدي احكي', 'ما بدي اكمل اكتر', 'خلاص ما ابي اكمل', 'ما اريد احچي وياكم'])('near miss: %s is stop', (text) => {
    expect(detectIntent(text)).toBe('stop');
  });
});

describe('detectIntent: what is the question, in more dialects, and two "what"s', () => {
  test.each(['شنو كان السوال؟', 'ويش السؤال', 'ها شو؟', 'هاه ايش'])('%s is repeat', (text) => {
    expect(detectIntent(text)).toBe('repeat');
  });

  test.each(['شو؟ ما عندي شي', 'ها شو صار معي؟ دوخه'])('near miss: %s is no request', (text) => {
    expect(detectIntent(text)).toBeNull();
  });
});

describe('detectIntent: told not to repeat, the caller has answered', () => {
  test.each(['لا تعيدي السؤال، قلتلك اه', 'لا تكرر، ما عندي'])('%s is no request', (text) => {
    expect(detectIntent(text)).toBeNull();
  });

  test.each(['عيدي السؤال', 'ممكن تعيد؟', 'لا ما سمعت، عيد', 'لا عيد السؤال', 'لا كرري'])('near miss: %s is repeat', (text) => {
    expect(detectIntent(text)).toBe('repeat');
  });
});

describe('detectIntent: stop calling me, and enough', () => {
  test.each(['بطلو تدقو علي', 'وقفوا تتصلون علي لو سمحت', 'كافي ما ابي', 'كافي يا بنتي بعد ما بدي'])('%s is stop', (text) => {
    expect(detectIntent(text)).toBe('stop');
  });

  test.each(['الاولاد بطلوا يتصلوا علي', 'ما بطلوا تتصلوا', 'بطلوا الدوا', 'الدوا كافي', 'الدوا كافي ما بدي'])('near miss: %s is not stop', (text) => {
    expect(detectIntent(text)).not.toBe('stop');
  });
});
