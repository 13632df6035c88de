import type { z } from 'zod';
import { type Item, type PromptKey, itemSchema, questionnaireSchema } from './schema';
import type { DefinitionParts } from './validate';

type Mapping = Record<string, unknown>;
const isMapping = (value: unknown): value is Mapping => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What the cross-item rules can still check in a definition that failed the schema: unknown keys
 * are dropped (they are reported already), then each item and the settings are parsed on their
 * own. An item that still fails becomes a hole, so the others keep their `items[i]` paths.
 */
export function salvageParts(raw: unknown, issues: readonly z.core.$ZodIssue[]): DefinitionParts {
  const cleaned = withoutUnknownKeys(raw, issues);
  const top = isMapping(cleaned) ? cleaned : {};
  const rawItems = Array.isArray(top['items']) ? (top['items'] as unknown[]) : [];
  const brokenIds = new Set<string>();
  const items = rawItems.map((rawItem): Item | undefined => {
    const parsed = itemSchema.safeParse(rawItem);
    if (parsed.success) return parsed.data;
    const id = isMapping(rawItem) ? rawItem['id'] : undefined;
    if (typeof id === 'string') brokenIds.add(id);
    return undefined;
  });
  const settings = questionnaireSchema.shape.settings.safeParse(top['settings']);
  return {
    items,
    brokenIds,
    settings: settings.success ? settings.data : null,
    prompts: textsOf(top['prompts']),
    promptAudio: textsOf(top['prompt_audio']),
  };
}

/** A deep copy of `raw` without the keys the schema reported as unknown. */
function withoutUnknownKeys(raw: unknown, issues: readonly z.core.$ZodIssue[]): unknown {
  const copy: unknown = structuredClone(raw);
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    let node: unknown = copy;
    for (const segment of issue.path) node = isMapping(node) || Array.isArray(node) ? (node as Mapping)[String(segment)] : undefined;
    if (isMapping(node)) for (const key of issue.keys) delete node[key];
  }
  return copy;
}

/** The text values of a prompts-like mapping (anything else failed the schema and is reported). */
function textsOf(value: unknown): Partial<Record<PromptKey, string>> {
  if (!isMapping(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}
