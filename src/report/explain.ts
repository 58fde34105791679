// mmutt explain: the trace step by step, in kernel terms: what each step changed (from the
// writes it made) and the era rule that fired, with its source the first time it does.
import type { RunResult } from '../contract/output.js';
import type { RuleName } from '../contract/era.js';
import { bandLines, eraHeader, fmtRuleValue, fmtValue, heldLine, wrap, toolOf } from './text.js';

export function explainText(r: RunResult, how: string): string {
  const out = [`mmutt ${toolOf([r.era])} explain`, `scenario ${r.scenario.name}  sha256 ${r.sha256.slice(0, 12)}`, ...eraHeader(r.era), ...heldLine(r)];
  if (!r.outcome) return `${[...out, '', ...wrap(r.unavailable!, '')].join('\n')}\n`;
  out.push('', `${how}, step by step:`);
  const explained = new Set<RuleName>();
  for (const t of r.trace) {
    out.push('', `${t.n}. ${t.thread}: ${t.fn}`);
    out.push(...wrap(t.does, '     '));
    // Counters are bookkeeping here: the summary at the end has them.
    for (const c of t.changes.filter((c) => !/^(notifier|kvm|guest)\./.test(c.slot))) out.push(...wrap(`${c.slot}: ${c.from} -> ${c.to}`, '     ', '       '));
    for (const n of t.notes) out.push(...wrap(n, '     ', '       '));
    for (const name of t.rules) {
      const rule = r.era.rules[name];
      if (explained.has(name)) {
        out.push(`     rule ${name} (above)`);
        continue;
      }
      explained.add(name);
      const since = r.era.entries[name];
      out.push(...wrap(`rule ${name} = ${fmtRuleValue(rule.value)}${since ? ` (from ${since.release})` : ''}: ${rule.why}`, '     ', '       '));
      for (const c of rule.cite) out.push(...wrap(`source: ${c.file} ${c.fn}${c.commit ? `, ${c.commit}` : ''} (${c.status})`, '       ', '         '));
    }
  }
  out.push('', 'Outcome:');
  for (const [k, v] of Object.entries(r.outcome.observations)) out.push(`  ${r.labels?.[k] ?? k} = ${fmtValue(k, v)}`);
  out.push(`  violations: ${r.outcome.violations.join(', ') || 'none'}`);
  if (r.bands) out.push('', ...bandLines(r.bands, r.era.release));
  return `${out.join('\n')}\n`;
}
