import { define } from '../../test/helpers/questionnaires';
import { initialState, transition } from './machine';
import type { Questionnaire } from './schema';
import type { Effect, MachineEvent, MachineState } from './types';

/** Drives the machine like a call: every prompt finishes playing before the caller's next turn. */
class Call {
  state: MachineState = initialState();
  readonly log: Effect[] = [];
  private t = Date.parse('2026-01-01T10:00:00Z');

  constructor(
    private readonly q: Questionnaire,
    speech = true,
    context: Record<string, string> = {},
  ) {
    this.turn({ type: 'call_started', at: this.t, speech, context });
  }

  send(event: MachineEvent): Effect[] {
    const out = transition(this.q, this.state, event);
    this.state = out.state;
    this.log.push(...out.effects);
    return out.effects;
  }

  private turn(event: MachineEvent): string[] {
    const effects = this.send(event);
    if (effects.some((e) => e.type === 'say') && this.state.phase !== 'ended') this.send({ type: 'prompt_finished', at: this.t });
    return effects.flatMap((e) => (e.type === 'say' ? [e.text] : []));
  }

  say(text: string, confidence = 0.95): string[] {
    this.t += 5000;
    return this.turn({ type: 'utterance', at: this.t, text, confidence });
  }

  keys(keys: string): string[] {
    this.t += 1000;
    const said: string[] = [];
    for (const digit of keys) said.push(...this.turn({ type: 'dtmf', at: this.t, digit }));
    return said;
  }

  silence(): string[] {
    this.t += 6000;
    return this.turn({ type: 'no_input', at: this.t });
  }

  hangUp(): Effect[] {
    return this.send({ type: 'hangup', at: this.t });
  }

  get said(): string[] {
    return this.log.flatMap((e) => (e.type === 'say' ? [e.text] : []));
  }

  get end(): Extract<Effect, { type: 'end' }> | undefined {
    return this.log.find((e): e is Extract<Effect, { type: 'end' }> => e.type === 'end');
  }

  get values(): Record<string, unknown> {
    return Object.fromEntries(Object.entries(this.state.result.answers).map(([k, a]) => [k, a.value]));
  }
}

const yesNo = (id: string, extra: Record<string, unknown> = {}) => ({ id, type: 'boolean', text: `Q:${id}`, ...extra });

const basic = define({
  items: [
    yesNo('pain', { required: true }),
    { id: 'score', type: 'integer', text: 'Q:score', min: 0, max: 10, required: true },
    { id: 'temp', type: 'decimal', text: 'Q:temp', min: 34, max: 43, unit: 'درجة' },
    {
      id: 'meds',
      type: 'choice',
      text: 'Q:meds',
      options: [
        { code: 'always', display: 'دائما', synonyms: ['كل يوم'] },
        { code: 'sometimes', display: 'احيانا', dtmf: '5' },
        { code: 'never', display: 'ابدا' },
      ],
    },
    { id: 'notes', type: 'text', text: 'Q:notes', confirm: 'never' },
  ],
});

describe('a call through the questionnaire', () => {
  test('greets, asks each question in order, records each answer as it is given, says goodbye', () => {
    const call = new Call(basic);
    expect(call.said).toEqual(['GREETING', 'Q:pain']);
    expect(call.say('نعم عندي ألم')).toEqual(['Q:score']);
    expect(call.log.filter((e) => e.type === 'record').map((e) => e.type === 'record' && e.item)).toEqual(['pain']);
    expect(call.say('سبعة')).toEqual(['Q:temp']);
    expect(call.say('سبعة وثلاثين ونص')).toEqual(['Q:meds']);
    expect(call.say('كل يوم الحمد لله')).toEqual(['Q:notes']);
    expect(call.say('عندي دوخة في الصباح')).toEqual(['GOODBYE']);
    expect(call.end?.status).toBe('completed');
    expect(call.values).toEqual({ pain: true, score: 7, temp: 37.5, meds: 'always', notes: 'عندي دوخة في الصباح' });
    expect(call.state.result.answers['pain']).toEqual({
      value: true,
      method: 'voice',
      transcript: 'نعم عندي ألم',
      confidence: 0.95,
      attempts: 1,
      answeredAt: '2026-01-01T10:00:05.000Z',
    });
  });

  test('after the end, events change nothing', () => {
    const call = new Call(define({ items: [yesNo('a')] }));
    call.say('لا');
    expect(call.state.phase).toBe('ended');
    expect(transition(basic, call.state, { type: 'utterance', at: 0, text: 'نعم', confidence: 1 }).effects).toEqual([]);
  });

  test('an answering machine gets no questions: the voicemail message when there is one and the campaign wants it, then the end', () => {
    const q = define({ items: [yesNo('a'), yesNo('b')], prompts: { voicemail: 'VM {custom.patient_name}' } });
    const left = new Call(q, false, { patient_name: 'سارة' });
    const said = left.send({ type: 'voicemail', at: 1 }).flatMap((e) => (e.type === 'say' ? [e.text] : []));
    expect(said).toEqual(['VM سارة']);
    expect(left.end).toMatchObject({ status: 'stopped' });
    const hungUp = new Call(q, false, { patient_name: 'سارة' });
    expect(hungUp.send({ type: 'voicemail', at: 1, leaveMessage: false }).filter((e) => e.type === 'say')).toEqual([]);
    expect(hungUp.end).toMatchObject({ status: 'stopped' });
    const noMessage = new Call(define({ items: [yesNo('a')] }));
    expect(noMessage.send({ type: 'voicemail', at: 1 }).filter((e) => e.type === 'say')).toEqual([]);
    expect(noMessage.end).toMatchObject({ status: 'stopped' });
  });

  test('listen carries the no-input timeout, keypad flag and recogniser hints', () => {
    const call = new Call(define({ settings: { no_input_ms: 4000 }, items: [yesNo('a')] }));
    expect(call.log.find((e) => e.type === 'listen')).toEqual({
      type: 'listen',
      item: 'a',
      expect: 'boolean',
      timeoutMs: 4000,
      keypad: false,
      hints: ['نعم', 'لا'],
    });
  });
});

describe('silence and answers not understood', () => {
  test('reprompts up to max_reprompts, then offers the keypad, then skips an optional question', () => {
    const q = define({ items: [yesNo('opt'), yesNo('next')] });
    const call = new Call(q);
    expect(call.silence()).toEqual(['NO_INPUT', 'Q:opt']);
    expect(call.say('البطيخ أحمر')).toEqual(['NO_MATCH', 'Q:opt']);
    expect(call.silence()).toEqual(['NO_INPUT', 'DTMF_HINT', 'Q:opt', 'KEYPAD_BOOLEAN']);
    expect(call.silence()).toEqual(['Q:next']);
    expect(call.values).toEqual({});
  });

  test('a required question that cannot be answered ends the call politely, answers kept', () => {
    const q = define({ settings: { max_reprompts: 1 }, items: [yesNo('first'), yesNo('must', { required: true })] });
    const call = new Call(q);
    call.say('لا');
    call.silence();
    call.silence();
    expect(call.silence()).toEqual(['UNABLE']);
    expect(call.end?.status).toBe('stopped');
    expect(call.values).toEqual({ first: false });
  });

  test('once offered, the keypad hint stays with every reprompt of that question', () => {
    const q = define({ settings: { max_reprompts: 0 }, items: [yesNo('a', { required: true })] });
    const call = new Call(q);
    expect(call.silence()).toEqual(['NO_INPUT', 'DTMF_HINT', 'Q:a', 'KEYPAD_BOOLEAN']);
    expect(call.keys('1')).toEqual(['GOODBYE']);
    expect(call.state.result.answers['a']).toMatchObject({ value: true, method: 'dtmf', transcript: null, confidence: 1, attempts: 1 });
  });

  test('an uncertain yes/no asks for clarification instead of guessing', () => {
    const call = new Call(define({ items: [yesNo('a')] }));
    expect(call.say('يمكن')).toEqual(['CLARIFY', 'Q:a']);
    expect(call.values).toEqual({});
    expect(call.say('لا')).toEqual(['GOODBYE']);
    expect(call.state.result.answers['a']).toMatchObject({ value: false, attempts: 1 });
  });
});

describe('intents at any time', () => {
  test('"repeat" repeats the question without counting as a failure', () => {
    const call = new Call(basic);
    expect(call.say('ممكن تعيد السؤال')).toEqual(['Q:pain']);
    expect(call.state.failures).toBe(0);
  });

  test('"repeat" during a confirmation repeats the read-back', () => {
    const call = new Call(define({ items: [yesNo('a', { confirm: 'always' })] }));
    expect(call.say('نعم')).toEqual(['CONFIRM نعم']);
    expect(call.say('عيد')).toEqual(['CONFIRM نعم']);
  });

  test('a sentence whose first word says the opposite is read back in the caller\'s words, with the meaning taken', () => {
    const call = new Call(define({ items: [yesNo('chest', { confirm: 'always' })], prompts: { confirm_meaning: 'HEARD {heard} MEANS {answer}' } }));
    expect(call.say('لا بس احس بضيق في صدري')).toEqual(['HEARD لا بس احس بضيق في صدري MEANS نعم']);
    expect(call.say('نعم')).toEqual(['GOODBYE']);
    expect(call.state.result.answers['chest']?.value).toBe(true);
    // A first word that agrees, or none, keeps the plain read-back.
    const plain = new Call(define({ items: [yesNo('chest', { confirm: 'always' })], prompts: { confirm_meaning: 'HEARD {heard} MEANS {answer}' } }));
    expect(plain.say('ايوه عندي ضيق')).toEqual(['CONFIRM نعم']);
    const sure = new Call(define({ items: [yesNo('chest', { confirm: 'always' })], prompts: { confirm_meaning: 'HEARD {heard} MEANS {answer}' } }));
    expect(sure.say('عندي ضيق')).toEqual(['CONFIRM نعم']);
    // A formula opening with "لا" is set aside by the reading, and its first word still reads back the meaning.
    const formula = new Call(define({ items: [yesNo('chest', { confirm: 'always' })], prompts: { confirm_meaning: 'HEARD {heard} MEANS {answer}' } }));
    expect(formula.say('لا حول ولا قوه الا بالله، عندي ضيق')).toEqual(['HEARD لا حول ولا قوه الا بالله، عندي ضيق MEANS نعم']);
  });

  test('asking for a person transfers when the clinic has a transfer number', () => {
    const call = new Call(define({ settings: { transfer_number: '+966110000000' }, items: [yesNo('a')] }));
    call.say('ابي اكلم موظف');
    expect(call.log).toContainEqual({ type: 'transfer', number: '+966110000000' });
    expect(call.said.at(-1)).toBe('TRANSFER');
    expect(call.end?.status).toBe('transferred');
  });

  test('asking for a person without a transfer number explains and goes on', () => {
    const call = new Call(basic);
    expect(call.say('بدي احكي مع حدا')).toEqual(['TRANSFER_UNAVAILABLE', 'Q:pain']);
    expect(call.state.phase).toBe('asking');
  });

  test('"stop" ends the call as opted_out, keeping the answers already given', () => {
    const call = new Call(basic);
    call.say('لا');
    expect(call.say('ما ابي اكمل')).toEqual(['OPTED_OUT']);
    expect(call.end?.status).toBe('opted_out');
    expect(call.values).toEqual({ pain: false });
  });
});

describe('keypad answers', () => {
  test('1 is yes and 2 is no; other keys are not understood', () => {
    const call = new Call(basic);
    expect(call.keys('7')).toEqual(['NO_MATCH', 'Q:pain']);
    expect(call.keys('2')).toEqual(['Q:score']);
    expect(call.values).toEqual({ pain: false });
  });

  test('numbers are digits ended by #, and * alone repeats', () => {
    const call = new Call(basic);
    call.keys('1');
    expect(call.keys('*')).toEqual(['Q:score']);
    expect(call.keys('1')).toEqual([]);
    expect(call.keys('0#')).toEqual(['Q:temp']);
    expect(call.values).toMatchObject({ score: 10 });
  });

  test('digits left without # are taken when the caller goes quiet', () => {
    const call = new Call(basic);
    call.keys('1');
    call.keys('4');
    expect(call.silence()).toEqual(['Q:temp']);
    expect(call.values).toMatchObject({ score: 4 });
  });

  test('a temperature typed without its point (385#) is read back as 38.5', () => {
    const call = new Call(basic);
    call.keys('1');
    call.keys('3#');
    expect(call.keys('385#')).toEqual(['CONFIRM ثمانية وثلاثون ونصف درجة']);
    expect(call.keys('1')).toEqual(['Q:meds']);
    expect(call.values).toMatchObject({ temp: 38.5 });
  });

  test('* is the decimal point inside a number', () => {
    const call = new Call(basic);
    call.keys('1');
    call.keys('3#');
    expect(call.keys('37*2#')).toEqual(['CONFIRM سبعة وثلاثون فاصلة اثنان درجة']);
    call.keys('1');
    expect(call.values).toMatchObject({ temp: 37.2 });
  });

  test('choice options use their own digit, else the first free one in order', () => {
    const call = new Call(basic);
    call.keys('1');
    call.keys('3#');
    call.keys('37*5#');
    call.keys('1');
    expect(call.keys('2')).toEqual(['Q:notes']);
    expect(call.values).toMatchObject({ meds: 'never' });
  });

  test('a keypad-only call invites keypad answers on every question and skips free text', () => {
    const call = new Call(basic, false);
    expect(call.said).toEqual(['GREETING', 'KEYPAD_ONLY', 'Q:pain', 'KEYPAD_BOOLEAN']);
    expect(call.keys('2')).toEqual(['Q:score', 'KEYPAD_NUMBER']);
    expect(call.keys('3#')).toEqual(['Q:temp', 'KEYPAD_DECIMAL']);
    expect(call.keys('#')).toEqual(['NO_MATCH', 'Q:temp', 'KEYPAD_DECIMAL']);
    call.keys('#');
    // Without speech there is no keypad "offer" stage: max_reprompts, then the optional item is skipped.
    expect(call.keys('#')).toEqual(['Q:meds', 'OPTION دائما=واحد OPTION ابدا=اثنين OPTION احيانا=خمسة']);
    expect(call.state.result.answers['temp']).toBeUndefined();
    expect(call.keys('5')).toEqual(['GOODBYE']);
    expect(call.values).toEqual({ pain: false, score: 3, meds: 'sometimes' });
  });
});

describe('confirmation and ranges', () => {
  test('a low-confidence answer is read back; "yes" keeps it', () => {
    const call = new Call(basic);
    expect(call.say('لا', 0.4)).toEqual(['CONFIRM لا']);
    expect(call.values).toEqual({});
    expect(call.say('صح')).toEqual(['Q:score']);
    expect(call.state.result.answers['pain']).toMatchObject({ value: false, confidence: 0.4 });
  });

  test('"no" to a read-back asks the question again', () => {
    const call = new Call(basic);
    call.say('نعم');
    expect(call.say('ثمانية', 0.3)).toEqual(['CONFIRM ثمانية']);
    expect(call.say('لا')).toEqual(['Q:score']);
    expect(call.say('ستة')).toEqual(['Q:temp']);
    expect(call.state.result.answers['score']).toMatchObject({ value: 6, attempts: 2 });
  });

  test('a correction in the same breath ("no, nine") is taken as the new answer', () => {
    const call = new Call(basic);
    call.say('نعم');
    call.say('ثمانية', 0.3);
    expect(call.say('لا تسعة')).toEqual(['Q:temp']);
    expect(call.values).toMatchObject({ score: 9 });
  });

  test('confirm: never skips the read-back even at low confidence', () => {
    const call = new Call(define({ items: [yesNo('a', { confirm: 'never' })] }));
    expect(call.say('نعم', 0.1)).toEqual(['GOODBYE']);
  });

  test('out-of-range answers are re-asked with the range', () => {
    const call = new Call(basic);
    call.say('لا');
    expect(call.say('خمسة عشر')).toEqual(['OUT_OF_RANGE صفر-عشرة', 'Q:score']);
    expect(call.values).toEqual({ pain: false });
    call.say('خمسة');
    expect(call.state.result.answers['score']).toMatchObject({ value: 5, attempts: 2 });
  });

  test('a fractional answer to a whole-number question is not understood', () => {
    const call = new Call(basic);
    call.say('لا');
    expect(call.say('سبعة ونص')).toEqual(['NO_MATCH', 'Q:score']);
  });
});

describe('enable_when branching', () => {
  const q = define({
    items: [
      yesNo('wound'),
      yesNo('smell', { enable_when: [{ question: 'wound', operator: '=', answer: true }] }),
      { id: 'days', type: 'integer', text: 'Q:days', enable_when: [{ question: 'wound', operator: 'exists', answer: false }] },
      yesNo('last'),
    ],
  });

  test('a follow-up is asked only when its condition holds', () => {
    const yes = new Call(q);
    yes.say('نعم');
    expect(yes.said).toContain('Q:smell');
    const no = new Call(q);
    no.say('لا');
    expect(no.said).not.toContain('Q:smell');
    expect(no.said.at(-1)).toBe('Q:last');
  });

  test('exists: false holds for a question left unanswered', () => {
    const call = new Call(q);
    call.silence();
    call.silence();
    call.silence();
    expect(call.silence()).toEqual(['Q:days']);
  });

  test('display items are spoken and need no answer', () => {
    const call = new Call(define({ items: [{ id: 'intro', type: 'display', text: 'INTRO' }, yesNo('a')] }));
    expect(call.said).toEqual(['GREETING', 'INTRO', 'Q:a']);
  });
});

describe('red flags', () => {
  const q = define({
    settings: { transfer_number: '+96611' },
    items: [
      yesNo('chest', { red_flag: [{ when: { operator: '=', answer: true }, action: 'emergency' }] }),
      { id: 'temp', type: 'decimal', text: 'Q:temp', red_flag: [{ when: { operator: '>=', answer: 38.5 }, action: 'flag' }] },
      yesNo('dizzy', { red_flag: [{ when: { operator: '=', answer: true }, action: 'transfer' }] }),
      yesNo('last'),
    ],
  });

  test('emergency: confirmed first, then the emergency prompt (not interruptible) and the call ends escalated', () => {
    const call = new Call(q);
    expect(call.say('نعم عندي ألم بصدري', 0.99)).toEqual(['CONFIRM نعم']);
    const effects = call.send({ type: 'utterance', at: 1, text: 'ايوه صح', confidence: 0.9 });
    expect(effects.map((e) => e.type)).toEqual(['record', 'escalate', 'say', 'end']);
    expect(effects[1]).toEqual({ type: 'escalate', kind: 'emergency', item: 'chest', value: true });
    expect(effects[2]).toMatchObject({ text: 'EMERGENCY 997', interruptible: false });
    expect(call.end?.status).toBe('escalated');
    expect(call.state.result.flags).toEqual([{ item: 'chest', action: 'emergency', value: true, raisedAt: expect.any(String) }]);
  });

  test('the emergency message cannot be interrupted by the caller speaking', () => {
    const call = new Call(q);
    call.say('نعم');
    call.send({ type: 'utterance', at: 1, text: 'نعم', confidence: 1 });
    expect(transition(q, { ...call.state, phase: 'asking' }, { type: 'speech_started', at: 2 }).effects).toEqual([]);
  });

  test('flag: recorded and the call goes on', () => {
    const call = new Call(q);
    call.say('لا');
    expect(call.say('تسعة وثلاثين')).toEqual(['CONFIRM تسعة وثلاثون']);
    expect(call.say('نعم')).toEqual(['Q:dizzy']);
    expect(call.log).toContainEqual({ type: 'escalate', kind: 'flag', item: 'temp', value: 39 });
    expect(call.state.result.flags.map((f) => f.action)).toEqual(['flag']);
  });

  test('an answer that raises no flag needs no read-back', () => {
    const call = new Call(q);
    call.say('لا');
    expect(call.say('سبعة وثلاثين')).toEqual(['Q:dizzy']);
  });

  test('transfer: confirmed, flagged, then transferred', () => {
    const call = new Call(q);
    call.say('لا');
    call.say('سبعة وثلاثين');
    call.say('نعم');
    expect(call.say('نعم')).toEqual(['TRANSFER']);
    expect(call.log).toContainEqual({ type: 'transfer', number: '+96611' });
    expect(call.end?.status).toBe('transferred');
  });

  test('hanging up during a red-flag read-back keeps the answer, unconfirmed, and raises the flag', () => {
    const call = new Call(q);
    call.say('نعم');
    const effects = call.hangUp();
    expect(effects.map((e) => e.type)).toEqual(['record', 'escalate', 'end']);
    expect(call.state.result.answers['chest']).toMatchObject({ value: true, confirmed: false });
    expect(call.end?.status).toBe('stopped');
  });
});

describe('hang-up, barge-in and speech availability', () => {
  test('hanging up mid-way ends as stopped with the answers so far', () => {
    const call = new Call(basic);
    call.say('نعم');
    call.say('ثلاثة');
    call.hangUp();
    expect(call.end).toMatchObject({ status: 'stopped', result: { status: 'stopped' } });
    expect(call.values).toEqual({ pain: true, score: 3 });
  });

  test('the caller speaking over an interruptible prompt interrupts it; once finished there is nothing to interrupt', () => {
    const call = new Call(basic);
    const speaking = call.state;
    expect(transition(basic, speaking, { type: 'speech_started', at: 1 }).effects).toEqual([]);
    const fresh = transition(basic, initialState(), { type: 'call_started', at: 0, speech: true });
    expect(transition(basic, fresh.state, { type: 'speech_started', at: 1 }).effects).toEqual([{ type: 'interrupt' }]);
  });

  test('losing speech recognition mid-call switches to the keypad with a notice', () => {
    const call = new Call(basic);
    const effects = call.send({ type: 'speech_availability', at: 1, available: false });
    expect(effects.flatMap((e) => (e.type === 'say' ? [e.text] : []))).toEqual(['KEYPAD_ONLY', 'Q:pain', 'KEYPAD_BOOLEAN']);
    expect(call.state.speech).toBe(false);
    expect(call.send({ type: 'speech_availability', at: 2, available: true })).toEqual([]);
    expect(call.state.speech).toBe(true);
  });

  test('placeholders from the call context are filled in prompts', () => {
    const q = define({ prompts: { greeting: 'Hello {custom.patient_name}, call {emergency_number}' }, items: [yesNo('a')] });
    const call = new Call(q, true, { patient_name: 'Fatima' });
    expect(call.said[0]).toBe('Hello Fatima, call 997');
  });
});
