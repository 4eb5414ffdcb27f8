import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  LISTENER_TYPE_URL,
  ROUTE_CONFIGURATION_TYPE_URL,
  SECRET_TYPE_URL,
} from '@strait/proto/envoy';
import type { SnapshotInput } from '../cache/index.js';
import type { ProxyResources } from '../generate/index.js';

/** Files generated resources under their xDS type URLs, by resource name. */
export function toSnapshotInput(resources: ProxyResources): SnapshotInput {
  return {
    [LISTENER_TYPE_URL]: new Map(resources.listeners.map((r) => [r.name, r])),
    [CLUSTER_TYPE_URL]: new Map(resources.clusters.map((r) => [r.name, r])),
    [CLUSTER_LOAD_ASSIGNMENT_TYPE_URL]: new Map(resources.endpoints.map((r) => [r.clusterName, r])),
    [ROUTE_CONFIGURATION_TYPE_URL]: new Map(resources.routes.map((r) => [r.name, r])),
    [SECRET_TYPE_URL]: new Map(resources.secrets.map((r) => [r.name, r])),
  };
}
