import type { z } from 'zod';
import { closestMatch } from './did-you-mean';
import { questionnaireSchema } from './schema';
import type { DefinitionIssue } from './validate';

/** `items[0].options[1].code`, or `(top level)`. */
export function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out || '(top level)';
}

/** A zod issue as `path: rule`; one issue per unknown key, with the allowed key it is closest to. */
export function fromZodIssue(issue: z.core.$ZodIssue): DefinitionIssue[] {
  if (issue.code === 'unrecognized_keys') {
    const where = formatPath(issue.path);
    const prefix = where === '(top level)' ? '' : `${where}.`;
    const allowed = allowedKeysAt(issue.path);
    return issue.keys.map((key) => {
      const suggestion = closestMatch(key, allowed);
      return { path: `${prefix}${key}`, message: suggestion ? `unknown key (did you mean "${suggestion}"?)` : 'unknown key' };
    });
  }
  if (issue.code === 'invalid_type' && issue.message.includes('received undefined')) {
    return [{ path: formatPath(issue.path), message: 'is required' }];
  }
  return [{ path: formatPath(issue.path), message: issue.message }];
}

/** The keys the definition format allows in the mapping at `path` (walking the schema itself). */
export function allowedKeysAt(path: readonly PropertyKey[]): string[] {
  let schema: z.core.$ZodType | undefined = questionnaireSchema;
  let at = 0;
  while (schema) {
    const def = schema._zod.def as z.core.$ZodTypeDef & Record<string, unknown>;
    switch (def.type) {
      case 'optional':
      case 'default':
      case 'nullable':
        schema = (def as unknown as z.core.$ZodOptionalDef).innerType;
        break;
      case 'pipe':
        schema = (def as unknown as z.core.$ZodPipeDef).in;
        break;
      case 'array':
        if (typeof path[at] !== 'number') return [];
        schema = (def as unknown as z.core.$ZodArrayDef).element;
        at++;
        break;
      case 'object': {
        const shape = (def as unknown as z.core.$ZodObjectDef).shape;
        if (at === path.length) return Object.keys(shape);
        schema = shape[String(path[at])];
        at++;
        break;
      }
      default:
        return [];
    }
  }
  return [];
}
