/** Test-only: a delta receiver on the zone's side of GlobalToZone, fed responses by hand. */

import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { create } from '@bufbuild/protobuf';
import { type DeltaDiscoveryRequest, DeltaDiscoveryResponseSchema, type Resource } from '@strait/proto/envoy';
import { createLogger, type Logger } from '../logging/logger.js';
import type { Resource as StoredResource } from '../model/resource.js';
import { builtinRegistry } from '../resources/index.js';
import type { ChangeEvent, ResourceStore } from '../store/store.js';
import { createDeltaReceiver } from './delta-receiver.js';
import { globalToZoneReceiveFlow, globalToZoneSendFlow } from './global-to-zone-flow.js';
import { encodeKdsResource } from './kds-envelope.js';
import { testLog, testSync } from './kds-test-helpers.js';

const registry = builtinRegistry;
const sendFlow = globalToZoneSendFlow({ registry, zone: 'zone-1' });

/** How the global would put a resource on the wire (as stored on the global). */
export function onWire(input: {
  type: string;
  mesh?: string;
  name: string;
  labels?: Record<string, string>;
  spec: unknown;
}): Resource {
  const stored: StoredResource = {
    type: input.type,
    meta: {
      name: input.name,
      ...(input.mesh === undefined ? {} : { mesh: input.mesh }),
      labels: input.labels ?? {},
      version: 1,
      creationTime: '2024-01-01T00:00:00.000Z',
      modificationTime: '2024-01-01T00:00:00.000Z',
    },
    spec: input.spec,
  };
  return encodeKdsResource(sendFlow.map(stored)).message;
}

/** An info-level logger whose lines are kept, parsed. */
export function capturingLog(): { log: Logger; lines: () => Record<string, unknown>[] } {
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      raw.push(String(chunk));
      done();
    },
  });
  return {
    log: createLogger({ destination, level: 'info' }),
    lines: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/**
 * Starts a receiver for zone `zone-1` over `store` (responses capped at 8 KiB) and returns what
 * it wrote, the store's events from now on, and `respond`, which sends one response and
 * resolves with its ACK (`'ACK'`) or NACK message.
 */
export function startReceiver(store: ResourceStore, log: Logger = testLog) {
  const written: DeltaDiscoveryRequest[] = [];
  const events: ChangeEvent[] = [];
  store.subscribe((e) => events.push(e));
  const receiver = createDeltaReceiver({
    store,
    registry,
    flow: globalToZoneReceiveFlow({ registry, zone: 'zone-1' }),
    sync: testSync({ maxMessageBytes: 8_192 }),
    log,
    events: {},
    write: (request) => {
      written.push(request);
      return true;
    },
    node: { id: 'zone-1' },
  });
  let nonce = 0;
  const respond = async (typeUrl: string, resources: Resource[], removedResources: string[] = []) => {
    nonce += 1;
    receiver.handleResponse(
      create(DeltaDiscoveryResponseSchema, { typeUrl, nonce: `n${nonce}`, resources, removedResources }),
    );
    await receiver.idle();
    const answer = written.find((r) => r.responseNonce === `n${nonce}`);
    assert.ok(answer, 'every response is answered');
    return answer.errorDetail?.message ?? 'ACK';
  };
  return { receiver, written, events, respond };
}
