/**
 * The receiving half of a KDS stream, used for both directions (the zone on GlobalToZone, the
 * global on ZoneToGlobal). It follows the delta xDS client rules:
 *
 * - on start it subscribes to every type of its flow, in apply order, with a wildcard request
 *   whose `initial_resource_versions` list the copies it already holds from this peer (versions
 *   computed from its own store), so the sender sends only the difference;
 * - each response is validated as a whole — envelope, JSON, schema (`parseUniversal`), the
 *   direction's rules (origin, zone, name), size, and that it only touches copies this peer gave
 *   us — then applied in one store transaction (`receive-plan.ts`) and ACKed; or NACKed with
 *   every reason, writing nothing;
 * - it deletes only what the sender names in `removed_resources`; while disconnected it keeps
 *   everything (a restarted zone serves the last known config);
 * - responses are applied one at a time, in arrival order.
 *
 * A response is all or nothing, applying included: its writes are one batch, so a store
 * failure (e.g. the Mesh was deleted meanwhile) NACKs it with nothing written, and the sender
 * offers it again later. A batch that failed only because the store changed between reading and
 * writing is planned again from exact reads and applied once more before anything is NACKed.
 */

import { create } from '@bufbuild/protobuf';
import {
  type DeltaDiscoveryRequest,
  DeltaDiscoveryRequestSchema,
  type DeltaDiscoveryResponse,
} from '@strait/proto/envoy';
import type { Logger } from '../logging/logger.js';
import type { ResourceDescriptor } from '../model/descriptor.js';
import type { ResourceRegistry } from '../model/registry.js';
import { DISPLAY_NAME_LABEL } from '../policies/policy-spec.js';
import type { ResourceStore } from '../store/store.js';
import type { KdsReceiveFlow } from './kds-flow.js';
import { countKdsReceived } from './kds-metrics.js';
import { kdsWireName } from './kds-names.js';
import { emitKdsEvent, type KdsSyncEvents } from './kds-sync-events.js';
import type { ResolvedKdsSyncOptions } from './kds-sync-options.js';
import { kdsContentVersion } from './kds-version.js';
import {
  exactLookup,
  heldLookup,
  isStalePlan,
  planResponse,
  type ResponsePlan,
  type StoreLookup,
} from './receive-plan.js';

/** Options of {@link createDeltaReceiver}. */
export interface DeltaReceiverOptions {
  readonly store: ResourceStore;
  readonly registry: ResourceRegistry;
  readonly flow: KdsReceiveFlow;
  readonly sync: ResolvedKdsSyncOptions;
  readonly log: Logger;
  readonly events: KdsSyncEvents;
  /** Writes one request (subscription, ACK or NACK). */
  readonly write: (request: DeltaDiscoveryRequest) => boolean;
  /** Sent on the first request (GlobalToZone: the zone's name). */
  readonly node?: { readonly id: string };
  /** Called once `maxConsecutiveNacks` responses in a row were refused: the peer is misbehaving. */
  readonly onAbuse?: (reason: string) => void;
}

/** A running receiver. */
export interface DeltaReceiver {
  /** Sends the subscriptions (after listing what is held). */
  start(): Promise<void>;
  /** Queues one response for validation and application. */
  handleResponse(response: DeltaDiscoveryResponse): void;
  /** Stops; responses still queued are dropped (and so never ACKed). */
  close(): void;
  /** Resolves once every queued response has been handled (tests). */
  idle(): Promise<void>;
}

/** gRPC INVALID_ARGUMENT, the code Envoy puts in NACKs. */
const NACK_CODE = 3;
/** Reasons listed in one NACK; the rest are counted. */
const MAX_REASONS = 10;
/** Longest NACK message. */
const MAX_NACK_CHARS = 4_000;

/** Creates a receiver. */
export function createDeltaReceiver(options: DeltaReceiverOptions): DeltaReceiver {
  const { store, registry, flow, sync, log, events, write } = options;
  const types = new Map(flow.types.map((d) => [d.name, d]));
  let chain: Promise<void> = Promise.resolve();
  let closed = false;
  let refusedInARow = 0;
  /** Per type, about how many copies from this peer the store holds (listed at start, then tracked). */
  const heldCounts = new Map<string, number>();

  async function heldVersions(descriptor: ResourceDescriptor): Promise<Record<string, string>> {
    const { items } = await store.list({ type: descriptor.name, labels: flow.heldLabels });
    const versions: Record<string, string> = {};
    for (const resource of items) {
      if (!flow.holds(resource)) continue;
      versions[kdsWireName(resource.meta.mesh, resource.meta.name)] = kdsContentVersion({
        labels: resource.meta.labels,
        spec: resource.spec,
        status: resource.status,
      });
    }
    heldCounts.set(descriptor.name, Object.keys(versions).length);
    return versions;
  }

  function nack(type: string, nonce: string, reasons: readonly string[], resources: readonly string[]): void {
    const shown = reasons.slice(0, MAX_REASONS);
    const more = reasons.length > shown.length ? `; and ${reasons.length - shown.length} more` : '';
    const message = `${shown.join('; ')}${more}`.slice(0, MAX_NACK_CHARS);
    log.warn(
      { type, nonce, resources: resources.slice(0, MAX_REASONS), reason: message },
      'KDS response refused (NACK)',
    );
    write(
      create(DeltaDiscoveryRequestSchema, {
        typeUrl: type,
        responseNonce: nonce,
        errorDetail: { code: NACK_CODE, message },
      }),
    );
    emitKdsEvent(events, log, 'onRefused', type, message, nonce);
    refusedInARow += 1;
    if (refusedInARow >= sync.maxConsecutiveNacks) {
      options.onAbuse?.(`${refusedInARow} KDS responses refused in a row; last: ${message}`);
    }
  }

  /**
   * How to read the store while validating `response`: one listing of the type's held copies
   * when the response carries at least as many resources as are held (an initial sync, a
   * burst), so reading costs one row per held copy instead of one query per resource; else one
   * `get` per key, so a small change to a large type reads only its own keys.
   */
  async function lookupFor(descriptor: ResourceDescriptor, response: DeltaDiscoveryResponse): Promise<StoreLookup> {
    const held = heldCounts.get(descriptor.name);
    if (held === undefined || held > response.resources.length) return exactLookup(store);
    const listed = await heldLookup(store, flow, descriptor);
    heldCounts.set(descriptor.name, listed.held);
    return listed.lookup;
  }

  /**
   * Validates and applies a response as one batch; returns what was applied, or the reasons to
   * refuse it (nothing written). A batch that failed because the store changed since it was
   * read is planned again from exact reads and tried once more; any other failure throws.
   */
  async function validateAndApply(
    descriptor: ResourceDescriptor,
    response: DeltaDiscoveryResponse,
  ): Promise<ResponsePlan | { readonly reasons: readonly string[] } | undefined> {
    let lookup = await lookupFor(descriptor, response);
    for (let attempt = 1; ; attempt += 1) {
      const plan = await planResponse({ registry, flow, lookup }, descriptor, response);
      if (closed) return undefined;
      if ('reasons' in plan) return plan;
      try {
        await store.applyBatch(plan.ops);
      } catch (err) {
        if (attempt > 1 || !isStalePlan(err)) throw err;
        log.debug({ err, type: descriptor.name }, 'KDS response met a changed store; validating it again');
        lookup = exactLookup(store);
        continue;
      }
      const held = heldCounts.get(descriptor.name);
      if (held !== undefined) heldCounts.set(descriptor.name, held + plan.creates - plan.removals.length);
      for (const resource of plan.removals) {
        // One line per delete, so that a spurious one can be found afterwards (and tests can).
        log.info(
          {
            type: resource.type,
            mesh: resource.meta.mesh,
            name: resource.meta.name,
            displayName: resource.meta.labels[DISPLAY_NAME_LABEL],
          },
          'KDS deleted a resource the peer removed',
        );
      }
      return plan;
    }
  }

  async function handle(response: DeltaDiscoveryResponse): Promise<void> {
    if (closed) return;
    const type = response.typeUrl;
    const nonce = response.nonce;
    const names = response.resources.map((r) => r.name);
    const descriptor = types.get(type);
    if (descriptor === undefined) {
      const known = registry.byName(type) !== undefined;
      return nack(
        type,
        nonce,
        [known ? `type ${type} does not flow ${flow.direction}` : `unknown resource type "${type}"`],
        names,
      );
    }
    countKdsReceived(flow.direction, type, response.resources.length, response.removedResources.length);
    const bytes = approximateBytes(response);
    if (bytes > sync.maxMessageBytes) {
      return nack(
        type,
        nonce,
        [`response of ${bytes} bytes exceeds the limit of ${sync.maxMessageBytes} bytes`],
        names,
      );
    }
    let applied: ResponsePlan;
    try {
      const outcome = await validateAndApply(descriptor, response);
      if (outcome === undefined || closed) return;
      if ('reasons' in outcome) return nack(type, nonce, outcome.reasons, names);
      applied = outcome;
    } catch (err) {
      if (closed) return;
      log.error({ err, type, nonce }, 'KDS response could not be applied');
      refusedInARow = 0;
      write(
        create(DeltaDiscoveryRequestSchema, {
          typeUrl: type,
          responseNonce: nonce,
          errorDetail: {
            code: NACK_CODE,
            message: `could not apply: ${err instanceof Error ? err.message : String(err)}`,
          },
        }),
      );
      emitKdsEvent(events, log, 'onRefused', type, `could not apply: ${String(err)}`, nonce);
      return;
    }
    if (closed) return;
    refusedInARow = 0;
    write(create(DeltaDiscoveryRequestSchema, { typeUrl: type, responseNonce: nonce }));
    log.debug(
      { type, nonce, resources: applied.resources, removed: applied.removals.length, writes: applied.ops.length },
      'KDS response applied',
    );
    emitKdsEvent(events, log, 'onApplied', type, {
      nonce,
      resources: applied.resources,
      removed: applied.removals.length,
    });
  }

  return {
    async start() {
      let first = true;
      for (const descriptor of flow.types) {
        const initialResourceVersions = await heldVersions(descriptor);
        if (closed) return;
        const node = first ? options.node : undefined;
        first = false;
        write(
          create(DeltaDiscoveryRequestSchema, {
            typeUrl: descriptor.name,
            initialResourceVersions,
            ...(node === undefined ? {} : { node }),
          }),
        );
      }
    },
    handleResponse(response) {
      chain = chain.then(
        () => handle(response),
        () => handle(response),
      );
      chain.catch((err: unknown) => log.error({ err }, 'KDS receiver failed'));
    },
    close() {
      closed = true;
    },
    idle: () => chain.catch(() => undefined),
  };
}

/** Size of a response as received: what its resources and names weigh on the wire. */
function approximateBytes(response: DeltaDiscoveryResponse): number {
  let bytes = response.typeUrl.length + response.nonce.length + response.systemVersionInfo.length;
  for (const resource of response.resources) {
    bytes += resource.name.length + resource.version.length + (resource.resource?.value.byteLength ?? 0) + 16;
  }
  for (const name of response.removedResources) bytes += name.length + 2;
  return bytes;
}
