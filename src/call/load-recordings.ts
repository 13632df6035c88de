import path from 'node:path';
import { BridgeError } from '../errors';
import type { LoadedQuestionnaire } from '../questionnaire/load';
import type { PromptCache } from '../speech/prompt-cache';

/** A clinic's recorded prompts (`prompt_audio` and items' `audio`), converted once; a bad file stops startup. */
export async function loadRecordings(cache: PromptCache, questionnaires: ReadonlyMap<string, LoadedQuestionnaire>): Promise<number> {
  let count = 0;
  for (const { definition, file } of questionnaires.values()) {
    const wanted: Array<[where: string, relative: string]> = [
      ...Object.entries(definition.prompt_audio ?? {}).flatMap(([key, wav]) => (wav ? [[`prompt_audio.${key}`, wav] as [string, string]] : [])),
      ...definition.items.flatMap((item, i) => (item.audio ? [[`items[${i}].audio`, item.audio] as [string, string]] : [])),
    ];
    for (const [where, relative] of wanted) {
      const wav = path.resolve(path.dirname(file), relative);
      try {
        await cache.loadRecording(wav, wav);
        count++;
      } catch (cause) {
        throw new BridgeError('QUESTIONNAIRE_INVALID', `${path.basename(file)}: ${where}: ${(cause as Error).message}`, { cause });
      }
    }
  }
  return count;
}

