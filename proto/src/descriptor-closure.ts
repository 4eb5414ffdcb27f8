import type { DescFile } from '@bufbuild/protobuf';

/**
 * Returns the given files and everything they import, transitively, each once.
 *
 * `createRegistry(file)` registers only that file's own types; a registry that must resolve
 * every message reachable from a set of root files (to unpack any `Any`) needs the closure.
 */
export function withDependencies(roots: readonly DescFile[]): DescFile[] {
  const seen = new Map<string, DescFile>();
  const pending = [...roots];
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (seen.has(file.name)) continue;
    seen.set(file.name, file);
    pending.push(...file.dependencies);
  }
  return [...seen.values()];
}
