/** The store's public face: open it, then use its repositories. SQL and driver types stay inside. */
export type { CallSnapshot, CallsRepository, StoredAnswer, StoredFlag } from './calls';
export { openStore, type Store, type StoreOptions } from './store';
