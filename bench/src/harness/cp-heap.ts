/**
 * The V8 heap a CP reports on its diagnostics `/metrics` (prom-client's default Node metrics):
 * beside RSS it tells live JS objects (plus garbage not yet collected) from native memory.
 */

/** `nodejs_heap_size_used_bytes` in KiB, or undefined when the CP does not report it. */
export async function cpHeapUsedKb(diagnosticsUrl: string): Promise<number | undefined> {
  try {
    const response = await fetch(`${diagnosticsUrl}/metrics`);
    const text = await response.text();
    const match = /^nodejs_heap_size_used_bytes(?:\{[^}]*\})?\s+([0-9.e+]+)/m.exec(text);
    return match?.[1] === undefined ? undefined : Number(match[1]) / 1024;
  } catch {
    return undefined;
  }
}
