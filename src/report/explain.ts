// mmutt explain: the trace step by step, in kernel terms: what each step changed (from the
// writes it made) and the era rule that fired, with its source the first time it does.
import type { RunResult, StepsShown } from '../contract/output.js';
import type { RuleName } from '../contract/era.js';
import { bandLines, entryLines, eraHeader, fmtRuleValue, fmtValue, heldLine, wrap, toolOf } from './text.js';

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

/** explain --step: a function's steps at a release, as a scenario's machine builds them. */
export function stepsText(x: StepsShown): string {
  const { era } = x;
  // The era as asked: a proposal or a named era says so (a release alone says its era).
  const named = era.proposal ? `proposal ${era.id}, on ${era.release}` : era.id !== era.release ? era.id : era.era;
  const at = `${era.release}${named ? ` (${named})` : ''}`;
  const out = [`mmutt ${toolOf([era])}`];
  // The release's name for it, whichever name was asked.
  const name = x.steps[0]?.fn ?? x.asked;
  const asked = name === x.asked ? '' : ` (asked as ${x.asked})`;
  out.push(...wrap(`${name}${asked} at ${at}, as the machine of ${x.scenario} builds it: ${x.steps.length} step${x.steps.length === 1 ? '' : 's'}.`, ''));
  if (x.alsoIn.length) out.push(...wrap(`Also built by: ${x.alsoIn.join(', ')} (give one as SCENARIO to see its machine).`, ''));
  x.steps.forEach((st, i) => {
    out.push('', ...wrap(`Step ${i + 1}: ${st.fn} [${st.at.map((p) => `${p.thread} pc ${p.pc}`).join(', ')}]${st.callback ? ` (.${st.callback})` : ''}`, ''));
    out.push(...wrap(st.does, '  ', '  '));
    out.push(...wrap(`runs when: ${st.guard ?? 'always'}`, '  ', '      '));
    out.push('  does:');
    for (const line of st.effect) {
      const lead = `    ${line.match(/^ */)![0]}`;
      out.push(...wrapCode(line.trimStart(), lead, `${lead}    `));
    }
    for (const m of st.modelOnly ?? []) {
      out.push(...wrap(`model only: ${m.slot}: ${era.release} has no such field${m.from ? ` (the kernel has one from ${m.from.release}: ${m.from.name})` : ''}; the model keeps it in every release, and a trace leaves its changes out.`, '  ', '    '));
    }
    if (st.rules.length) out.push('  rules:');
    for (const r of st.rules) {
      out.push(...wrap(`${r.name} = ${fmtRuleValue(r.value as never)} (${r.read === 'built' ? 'decided how the step was built' : 'read as it runs'})`, '    ', '      '));
      if (r.entry) out.push(...entryLines(r.entry, era.timeline?.releases[0] ?? '', '      '));
      else out.push('      (set by the proposal)');
    }
  });
  for (const p of x.programs) {
    out.push('', ...wrap(`${p.thread}'s program (pc:function; * shown above; [the rules that put a step there]):`, '', '  '));
    out.push(...wrap(p.steps.map((st) => `${st.pc}:${st.fn}${st.shown ? '*' : ''}${st.rules.length ? `[${st.rules.join(', ')}]` : ''}`).join(' '), '  ', '  '));
  }
  if (x.code) out.push('', `${x.code} more step${x.code === 1 ? '' : 's'} of that name ${x.code === 1 ? 'is' : 'are'} code, not data (a registrant's): not shown.`);
  out.push(
    '',
    ...wrap(
      `The model's step (docs/engine.md: steps as data): slots in [brackets] by their names in this scenario ([model only: NAME] where the release has no such field: the model keeps it in every release) (a lock holds its holder's thread number + 1, 0 when free; mmap_lock counts readers below 0), a ${x.folio}'s fields as ${x.folio}(pfn).field, a jump as the pc it goes to in the thread's program; masks in hex. The kernel's code is where each entry's reads point.`,
      '',
    ),
  );
  return `${out.join('\n')}\n`;
}

/**
 * A line of a step's code wrapped at 80 columns; a break inside a string literal closes it and
 * opens the next line with the rest, as C joins adjacent literals ("restore the PTE, set "
 * "swapbacked"): the text copied from either line is the step's own.
 */
function wrapCode(line: string, lead: string, hang: string, width = 80): string[] {
  const out: string[] = [];
  let cur = lead;
  let fresh = true;
  let inString = false;
  // Quotes in a word, not escaped ones, open or close a literal.
  const toggles = (word: string) => {
    let n = 0;
    for (let i = 0; i < word.length; i++) if (word[i] === '"' && word[i - 1] !== '\\') n++;
    return n % 2 === 1;
  };
  for (const word of line.split(' ')) {
    const after: boolean = toggles(word) ? !inString : inString;
    // A line broken inside a literal gets a closing quote: room for it.
    if (!fresh && cur.length + 1 + word.length > width - (after ? 2 : 0)) {
      out.push(inString ? `${cur} "` : cur);
      cur = inString ? `${hang}"${word}` : `${hang}${word}`;
    } else cur += (fresh ? '' : ' ') + word;
    fresh = false;
    inString = after;
  }
  out.push(cur);
  return out;
}
