import { invalid, type Violation } from '../errors/strait-error.js';
import type { ResourceDescriptor } from './descriptor.js';
import type { ResourceRegistry } from './registry.js';
import type { Resource, ResourceInput } from './resource.js';
import { validateAgainstSchema } from './validate-spec.js';

/** A resource in Kuma's universal JSON/YAML form, as the API returns and accepts it. */
export type UniversalObject = Record<string, unknown>;

/** Top-level keys that are metadata in every universal form, never spec. */
const META_KEYS = new Set(['type', 'name', 'mesh', 'labels', 'creationTime', 'modificationTime', 'kri']);

/** Names: 1–253 characters, alphanumerics plus `-`, `_`, `.`, starting and ending alphanumeric. */
const NAME_PATTERN = /^[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,251}[A-Za-z0-9])?$/;
const LABEL_KEY_PATTERN =
  /^(?:[a-z0-9A-Z](?:[-a-z0-9A-Z_.]*[a-z0-9A-Z])?\/)?[a-z0-9A-Z](?:[-a-z0-9A-Z_.]{0,61}[a-z0-9A-Z])?$/;

/** Renders a stored resource in its type's universal form. */
export function toUniversal(d: ResourceDescriptor, r: Resource): UniversalObject {
  const out: UniversalObject = { type: r.type };
  if (r.meta.mesh !== undefined) out.mesh = r.meta.mesh;
  out.name = r.meta.name;
  out.creationTime = r.meta.creationTime;
  out.modificationTime = r.meta.modificationTime;
  out.labels = { ...r.meta.labels };
  if (d.specLayout === 'inline') {
    Object.assign(out, r.spec as object);
  } else {
    out.spec = r.spec;
  }
  if (r.status !== undefined) out.status = r.status;
  return out;
}

/** What the caller already knows about the object, e.g. from the URL path. */
export interface ParseExpectations {
  readonly type?: string;
  readonly mesh?: string;
  readonly name?: string;
}

/**
 * Parses and validates one universal object. Throws `Invalid` listing every offending field
 * (nothing partial is returned). `mesh` defaults to `default` for mesh-scoped types.
 */
export function parseUniversal(
  registry: ResourceRegistry,
  obj: unknown,
  expect: ParseExpectations = {},
): ResourceInput {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw invalid([{ field: '(root)', reason: 'must be an object' }]);
  }
  const o = obj as UniversalObject;
  const violations: Violation[] = [];
  const type = o.type ?? expect.type;
  if (typeof type !== 'string' || type === '') {
    throw invalid([{ field: 'type', reason: 'must be set' }]);
  }
  if (expect.type !== undefined && type !== expect.type) {
    throw invalid([{ field: 'type', reason: `must be ${expect.type}, not ${type}` }]);
  }
  const d = registry.require(type);

  const name = o.name ?? expect.name;
  if (typeof name !== 'string' || name === '') violations.push({ field: 'name', reason: 'must be set' });
  else if (!NAME_PATTERN.test(name)) {
    violations.push({
      field: 'name',
      reason:
        'must be 1-253 characters of letters, digits, "-", "_" or ".", starting and ending with a letter or digit',
    });
  } else if (expect.name !== undefined && name !== expect.name) {
    violations.push({ field: 'name', reason: `must match the name in the path ("${expect.name}")` });
  }

  let mesh: string | undefined;
  if (d.scope === 'mesh') {
    const m = o.mesh ?? expect.mesh ?? 'default';
    if (typeof m !== 'string' || !NAME_PATTERN.test(m))
      violations.push({ field: 'mesh', reason: 'must be a valid mesh name' });
    else if (expect.mesh !== undefined && m !== expect.mesh) {
      violations.push({ field: 'mesh', reason: `must match the mesh in the path ("${expect.mesh}")` });
    } else mesh = m;
  } else if (o.mesh !== undefined && o.mesh !== '') {
    violations.push({ field: 'mesh', reason: `must not be set: ${d.name} is not mesh-scoped` });
  }

  const labels: Record<string, string> = {};
  if (o.labels !== undefined && o.labels !== null) {
    if (typeof o.labels !== 'object' || Array.isArray(o.labels)) {
      violations.push({ field: 'labels', reason: 'must be a map of strings' });
    } else {
      for (const [k, v] of Object.entries(o.labels)) {
        if (!LABEL_KEY_PATTERN.test(k)) violations.push({ field: `labels["${k}"]`, reason: 'invalid label key' });
        else if (typeof v !== 'string') violations.push({ field: `labels["${k}"]`, reason: 'must be a string' });
        else labels[k] = v;
      }
    }
  }

  let spec: unknown;
  let status: unknown;
  if (d.specLayout === 'inline') {
    const inline: UniversalObject = {};
    for (const [k, v] of Object.entries(o)) if (!META_KEYS.has(k) && k !== 'status') inline[k] = v;
    spec = inline;
    violations.push(...validateAgainstSchema(d.specSchema, spec, ''));
  } else {
    for (const k of Object.keys(o)) {
      if (!META_KEYS.has(k) && k !== 'spec' && k !== 'status') violations.push({ field: k, reason: 'unknown field' });
    }
    spec = o.spec ?? {};
    violations.push(...validateAgainstSchema(d.specSchema, spec, 'spec'));
  }
  if (o.status !== undefined && d.statusSchema !== undefined) {
    status = o.status;
    violations.push(...validateAgainstSchema(d.statusSchema, status, 'status'));
  }
  if (violations.length === 0 && d.validate !== undefined && typeof name === 'string') {
    const ctx = mesh === undefined ? { name, labels } : { name, mesh, labels };
    violations.push(...d.validate(spec as never, ctx));
  }
  if (violations.length > 0) throw invalid(violations, d.name);

  const input: { -readonly [K in keyof ResourceInput]: ResourceInput[K] } = {
    type: d.name,
    name: name as string,
    labels,
    spec,
  };
  if (mesh !== undefined) input.mesh = mesh;
  if (status !== undefined) input.status = status;
  return input;
}
