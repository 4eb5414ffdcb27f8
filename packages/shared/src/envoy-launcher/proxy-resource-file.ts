/** Reading a proxy's own resource (Dataplane or ZoneIngress) from a templated YAML or JSON file. */
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import { invalid, StraitError } from '../errors/strait-error.js';
import { parseUniversal, type UniversalObject } from '../model/codec.js';
import type { ResourceRegistry } from '../model/registry.js';
import type { ResourceInput } from '../model/resource.js';
import { builtinRegistry } from '../resources/index.js';
import { renderProxyTemplate } from './proxy-template.js';

/** Options of {@link readProxyResourceFile}. */
export interface ProxyResourceFileOptions {
  readonly path: string;
  /** Values of the file's `{{ name }}` placeholders. */
  readonly vars?: ReadonlyMap<string, string>;
  /** The resource type the file must hold (`Dataplane`, `ZoneIngress`). */
  readonly type: string;
  /** Flag that sets template variables, named in errors; default `--dataplane-var`. */
  readonly varFlag?: string;
  /** Default the built-in registry. */
  readonly registry?: ResourceRegistry;
}

/** The rendered object as written (sent to the control plane) and its validated form. */
export interface ProxyResource {
  readonly object: UniversalObject;
  readonly input: ResourceInput;
}

/** Parses one YAML or JSON document (JSON is YAML). */
function parseSingleDocument(text: string, source: string): unknown {
  const docs = parseAllDocuments(text).filter((d) => d.contents !== null);
  const first = docs[0];
  if (first === undefined) throw new StraitError('Invalid', `${source}: no resource in the file`);
  if (docs.length > 1) throw new StraitError('Invalid', `${source}: expected one resource, found ${docs.length}`);
  if (first.errors.length > 0) throw new StraitError('Invalid', `${source}: ${first.errors[0]?.message}`);
  return first.toJS() as unknown;
}

/**
 * Reads the file, fills its placeholders, parses it and validates it as `type` with the shared
 * codec. Throws `Invalid` naming a missing variable or the offending fields.
 */
export async function readProxyResourceFile(options: ProxyResourceFileOptions): Promise<ProxyResource> {
  let text: string;
  try {
    text = await readFile(options.path, 'utf8');
  } catch (err) {
    throw new StraitError('Invalid', `cannot read ${options.path}: ${(err as Error).message}`, { cause: err });
  }
  const rendered = renderProxyTemplate(text, options.vars ?? new Map(), options.path, options.varFlag);
  const object = parseSingleDocument(rendered, options.path);
  if (typeof object !== 'object' || object === null || Array.isArray(object)) {
    throw invalid([{ field: '(root)', reason: 'must be an object' }], options.type);
  }
  const input = parseUniversal(options.registry ?? builtinRegistry, object, { type: options.type });
  return { object: object as UniversalObject, input };
}
