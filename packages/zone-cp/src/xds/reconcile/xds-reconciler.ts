import { type Component, type Logger, parseDuration, type ResourceRegistry, type ResourceStore } from '@strait/shared';
import type { SnapshotCache } from '../cache/index.js';
import type { ProxyCertManager } from '../certs/proxy-cert-manager.js';
import { buildMeshContext, type MeshContext } from '../context/mesh-context.js';
import { buildProxyContext } from '../context/proxy-context.js';
import {
  createGenerationMemo,
  type GenerationMemo,
  generateProxyResources,
  type ProxyContext,
  type ProxyResources,
} from '../generate/index.js';
import { toSnapshotInput } from './to-snapshot.js';

/** Proxies generated between two yields to the event loop. */
const YIELD_EVERY_PROXIES = 64;

/** Options of {@link createXdsReconciler}. */
export interface XdsReconcilerOptions {
  readonly store: ResourceStore;
  readonly registry: ResourceRegistry;
  readonly cache: SnapshotCache;
  readonly certs: ProxyCertManager;
  readonly logger: Logger;
  readonly zone: string;
  /** Quiet time after a change before regenerating (batches bursts); default 20 ms. */
  readonly debounceMs?: number;
  /** Longest a change waits under a continuous burst; default 250 ms. */
  readonly maxDelayMs?: number;
  /** How often certificates are checked for renewal; default 5 s. */
  readonly renewCheckIntervalMs?: number;
  readonly metricsPort?: number;
  readonly defaultAdminPort?: number;
}

/** What the inspect endpoints show for one proxy. */
export interface ProxyInspection {
  readonly context: ProxyContext;
  readonly resources: ProxyResources;
}

/** Keeps the snapshot cache in step with the store for every connected proxy. */
export interface XdsReconciler extends Component {
  /** A Dataplane's proxy opened its ADS stream (on this CP). */
  proxyConnected(proxyId: string, mesh: string, name: string): void;
  /** Its stream closed: its endpoints leave EDS until it is back. */
  proxyDisconnected(proxyId: string, mesh: string, name: string): void;
  /** Generates (without caching) what a Dataplane would get; undefined if it or its mesh is missing. */
  inspect(mesh: string, name: string): Promise<ProxyInspection | undefined>;
  /** Resolves once every change seen so far has reached the cache (tests, benchmarks). */
  settled(): Promise<void>;
}

/**
 * Event-driven config generation: a store change marks its mesh dirty; after a short debounce
 * the mesh's context is read once and every connected proxy of the mesh is regenerated into
 * the snapshot cache, which resends only what changed. Insight (status) writes never trigger it.
 */
export function createXdsReconciler(options: XdsReconcilerOptions): XdsReconciler {
  const log = options.logger.child({ component: 'xds-reconciler' });
  const debounceMs = options.debounceMs ?? 20;
  const maxDelayMs = options.maxDelayMs ?? 250;
  const connected = new Map<string, Map<string, string>>(); // mesh → name → proxyId
  const offline = new Map<string, Set<string>>(); // mesh → names whose stream closed
  const dirtyMeshes = new Set<string>();
  const dirtyProxies = new Map<string, Set<string>>(); // mesh → names needing regeneration only
  const contexts = new Map<string, MeshContext>();
  // Proxy-independent resources are generated once per mesh context and shared by its proxies.
  const memos = new WeakMap<MeshContext, GenerationMemo>();
  const memoFor = (ctx: MeshContext): GenerationMemo => {
    let memo = memos.get(ctx);
    if (memo === undefined) {
      memo = createGenerationMemo();
      memos.set(ctx, memo);
    }
    return memo;
  };
  let timer: NodeJS.Timeout | undefined;
  let firstDirtyAt = 0;
  let running: Promise<void> | undefined;
  let renewTimer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => void) | undefined;
  let idleWaiters: Array<() => void> = [];
  let stopped = false;

  const schedule = (): void => {
    if (stopped) return;
    const now = Date.now();
    if (timer === undefined) firstDirtyAt = now;
    else clearTimeout(timer);
    const wait = Math.max(0, Math.min(debounceMs, firstDirtyAt + maxDelayMs - now));
    timer = setTimeout(() => {
      timer = undefined;
      void flush();
    }, wait);
  };

  const markMesh = (mesh: string): void => {
    dirtyMeshes.add(mesh);
    schedule();
  };
  const markProxy = (mesh: string, name: string): void => {
    const set = dirtyProxies.get(mesh) ?? new Set<string>();
    set.add(name);
    dirtyProxies.set(mesh, set);
    schedule();
  };

  async function contextFor(mesh: string, refresh: boolean): Promise<MeshContext | undefined> {
    const cached = contexts.get(mesh);
    if (cached !== undefined && !refresh) return cached;
    const ctx = await buildMeshContext(options.store, options.registry, mesh, {
      zone: options.zone,
      offline: offline.get(mesh) ?? new Set(),
      parseDurationMs: (t) => parseDuration(t, { allowDaysAndYears: true }),
    });
    if (ctx === undefined) contexts.delete(mesh);
    else contexts.set(mesh, ctx);
    return ctx;
  }

  async function generate(meshCtx: MeshContext, name: string): Promise<ProxyInspection | undefined> {
    const dataplane = meshCtx.dataplanes.get(name);
    if (dataplane === undefined) return undefined;
    const certs = await options.certs.certsFor(meshCtx, dataplane);
    const context = buildProxyContext(meshCtx, dataplane, certs, {
      zone: options.zone,
      defaultAdminPort: options.defaultAdminPort ?? 9901,
      ...(options.metricsPort === undefined ? {} : { metricsPort: options.metricsPort }),
    });
    return { context, resources: generateProxyResources(context, memoFor(meshCtx)) };
  }

  async function regenerate(meshCtx: MeshContext | undefined, mesh: string, names: Iterable<string>): Promise<number> {
    const proxies = connected.get(mesh);
    let count = 0;
    // A fixed list: proxies that connect meanwhile were marked and get their own (later) pass.
    for (const name of [...names]) {
      const proxyId = proxies?.get(name);
      if (proxyId === undefined) continue;
      // Let ACKs, new streams and API calls in between batches instead of blocking for the whole mesh.
      if (count > 0 && count % YIELD_EVERY_PROXIES === 0) await new Promise((r) => setImmediate(r));
      try {
        const generated = meshCtx === undefined ? undefined : await generate(meshCtx, name);
        // A proxy whose Dataplane (or mesh) is gone gets an empty configuration.
        options.cache.set(
          proxyId,
          generated === undefined ? toSnapshotInput(emptyResources()) : toSnapshotInput(generated.resources),
        );
        count++;
      } catch (err) {
        log.error({ err, proxy: proxyId }, 'failed to generate proxy configuration');
      }
    }
    return count;
  }

  async function runFlush(): Promise<void> {
    const meshes = [...dirtyMeshes];
    const proxies = new Map(dirtyProxies);
    dirtyMeshes.clear();
    dirtyProxies.clear();
    const started = performance.now();
    let generated = 0;
    for (const mesh of meshes) {
      const ctx = await contextFor(mesh, true);
      generated += await regenerate(ctx, mesh, connected.get(mesh)?.keys() ?? []);
      proxies.delete(mesh);
    }
    for (const [mesh, names] of proxies) {
      generated += await regenerate(await contextFor(mesh, false), mesh, names);
    }
    if (generated > 0) {
      log.debug({ meshes, proxies: generated, ms: Math.round(performance.now() - started) }, 'regenerated proxies');
    }
  }

  async function flush(): Promise<void> {
    if (running !== undefined) return; // the running flush re-checks when it ends
    running = runFlush();
    try {
      await running;
    } finally {
      running = undefined;
    }
    if (dirtyMeshes.size > 0 || dirtyProxies.size > 0) schedule();
    else if (timer === undefined) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  return {
    name: 'xds-reconciler',
    needsLeadership: false,
    async start() {
      unsubscribe = options.store.subscribe((event) => {
        const d = options.registry.byName(event.key.type);
        if (d === undefined || d.systemOnly) return; // insights never regenerate config
        if (event.key.type === 'Mesh') markMesh(event.key.name);
        else if (event.key.mesh !== undefined) markMesh(event.key.mesh);
        if (event.key.type === 'Dataplane' && event.op === 'delete' && event.key.mesh !== undefined) {
          offline.get(event.key.mesh)?.delete(event.key.name);
          options.certs.forget(event.key.mesh, event.key.name);
        }
      });
      renewTimer = setInterval(() => {
        for (const key of options.certs.dueForRenewal()) {
          const slash = key.indexOf('/');
          markProxy(key.slice(0, slash), key.slice(slash + 1));
        }
      }, options.renewCheckIntervalMs ?? 5_000);
      renewTimer.unref();
    },
    async stop() {
      stopped = true;
      unsubscribe?.();
      if (timer !== undefined) clearTimeout(timer);
      if (renewTimer !== undefined) clearInterval(renewTimer);
      await running;
    },
    proxyConnected(proxyId, mesh, name) {
      const proxies = connected.get(mesh) ?? new Map<string, string>();
      proxies.set(name, proxyId);
      connected.set(mesh, proxies);
      if (offline.get(mesh)?.delete(name) === true) markMesh(mesh);
      else markProxy(mesh, name);
    },
    proxyDisconnected(proxyId, mesh, name) {
      const proxies = connected.get(mesh);
      if (proxies?.get(name) !== proxyId) return;
      proxies.delete(name);
      options.cache.delete(proxyId);
      const set = offline.get(mesh) ?? new Set<string>();
      set.add(name);
      offline.set(mesh, set);
      markMesh(mesh);
    },
    async inspect(mesh, name) {
      const ctx = await contextFor(mesh, true);
      return ctx === undefined ? undefined : generate(ctx, name);
    },
    settled() {
      if (timer === undefined && running === undefined && dirtyMeshes.size === 0 && dirtyProxies.size === 0) {
        return Promise.resolve();
      }
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
  };
}

function emptyResources(): ProxyResources {
  return { listeners: [], clusters: [], endpoints: [], routes: [], secrets: [] };
}
