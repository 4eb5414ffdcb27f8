import { StraitError } from '@strait/shared';
import { parseAllDocuments } from 'yaml';
import type { ManifestDocument } from './manifest-document.js';

/**
 * Splits a manifest into its objects. The text is a YAML stream (`---` between documents;
 * JSON is YAML too); empty documents are skipped. A document that is a list, either a
 * top-level array or Kuma's list form `{items: [...]}` (what `GET /meshes` returns), yields
 * each of its items. A syntax error rejects the whole source with `Invalid`, naming the
 * document and line.
 */
export function splitDocuments(text: string, source: string): ManifestDocument[] {
  const out: ManifestDocument[] = [];
  const docs = parseAllDocuments(text, { prettyErrors: true });
  // parseAllDocuments returns an EmptyStream (not an array) for input without documents.
  if (!Array.isArray(docs)) return out;
  for (const [i, doc] of docs.entries()) {
    const index = i + 1;
    const error = doc.errors[0];
    if (error !== undefined) {
      const where = source === '-' ? '<stdin>' : source;
      throw new StraitError('Invalid', `${where}, document ${index}: not valid YAML or JSON: ${error.message}`);
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    const items = listItems(value);
    if (items === undefined) out.push({ source, index, object: value });
    else for (const [j, object] of items.entries()) out.push({ source, index, item: j + 1, object });
  }
  return out;
}

function listItems(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value === 'object' && value !== null && !('type' in value)) {
    const items = (value as { items?: unknown }).items;
    if (Array.isArray(items)) return items;
  }
  return undefined;
}
