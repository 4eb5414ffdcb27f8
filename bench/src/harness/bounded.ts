/**
 * Runs `task` for every index in `[0, count)` with at most `concurrency` in flight, and resolves
 * when all have finished. The first failure rejects (tasks already started still run to the end).
 */
export async function forEachBounded(
  count: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next;
      next += 1;
      await task(index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker));
}
