import type { ResourceDescriptor, UniversalObject } from '@strait/shared';
import { formatAge } from './age.js';
import { dataplaneServices, fieldAt, hostPort, specOf, textAt } from './universal-fields.js';

/** One table column: its header and how a cell is computed from a resource's spec and the whole object. */
export interface Column {
  readonly header: string;
  readonly cell: (spec: Record<string, unknown>, obj: UniversalObject, now: Date) => string;
}

/** `type/name` of the enabled backend of a Mesh section (`mtls`, `metrics`, …), or `off`. */
const enabledBackend =
  (section: string, enabledKey: string): Column['cell'] =>
  (spec) => {
    const enabled = fieldAt(spec, [section, enabledKey]);
    if (typeof enabled !== 'string' || enabled === '') return 'off';
    const backends = fieldAt(spec, [section, 'backends']);
    const backend = Array.isArray(backends) ? backends.find((b) => fieldAt(b, ['name']) === enabled) : undefined;
    const type = fieldAt(backend, ['type']);
    return typeof type === 'string' ? `${type}/${enabled}` : enabled;
  };

/** Columns of Mesh that `get` and `inspect meshes` both show. */
export const MESH_COLUMNS: readonly Column[] = Object.freeze([
  { header: 'MTLS', cell: enabledBackend('mtls', 'enabledBackend') },
  { header: 'METRICS', cell: enabledBackend('metrics', 'enabledBackend') },
  { header: 'LOGGING', cell: enabledBackend('logging', 'defaultBackend') },
  { header: 'TRACING', cell: enabledBackend('tracing', 'defaultBackend') },
]);

/**
 * Type-specific columns, keyed by type name: data, not branches. A type not listed here gets
 * only MESH, NAME and AGE (plus the targetRef columns if it is a policy).
 */
const TYPE_COLUMNS: Readonly<Record<string, readonly Column[]>> = {
  Mesh: MESH_COLUMNS,
  Dataplane: [
    { header: 'ADDRESS', cell: (spec) => textAt(spec, ['networking', 'address']) },
    { header: 'SERVICES', cell: (spec) => dataplaneServices(spec.networking) },
  ],
  ZoneIngress: [
    { header: 'ZONE', cell: (spec) => textAt(spec, ['zone']) },
    {
      header: 'ADDRESS',
      cell: (spec) => hostPort(fieldAt(spec, ['networking', 'address']), fieldAt(spec, ['networking', 'port'])),
    },
    {
      header: 'ADVERTISED ADDRESS',
      cell: (spec) =>
        hostPort(fieldAt(spec, ['networking', 'advertisedAddress']), fieldAt(spec, ['networking', 'advertisedPort'])),
    },
  ],
  Zone: [{ header: 'ENABLED', cell: (spec) => String(fieldAt(spec, ['enabled']) !== false) }],
};

/** What the top-level targetRef of a policy selects. */
const POLICY_COLUMNS: readonly Column[] = [
  { header: 'TARGETREF KIND', cell: (spec) => textAt(spec, ['targetRef', 'kind']) },
  { header: 'TARGETREF NAME', cell: (spec) => targetRefName(fieldAt(spec, ['targetRef'])) },
];

/** The generic columns around the type-specific ones. */
const MESH_COLUMN: Column = { header: 'MESH', cell: (_, obj) => textAt(obj, ['mesh']) };
const NAME_COLUMN: Column = { header: 'NAME', cell: (_, obj) => textAt(obj, ['name']) };
const AGE_COLUMN: Column = {
  header: 'AGE',
  cell: (_, obj, now) => formatAge(typeof obj.creationTime === 'string' ? obj.creationTime : undefined, now),
};

/** The `get` table of a type: MESH (mesh-scoped types), NAME, the type's own columns, AGE. */
export function columnsFor(d: ResourceDescriptor): readonly Column[] {
  const own = TYPE_COLUMNS[d.name] ?? (d.isPolicy ? POLICY_COLUMNS : []);
  return [...(d.scope === 'mesh' ? [MESH_COLUMN] : []), NAME_COLUMN, ...own, AGE_COLUMN];
}

/** Table rows for resources of one type, in the order given. */
export function rowsFor(
  d: ResourceDescriptor,
  columns: readonly Column[],
  objects: readonly UniversalObject[],
  now: Date,
): string[][] {
  return objects.map((obj) => columns.map((c) => c.cell(specOf(d, obj), obj, now)));
}

function targetRefName(ref: unknown): string {
  const name = fieldAt(ref, ['name']);
  if (typeof name === 'string' && name !== '') return name;
  for (const key of ['tags', 'labels']) {
    const map = fieldAt(ref, [key]);
    if (typeof map === 'object' && map !== null && Object.keys(map).length > 0) {
      return Object.entries(map as Record<string, unknown>)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(',');
    }
  }
  return '-';
}
