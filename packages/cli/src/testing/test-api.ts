import { type ApiMode, createApiServer } from '@strait/api';
import { builtinRegistry, createMemoryStore, type ResourceStore, silentLogger } from '@strait/shared';

/** A real REST API on a free port over a memory store, for integration tests. */
export interface TestApi {
  /** `http://127.0.0.1:<port>`. */
  readonly address: string;
  /** The store behind the API (tests seed insights, which the API refuses to write). */
  readonly store: ResourceStore;
  close(): Promise<void>;
}

/** Options of {@link startTestApi}. */
export interface TestApiOptions {
  /** Default `zone` (a standalone zone CP accepts writes of every type). */
  readonly mode?: ApiMode;
  /** The store's clock (creation and modification times); default the real one. */
  readonly now?: () => Date;
}

/** Starts the API in-process on port 0. */
export async function startTestApi(options: TestApiOptions = {}): Promise<TestApi> {
  const store = createMemoryStore(options.now === undefined ? {} : { now: options.now });
  const mode = options.mode ?? 'zone';
  const server = createApiServer({
    store,
    registry: builtinRegistry,
    logger: silentLogger(),
    mode,
    instanceId: 'cli-test',
    clusterId: 'cli-test',
    version: '0.0.0-test',
  });
  const { port } = await server.listen({ port: 0 });
  return {
    address: `http://127.0.0.1:${port}`,
    store,
    close: async () => {
      await server.close();
      await store.close();
    },
  };
}
