/** Temporary folders for a test file, removed when the file's tests are done. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

/**
 * Call at a test file's top level; the returned function makes a folder under the OS temp dir.
 * @example const tmp = tempDirs(); test('...', () => { const d = tmp('iqa-cli-'); ... });
 */
export function tempDirs(): (prefix: string) => string {
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  return (prefix) => {
    const d = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
}
