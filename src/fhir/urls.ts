/**
 * The canonical URLs the FHIR mapping writes. Everything of ours lives under the bridge's public
 * base (`PUBLIC_BASE_URL`) at `/fhir/r4/`: the Questionnaire canonical, the code system of each
 * choice item, and our extensions at `/fhir/r4/StructureDefinition/<name>`. docs/fhir.md lists them.
 */

/** Our extensions, by the last segment of their URL. */
export const EXTENSION_NAMES = [
  // QuestionnaireResponse
  'call-status',
  'answer-method',
  'answer-transcript',
  'answer-confidence',
  'answer-attempts',
  'answer-confirmed',
  'red-flag',
  // Questionnaire
  'voice-settings',
  'voice-prompt',
  'voice-audio',
  'voice-confirm',
  'voice-red-flag',
  'voice-opt-out-when',
  'voice-synonym',
  'voice-keypad-digit',
] as const;
export type ExtensionName = (typeof EXTENSION_NAMES)[number];

/** Standard extensions from the FHIR core specification that we read and write. */
export const MIN_VALUE_URL = 'http://hl7.org/fhir/StructureDefinition/minValue';
export const MAX_VALUE_URL = 'http://hl7.org/fhir/StructureDefinition/maxValue';
export const UNIT_URL = 'http://hl7.org/fhir/StructureDefinition/questionnaire-unit';

/** `https://bridge.example/` → `https://bridge.example/fhir/r4`. */
export function fhirBase(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/fhir/r4`;
}

export function extensionUrl(baseUrl: string, name: ExtensionName): string {
  return `${fhirBase(baseUrl)}/StructureDefinition/${name}`;
}

/** The canonical URL of a questionnaire (without `|version`). */
export function questionnaireUrl(baseUrl: string, id: string): string {
  return `${fhirBase(baseUrl)}/Questionnaire/${id}`;
}

/** The code system of one choice item's options: its codes mean something only for that item. */
export function optionSystemUrl(baseUrl: string, questionnaireId: string, itemId: string): string {
  return `${fhirBase(baseUrl)}/CodeSystem/${questionnaireId}-${itemId}`;
}

const OURS = new RegExp(`/fhir/r4/StructureDefinition/(${EXTENSION_NAMES.join('|')})$`);

/**
 * Which of our extensions a URL names, whichever bridge wrote it: an export from a staging bridge
 * imports into production with its voice fields intact.
 */
export function ourExtensionName(url: string): ExtensionName | undefined {
  return OURS.exec(url)?.[1] as ExtensionName | undefined;
}
