// The era registry: every era by id, in release order. `--kernel vX.Y` resolves here.
import { UserError } from './errors.js';
import type { Era } from './era.js';
import pre6bdb913f0a70 from '../eras/pre-6bdb913f0a70.js';
import post6bdb913f0a70 from '../eras/post-6bdb913f0a70.js';
import post369ea8242c0f from '../eras/post-369ea8242c0f.js';
import postChangePteRemoval from '../eras/post-change-pte-removal.js';
import postAa85986e7150 from '../eras/post-aa85986e7150.js';

/** Released eras, oldest first. */
export const ERAS: readonly Era[] = [pre6bdb913f0a70, post6bdb913f0a70, post369ea8242c0f, postChangePteRemoval, postAa85986e7150];

export function getEra(id: string): Era {
  const e = ERAS.find((x) => x.id === id);
  if (!e) throw new UserError(`unknown era \`${id}\`: expected one of ${ERAS.map((x) => x.id).join(', ')}, or all`);
  return e;
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
