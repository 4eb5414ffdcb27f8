/**
 * The receiving half of a KDS stream, used for both directions (the zone on GlobalToZone, the
 * global on ZoneToGlobal). It follows the delta xDS client rules:
 *
 * - on start it subscribes to every type of its flow, in apply order, with a wildcard request
 *   whose `initial_resource_versions` list the copies it already holds from this peer (versions
 *   computed from its own store), so the sender sends only the difference;
 * - each response is validated as a whole — envelope, JSON, schema (`parseUniversal`), the
 *   direction's rules (origin, zone, name), size, and that it only touches copies this peer gave
 *   us — then applied and ACKed; or NACKed with every reason, writing nothing;
 * - it deletes only what the sender names in `removed_resources`; while disconnected it keeps
 *   everything (a restarted zone serves the last known config);
 * - responses are applied one at a time, in arrival order.
 *
 * A store failure halfway through a response (e.g. the Mesh was deleted meanwhile) NACKs it
 * after some of it was written: harmless, because versions are content hashes: the sender
 * offers the same versions again later and unchanged ones are skipped on the second pass.
 */

import { create } from '@bufbuild/protobuf';
import {
  type DeltaDiscoveryRequest,
  DeltaDiscoveryRequestSchema,
  type DeltaDiscoveryResponse,
} from '@strait/proto/envoy';
import { isStraitError } from '../errors/strait-error.js';
import type { Logger } from '../logging/logger.js';
import type { ResourceDescriptor } from '../model/descriptor.js';
import type { ResourceRegistry } from '../model/registry.js';
import { formatKey, keyOf, type Resource, type ResourceInput } from '../model/resource.js';
import { DISPLAY_NAME_LABEL } from '../policies/policy-spec.js';
import type { ResourceStore } from '../store/store.js';
import { decodeKdsResource, versionOfInput } from './kds-envelope.js';
import type { KdsReceiveFlow } from './kds-flow.js';
import { countKdsReceived } from './kds-metrics.js';
import { kdsWireName, keyOfWireName } from './kds-names.js';
import { emitKdsEvent, type KdsSyncEvents } from './kds-sync-events.js';
import type { ResolvedKdsSyncOptions } from './kds-sync-options.js';
import { kdsContentVersion } from './kds-version.js';

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

/** A validated change, ready to apply. */
interface Upsert {
  readonly input: ResourceInput;
  readonly existing: Resource | undefined;
}

/** Creates a receiver. */
export function createDeltaReceiver(options: DeltaReceiverOptions): DeltaReceiver {
  const { store, registry, flow, sync, log, events, write } = options;
  const types = new Map(flow.types.map((d) => [d.name, d]));
  let chain: Promise<void> = Promise.resolve();
  let closed = false;
  let refusedInARow = 0;

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

  /** Validates a whole response; returns what to apply, or the reasons to refuse it. */
  async function validate(
    descriptor: ResourceDescriptor,
    response: DeltaDiscoveryResponse,
  ): Promise<{ upserts: Upsert[]; removals: Resource[] } | { reasons: string[] }> {
    const reasons: string[] = [];
    const upserts: Upsert[] = [];
    const removals: Resource[] = [];
    const seen = new Set<string>();
    for (const message of response.resources) {
      let input: ResourceInput;
      try {
        input = decodeKdsResource(registry, descriptor, message);
      } catch (err) {
        reasons.push(isStraitError(err) ? err.message : String(err));
        continue;
      }
      const flowReasons = flow.check(input);
      if (flowReasons.length > 0) {
        reasons.push(`${message.name}: ${flowReasons.join(', ')}`);
        continue;
      }
      if (seen.has(message.name)) {
        reasons.push(`${message.name}: appears twice in one response`);
        continue;
      }
      seen.add(message.name);
      const stored = flow.toStored(input);
      const existing = await store.get(keyOf(stored));
      if (existing !== undefined && !flow.holds(existing)) {
        reasons.push(`${message.name}: would replace a ${descriptor.name} that did not come from this peer`);
        continue;
      }
      upserts.push({ input: stored, existing });
    }
    for (const name of response.removedResources) {
      const key = keyOfWireName(descriptor, name);
      if (key === undefined || seen.has(name)) {
        reasons.push(`${name}: not a removable ${descriptor.name} name`);
        continue;
      }
      let existing: Resource | undefined;
      try {
        existing = await store.get(key);
      } catch (err) {
        reasons.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
        continue;
      }
      if (existing === undefined) continue;
      if (!flow.holds(existing)) {
        reasons.push(`${name}: would delete a ${descriptor.name} that did not come from this peer`);
        continue;
      }
      removals.push(existing);
    }
    return reasons.length > 0 ? { reasons } : { upserts, removals };
  }

  async function apply(upserts: readonly Upsert[], removals: readonly Resource[]): Promise<number> {
    let written = 0;
    for (const { input, existing } of upserts) {
      if (existing !== undefined && sameContent(existing, input)) continue;
      if (existing === undefined) {
        try {
          await store.create(input);
        } catch (err) {
          // Created by someone else since validation: fall through to an update (checked again).
          if (!isStraitError(err, 'AlreadyExists')) throw err;
          const now = await store.get(keyOf(input));
          if (now === undefined || !flow.holds(now)) throw err;
          await store.update(input);
        }
      } else {
        await store.update(input);
      }
      written += 1;
    }
    for (const resource of removals) {
      try {
        await store.delete(keyOf(resource));
      } catch (err) {
        // Already gone (e.g. cascaded from its Mesh): the goal is reached.
        if (!isStraitError(err, 'NotFound')) throw err;
      }
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
      written += 1;
    }
    return written;
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
    const checked = await validate(descriptor, response);
    if (closed) return;
    if ('reasons' in checked) return nack(type, nonce, checked.reasons, names);
    try {
      await apply(checked.upserts, checked.removals);
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
      { type, nonce, resources: checked.upserts.length, removed: checked.removals.length },
      'KDS response applied',
    );
    emitKdsEvent(events, log, 'onApplied', type, {
      nonce,
      resources: checked.upserts.length,
      removed: checked.removals.length,
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

/** True when storing `input` over `existing` would change nothing (content and owner). */
function sameContent(existing: Resource, input: ResourceInput): boolean {
  const ownerSame =
    input.owner === undefined ||
    (existing.meta.owner !== undefined && formatKey(existing.meta.owner) === formatKey(input.owner));
  return (
    ownerSame &&
    kdsContentVersion({ labels: existing.meta.labels, spec: existing.spec, status: existing.status }) ===
      versionOfInput(input)
  );
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
