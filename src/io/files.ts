/**
 * Plain file access for dataset loaders and reports (label files, existence checks, text/bytes output).
 * Kept here so that `src/data` and `src/eval` stay free of Node modules: they receive a `TextFs`.
 */
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { IqaError } from '../tensor/errors.js';

/** The file operations a dataset loader needs; `nodeFs` implements it, a browser can supply its own. */
export interface TextFs {
  readText(path: string): Promise<string>;
  exists(path: string): Promise<boolean>;
}

export const nodeFs: TextFs = {
  async readText(path) {
    try {
      return await readFile(path, 'utf8');
    } catch (e) {
      throw new IqaError(`readText: ${path}: cannot read file: ${(e as Error).message}`, 'E_READ', { cause: e });
    }
  },
  async exists(path) {
    try {
      await access(path);
      return true;
    } catch {
      return false;
    }
  },
};

/** Writes text or bytes, creating parent folders. */
export async function writeOutput(path: string, content: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
}
