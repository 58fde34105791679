// mmutt bisect: walk the released eras in order and name the first one where a condition's
// truth, in the canonical run, flips, with the commits that open that era.
import type { Cond } from '../scenario/types.js';
import { evalCond, fmtCond } from '../engine/observe.js';
import { compile } from '../engine/compile.js';
import { runCanonical } from '../engine/run.js';
import type { Era } from '../era.js';
import type { Scenario } from '../scenario/types.js';
import { unavailable } from '../engine/features.js';
import { VERSION } from '../version.js';
import { MAIL_WIDTH, eraRefs, releasesOf, wrap } from './text.js';

const W = MAIL_WIDTH;

export interface Bisection {
  truths: { era: Era; holds: boolean | null; why?: string }[];
  /** The first era whose truth differs from the previous era that ran, or null. */
  flip: Era | null;
}

export function bisect(s: Scenario, eras: readonly Era[], cond: Cond): Bisection {
  const truths = eras.map((era) => {
    const why = unavailable(s, era);
    if (why) return { era, holds: null, why };
    const m = compile(s, era);
    return { era, holds: evalCond(m, runCanonical(m).final, cond) };
  });
  let prev: boolean | null = null;
  let flip: Era | null = null;
  for (const t of truths) {
    if (t.holds === null) continue;
    if (prev !== null && t.holds !== prev) {
      flip = t.era;
      break;
    }
    prev = t.holds;
  }
  return { truths, flip };
}

export function bisectText(s: Scenario, cond: Cond, b: Bisection): string {
  const out = [`mmutt ${VERSION} bisect  scenario ${s.name}`, ...wrap(`where ${fmtCond(cond)} (canonical run)`, '  ', '    ', W), ''];
  for (const t of b.truths) out.push(`  ${t.era.id.padEnd(25)} ${releasesOf(t.era).padEnd(16)} ${t.holds === null ? 'not in this era' : t.holds ? 'holds' : 'does not hold'}`);
  out.push('');
  if (!b.flip) out.push('The condition does not change across the eras that can run the scenario.');
  else {
    out.push(...wrap(`First flip: ${b.flip.id} (${releasesOf(b.flip)}), opened by`, '', '  ', W));
    out.push(...eraRefs(b.flip, '  ', W));
    // An era may also carry rule changes made earlier inside the previous era's releases;
    // each names its own source, so the flip can be pinned on the right one.
    out.push('', 'Rules this era changes, and their sources:');
    for (const name of b.flip.changed) {
      const r = b.flip.rules[name];
      out.push(...wrap(`${name} = ${JSON.stringify(r.value).replace(/,/g, ', ')}`, '  ', '    ', W));
      for (const c of r.cite) {
        out.push(...wrap(`${c.file} ${c.fn}${c.note ? ` (${c.note})` : ''}`, '    ', '      ', W));
        if (c.commit) out.push(`      ${c.commit}`);
      }
    }
  }
  return `${out.join('\n')}\n`;
}
