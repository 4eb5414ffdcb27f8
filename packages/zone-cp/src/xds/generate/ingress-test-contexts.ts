/** Zone ingress contexts shared by the golden and real-Envoy tests (not exported from the package). */

import type { IngressContext } from './ingress-context.js';
import type { Endpoint } from './proxy-context.js';

const endpoint = (address: string, port: number, tags: Record<string, string>): Endpoint => ({
  address,
  port,
  tags,
  zone: 'zone-2',
});

const backendV1 = { 'kuma.io/service': 'backend', 'kuma.io/zone': 'zone-2', version: 'v1' };
const backendV2 = { 'kuma.io/service': 'backend', 'kuma.io/zone': 'zone-2', version: 'v2' };

/** Two meshes with a `backend` each (unique clusters per mesh), one service with two tag sets. */
export const TWO_MESHES: IngressContext = {
  name: 'zi-1',
  zone: 'zone-2',
  address: '127.0.0.1',
  port: 10_001,
  targets: [
    {
      mesh: 'default',
      tags: { 'kuma.io/service': 'backend' },
      endpoints: [endpoint('10.0.0.2', 20_001, backendV2), endpoint('10.0.0.1', 20_001, backendV1)],
    },
    { mesh: 'default', tags: backendV1, endpoints: [endpoint('10.0.0.1', 20_001, backendV1)] },
    { mesh: 'default', tags: backendV2, endpoints: [endpoint('10.0.0.2', 20_001, backendV2)] },
    {
      mesh: 'payments',
      tags: { 'kuma.io/service': 'backend' },
      endpoints: [endpoint('10.0.1.1', 20_002, { 'kuma.io/service': 'backend', 'kuma.io/zone': 'zone-2' })],
    },
  ],
};

/** Nothing to route: no listener at all (Envoy refuses one without filter chains). */
export const EMPTY: IngressContext = { name: 'zi-1', zone: 'zone-2', address: '127.0.0.1', port: 10_001, targets: [] };

/** Golden contexts by file name (`testdata/<name>.golden.json`). */
export const INGRESS_GOLDEN_CONTEXTS: ReadonlyMap<string, IngressContext> = new Map([
  ['ingress-two-meshes', TWO_MESHES],
  ['ingress-empty', EMPTY],
]);
