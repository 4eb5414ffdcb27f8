/**
 * The mesh the xds-scale scenario builds: mesh `default` with builtin-CA mTLS, N Dataplanes
 * over a fixed set of services, and the MeshTrafficPermission change it measures.
 */

import type { RestClient } from '../../harness/rest-client.js';
import { waitFor } from '../../harness/wait-for.js';

export const MESH = 'default';
/** The MeshTrafficPermission every new mesh gets; the policy change edits it. */
export const PERMISSION = 'allow-all';
/** A service no simulated proxy implements: denying it changes every inbound's RBAC and nobody's traffic. */
const DENIED_SERVICE = 'bench-nobody';
const INBOUND_PORT = 10_000;
const SERVICE_PORT = 8_080;

/** `svc-<index>`. */
export function serviceName(index: number): string {
  return `svc-${index}`;
}

/** The name of Dataplane `i`. */
export function dataplaneName(i: number): string {
  return `dp-${i}`;
}

/** Strait's Envoy node id of Dataplane `i`: `<mesh>.<name>`. */
export function nodeIdOf(i: number): string {
  return `${MESH}.${dataplaneName(i)}`;
}

/** A unique address per Dataplane (10.1.0.0 upwards). */
function addressOf(i: number): string {
  return `10.${1 + ((i >> 16) & 255)}.${(i >> 8) & 255}.${i & 255}`;
}

/** The listener of Dataplane `i`'s inbound, by Kuma's naming (`inbound:<address>:<port>`). */
export function inboundListenerName(i: number): string {
  return `inbound:${addressOf(i)}:${INBOUND_PORT}`;
}

/**
 * Dataplane `i` in Kuma's universal JSON: it implements `svc-(i % services)` over http and
 * consumes the `outbounds` services after its own.
 */
export function dataplaneOf(i: number, services: number, outbounds: number) {
  const own = i % services;
  return {
    type: 'Dataplane',
    mesh: MESH,
    name: dataplaneName(i),
    networking: {
      address: addressOf(i),
      inbound: [
        {
          port: INBOUND_PORT,
          servicePort: SERVICE_PORT,
          tags: { 'kuma.io/service': serviceName(own), 'kuma.io/protocol': 'http' },
        },
      ],
      outbound: Array.from({ length: outbounds }, (_, k) => ({
        port: INBOUND_PORT + 1 + k,
        tags: { 'kuma.io/service': serviceName((own + 1 + k) % services) },
      })),
    },
  };
}

/** `allow-all` plus a Deny for {@link DENIED_SERVICE}: a new RBAC principal on every inbound. */
export function permissionWithDeny() {
  return {
    type: 'MeshTrafficPermission',
    mesh: MESH,
    name: PERMISSION,
    spec: {
      targetRef: { kind: 'Mesh' },
      from: [
        { targetRef: { kind: 'Mesh' }, default: { action: 'Allow' } },
        {
          targetRef: { kind: 'MeshSubset', tags: { 'kuma.io/service': DENIED_SERVICE } },
          default: { action: 'Deny' },
        },
      ],
    },
  };
}

/** Mesh mTLS with the builtin CA: without it Strait (like Kuma) renders no RBAC, so MTPs would not reach LDS. */
const MESH_WITH_MTLS = {
  type: 'Mesh',
  name: MESH,
  mtls: { enabledBackend: 'ca-1', backends: [{ name: 'ca-1', type: 'builtin' }] },
};

/** Turns on mesh mTLS once the mesh and its initial permission exist (the CP creates both at start). */
export async function setUpMesh(rest: RestClient): Promise<void> {
  await waitFor(() => rest.get(`/meshes/${MESH}/meshtrafficpermissions/${PERMISSION}`), {
    timeoutMs: 30_000,
    what: `mesh ${MESH} and its ${PERMISSION} permission`,
  });
  await rest.put(`/meshes/${MESH}`, MESH_WITH_MTLS);
}
