/**
 * Example resources in Kuma's universal form, one or more valid and at least two invalid
 * ones per built-in type. They live as YAML under `resources/testdata/` so they read like
 * the manifests users apply; every call returns fresh copies.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

/** A valid universal object of a type. */
export interface ValidExample {
  readonly type: string;
  readonly object: Record<string, unknown>;
}

/** An invalid universal object, and the field its `Invalid` error must name. */
export interface InvalidExample {
  readonly description: string;
  readonly object: Record<string, unknown>;
  readonly field: string;
}

const TESTDATA = fileURLToPath(new URL('../resources/testdata/', import.meta.url));

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every YAML document of every file in `testdata/<dir>`, in file-name order. */
function loadDocuments(dir: string): { file: string; doc: unknown }[] {
  const path = `${TESTDATA}${dir}/`;
  const files = readdirSync(path)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  return files.flatMap((file) =>
    parseAllDocuments(readFileSync(`${path}${file}`, 'utf8')).map((d) => {
      if (d.errors.length > 0) throw new Error(`${dir}/${file}: ${d.errors[0]?.message}`);
      return { file, doc: d.toJS() as unknown };
    }),
  );
}

/** At least one realistic valid object per built-in type. */
export function validExamples(): ValidExample[] {
  return loadDocuments('valid').map(({ file, doc }) => {
    if (!isRecord(doc) || typeof doc.type !== 'string') throw new Error(`valid/${file}: a document without a type`);
    return { type: doc.type, object: doc };
  });
}

/** At least two invalid objects per built-in type, each with the field the error must name. */
export function invalidExamples(): InvalidExample[] {
  return loadDocuments('invalid').map(({ file, doc }) => {
    if (
      !isRecord(doc) ||
      typeof doc.description !== 'string' ||
      typeof doc.field !== 'string' ||
      !isRecord(doc.object)
    ) {
      throw new Error(`invalid/${file}: each document needs description, field and object`);
    }
    return { description: doc.description, field: doc.field, object: doc.object };
  });
}
