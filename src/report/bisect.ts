// mmutt bisect, the report: the truth of a condition in each released era's canonical run (the
// runner computes it), and the first era where it flips, with its commits and the rules it sets.
import type { Bisection } from '../contract/output.js';
import type { Cond } from '../contract/scenario.js';
import { fmtCond } from './cond.js';
import type { Scenario } from '../contract/scenario.js';
import { VERSION } from '../version.js';
import { MAIL_WIDTH, eraRefs, fmtRuleValue, releasesOf, wrap } from './text.js';

const W = MAIL_WIDTH;

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
      out.push(...wrap(`${name} = ${fmtRuleValue(r.value)}`, '  ', '    ', W));
      for (const c of r.cite) {
        out.push(...wrap(`${c.file} ${c.fn}${c.note ? ` (${c.note})` : ''}`, '    ', '      ', W));
        if (c.commit) out.push(`      ${c.commit}`);
      }
    }
  }
  return `${out.join('\n')}\n`;
}
