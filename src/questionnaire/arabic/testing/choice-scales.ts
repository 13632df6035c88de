import { type ChoiceOption, matchChoice } from '../match-choice';

/** The option sets the choice tests read against: three built-in scales and a clinic's medicine list with its own synonyms. */
export const frequency: readonly ChoiceOption[] = [
  { code: 'always', display: 'دائماً' },
  { code: 'often', display: 'غالباً' },
  { code: 'sometimes', display: 'أحياناً' },
  { code: 'rarely', display: 'نادراً' },
  { code: 'never', display: 'أبداً' },
];
export const severity: readonly ChoiceOption[] = [
  { code: 'none', display: 'لا يوجد' },
  { code: 'mild', display: 'خفيف' },
  { code: 'moderate', display: 'متوسط' },
  { code: 'severe', display: 'شديد' },
];
export const agreement: readonly ChoiceOption[] = [
  { code: 'agree', display: 'موافق' },
  { code: 'neutral', display: 'محايد' },
  { code: 'disagree', display: 'غير موافق' },
];
export const medication: readonly ChoiceOption[] = [
  { code: 'daily', display: 'كل يوم', synonyms: ['يوميا'] },
  { code: 'some_days', display: 'بعض الأيام' },
  { code: 'stopped', display: 'توقفت عنه', synonyms: ['وقفته', 'بطلته'] },
];

/** The option code an answer is read as, or null when it is asked again. */
export const code = (text: string, options: readonly ChoiceOption[]): string | null => {
  const found = matchChoice(text, options);
  return found?.kind === 'match' ? found.code : null;
};
