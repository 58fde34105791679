// The era modules, found by file: the timeline (eras/timeline/index), every era in eras/ and
// every proposal in eras/proposals/; the sources under vitest, dist/eras/ when built (tsup
// builds each one). The command line's bundle and the time-travel page's carry the modules
// themselves instead: their build replaces this module with one that imports them all
// (build/era-modules.mjs), so the command line loads no module file to know its eras.
import { existsSync, readdirSync } from 'node:fs';
import type { Era, Timeline } from '../contract/era.js';
import { BUILT, PACKAGE_ROOT } from '../input.js';
import { importModule } from './load.js';

export interface EraModules {
  timeline: Timeline;
  /** Released eras, in any order. */
  eras: Era[];
  proposals: Era[];
}

export async function eraModules(): Promise<EraModules> {
  const { dir, ext } = BUILT ? { dir: new URL('dist/eras/', PACKAGE_ROOT), ext: '.js' } : { dir: new URL('eras/', PACKAGE_ROOT), ext: '.ts' };
  const timeline = ((await importModule(new URL(`timeline/index${ext}`, dir).href)) as { default: Timeline }).default;
  return { timeline, eras: await importAll(dir, ext), proposals: await importAll(new URL('proposals/', dir), ext) };
}

async function importAll(dir: URL, ext: string): Promise<Era[]> {
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(ext) && !f.endsWith('.d.ts'))
    .sort();
  return Promise.all(files.map(async (f) => ((await importModule(new URL(f, dir).href)) as { default: Era }).default));
}
