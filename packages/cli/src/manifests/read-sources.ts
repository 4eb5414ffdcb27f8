import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { StraitError } from '@strait/shared';

/** The raw text of one manifest source. */
export interface ManifestSource {
  /** The file path, or `-` for stdin. */
  readonly source: string;
  readonly text: string;
}

/** Extensions a directory contributes; other files in it are ignored. */
const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/**
 * Reads every `-f` argument in order: `-` is stdin (read once), a directory contributes its
 * `.yaml`, `.yml` and `.json` files sorted by name (not recursing), anything else is a file.
 */
export async function readManifestSources(
  paths: readonly string[],
  readStdin: () => Promise<string>,
): Promise<ManifestSource[]> {
  const out: ManifestSource[] = [];
  let stdinRead = false;
  for (const path of paths) {
    if (path === '-') {
      if (stdinRead) continue;
      stdinRead = true;
      out.push({ source: '-', text: await readStdin() });
      continue;
    }
    const files = (await isDirectory(path)) ? await manifestFilesIn(path) : [path];
    for (const file of files) out.push({ source: file, text: await readText(file) });
  }
  return out;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch (err) {
    throw new StraitError('Invalid', `cannot read ${path}: ${describeFsError(err)}`, { cause: err });
  }
}

async function manifestFilesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && MANIFEST_EXTENSIONS.has(extname(e.name).toLowerCase()))
    .map((e) => e.name)
    .sort()
    .map((name) => join(dir, name));
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new StraitError('Invalid', `cannot read ${file}: ${describeFsError(err)}`, { cause: err });
  }
}

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  return err instanceof Error ? err.message : String(err);
}
