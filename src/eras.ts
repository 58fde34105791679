// The era registry: every era by id, in release order. `--kernel vX.Y` resolves here.
import { UserError } from './errors.js';
import type { Era } from './era.js';
import pre6bdb913f0a70 from '../eras/pre-6bdb913f0a70.js';
import post6bdb913f0a70 from '../eras/post-6bdb913f0a70.js';
import post369ea8242c0f from '../eras/post-369ea8242c0f.js';
import postChangePteRemoval from '../eras/post-change-pte-removal.js';
import postAa85986e7150 from '../eras/post-aa85986e7150.js';
import rfc202403FolioDirty from '../eras/proposals/rfc-2024-03-folio-dirty.js';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deriveEra } from './era.js';

/** Released eras, oldest first. */
export const ERAS: readonly Era[] = [pre6bdb913f0a70, post6bdb913f0a70, post369ea8242c0f, postChangePteRemoval, postAa85986e7150];

/** Patches under review, as overlays on a released era (eras/proposals/). Not in `--era all`. */
export const PROPOSALS: readonly Era[] = [rfc202403FolioDirty];

/** Eras loaded with --era-file in this run. */
const loaded: Era[] = [];

export function getEra(id: string): Era {
  const e = [...ERAS, ...PROPOSALS, ...loaded].find((x) => x.id === id);
  if (!e) {
    const known = [...ERAS, ...PROPOSALS, ...loaded].map((x) => x.id).join(', ');
    throw new UserError(`unknown era \`${id}\`: expected one of ${known}, or all`);
  }
  return e;
}

/**
 * --era-file PATH: load a proposal overlay of the user's own. This is the one way mmutt runs
 * code a user gives it (scenario files are data). The module's default export is a function
 * that receives { deriveEra, getEra } and returns an Era (docs/writing-an-era.md).
 */
export async function loadEraFile(path: string): Promise<Era> {
  let url = pathToFileURL(resolve(path)).href;
  if (!existsSync(path)) throw new UserError(`cannot read era file ${path}: ENOENT`);
  if (/\.(ts|mts)$/.test(path)) url = await transpile(path);
  let mod: { default?: unknown };
  try {
    mod = (await import(url)) as { default?: unknown };
  } catch (e) {
    throw new UserError(`era file ${path} did not load: ${(e as Error).message.split('\n')[0]}`);
  }
  if (typeof mod.default !== 'function') throw new UserError(`era file ${path}: expected \`export default ({ deriveEra, getEra }) => deriveEra(getEra('...'), { ... })\``);
  const era = (mod.default as (api: object) => Era)({ deriveEra, getEra });
  checkEra(era, path);
  if ([...ERAS, ...PROPOSALS, ...loaded].some((x) => x.id === era.id)) throw new UserError(`era file ${path}: era id \`${era.id}\` is taken`);
  loaded.push(era);
  return era;
}

function checkEra(era: Era, path: string): void {
  if (!era || typeof era.id !== 'string' || !era.rules) throw new UserError(`era file ${path}: the function must return an era (use deriveEra)`);
  for (const name of Object.keys(ERAS[0]!.rules) as (keyof Era['rules'])[]) {
    const r = era.rules[name];
    if (!r || !Array.isArray(r.cite) || !r.cite.length || typeof r.why !== 'string') throw new UserError(`era file ${path}: rule ${name} needs a value, a why and at least one citation`);
  }
}

/** TypeScript era files are compiled with esbuild (installed with the project's build tools). */
async function transpile(path: string): Promise<string> {
  let esbuild: { transform(code: string, o: object): Promise<{ code: string }> };
  try {
    esbuild = (await import('esbuild')) as never;
  } catch {
    throw new UserError(`era file ${path}: TypeScript needs esbuild (npm ci installs it); or write the era in JavaScript (.mjs)`);
  }
  const { code } = await esbuild.transform(readFileSync(path, 'utf8'), { loader: 'ts', format: 'esm' });
  const dir = mkdtempSync(join(tmpdir(), 'mmutt-era-'));
  const out = join(dir, 'era.mjs');
  writeFileSync(out, code);
  return pathToFileURL(out).href;
}

/** v2.6.32 -> [2,6,32]; v4.19.3 -> [4,19]; v6.13-rc1 -> [6,13]. Stable point releases share their era. */
export function releaseKey(v: string): number {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:-rc\d+)?$/.exec(v);
  if (!m) throw new UserError(`bad kernel version \`${v}\`: expected vX.Y or vX.Y.Z, for example v4.19`);
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const third = major === 2 ? Number(m[3] ?? 0) : 0;
  return major * 1_000_000 + minor * 1_000 + third;
}

/** The era that covers a kernel release. */
export function eraForKernel(v: string): Era {
  const k = releaseKey(v);
  const first = ERAS[0]!;
  if (k < releaseKey(first.releases.first)) {
    throw new UserError(`${v} is older than every era: KVM's .change_pte() arrived in ${first.releases.first} (${first.commits[0]})`);
  }
  for (const e of ERAS) {
    if (e.releases.last === undefined || k <= releaseKey(e.releases.last)) return e;
  }
  return ERAS[ERAS.length - 1]!;
}
