/**
 * `targetRef`: how a policy names what it applies to (top level), which traffic
 * (`to[]`, `from[]`) and where to send it (`backendRefs`). One schema for every
 * position; which kinds a position allows is a parameter of {@link validateTargetRef},
 * following Kuma's per-policy validators.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { Violation } from '../../errors/strait-error.js';
import { field } from './field.js';
import { closed, enumOf, stringMap } from './schema.js';
import { validateTags } from './tags.js';

/** Every targetRef kind Kuma 2.x knows. */
export const TARGET_REF_KINDS = [
  'Mesh',
  'MeshSubset',
  'MeshGateway',
  'MeshService',
  'MeshExternalService',
  'MeshMultiZoneService',
  'MeshServiceSubset',
  'MeshHTTPRoute',
  'Dataplane',
] as const;
export type TargetRefKind = (typeof TARGET_REF_KINDS)[number];

/** The properties every targetRef shares (backendRefs add weight and port). */
export const targetRefProperties = {
  kind: enumOf(TARGET_REF_KINDS, 'Kind of the referenced resource.'),
  name: Type.Optional(
    Type.String({ description: 'Name of the referenced resource (MeshService, MeshServiceSubset, MeshGateway, …).' }),
  ),
  namespace: Type.Optional(Type.String({ description: 'Namespace of the referenced resource (Kubernetes zones).' })),
  labels: Type.Optional(stringMap('Selects resources by labels instead of by name.')),
  tags: Type.Optional(stringMap('Selects proxies by tags; only with MeshSubset, MeshServiceSubset and MeshGateway.')),
  mesh: Type.Optional(Type.String({ description: 'Reserved for cross-mesh references; must not be set.' })),
  proxyTypes: Type.Optional(
    Type.Array(enumOf(['Sidecar', 'Gateway'], 'A data plane proxy type.'), {
      minItems: 1,
      description: 'Limits the policy to these proxy types; all types when unset.',
    }),
  ),
  sectionName: Type.Optional(
    Type.String({ description: 'A section of the target: a named port of a MeshService or an inbound.' }),
  ),
};

/** The targetRef schema. */
export const TargetRefSchema = closed(targetRefProperties, 'A reference to the resource a policy applies to.');
export type TargetRef = Static<typeof TargetRefSchema>;

/** Options of {@link validateTargetRef}. */
export interface TargetRefRules {
  /** `sectionName` on a Dataplane ref is only meaningful for inbound (from/rules) policies. */
  readonly inboundPolicy?: boolean;
}

const RESOURCE_NAME = /^[0-9a-z.\-_]*$/;

function mustNotBeSet(out: Violation[], at: string, ref: TargetRef, names: readonly (keyof TargetRef)[]): void {
  for (const n of names) {
    const v = ref[n];
    const set = typeof v === 'string' ? v !== '' : v !== undefined && Object.keys(v).length > 0;
    if (set) out.push({ field: field(at, n), reason: `must not be set with kind ${ref.kind}` });
  }
}

function checkName(out: Violation[], at: string, ref: TargetRef, required: boolean): void {
  if (ref.name === undefined || ref.name === '') {
    if (required) out.push({ field: field(at, 'name'), reason: `must be set with kind ${ref.kind}` });
  } else if (!RESOURCE_NAME.test(ref.name)) {
    out.push({ field: field(at, 'name'), reason: 'must consist of lower case letters, digits, "-", "." and "_"' });
  }
}

function checkLabelsOrName(out: Violation[], at: string, ref: TargetRef): void {
  const hasLabels = Object.keys(ref.labels ?? {}).length > 0;
  checkName(out, at, ref, !hasLabels);
  if (hasLabels && ((ref.name ?? '') !== '' || (ref.namespace ?? '') !== '')) {
    out.push({ field: field(at, 'labels'), reason: 'either labels or name and namespace must be specified' });
  }
}

function checkTags(out: Violation[], at: string, ref: TargetRef, selector: boolean): void {
  if (ref.tags === undefined || Object.keys(ref.tags).length === 0) {
    out.push({ field: field(at, 'tags'), reason: `must be set with kind ${ref.kind}` });
    return;
  }
  out.push(...validateTags(ref.tags, field(at, 'tags'), { selector }));
}

/**
 * Checks one targetRef at field `at` (e.g. `spec.from[0].targetRef`): its kind must be one
 * of `allowed`, and the fields must fit the kind (MeshSubset needs tags, MeshService a
 * name or labels, Mesh nothing else, …).
 */
export function validateTargetRef(
  ref: TargetRef,
  at: string,
  allowed: readonly TargetRefKind[],
  rules: TargetRefRules = {},
): Violation[] {
  const out: Violation[] = [];
  if (!allowed.includes(ref.kind)) {
    return [{ field: field(at, 'kind'), reason: `must be one of ${allowed.join(', ')}` }];
  }
  switch (ref.kind) {
    case 'Mesh':
      mustNotBeSet(out, at, ref, ['name', 'mesh', 'tags', 'labels', 'namespace', 'sectionName']);
      break;
    case 'Dataplane':
      mustNotBeSet(out, at, ref, ['tags', 'mesh', 'proxyTypes']);
      if (Object.keys(ref.labels ?? {}).length > 0 && ((ref.name ?? '') !== '' || (ref.namespace ?? '') !== '')) {
        out.push({ field: field(at, 'labels'), reason: 'either labels or name and namespace must be specified' });
      }
      if (rules.inboundPolicy !== true && (ref.sectionName ?? '') !== '') {
        out.push({ field: field(at, 'sectionName'), reason: 'can only be used with inbound policies' });
      }
      break;
    case 'MeshSubset':
      mustNotBeSet(out, at, ref, ['name', 'mesh', 'labels', 'namespace', 'sectionName']);
      checkTags(out, at, ref, false);
      break;
    case 'MeshService':
    case 'MeshMultiZoneService':
    case 'MeshHTTPRoute':
      mustNotBeSet(out, at, ref, ['mesh', 'tags', 'proxyTypes']);
      checkLabelsOrName(out, at, ref);
      if (Object.keys(ref.labels ?? {}).length > 0 && (ref.sectionName ?? '') !== '') {
        out.push({ field: field(at, 'sectionName'), reason: 'must not be combined with labels' });
      }
      break;
    case 'MeshServiceSubset':
      mustNotBeSet(out, at, ref, ['mesh', 'proxyTypes', 'labels', 'namespace', 'sectionName']);
      checkName(out, at, ref, true);
      checkTags(out, at, ref, true);
      break;
    case 'MeshGateway':
      mustNotBeSet(out, at, ref, ['mesh', 'proxyTypes', 'labels', 'namespace', 'sectionName']);
      checkName(out, at, ref, true);
      if (ref.tags !== undefined) out.push(...validateTags(ref.tags, field(at, 'tags'), { selector: true }));
      break;
    case 'MeshExternalService':
      mustNotBeSet(out, at, ref, ['mesh', 'tags', 'proxyTypes', 'sectionName']);
      checkLabelsOrName(out, at, ref);
      break;
  }
  return out;
}

/**
 * Whether a top-level targetRef can select gateway proxies (Kuma's `IncludesGateways`):
 * MeshGateway and MeshHTTPRoute always, Mesh and MeshSubset unless `proxyTypes` leaves
 * gateways out. Some policies only allow `to[]` (or only `from[]`) depending on this.
 */
export function includesGateways(ref: TargetRef): boolean {
  if (ref.kind === 'MeshGateway' || ref.kind === 'MeshHTTPRoute') return true;
  if (ref.kind !== 'Mesh' && ref.kind !== 'MeshSubset') return false;
  return ref.proxyTypes === undefined || ref.proxyTypes.includes('Gateway');
}

/** The top-level targetRef, defaulting to `{kind: Mesh}` as Kuma does when it is omitted. */
export function topLevelRef(ref: TargetRef | undefined): TargetRef {
  return ref ?? { kind: 'Mesh' };
}
