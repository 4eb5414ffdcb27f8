/**
 * Picks and opens the configured store (`STRAIT_STORE_TYPE` / `STRAIT_STORE_PATH` end up here).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createMemoryStore, type MemoryStoreOptions } from './memory-store.js';
import { createSqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
import type { ResourceStore } from './store.js';

/** Which store to open, with that store's options. */
export type StoreConfig =
  | ({ readonly type: 'memory' } & MemoryStoreOptions)
  | ({ readonly type: 'sqlite' } & SqliteStoreOptions);

/**
 * Opens the store `config` describes. For `sqlite`, the file's parent directory is created
 * when missing.
 */
export function createStore(config: StoreConfig): ResourceStore {
  switch (config.type) {
    case 'memory':
      return createMemoryStore(config);
    case 'sqlite':
      if (config.path !== ':memory:') mkdirSync(dirname(config.path), { recursive: true });
      return createSqliteStore(config);
  }
}
