import type { ResourceDescriptor, ResourceRegistry } from '@strait/shared';
import type { FastifyInstance } from 'fastify';

/** Kuma's `PolicyDescription`. */
interface PolicyDescription {
  readonly isTargetRef: boolean;
  readonly hasToTargetRef: boolean;
  readonly hasFromTargetRef: boolean;
  readonly hasRulesTargetRef: boolean;
  readonly isFromAsRules: boolean;
}

/** Kuma's `ResourceTypeDescription`. */
export interface ResourceTypeDescription {
  readonly name: string;
  readonly scope: 'Global' | 'Mesh';
  readonly readOnly: boolean;
  readonly path: string;
  readonly singularDisplayName: string;
  readonly pluralDisplayName: string;
  readonly shortName: string;
  readonly includeInFederation: boolean;
  readonly policy?: PolicyDescription;
}

/** `MeshHTTPRoute` → `Mesh HTTP Route`. */
function displayName(typeName: string): string {
  return typeName.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
}

function pluralDisplayName(typeName: string): string {
  const singular = displayName(typeName);
  if (/(s|x|sh|ch)$/.test(singular)) return `${singular}es`;
  if (/[^aeiou]y$/.test(singular)) return `${singular.slice(0, -1)}ies`;
  return `${singular}s`;
}

/** Whether the spec schema has a top-level property (e.g. `to`, `from`, `rules`). */
function hasProperty(d: ResourceDescriptor, property: string): boolean {
  const properties = (d.specSchema as { properties?: Record<string, unknown> }).properties;
  return properties !== undefined && Object.hasOwn(properties, property);
}

/** The description of one type, from its descriptor alone. */
export function describeType(d: ResourceDescriptor, readOnly: boolean): ResourceTypeDescription {
  const shortest = [...d.aliases].sort((a, b) => a.length - b.length)[0];
  const out: ResourceTypeDescription = {
    name: d.name,
    scope: d.scope === 'mesh' ? 'Mesh' : 'Global',
    readOnly,
    path: d.plural,
    singularDisplayName: displayName(d.name),
    pluralDisplayName: pluralDisplayName(d.name),
    shortName: shortest ?? d.plural,
    includeInFederation: d.kds === 'global-to-zone' || d.kds === 'both',
  };
  if (!d.isPolicy) return out;
  return {
    ...out,
    policy: {
      isTargetRef: hasProperty(d, 'targetRef'),
      hasToTargetRef: hasProperty(d, 'to'),
      hasFromTargetRef: hasProperty(d, 'from'),
      hasRulesTargetRef: hasProperty(d, 'rules'),
      isFromAsRules: false,
    },
  };
}

/** Registers `/_resources`: every type, sorted by name as Kuma does. The body is built once. */
export function registerResourceTypesRoute(
  app: FastifyInstance,
  registry: ResourceRegistry,
  isReadOnly: (d: ResourceDescriptor) => boolean,
): void {
  const resources = registry
    .all()
    .map((d) => describeType(d, isReadOnly(d)))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const body = Object.freeze({ resources });
  app.get('/_resources', { config: { strait: { errorTitle: 'Could not list resource types' } } }, async () => body);
}
