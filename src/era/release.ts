// Kernel release names, compared: v2.6.32 < v3.0 < v4.19 < v6.13-rc1 < v6.13.
import { UserError } from '../errors.js';
import { quote } from '../input.js';

/**
 * v2.6.32 -> 2,006,032; v4.19.3 -> 4,019,000; v6.13-rc1 -> 6,013,000; v2.6.32.1 -> 2,006,032.
 * Stable point releases share their release (the 2.6 series had four numbers).
 */
export function releaseKey(v: string): number {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:\.\d+)?(?:-rc\d+)?$/.exec(v);
  if (!m || (/^v?\d+\.\d+\.\d+\.\d+/.test(v) && m[1] !== '2')) throw new UserError(`bad kernel version \`${quote(v)}\`: expected vX.Y or vX.Y.Z (v2.6.X.Y for a 2.6 stable release), for example v4.19`);
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const third = major === 2 ? Number(m[3] ?? 0) : 0;
  return major * 1_000_000 + minor * 1_000 + third;
}
