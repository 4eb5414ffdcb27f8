/** One object read from a manifest, and where it came from (for error messages). */
export interface ManifestDocument {
  /** File path, or `-` for stdin. */
  readonly source: string;
  /** 1-based number of the YAML document within the source. */
  readonly index: number;
  /** 1-based position inside a list document (`items:` or a top-level array), when it came from one. */
  readonly item?: number;
  readonly object: unknown;
}

/** `file.yaml, document 2` (`, item 3`): where a document came from, as error messages say it. */
export function describeOrigin(doc: ManifestDocument): string {
  const source = doc.source === '-' ? '<stdin>' : doc.source;
  return doc.item === undefined
    ? `${source}, document ${doc.index}`
    : `${source}, document ${doc.index}, item ${doc.item}`;
}
