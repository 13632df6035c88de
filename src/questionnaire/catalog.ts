import type { LoadedQuestionnaire } from './load';

/**
 * The questionnaires new calls can be given, changeable while the bridge runs: activating a
 * version replaces the previous one for new calls at once (one Map assignment), while calls in
 * progress keep the definition they started with (they hold it). `ids` is a live set: the webhook
 * and the stream both see an activation the moment it happens.
 */
export class QuestionnaireCatalog {
  private readonly byId = new Map<string, LoadedQuestionnaire>();
  readonly ids = new Set<string>();

  constructor(initial: Iterable<LoadedQuestionnaire>) {
    for (const q of initial) this.activate(q);
  }

  get(id: string): LoadedQuestionnaire | undefined {
    return this.byId.get(id);
  }

  all(): LoadedQuestionnaire[] {
    return [...this.byId.values()];
  }

  activate(q: LoadedQuestionnaire): void {
    this.byId.set(q.definition.id, q);
    this.ids.add(q.definition.id);
  }
}
