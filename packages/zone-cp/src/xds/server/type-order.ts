/**
 * The order in which xDS types are pushed on one ADS stream, and which types a client may
 * subscribe to by wildcard. Envoy warms a new cluster until its endpoints (EDS) arrive and a new
 * listener until its routes (RDS) arrive, and a route naming an unknown cluster answers 503: so
 * clusters and their endpoints (and the secrets both refer to) go first, and listeners and
 * routes wait until those are ACKed ("make before break" in the xDS protocol's terms).
 */

import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  LISTENER_TYPE_URL,
  ROUTE_CONFIGURATION_TYPE_URL,
  SECRET_TYPE_URL,
} from '@strait/proto/envoy';

interface TypeTraits {
  /** Position in a push; lower goes first. */
  readonly order: number;
  /** Types of a higher stage wait while a response of a lower stage is un-ACKed. */
  readonly stage: number;
  /** LDS and CDS: an empty subscription means "everything for this proxy". */
  readonly wildcardByDefault: boolean;
}

const TRAITS: ReadonlyMap<string, TypeTraits> = new Map([
  [CLUSTER_TYPE_URL, { order: 0, stage: 0, wildcardByDefault: true }],
  [CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, { order: 1, stage: 0, wildcardByDefault: false }],
  [SECRET_TYPE_URL, { order: 2, stage: 0, wildcardByDefault: false }],
  [LISTENER_TYPE_URL, { order: 3, stage: 1, wildcardByDefault: true }],
  [ROUTE_CONFIGURATION_TYPE_URL, { order: 4, stage: 1, wildcardByDefault: false }],
]);

/** Types Strait does not generate (yet) go last, after everything they could refer to. */
const OTHER: TypeTraits = { order: TRAITS.size, stage: 2, wildcardByDefault: false };

function traitsOf(typeUrl: string): TypeTraits {
  return TRAITS.get(typeUrl) ?? OTHER;
}

/** Compares two type URLs by push order (ties, among unknown types, by name). */
export function compareTypeOrder(a: string, b: string): number {
  return traitsOf(a).order - traitsOf(b).order || (a < b ? -1 : a > b ? 1 : 0);
}

/** The stage of a type: a type waits while any type of a lower stage has an un-ACKed response. */
export function typeStage(typeUrl: string): number {
  return traitsOf(typeUrl).stage;
}

/** Whether an empty subscription to this type means "all resources" (LDS, CDS). */
export function isWildcardByDefault(typeUrl: string): boolean {
  return traitsOf(typeUrl).wildcardByDefault;
}

/** The explicit wildcard resource name of xDS subscriptions. */
export const WILDCARD_NAME = '*';
