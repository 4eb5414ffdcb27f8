import type { ResourceDescriptor } from '@strait/shared';

type Schema = Record<string, unknown>;

/** A plain-JSON copy of a TypeBox schema (drops TypeBox's symbol keys). */
export function plainSchema(schema: unknown): Schema {
  return JSON.parse(JSON.stringify(schema)) as Schema;
}

/** Metadata fields of the universal form, as Kuma's `Meta` describes them. */
function metaProperties(d: ResourceDescriptor): Record<string, Schema> {
  const props: Record<string, Schema> = {
    type: { type: 'string', enum: [d.name] },
    name: { type: 'string' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    creationTime: { type: 'string', format: 'date-time', readOnly: true },
    modificationTime: { type: 'string', format: 'date-time', readOnly: true },
  };
  if (d.scope === 'mesh') props.mesh = { type: 'string' };
  return props;
}

/**
 * The schema of a type's universal object (`<Type>Item`), built from the same TypeBox schema
 * the API validates with: spec fields at the top level for inline types, under `spec` otherwise.
 */
export function itemSchema(d: ResourceDescriptor): Schema {
  const spec = plainSchema(d.specSchema);
  const required = d.scope === 'mesh' ? ['type', 'name', 'mesh'] : ['type', 'name'];
  const base: Schema = { type: 'object', description: d.description };
  if (d.specLayout === 'nested') {
    const properties: Record<string, Schema> = { ...metaProperties(d), spec };
    if (d.statusSchema !== undefined) properties.status = { ...plainSchema(d.statusSchema), readOnly: true };
    return { ...base, required: [...required, 'spec'], properties };
  }
  const specProperties = spec.properties as Record<string, Schema> | undefined;
  if (spec.type === 'object' && specProperties !== undefined) {
    const specRequired = Array.isArray(spec.required) ? (spec.required as string[]) : [];
    const merged: Schema = {
      ...base,
      required: [...required, ...specRequired],
      properties: { ...metaProperties(d), ...specProperties },
    };
    if (spec.additionalProperties !== undefined) merged.additionalProperties = spec.additionalProperties;
    return merged;
  }
  return { ...base, allOf: [{ type: 'object', required, properties: metaProperties(d) }, spec] };
}
