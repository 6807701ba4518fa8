/** Reading small parameter files (JSON) and model files (bytes); a missing file names the path expected. */
import { readFile } from 'node:fs/promises';
import { IqaError } from '../tensor/errors.js';

async function read(path: string, what: string, where: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new IqaError(`${where}: ${what}: expected a file at '${path}', got ${code === 'ENOENT' ? 'no such file' : (e as Error).message} (nothing is ever downloaded)`, 'E_WEIGHTS', { cause: e });
  }
}

/** Parses a JSON file. */
export async function readJsonFile(path: string, what = 'parameter file'): Promise<unknown> {
  const b = await read(path, what, 'readJsonFile');
  try {
    return JSON.parse(b.toString('utf8')) as unknown;
  } catch (e) {
    throw new IqaError(`readJsonFile: ${what} '${path}': expected JSON, got unparsable text`, 'E_FORMAT', { cause: e });
  }
}

/** Reads a whole file as bytes (ONNX models, safetensors). */
export async function readBytesFile(path: string, what = 'model file'): Promise<Uint8Array> {
  return new Uint8Array(await read(path, what, 'readBytesFile'));
}
