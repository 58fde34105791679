// Kernel release names, compared: v2.6.32 < v3.0 < v4.19 < v6.13-rc1 < v6.13.
import { UserError, quote } from '../errors.js';

/**
 * v2.6.32 -> 2,006,032; v4.19.3 -> 4,019,000; v6.13-rc1 -> 6,013,000; v2.6.32.1 -> 2,006,032.
 * Stable point releases share their release (the 2.6 series had four numbers).
 */
export function releaseKey(v: string): number {
  // Release names are compared everywhere (every era's range, every span): parse each once.
  let k = KEYS.get(v);
  if (k === undefined) {
    const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:\.\d+)?(?:-rc\d+)?$/.exec(v);
    if (!m || (/^v?\d+\.\d+\.\d+\.\d+/.test(v) && m[1] !== '2')) throw new UserError(`bad kernel version \`${quote(v)}\`: expected vX.Y or vX.Y.Z (v2.6.X.Y for a 2.6 stable release), for example v4.19`);
    const major = Number(m[1]);
    k = major * 1_000_000 + Number(m[2]) * 1_000 + (major === 2 ? Number(m[3] ?? 0) : 0);
    KEYS.set(v, k);
  }
  return k;
}
const KEYS = new Map<string, number>();

/**
 * Why a version is not a mainline release though it names one (a stable vX.Y.Z, v2.6.X.Y, or
 * an -rc), or null. mmutt models mainline releases only: a stable release may carry backports
 * its mainline release lacks, and an -rc lacks what was merged after it.
 */
export function notMainline(v: string): string | null {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:\.(\d+))?(-rc\d+)?$/.exec(v);
  if (!m) return null;
  const mainline = m[1] === '2' ? `v2.${m[2]}.${m[3] ?? 0}` : `v${m[1]}.${m[2]}`;
  if (m[5]) return `${quote(v)} is a release candidate: mmutt models mainline releases (an -rc lacks what was merged after it); ${mainline} is the release it led to`;
  if (m[1] === '2' ? m[4] !== undefined : m[3] !== undefined) return `${quote(v)} is a stable release: mmutt models mainline releases (a stable release can carry backports); its mainline release is ${mainline}`;
  return null;
}
