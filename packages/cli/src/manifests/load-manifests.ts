import type { ManifestDocument } from './manifest-document.js';
import { readManifestSources } from './read-sources.js';
import { splitDocuments } from './split-documents.js';
import { applyTemplateVars } from './template-vars.js';

/** Options of {@link loadManifests}. */
export interface LoadManifestsOptions {
  /** `-f` arguments: files, directories, `-` for stdin. */
  readonly paths: readonly string[];
  /** `--var` values; when empty, manifests are taken literally. */
  readonly vars: ReadonlyMap<string, string>;
  readonly readStdin: () => Promise<string>;
}

/** Reads, templates and splits every manifest source into documents, in source order. */
export async function loadManifests(options: LoadManifestsOptions): Promise<ManifestDocument[]> {
  const sources = await readManifestSources(options.paths, options.readStdin);
  return sources.flatMap(({ source, text }) =>
    splitDocuments(options.vars.size === 0 ? text : applyTemplateVars(text, options.vars, source), source),
  );
}
