/**
 * Locates ../shared/data (override with IQA_SHARED_DATA). Tests that need it skip with a clear message when absent.
 */
import { existsSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export const SHARED_DATA: string | null = (() => {
  const p = process.env.IQA_SHARED_DATA ?? resolve(repoRoot, '..', 'shared', 'data');
  return existsSync(p) ? p : null;
})();

/** Pass as the `skip` option of a test: false when the data is there, else the reason. */
export const needsSharedData: string | false = SHARED_DATA
  ? false
  : 'shared data folder not found (set IQA_SHARED_DATA or place it at ../shared/data): golden test skipped';

/** Absolute path inside the shared data folder (throws if absent; guard with needsSharedData). */
export function sharedPath(...parts: string[]): string {
  if (!SHARED_DATA) throw new Error(String(needsSharedData));
  return join(SHARED_DATA, ...parts);
}

export { repoRoot };
