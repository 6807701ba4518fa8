/**
 * Listing image files and pairing distorted/reference folders **by file name** (never by sorted order).
 * A name pairs with the same relative path; failing that, with the same path up to the extension
 * (dist/a.png <-> ref/a.bmp). Unpaired files are returned so the caller can report them.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, relative, extname } from 'node:path';

export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff', '.webp', '.avif', '.gif'] as const;

export function isImagePath(p: string): boolean {
  return (IMAGE_EXTENSIONS as readonly string[]).includes(extname(p).toLowerCase());
}

/** Image files under `dir` (recursive), as paths relative to it, sorted. */
export async function listImages(dir: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(d: string): Promise<void> {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (isImagePath(e.name)) out.push(relative(dir, p));
    }
  }
  await walk(dir);
  return out.sort();
}

export async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

export interface Pairing {
  pairs: { name: string; dist: string; ref: string }[];
  unpairedDist: string[];
  unpairedRef: string[];
}

const stem = (p: string) => p.slice(0, p.length - extname(p).length);

/** Pairs two lists of relative names by exact name, then by name without extension (unique matches only). */
export function pairByName(distNames: readonly string[], refNames: readonly string[]): Omit<Pairing, 'pairs'> & { pairs: { name: string; dist: string; ref: string }[] } {
  const refSet = new Set(refNames);
  const used = new Set<string>();
  const pairs: { name: string; dist: string; ref: string }[] = [];
  const rest: string[] = [];
  for (const d of distNames) {
    if (refSet.has(d)) {
      pairs.push({ name: d, dist: d, ref: d });
      used.add(d);
    } else rest.push(d);
  }
  const byStem = new Map<string, string[]>();
  for (const r of refNames) if (!used.has(r)) byStem.set(stem(r), [...(byStem.get(stem(r)) ?? []), r]);
  const unpairedDist: string[] = [];
  for (const d of rest) {
    const cands = (byStem.get(stem(d)) ?? []).filter((r) => !used.has(r));
    if (cands.length === 1) {
      pairs.push({ name: d, dist: d, ref: cands[0] });
      used.add(cands[0]);
    } else unpairedDist.push(d);
  }
  return { pairs, unpairedDist, unpairedRef: refNames.filter((r) => !used.has(r)) };
}

/** Pairs the images of two folders by name; paths in the result are absolute (joined with the folders). */
export async function pairFolders(distDir: string, refDir: string): Promise<Pairing> {
  const [d, r] = await Promise.all([listImages(distDir), listImages(refDir)]);
  const p = pairByName(d, r);
  return {
    pairs: p.pairs.map((x) => ({ name: x.name, dist: join(distDir, x.dist), ref: join(refDir, x.ref) })),
    unpairedDist: p.unpairedDist,
    unpairedRef: p.unpairedRef,
  };
}
