export { type SearchsetOptions, toSearchsetBundle } from './bundle';
export { type FhirExportOptions, toFhirQuestionnaire } from './questionnaire';
export { type FhirImportResult, type ImportIssue, fromFhirQuestionnaire } from './questionnaire-import';
export { type FhirResponseOptions, responseStatus, toQuestionnaireResponse } from './questionnaire-response';
export { EXTENSION_NAMES, extensionUrl, optionSystemUrl, questionnaireUrl } from './urls';
