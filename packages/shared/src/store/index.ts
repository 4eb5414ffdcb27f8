/** The resource stores: the memory and SQLite implementations of `ResourceStore` and the factory. */

export type { ListenerErrorHandler } from './change-feed.js';
export { createStore, type StoreConfig } from './create-store.js';
export { createMemoryStore, type MemoryStoreOptions } from './memory-store.js';
export { createSqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
