import path from 'node:path';
import type { Logger } from '../observability/logger';
import type { QuestionnaireCatalog } from './catalog';
import { questionnaireSchema } from './schema';
import { staticPromptTexts } from './static-prompts';

/** The questionnaire versions in the shared database. */
export interface StoredVersions {
  /** The highest stored version of each questionnaire id (one small query). */
  latest(): Promise<Array<{ id: string; version: number }>>;
  definition(id: string, version: number): Promise<unknown>;
}

export interface CatalogSyncDeps {
  catalog: QuestionnaireCatalog;
  /** Renders the static prompts of a version before it goes live here, as an upload does. */
  warm(texts: string[]): Promise<void>;
  questionnairesDir: string;
  logger: Logger;
}

/**
 * Several instances: a version uploaded through the API reaches one instance, which stores it
 * and activates it there. Every other instance picks it up from the database here (its prompts
 * rendered first), so a clinic's change is live on every instance within one sync period, not
 * only on the one its upload happened to reach. A stored version that no longer validates (a
 * newer bridge wrote it) is reported once and skipped. Returns the versions activated.
 */
export function catalogSync(source: StoredVersions, deps: CatalogSyncDeps): () => Promise<string[]> {
  const skipped = new Set<string>();
  return async () => {
    const activated: string[] = [];
    for (const { id, version } of await source.latest()) {
      const live = deps.catalog.get(id)?.definition.version;
      const key = `${id}|${version}`;
      if ((live !== undefined && live >= version) || skipped.has(key)) continue;
      const parsed = questionnaireSchema.safeParse(await source.definition(id, version));
      if (!parsed.success) {
        skipped.add(key);
        deps.logger.error({ questionnaire: id, version }, 'stored questionnaire version does not validate here; keeping the previous one');
        continue;
      }
      await deps.warm(staticPromptTexts(parsed.data));
      // While its prompts rendered, an upload here may have made a newer version live: never go back.
      const now = deps.catalog.get(id)?.definition.version;
      if (now !== undefined && now >= version) continue;
      deps.catalog.activate({ definition: parsed.data, file: path.join(deps.questionnairesDir, `${id}.uploaded.json`) });
      deps.logger.info({ questionnaire: id, version, previous: live ?? null }, 'questionnaire version stored by another instance is live here for new calls');
      activated.push(key);
    }
    return activated;
  };
}
