import type { Bundle, BundleLink, FhirResource } from 'fhir/r4';
import { fhirBase } from './urls';

export interface SearchsetOptions {
  /** The bridge's public base URL: each entry's fullUrl is `<base>/fhir/r4/<type>/<id>`. */
  baseUrl: string;
  /** The URL of this page of results. */
  selfUrl: string;
  /** The URL of the next page, when there is one. */
  nextUrl?: string;
  /** How many resources match the search in all (not just on this page), when known. */
  total?: number;
}

/** A page of search results as a FHIR `searchset` Bundle. */
export function toSearchsetBundle<R extends FhirResource & { id?: string }>(resources: readonly R[], options: SearchsetOptions): Bundle<R> {
  const link: BundleLink[] = [{ relation: 'self', url: options.selfUrl }];
  if (options.nextUrl) link.push({ relation: 'next', url: options.nextUrl });
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(options.total === undefined ? {} : { total: options.total }),
    link,
    // FHIR JSON has no empty arrays: an empty page has no `entry` at all.
    ...(resources.length === 0
      ? {}
      : {
          entry: resources.map((resource) => ({
            ...(resource.id ? { fullUrl: `${fhirBase(options.baseUrl)}/${resource.resourceType}/${resource.id}` } : {}),
            resource,
            search: { mode: 'match' as const },
          })),
        }),
  };
}
