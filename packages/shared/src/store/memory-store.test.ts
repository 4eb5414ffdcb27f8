import { runStoreContract } from './contract-suite.js';
import { createMemoryStore } from './memory-store.js';

runStoreContract('memory', async () => {
  const store = createMemoryStore();
  return { store, cleanup: () => store.close() };
});
