/**
 * MeshTrafficPermission: which callers may reach the selected proxies. Enforced on the
 * inbound side, keyed on the caller's identity.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { Violation } from '../errors/strait-error.js';
import type { ResourceDescriptor } from '../model/descriptor.js';
import { runChecks } from './common/checks.js';
import { field } from './common/field.js';
import { MatchSchema, validateMatches } from './common/match.js';
import { notWith, requireSome, validateEntryRefs, validateTopRef } from './common/policy.js';
import { fromList, topTargetRef } from './common/policy-schema.js';
import { closed, enumOf } from './common/schema.js';

const FromConfSchema = closed(
  {
    action: Type.Optional(
      enumOf(
        ['Allow', 'Deny', 'AllowWithShadowDeny'],
        'Allow or deny; AllowWithShadowDeny allows but logs what a Deny would block.',
      ),
    ),
  },
  'What to do with traffic from these callers.',
);

const RuleConfSchema = closed(
  {
    allow: Type.Optional(Type.Array(MatchSchema, { description: 'Callers allowed.' })),
    allowWithShadowDeny: Type.Optional(
      Type.Array(MatchSchema, { description: 'Callers allowed, logged as if denied.' }),
    ),
    deny: Type.Optional(Type.Array(MatchSchema, { description: 'Callers denied; deny wins over allow.' })),
  },
  'Which callers are allowed or denied.',
);

/** Spec of a MeshTrafficPermission. */
export const MeshTrafficPermissionSpecSchema = closed(
  {
    targetRef: topTargetRef(),
    from: fromList(FromConfSchema),
    rules: Type.Optional(
      Type.Array(closed({ default: RuleConfSchema }, 'An inbound permission rule.'), {
        description: 'Inbound permission rules, by caller identity.',
      }),
    ),
  },
  'MeshTrafficPermission specification.',
);
export type MeshTrafficPermissionSpec = Static<typeof MeshTrafficPermissionSpecSchema>;

const TOP_KINDS = ['Mesh', 'MeshSubset', 'MeshService', 'MeshServiceSubset', 'Dataplane'] as const;
const FROM_KINDS = ['Mesh', 'MeshSubset', 'MeshService', 'MeshServiceSubset'] as const;

function validate(spec: MeshTrafficPermissionSpec): Violation[] {
  const out = [
    ...runChecks(MeshTrafficPermissionSpecSchema, spec, 'spec'),
    ...validateTopRef(spec.targetRef, TOP_KINDS, spec),
    ...requireSome(spec, ['from', 'rules']),
    ...notWith(spec, 'from', ['rules']),
    ...validateEntryRefs(spec.from, 'from', FROM_KINDS),
  ];
  (spec.from ?? []).forEach((f, i) => {
    if (f.default.action === undefined) {
      out.push({ field: field('spec', 'from', i, 'default', 'action'), reason: 'must be set' });
    }
  });
  (spec.rules ?? []).forEach((r, i) => {
    const at = field('spec', 'rules', i, 'default');
    const d = r.default;
    if ((d.allow ?? []).length + (d.allowWithShadowDeny ?? []).length + (d.deny ?? []).length === 0) {
      out.push({ field: at, reason: 'must set at least one of allow, allowWithShadowDeny, deny' });
    }
    for (const list of ['allow', 'allowWithShadowDeny', 'deny'] as const) {
      out.push(...validateMatches(d[list], field(at, list)));
    }
  });
  return out;
}

/** The MeshTrafficPermission policy type. */
export const meshTrafficPermissionDescriptor: ResourceDescriptor<typeof MeshTrafficPermissionSpecSchema> =
  Object.freeze({
    name: 'MeshTrafficPermission',
    plural: 'meshtrafficpermissions',
    aliases: ['meshtrafficpermission', 'mtp'],
    scope: 'mesh',
    kds: 'both',
    isPolicy: true,
    specLayout: 'nested',
    specSchema: MeshTrafficPermissionSpecSchema,
    validate,
    readOnlyOnFederatedZone: false,
    systemOnly: false,
    description: 'Allows or denies traffic to the selected proxies by caller identity.',
  });
