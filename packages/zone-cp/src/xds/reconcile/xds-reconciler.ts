import {
  type Component,
  type Logger,
  parseDuration,
  type Resource,
  type ResourceRegistry,
  type ResourceStore,
} from '@strait/shared';
import { ingressZoneOf } from '../../ingress/ingress-zone.js';
import type { SnapshotCache } from '../cache/index.js';
import type { ProxyCertManager } from '../certs/proxy-cert-manager.js';
import { buildIngressContext } from '../context/ingress-context.js';
import { buildMeshContext, type MeshContext, withFreshPolicies } from '../context/mesh-context.js';
import { buildProxyContext } from '../context/proxy-context.js';
import {
  createGenerationMemo,
  createProxyMemo,
  type GenerationMemo,
  generateIngressResources,
  generateProxyResources,
  INBOUND_ONLY_POLICY_TYPES,
  type IngressContext,
  memoAfterInboundPolicyChange,
  type ProxyContext,
  type ProxyMemo,
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
  /**
   * How long after start a Dataplane's proxy has to (re)connect before it is treated as offline;
   * default 30 s. Until then the Dataplanes kept in the store from before a CP restart count as
   * online, so a restart does not empty every cluster while the proxies reconnect.
   */
  readonly startupGraceMs?: number;
  /**
   * How long a zone ingress's ADS stream may stay closed before the ingress counts as offline
   * (and stops advertising services to other zones); default 5 s, so a stream that reconnects
   * at once changes nothing.
   */
  readonly ingressOfflineAfterMs?: number;
  /**
   * Called when proxies or zone ingresses go offline or come back in a way no store event shows
   * (end of the startup grace period, an ingress offline for `ingressOfflineAfterMs` or back).
   */
  readonly onOfflineChanged?: () => void;
}

/** What the inspect endpoints show for one proxy. */
export interface ProxyInspection {
  readonly context: ProxyContext;
  readonly resources: ProxyResources;
}

/** What the inspect endpoints show for one zone ingress. */
export interface IngressInspection {
  readonly context: IngressContext;
  readonly resources: ProxyResources;
}

/** Keeps the snapshot cache in step with the store for every connected proxy. */
export interface XdsReconciler extends Component {
  /** A Dataplane's proxy opened its ADS stream (on this CP). */
  proxyConnected(proxyId: string, mesh: string, name: string): void;
  /** Its stream closed: its endpoints leave EDS until it is back. */
  proxyDisconnected(proxyId: string, mesh: string, name: string): void;
  /** A zone ingress (ZoneIngress `name`) opened its ADS stream. */
  ingressConnected(proxyId: string, name: string): void;
  /** Its stream closed: it gets no more configuration until it is back. */
  ingressDisconnected(proxyId: string, name: string): void;
  /** Whether a Dataplane's proxy disconnected from this CP and has not come back (its endpoints are left out). */
  isOffline(mesh: string, name: string): boolean;
  /** Whether a zone ingress of this zone has been disconnected long enough to count as offline. */
  isIngressOffline(name: string): boolean;
  /** Generates (without caching) what a Dataplane would get; undefined if it or its mesh is missing. */
  inspect(mesh: string, name: string): Promise<ProxyInspection | undefined>;
  /** Generates (without caching) what a zone ingress would get; undefined if its ZoneIngress is missing. */
  inspectIngress(name: string): Promise<IngressInspection | undefined>;
  /** Resolves once every change seen so far has reached the cache (tests, benchmarks). */
  settled(): Promise<void>;
}

/**
 * Event-driven config generation: a store change marks its mesh dirty; after a short debounce
 * the mesh's context is read once and every connected proxy of the mesh is regenerated into
 * the snapshot cache, which resends only what changed. Insight (status) writes never trigger it.
 *
 * Zone ingresses route to every mesh's local endpoints: a Dataplane or Mesh change, a proxy
 * going on/offline or a ZoneIngress change regenerates them (from one listing of the zone's
 * Dataplanes per pass). A ZoneIngress change (local, or another zone's synced over KDS) also
 * marks every mesh dirty: sidecars reach other zones' services through those ingresses.
 */
export function createXdsReconciler(options: XdsReconcilerOptions): XdsReconciler {
  const log = options.logger.child({ component: 'xds-reconciler' });
  const debounceMs = options.debounceMs ?? 20;
  const maxDelayMs = options.maxDelayMs ?? 250;
  const connected = new Map<string, Map<string, string>>(); // mesh → name → proxyId
  const offline = new Map<string, Set<string>>(); // mesh → names whose stream closed
  const dirtyMeshes = new Set<string>();
  // Dirty meshes whose every change since their last pass was to a policy, with the policy
  // types that changed: their next pass reads only the policies again and keeps the rest of
  // the cached context.
  const policyOnlyMeshes = new Map<string, Set<string>>();
  const dirtyProxies = new Map<string, Set<string>>(); // mesh → names needing regeneration only
  const contexts = new Map<string, MeshContext>();
  const ingresses = new Map<string, string>(); // ZoneIngress name → proxyId
  const dirtyIngresses = new Set<string>();
  const offlineIngresses = new Set<string>(); // ZoneIngress names of this zone counted offline
  const ingressOfflineTimers = new Map<string, NodeJS.Timeout>();
  let allIngressesDirty = false;
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
  // Each connected proxy's own resources from its last generation, reused while their inputs stay.
  const proxyMemos = new Map<string, ProxyMemo>(); // proxyId → memo
  const proxyMemoFor = (proxyId: string): ProxyMemo => {
    let memo = proxyMemos.get(proxyId);
    if (memo === undefined) {
      memo = createProxyMemo();
      proxyMemos.set(proxyId, memo);
    }
    return memo;
  };
  let timer: NodeJS.Timeout | undefined;
  let firstDirtyAt = 0;
  let running: Promise<void> | undefined;
  let renewTimer: NodeJS.Timeout | undefined;
  let graceTimer: NodeJS.Timeout | undefined;
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
    policyOnlyMeshes.delete(mesh);
    schedule();
  };
  /** Only a policy of the mesh changed (a Mesh, Dataplane, ZoneIngress or on/offline change goes through markMesh). */
  const markMeshPolicies = (mesh: string, type: string): void => {
    if (!dirtyMeshes.has(mesh)) policyOnlyMeshes.set(mesh, new Set());
    policyOnlyMeshes.get(mesh)?.add(type);
    dirtyMeshes.add(mesh);
    schedule();
  };
  const markProxy = (mesh: string, name: string): void => {
    const set = dirtyProxies.get(mesh) ?? new Set<string>();
    set.add(name);
    dirtyProxies.set(mesh, set);
    schedule();
  };

  /** Every connected ingress is regenerated in the next pass (its endpoints may have changed). */
  const markIngresses = (): void => {
    if (ingresses.size === 0) return;
    allIngressesDirty = true;
    schedule();
  };
  const markIngress = (name: string): void => {
    dirtyIngresses.add(name);
    schedule();
  };
  const isOffline = (mesh: string, name: string): boolean => offline.get(mesh)?.has(name) === true;

  /**
   * End of the startup grace: every Dataplane whose proxy, and every zone ingress of this zone
   * that has not connected to this CP is offline.
   */
  async function markUnconnectedOffline(): Promise<void> {
    const [dataplanes, zoneIngresses] = await Promise.all([
      options.store.list({ type: 'Dataplane' }).then((page) => page.items),
      options.store.list({ type: 'ZoneIngress' }).then((page) => page.items),
    ]);
    const staleIngresses = zoneIngresses
      .filter((i) => ingressZoneOf(i) === options.zone && !ingresses.has(i.meta.name))
      .map((i) => i.meta.name);
    for (const name of staleIngresses) offlineIngresses.add(name);
    const stale: string[] = [];
    for (const dp of dataplanes) {
      const mesh = dp.meta.mesh;
      if (mesh === undefined || connected.get(mesh)?.has(dp.meta.name) === true) continue;
      const set = offline.get(mesh) ?? new Set<string>();
      if (set.has(dp.meta.name)) continue;
      set.add(dp.meta.name);
      offline.set(mesh, set);
      dirtyMeshes.add(mesh);
      policyOnlyMeshes.delete(mesh);
      stale.push(`${mesh}/${dp.meta.name}`);
    }
    if (staleIngresses.length > 0) {
      log.info(
        { ingresses: staleIngresses },
        'zone ingresses that did not connect within the startup grace period are offline',
      );
    }
    if (stale.length === 0) {
      if (staleIngresses.length > 0) options.onOfflineChanged?.();
      return;
    }
    log.info(
      { count: stale.length, dataplanes: stale.slice(0, 20) },
      'dataplanes whose proxies did not connect within the startup grace period are offline; their endpoints are left out until they connect',
    );
    schedule();
    markIngresses();
    options.onOfflineChanged?.();
  }

  /** Marks every mesh that has proxies or a cached context (others are read fresh when needed). */
  const markAllMeshes = (): void => {
    for (const mesh of new Set([...connected.keys(), ...contexts.keys()])) {
      dirtyMeshes.add(mesh);
      policyOnlyMeshes.delete(mesh);
    }
    schedule();
  };

  async function generateIngress(
    name: string,
    dataplanes: readonly Resource[],
  ): Promise<IngressInspection | undefined> {
    const ingress = await options.store.get({ type: 'ZoneIngress', name });
    if (ingress === undefined) return undefined;
    const context = buildIngressContext(ingress, dataplanes, { zone: options.zone, isOffline });
    return { context, resources: generateIngressResources(context) };
  }

  async function regenerateIngresses(names: Iterable<string>): Promise<number> {
    const list = [...names].filter((n) => ingresses.has(n));
    if (list.length === 0) return 0;
    const dataplanes = (await options.store.list({ type: 'Dataplane' })).items;
    let count = 0;
    for (const name of list) {
      const proxyId = ingresses.get(name);
      if (proxyId === undefined) continue;
      try {
        const generated = await generateIngress(name, dataplanes);
        options.cache.set(proxyId, toSnapshotInput(generated === undefined ? emptyResources() : generated.resources));
        count++;
      } catch (err) {
        log.error({ err, proxy: proxyId }, 'failed to generate zone ingress configuration');
      }
    }
    return count;
  }

  /**
   * The mesh's context: the cached one (`keep`), the cached one with its policies read again
   * (a set of the policy types that changed), or read from scratch (`refresh`, also when
   * nothing is cached).
   */
  async function contextFor(
    mesh: string,
    how: 'keep' | 'refresh' | ReadonlySet<string>,
  ): Promise<MeshContext | undefined> {
    const cached = contexts.get(mesh);
    if (cached !== undefined && how === 'keep') return cached;
    if (cached !== undefined && how !== 'refresh') {
      const ctx = await withFreshPolicies(options.store, options.registry, cached);
      contexts.set(mesh, ctx);
      // Only inbound listeners read these policies: the rest of what proxies got stays valid.
      const memo = memos.get(cached);
      if (memo !== undefined && [...how].every((type) => INBOUND_ONLY_POLICY_TYPES.has(type))) {
        memos.set(ctx, memoAfterInboundPolicyChange(memo));
      }
      return ctx;
    }
    const ctx = await buildMeshContext(options.store, options.registry, mesh, {
      zone: options.zone,
      offline: offline.get(mesh) ?? new Set(),
      ...(cached === undefined ? {} : { previousProtocols: cached.protocols }),
      parseDurationMs: (t) => parseDuration(t, { allowDaysAndYears: true }),
    });
    if (ctx === undefined) contexts.delete(mesh);
    else contexts.set(mesh, ctx);
    return ctx;
  }

  /** What a Dataplane's proxy gets; with its `proxyMemo`, reusing its unchanged resources. */
  async function generate(
    meshCtx: MeshContext,
    name: string,
    proxyMemo?: ProxyMemo,
  ): Promise<ProxyInspection | undefined> {
    const dataplane = meshCtx.dataplanes.get(name);
    if (dataplane === undefined) return undefined;
    const certs = await options.certs.certsFor(meshCtx, dataplane);
    const context = buildProxyContext(meshCtx, dataplane, certs, {
      zone: options.zone,
      defaultAdminPort: options.defaultAdminPort ?? 9901,
      ...(options.metricsPort === undefined ? {} : { metricsPort: options.metricsPort }),
    });
    return { context, resources: generateProxyResources(context, memoFor(meshCtx), proxyMemo) };
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
        const generated = meshCtx === undefined ? undefined : await generate(meshCtx, name, proxyMemoFor(proxyId));
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
    const policyOnly = new Map(policyOnlyMeshes);
    const proxies = new Map(dirtyProxies);
    const ingressNames = allIngressesDirty ? [...ingresses.keys()] : [...dirtyIngresses];
    dirtyMeshes.clear();
    policyOnlyMeshes.clear();
    dirtyProxies.clear();
    dirtyIngresses.clear();
    allIngressesDirty = false;
    const started = performance.now();
    let generated = 0;
    for (const mesh of meshes) {
      const ctx = await contextFor(mesh, policyOnly.get(mesh) ?? 'refresh');
      generated += await regenerate(ctx, mesh, connected.get(mesh)?.keys() ?? []);
      proxies.delete(mesh);
    }
    for (const [mesh, names] of proxies) {
      generated += await regenerate(await contextFor(mesh, 'keep'), mesh, names);
    }
    generated += await regenerateIngresses(ingressNames);
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
    if (dirtyMeshes.size > 0 || dirtyProxies.size > 0 || dirtyIngresses.size > 0 || allIngressesDirty) schedule();
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
        else if (event.key.mesh !== undefined && d.isPolicy) markMeshPolicies(event.key.mesh, event.key.type);
        else if (event.key.mesh !== undefined) markMesh(event.key.mesh);
        if (event.key.type === 'ZoneIngress') markAllMeshes();
        if (event.key.type === 'Dataplane' || event.key.type === 'Mesh' || event.key.type === 'ZoneIngress')
          markIngresses();
        if (event.key.type === 'ZoneIngress' && event.op === 'delete') offlineIngresses.delete(event.key.name);
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
      graceTimer = setTimeout(() => {
        graceTimer = undefined;
        markUnconnectedOffline().catch((err: unknown) =>
          log.error({ err }, 'failed to mark unconnected dataplanes offline after the startup grace period'),
        );
      }, options.startupGraceMs ?? 30_000);
      graceTimer.unref();
    },
    async stop() {
      stopped = true;
      unsubscribe?.();
      if (graceTimer !== undefined) clearTimeout(graceTimer);
      for (const t of ingressOfflineTimers.values()) clearTimeout(t);
      ingressOfflineTimers.clear();
      if (timer !== undefined) clearTimeout(timer);
      if (renewTimer !== undefined) clearInterval(renewTimer);
      await running;
    },
    proxyConnected(proxyId, mesh, name) {
      const proxies = connected.get(mesh) ?? new Map<string, string>();
      proxies.set(name, proxyId);
      connected.set(mesh, proxies);
      if (offline.get(mesh)?.delete(name) === true) {
        markMesh(mesh);
        markIngresses();
      } else markProxy(mesh, name);
    },
    proxyDisconnected(proxyId, mesh, name) {
      const proxies = connected.get(mesh);
      if (proxies?.get(name) !== proxyId) return;
      proxies.delete(name);
      options.cache.delete(proxyId);
      proxyMemos.delete(proxyId);
      const set = offline.get(mesh) ?? new Set<string>();
      set.add(name);
      offline.set(mesh, set);
      markMesh(mesh);
      markIngresses();
    },
    ingressConnected(proxyId, name) {
      ingresses.set(name, proxyId);
      markIngress(name);
      clearTimeout(ingressOfflineTimers.get(name));
      ingressOfflineTimers.delete(name);
      if (offlineIngresses.delete(name)) {
        log.info({ ingress: name }, 'zone ingress is back online');
        options.onOfflineChanged?.();
      }
    },
    ingressDisconnected(proxyId, name) {
      if (ingresses.get(name) !== proxyId) return;
      ingresses.delete(name);
      options.cache.delete(proxyId);
      clearTimeout(ingressOfflineTimers.get(name));
      const offlineAfterMs = options.ingressOfflineAfterMs ?? 5_000;
      const timeout = setTimeout(() => {
        ingressOfflineTimers.delete(name);
        if (stopped || ingresses.has(name)) return;
        offlineIngresses.add(name);
        log.warn({ ingress: name, offlineAfterMs }, 'zone ingress is offline: it stops advertising services');
        options.onOfflineChanged?.();
      }, offlineAfterMs);
      timeout.unref();
      ingressOfflineTimers.set(name, timeout);
    },
    isOffline,
    isIngressOffline: (name) => offlineIngresses.has(name),
    async inspectIngress(name) {
      return generateIngress(name, (await options.store.list({ type: 'Dataplane' })).items);
    },
    async inspect(mesh, name) {
      const ctx = await contextFor(mesh, 'refresh');
      return ctx === undefined ? undefined : generate(ctx, name);
    },
    settled() {
      if (
        timer === undefined &&
        running === undefined &&
        dirtyMeshes.size === 0 &&
        dirtyProxies.size === 0 &&
        dirtyIngresses.size === 0 &&
        !allIngressesDirty
      ) {
        return Promise.resolve();
      }
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
  };
}

function emptyResources(): ProxyResources {
  return { listeners: [], clusters: [], endpoints: [], routes: [], secrets: [] };
}
