import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { BridgeError } from '../errors';
import { salvageParts } from './salvage';
import { type Questionnaire, questionnaireSchema } from './schema';
import { fromZodIssue } from './schema-issues';
import { type DefinitionIssue, validateParts, validateQuestionnaire } from './validate';

export interface LoadedQuestionnaire {
  definition: Questionnaire;
  /** Absolute path of the file it came from; recorded audio paths are relative to its folder. */
  file: string;
}

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/**
 * Parses and validates one definition. Throws QUESTIONNAIRE_INVALID whose message lists every
 * problem as `file: path: rule`, e.g. `post-discharge.yaml: items[3].max: must be ≥ min (0)`:
 * schema errors and the cross-item rules together, checked on what the schema let through.
 */
export function parseQuestionnaire(source: string, fileName: string): Questionnaire {
  const label = path.basename(fileName);
  const raw = parseSource(source, label);
  const parsed = questionnaireSchema.safeParse(raw);
  const issues: DefinitionIssue[] = parsed.success
    ? validateQuestionnaire(parsed.data)
    : [...parsed.error.issues.flatMap(fromZodIssue), ...validateParts(salvageParts(raw, parsed.error.issues))];
  if (issues.length > 0 || !parsed.success) {
    const lines = new Set(issues.map((i) => `${label}: ${i.path}: ${i.message}`));
    throw new BridgeError('QUESTIONNAIRE_INVALID', [...lines].join('\n'));
  }
  return parsed.data;
}

export function loadQuestionnaireFile(file: string): LoadedQuestionnaire {
  const absolute = path.resolve(file);
  let source: string;
  try {
    source = readFileSync(absolute, 'utf8');
  } catch (cause) {
    throw new BridgeError('QUESTIONNAIRE_NOT_FOUND', `${file}: cannot be read (${(cause as Error).message})`, { cause });
  }
  return { definition: parseQuestionnaire(source, absolute), file: absolute };
}

/** Loads every definition in a folder; any broken one (or two sharing an id) fails the whole load. */
export function loadQuestionnaireDir(dir: string): Map<string, LoadedQuestionnaire> {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => EXTENSIONS.has(path.extname(name).toLowerCase()));
  } catch (cause) {
    throw new BridgeError('QUESTIONNAIRE_NOT_FOUND', `QUESTIONNAIRES_DIR ${dir}: cannot be read (${(cause as Error).message})`, { cause });
  }
  const loaded = new Map<string, LoadedQuestionnaire>();
  const errors: string[] = [];
  for (const name of names.sort()) {
    try {
      const q = loadQuestionnaireFile(path.join(dir, name));
      const other = loaded.get(q.definition.id);
      if (other) errors.push(`${name}: id: "${q.definition.id}" is also the id of ${path.basename(other.file)}`);
      else loaded.set(q.definition.id, q);
    } catch (error) {
      errors.push((error as Error).message);
    }
  }
  if (errors.length > 0) throw new BridgeError('QUESTIONNAIRE_INVALID', errors.join('\n'));
  return loaded;
}

function parseSource(source: string, label: string): unknown {
  if (label.toLowerCase().endsWith('.json')) {
    try {
      return JSON.parse(source);
    } catch (cause) {
      throw new BridgeError('QUESTIONNAIRE_INVALID', `${label}: not valid JSON: ${(cause as Error).message}`, { cause });
    }
  }
  const doc = parseDocument(source);
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0];
    const where = line ? `line ${line.line}, column ${line.col}` : 'YAML';
    const reason = first.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '');
    throw new BridgeError('QUESTIONNAIRE_INVALID', `${label}: ${where}: not valid YAML: ${reason}`);
  }
  return doc.toJS();
}
