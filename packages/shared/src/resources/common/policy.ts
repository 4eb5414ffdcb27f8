/**
 * Checks every targetRef policy shares: the top-level targetRef, the targetRefs of
 * `from[]`/`to[]` entries, and which of `from`/`to`/`rules` must or must not be set.
 * Fields are named under `spec.`, the policies' nested layout.
 */
import type { Violation } from '../../errors/strait-error.js';
import { field } from './field.js';
import { type Match, validateMatches } from './match.js';
import { type TargetRef, type TargetRefKind, validateTargetRef } from './target-ref.js';

/** An entry of `from[]` or `to[]`. */
export interface TargetedEntry {
  readonly targetRef: TargetRef;
}

/** The sections a policy spec may have. */
export type Section = 'from' | 'to' | 'rules';

type Sections = Partial<Record<Section, readonly unknown[]>>;

/** Kinds most policies accept at the top level (universal policies have Kuma's "system" role). */
export const TOP_LEVEL_KINDS: readonly TargetRefKind[] = [
  'Mesh',
  'MeshSubset',
  'MeshGateway',
  'MeshService',
  'MeshServiceSubset',
  'Dataplane',
];

/** True when the policy configures inbound traffic (has `from` or `rules`). */
export function isInboundPolicy(spec: Sections): boolean {
  return (spec.from?.length ?? 0) > 0 || (spec.rules?.length ?? 0) > 0;
}

/** Checks `spec.targetRef` when present (absent means the whole mesh). */
export function validateTopRef(
  ref: TargetRef | undefined,
  allowed: readonly TargetRefKind[],
  spec: Sections,
): Violation[] {
  if (ref === undefined) return [];
  return validateTargetRef(ref, 'spec.targetRef', allowed, { inboundPolicy: isInboundPolicy(spec) });
}

/** Checks the targetRef of each entry of `spec.<section>` against `allowed`. */
export function validateEntryRefs(
  entries: readonly TargetedEntry[] | undefined,
  section: 'from' | 'to',
  allowed: readonly TargetRefKind[],
): Violation[] {
  return (entries ?? []).flatMap((e, i) =>
    validateTargetRef(e.targetRef, field('spec', section, i, 'targetRef'), allowed),
  );
}

/** Requires at least one of `sections` to have an entry (Kuma reports this on `spec`). */
export function requireSome(spec: Sections, sections: readonly Section[]): Violation[] {
  if (sections.some((s) => (spec[s]?.length ?? 0) > 0)) return [];
  return [{ field: 'spec', reason: `must set at least one of ${sections.join(', ')}` }];
}

/** Refuses `section` next to any of `others`. */
export function notWith(spec: Sections, section: Section, others: readonly Section[]): Violation[] {
  if ((spec[section]?.length ?? 0) === 0) return [];
  const clash = others.filter((o) => (spec[o]?.length ?? 0) > 0);
  return clash.length === 0
    ? []
    : [{ field: field('spec', section), reason: `must not be set together with ${clash.join(', ')}` }];
}

/** Refuses a non-empty `section`, with `why`. */
export function mustBeEmpty(spec: Sections, section: Section, why: string): Violation[] {
  return (spec[section]?.length ?? 0) > 0 ? [{ field: field('spec', section), reason: `must not be set ${why}` }] : [];
}

/** A spec whose from/to/rules entries carry a `default` conf of type `C`. */
export interface SectionsWithDefaults<C> {
  readonly from?: readonly { readonly default: C }[];
  readonly to?: readonly { readonly default: C }[];
  readonly rules?: readonly { readonly default: C }[];
}

/** Runs `check` on every `default` conf of `from[]`, `to[]` and `rules[]`, with its field name. */
export function checkDefaults<C>(
  spec: SectionsWithDefaults<C>,
  check: (conf: C, at: string) => Violation[],
): Violation[] {
  const out: Violation[] = [];
  for (const section of ['from', 'to', 'rules'] as const) {
    (spec[section] ?? []).forEach((entry, i) => {
      out.push(...check(entry.default, field('spec', section, i, 'default')));
    });
  }
  return out;
}

/** Runs the match checks of every `rules[].matches`. */
export function checkRuleMatches(rules: readonly { readonly matches?: readonly Match[] }[] | undefined): Violation[] {
  return (rules ?? []).flatMap((r, i) => validateMatches(r.matches, field('spec', 'rules', i, 'matches')));
}
