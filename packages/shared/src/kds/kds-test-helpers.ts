/** Test-only helpers for the KDS engine tests (not exported from the package). */

import { create } from '@bufbuild/protobuf';
import {
  type DeltaDiscoveryRequest,
  DeltaDiscoveryRequestSchema,
  type DeltaDiscoveryResponse,
} from '@strait/proto/envoy';
import { silentLogger } from '../logging/logger.js';
import type { ResourceInput } from '../model/resource.js';
import { type KdsSyncOptions, type ResolvedKdsSyncOptions, resolveKdsSyncOptions } from './kds-sync-options.js';

/** Polls `probe` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 3_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Resolves once pending timers and I/O callbacks of this tick ran (lets a debounce of 0 fire). */
export function settle(ms = 30): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Fast sync options for engine tests. */
export function testSync(overrides: KdsSyncOptions = {}): ResolvedKdsSyncOptions {
  return resolveKdsSyncOptions({ debounceMs: 0, nackRetryMs: 60_000, ...overrides }, []);
}

export const testLog = silentLogger();

/** A wildcard subscription with what the receiver holds. */
export function subscribe(
  typeUrl: string,
  initialResourceVersions: Record<string, string> = {},
): DeltaDiscoveryRequest {
  return create(DeltaDiscoveryRequestSchema, { typeUrl, initialResourceVersions });
}

/** The ACK of a response. */
export function ack(response: DeltaDiscoveryResponse): DeltaDiscoveryRequest {
  return create(DeltaDiscoveryRequestSchema, { typeUrl: response.typeUrl, responseNonce: response.nonce });
}

/** The NACK of a response. */
export function nack(response: DeltaDiscoveryResponse, message = 'rejected'): DeltaDiscoveryRequest {
  return create(DeltaDiscoveryRequestSchema, {
    typeUrl: response.typeUrl,
    responseNonce: response.nonce,
    errorDetail: { code: 3, message },
  });
}

/** A MeshTrafficPermission allowing (or denying) everything. */
export function mtp(name: string, action = 'Allow', mesh = 'default'): ResourceInput {
  return {
    type: 'MeshTrafficPermission',
    mesh,
    name,
    spec: { targetRef: { kind: 'Mesh' }, from: [{ targetRef: { kind: 'Mesh' }, default: { action } }] },
  };
}
