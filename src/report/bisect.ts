// mmutt bisect, the report: a condition over mainline releases (the runner computes it), the
// first release where it flips and the timeline entries that land there, each with its commit
// and how it is known; the entries that alone make the difference come first.
import type { RuleEntry } from '../contract/era.js';
import type { BisectFlip, Bisection } from '../contract/output.js';
import type { Cond, Scenario } from '../contract/scenario.js';
import { VERSION } from '../version.js';
import { fmtCond } from './cond.js';
import { toJson } from './json.js';
import { MAIL_WIDTH, fmtRuleValue, plural, releaseRange, wrap } from './text.js';

const W = MAIL_WIDTH;

const shown = (v: boolean | string | null) => (v === null ? 'not in these releases' : v === true ? 'holds' : v === false ? 'does not hold' : v);

/** One timeline entry: the rule and its value, the commit on a line of its own, the source and how the release is known. */
export function entryLines(e: RuleEntry, indent: string): string[] {
  const out = wrap(`${e.rule} = ${fmtRuleValue(e.value)}`, indent, `${indent}    `, W);
  out.push(e.commit ? `${indent}  ${e.commit}` : `${indent}  (commit not identified)`);
  for (const c of e.cite) out.push(...wrap(`${c.file}: ${c.fn}${c.note ? ` (${c.note})` : ''}`, `${indent}  `, `${indent}    `, W));
  out.push(...wrap(`${e.status}; release: ${e.pinned}`, `${indent}  `, `${indent}    `, W));
  return out;
}

function flipLines(f: BisectFlip): string[] {
  const out = wrap(`${f.release}${f.era ? ` (in era ${f.era})` : ''}: ${shown(f.from)} -> ${shown(f.to)}`, '', '  ', W);
  const others = f.entries.filter((e) => !f.decisive.includes(e));
  if (f.decisive.length) {
    out.push(...wrap(`Undone alone, ${f.decisive.length === 1 ? 'this entry gives' : 'each of these gives'} "${shown(f.from)}" again:`, '', '  ', W));
    for (const e of f.decisive) out.push(...entryLines(e, '  '));
  } else if (f.entries.length) {
    out.push(...wrap('No entry of this release alone undoes the flip; together:', '', '  ', W));
  } else if (f.features.length) {
    out.push(...wrap(`No rule entry lands in this release: the flip comes with ${f.features.length === 1 ? 'the feature' : 'the features'} that ${f.features.length === 1 ? 'arrives' : 'arrive'} here:`, '', '  ', W));
    for (const x of f.features) {
      out.push(...wrap(x.name, '  ', '    ', W), x.commit ? `    ${x.commit}` : '    (commit not identified)');
      out.push(...wrap(`${x.status}; release: ${x.pinned}`, '    ', '      ', W));
    }
  } else {
    out.push(...wrap('No timeline entry lands in this release.', '', '  ', W));
  }
  if (others.length) {
    if (f.decisive.length) out.push('Also in this release:');
    for (const e of others) out.push(...entryLines(e, '  '));
  }
  return out;
}

function bisectText(s: Scenario, cond: Cond, b: Bisection): string {
  const how = b.explore ? 'the verdict of exists, over every interleaving' : 'the canonical run';
  const out = [`mmutt ${VERSION} (history ${b.history})`, `bisect  scenario ${s.name}`, ...wrap(`where ${fmtCond(cond)} (${how})`, '  ', '    ', W)];
  out.push(...wrap(`releases ${b.between[0]}..${b.between[1]}: ${plural(b.runs, 'run')} (releases that differ only in rules the scenario does not read share one)`, '  ', '    ', W), '');
  const w = Math.max(...b.ranges.map((r) => releaseRange(r).length));
  for (const r of b.ranges) {
    out.push(`  ${releaseRange(r).padEnd(w)}  ${shown(r.value)}`);
    if (r.why) out.push(...wrap(r.why, `  ${''.padEnd(w)}  `, `  ${''.padEnd(w)}    `, W));
  }
  out.push('');
  if (!b.flip) {
    out.push(...wrap('The condition does not change across the releases that can run the scenario.', '', '', W));
    return `${out.join('\n')}\n`;
  }
  out.push('First flip:', ...flipLines(b.flip));
  for (const f of b.flips.slice(1)) out.push('', 'Later flip:', ...flipLines(f));
  return `${out.join('\n')}\n`;
}

/** bisect --format json: the bisection as data, with the tool and the scenario it ran. */
const bisectJson = (s: Scenario, cond: Cond, b: Bisection): string =>
  toJson({ schema: 'mmutt/bisect@1', tool: { version: VERSION, history: b.history }, scenario: { name: s.name, sha256: s.sha256 }, where: fmtCond(cond), ...b });

/** A bisection as printed: text, or (--format json) data. */
export const bisectOutput = (s: Scenario, cond: Cond, b: Bisection, format: 'text' | 'json'): string => (format === 'json' ? bisectJson(s, cond, b) : bisectText(s, cond, b));
