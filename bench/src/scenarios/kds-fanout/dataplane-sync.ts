/**
 * The initial-sync phase of kds-fanout: a zone whose store already holds N Dataplanes (mesh
 * `default`, one inbound with service tags and a few outbounds each, as xds-scale registers
 * them) connects for the first time, and the global must store all N. Timed two ways: until
 * the zone's client heard the global ACK the responses carrying them (the global ACKs once it
 * stored a response), and until the global's REST API counts N Dataplanes (polled).
 */

import { createMemoryStore, type Logger, type ResourceStore } from '@strait/shared';
import type { RestClient } from '../../harness/rest-client.js';
import { waitFor } from '../../harness/wait-for.js';
import { type BenchZone, startBenchZone } from '../../kds/bench-zone.js';
import { formatMs } from '../../report/table.js';
import { dataplaneOf } from '../xds-scale/mesh-layout.js';
import { MESH } from './policy-rounds.js';

/** Distinct services of the synced Dataplanes. */
const SERVICES = 100;
const OUTBOUNDS = 3;

/** A memory store with mesh `default` and `n` Dataplanes, as a zone CP would hold them. */
export async function zoneStoreWithDataplanes(n: number): Promise<ResourceStore> {
  const store = createMemoryStore();
  await store.create({ type: 'Mesh', name: MESH, spec: {} });
  for (let i = 0; i < n; i += 1) {
    const { type, mesh, name, ...spec } = dataplaneOf(i, SERVICES, OUTBOUNDS);
    await store.create({ type, mesh, name, spec });
  }
  return store;
}

/** Options of {@link syncDataplanes}. */
export interface DataplaneSyncOptions {
  readonly rest: RestClient;
  readonly zone: string;
  readonly kdsAddress: string;
  readonly caPem: string;
  readonly token: string;
  readonly logger: Logger;
  /** The zone's store, holding `dataplanes` Dataplanes (and nothing of the global's yet). */
  readonly store: ResourceStore;
  readonly dataplanes: number;
  /** How often the global's API is asked for its count; default 100 ms. */
  readonly pollMs?: number;
  /** Deadline; default 120 s. */
  readonly timeoutMs?: number;
  readonly say: (line: string) => void;
}

/** Figures of the initial sync. Times in ms from the client's start. */
export interface DataplaneSyncResult {
  readonly dataplanes: number;
  /** The zone wrote its first Dataplane response (connected, subscribed, encoded; undefined if never). */
  readonly firstSentMs: number | undefined;
  /** The global ACKed responses carrying N Dataplanes (undefined if it never did). */
  readonly ackedMs: number | undefined;
  /** The global's API first counted N (undefined if it never did). */
  readonly apiMs: number | undefined;
  /** Dataplane responses the zone sent, and their total serialized size. */
  readonly responses: number;
  readonly bytes: number;
  /** Dataplanes the global counted at the end. */
  readonly counted: number;
}

/** The sync, then the zone (still connected, so its Dataplanes stay) for the caller to close. */
export async function syncDataplanes(
  options: DataplaneSyncOptions,
): Promise<{ result: DataplaneSyncResult; zone: BenchZone }> {
  const n = options.dataplanes;
  const sentByNonce = new Map<string, number>();
  let responses = 0;
  let bytes = 0;
  let acked = 0;
  let ackedAt: number | undefined;
  let firstSentAt: number | undefined;
  const startedAt = performance.now();
  const zone = await startBenchZone({
    zone: options.zone,
    kdsAddress: options.kdsAddress,
    caPem: options.caPem,
    token: options.token,
    logger: options.logger,
    store: options.store,
    observer: {
      onSent(type, info) {
        if (type !== 'Dataplane') return;
        responses += 1;
        bytes += info.bytes;
        firstSentAt ??= performance.now();
        sentByNonce.set(info.nonce, info.resources);
      },
      onAck(type, nonce) {
        if (type !== 'Dataplane') return;
        acked += sentByNonce.get(nonce) ?? 0;
        sentByNonce.delete(nonce);
        if (ackedAt === undefined && acked >= n) ackedAt = performance.now();
      },
    },
  });
  let counted = 0;
  let apiAt: number | undefined;
  let lastReport = startedAt;
  await waitFor(
    async () => {
      const page = await options.rest.get<{ total: number }>(`/meshes/${MESH}/dataplanes?size=1`);
      counted = page?.total ?? 0;
      if (counted >= n) apiAt = performance.now();
      return apiAt !== undefined;
    },
    {
      timeoutMs: options.timeoutMs ?? 120_000,
      intervalMs: options.pollMs ?? 100,
      what: `the global to count ${n} Dataplanes`,
      onPoll: () => {
        if (performance.now() - lastReport < 5_000) return;
        lastReport = performance.now();
        options.say(
          `${formatMs(lastReport - startedAt)}: global counts ${counted}/${n} Dataplanes, ACKed ${acked} in ${responses} responses`,
        );
      },
    },
  ).catch((err: unknown) => options.say((err as Error).message));
  // The ACK of the last response may trail the API count by a moment.
  await waitFor(() => ackedAt !== undefined, { timeoutMs: 5_000, intervalMs: 10, what: 'the last ACK' }).catch(
    () => {},
  );
  return {
    zone,
    result: {
      dataplanes: n,
      firstSentMs: firstSentAt === undefined ? undefined : firstSentAt - startedAt,
      ackedMs: ackedAt === undefined ? undefined : ackedAt - startedAt,
      apiMs: apiAt === undefined ? undefined : apiAt - startedAt,
      responses,
      bytes,
      counted,
    },
  };
}
