import { z } from 'zod';

/**
 * The questionnaire definition format clinics write (YAML or JSON). It is a stable interface:
 * keys map one-to-one onto FHIR R4 Questionnaire items (id → linkId, enable_when → enableWhen,
 * min/max → minValue/maxValue extensions, options → answerOption). Unknown keys are errors, so a
 * typo is caught at load time instead of silently changing a call.
 */

export const ITEM_TYPES = ['boolean', 'integer', 'decimal', 'choice', 'text', 'display'] as const;
export const OPERATORS = ['=', '!=', '>', '<', '>=', '<=', 'exists'] as const;
export const RED_FLAG_ACTIONS = ['emergency', 'transfer', 'flag'] as const;
export const CONFIRM_MODES = ['always', 'when_uncertain', 'never'] as const;

/** An error message for a present-but-wrong value; a missing one reads "is required". */
const need =
  (message: string) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined ? 'is required' : message;

const text = z.string({ error: need('must be text') }).trim().min(1, 'must not be empty');
const wholeNumber = z.number({ error: need('must be a number') }).int('must be a whole number');
const answerValue = z.union([z.boolean(), z.number(), z.string()], { error: need('must be true/false, a number or an option code') });
const digit = z
  .union([z.string(), z.number()], { error: need('must be a keypad digit') })
  .transform(String)
  .refine((d) => /^[0-9]$/.test(d), 'must be a single keypad digit 0-9');

/** YAML reads 997 as a number; accept it and keep the text. */
function phoneNumber(pattern: RegExp, message: string) {
  return z
    .union([z.string(), z.number()], { error: need(message) })
    .transform(String)
    .pipe(z.string().regex(pattern, message));
}

export const conditionSchema = z.strictObject({
  operator: z.enum(OPERATORS, { error: need(`must be one of ${OPERATORS.join(' ')}`) }),
  answer: answerValue,
});

const enableWhenSchema = z.strictObject({
  question: text,
  operator: z.enum(OPERATORS, { error: need(`must be one of ${OPERATORS.join(' ')}`) }),
  answer: answerValue,
});

const redFlagSchema = z.strictObject({
  when: conditionSchema,
  action: z.enum(RED_FLAG_ACTIONS, { error: need(`must be one of ${RED_FLAG_ACTIONS.join(', ')}`) }),
});

const optionSchema = z.strictObject({
  code: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'must be a code of letters, digits, "_", "." or "-"'),
  display: text,
  synonyms: z.array(text, { error: need('must be a list') }).default([]),
  dtmf: digit.optional(),
});

export const itemSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'must be a linkId of letters, digits, "_", "." or "-"'),
  type: z.enum(ITEM_TYPES, { error: need(`must be one of ${ITEM_TYPES.join(', ')}`) }),
  text,
  audio: text.optional(),
  required: z.boolean({ error: need('must be true or false') }).default(false),
  min: z.number({ error: need('must be a number') }).optional(),
  max: z.number({ error: need('must be a number') }).optional(),
  unit: text.optional(),
  options: z.array(optionSchema, { error: need('must be a list') }).optional(),
  enable_when: z.array(enableWhenSchema, { error: need('must be a list') }).default([]),
  confirm: z.enum(CONFIRM_MODES, { error: need(`must be one of ${CONFIRM_MODES.join(', ')}`) }).default('when_uncertain'),
  red_flag: z.array(redFlagSchema, { error: need('must be a list') }).default([]),
  /** Voice-flow extension (no FHIR equivalent): the caller declining here ends the call as opted_out. */
  opt_out_when: conditionSchema.optional(),
});

/** Prompts every questionnaire must write. */
const requiredPrompts = {
  greeting: text,
  goodbye: text,
  no_input: text,
  no_match: text,
  dtmf_hint: text,
  confirm: text.refine((t) => t.includes('{answer}'), 'must contain the placeholder {answer}'),
  emergency: text,
  transfer: text,
  opted_out: text,
};

/** Prompts with built-in Modern Standard Arabic defaults; a clinic may override any of them. */
export const DEFAULT_PROMPTS = {
  clarify: 'عذراً، لم أتأكد من إجابتك. من فضلك أجب بنعم أو لا.',
  out_of_range: 'هذه الإجابة خارج المدى المتوقع. من فضلك أجب برقم من {min} إلى {max}.',
  keypad_only: 'من فضلك أجب باستخدام لوحة مفاتيح الهاتف.',
  keypad_boolean: 'اضغط واحد للإجابة بنعم، واضغط اثنين للإجابة بلا.',
  keypad_number: 'أدخل الرقم على لوحة المفاتيح، ثم اضغط مفتاح المربع.',
  keypad_decimal: 'أدخل الرقم على لوحة المفاتيح، واضغط النجمة للفاصلة، ثم اضغط مفتاح المربع.',
  keypad_option: 'للإجابة {option} اضغط {digit}.',
  transfer_unavailable: 'عذراً، لا يتوفر موظف الآن. سنكمل الأسئلة، ويمكنك إنهاء المكالمة في أي وقت.',
  unable_to_continue: 'عذراً، لم نتمكن من فهم إجاباتك. سيتواصل معك أحد أفراد الفريق الطبي. مع السلامة.',
  /** The read-back when the caller's first word says the opposite of what their sentence means ("لا بس احس بضيق"). */
  confirm_meaning: 'سمعتك تقول: {heard}. فهمت من كلامك أن الجواب {answer}، صحيح؟',
  yes: 'نعم',
  no: 'لا',
} as const;

const optionalPrompts = Object.fromEntries(Object.keys(DEFAULT_PROMPTS).map((key) => [key, text.optional()])) as {
  [K in keyof typeof DEFAULT_PROMPTS]: z.ZodOptional<typeof text>;
};

export const questionnaireSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/, 'must be lowercase letters, digits and "-"'),
  version: wholeNumber.min(1, 'must be ≥ 1'),
  language: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'must be a language code such as ar or ar-SA'),
  title: text,
  settings: z.strictObject(
    {
      max_reprompts: wholeNumber.min(0, 'must be ≥ 0').max(5, 'must be ≤ 5').default(2),
      no_input_ms: wholeNumber.min(1000, 'must be ≥ 1000').max(60000, 'must be ≤ 60000').default(6000),
      min_confidence: z.number({ error: need('must be a number') }).min(0, 'must be ≥ 0').max(1, 'must be ≤ 1').default(0.6),
      emergency_number: phoneNumber(/^\+?[0-9]{2,15}$/, 'must be a phone number such as "997"'),
      transfer_number: phoneNumber(/^\+?[0-9]{3,15}$/, 'must be a phone number in E.164 form, e.g. +9665...').optional(),
    },
    { error: need('must be a mapping of settings') },
  ),
  prompts: z.strictObject(
    {
      ...requiredPrompts,
      ...optionalPrompts,
      /** Left on an answering machine after the beep (who called, how to call back); absent: the call hangs up. */
      voicemail: text.optional(),
    },
    { error: need('must be a mapping of prompt names to text') },
  ),
  /** Recorded WAV files that replace the voice for some prompts, relative to this file. */
  prompt_audio: z
    .strictObject(
      Object.fromEntries([...Object.keys(requiredPrompts), ...Object.keys(DEFAULT_PROMPTS), 'voicemail'].map((key) => [key, text.optional()])) as {
        [K in keyof typeof requiredPrompts | keyof typeof DEFAULT_PROMPTS | 'voicemail']: z.ZodOptional<typeof text>;
      },
      { error: need('must be a mapping of prompt names to WAV files') },
    )
    .optional(),
  items: z.array(itemSchema, { error: need('must be a list of items') }).min(1, 'must list at least one item'),
});

export type QuestionnaireInput = z.input<typeof questionnaireSchema>;
export type Questionnaire = z.output<typeof questionnaireSchema>;
export type Item = Questionnaire['items'][number];
export type ItemType = Item['type'];
export type ChoiceOptionDef = NonNullable<Item['options']>[number];
export type Condition = z.output<typeof conditionSchema>;
export type Operator = (typeof OPERATORS)[number];
export type RedFlagAction = (typeof RED_FLAG_ACTIONS)[number];
export type PromptKey = keyof Questionnaire['prompts'];
export type AnswerValue = boolean | number | string;
