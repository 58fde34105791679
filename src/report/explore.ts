// Exploration reports, in the shape herd7 users read and grep (docs/output.md):
// the outcomes with their path counts, the condition, Positive/Negative, one verdict line.
import { fmtCond } from '../engine/observe.js';
import type { Exploration, ExploredOutcome } from '../explore/explore.js';
import type { Witness } from '../explore/witness.js';
import type { RunResult } from '../runner.js';
import { VERSION } from '../version.js';
import { eraHeader, fmtValue, legend, wrap } from './text.js';
import { runHeader } from './json.js';

export interface ExploreRun {
  run: RunResult; // the canonical run: scenario, era, availability
  exploration: Exploration | null;
  witnesses: Witness[];
}

export type Verdict = 'Never' | 'Sometimes' | 'Always' | 'Timeout';

export function verdict(x: Exploration): { verdict: Verdict; positive: number; negative: number } | null {
  const withCond = x.outcomes.filter((o) => o.condition !== undefined);
  if (!withCond.length && x.complete) return null;
  const positive = withCond.filter((o) => o.condition).reduce((n, o) => n + o.paths, 0);
  const negative = withCond.filter((o) => !o.condition).reduce((n, o) => n + o.paths, 0);
  if (!x.complete) return { verdict: 'Timeout', positive, negative };
  return { verdict: positive === 0 ? 'Never' : negative === 0 ? 'Always' : 'Sometimes', positive, negative };
}

const fmtOutcome = (o: ExploredOutcome) =>
  [
    ...Object.entries(o.observations).map(([k, v]) => `${k}=${fmtValue(k, v)};`),
    ...(o.violations.length ? [`harm: ${o.violations.join(', ')};`] : []),
    ...(o.deadlock ? ['DEADLOCK;'] : []),
  ].join(' ');

export function exploreText(r: ExploreRun, opts: { stats: boolean }): string {
  const { run } = r;
  const out = [`mmutt ${VERSION}  scenario ${run.scenario.name}  sha256 ${run.sha256.slice(0, 12)}  (explore)`, ...eraHeader(run.era)];
  const x = r.exploration;
  if (!x) {
    out.push('', ...wrap(run.unavailable!, ''));
    return `${out.join('\n')}\n`;
  }
  for (const n of run.notes) out.push(...wrap(`Note: ${n}`, '', '  '));
  out.push('', `Outcomes ${x.outcomes.length}${x.complete ? '' : ' (so far: the exploration stopped)'}`);
  for (const o of x.outcomes) {
    out.push(...wrap(`${x.complete ? `${String(o.paths).padStart(8)} paths` : '         '}  ${fmtOutcome(o)}`, '', '                 '));
  }
  out.push('', x.windows.length ? 'Windows (a stale sPTE or TLB entry outside any invalidation bracket):' : 'Windows: none');
  for (const w of x.windows) {
    const wit = r.witnesses.find((y) => y.target === `window ${w.key}`);
    out.push(...wrap(`${w.mapping} gfn ${hex(w.gfn)}, opened by ${w.openedBy.thread} ${w.openedBy.fn}${wit?.windowSteps !== undefined ? `, lasts ${wit.windowSteps} steps` : ''}`, '  ', '    '));
  }
  if (r.witnesses.length) {
    out.push('', 'Witnesses (shortest schedules; replay with --replay TOKEN):');
    for (const w of r.witnesses) {
      out.push(...wrap(`${w.target}: ${w.token}`, '  ', '    '));
      for (const st of w.trace) out.push(...wrap(`${String(st.n).padStart(3)} ${st.thread} ${st.fn}${st.notes.length ? `: ${st.notes.join('; ')}` : ''}`, '    ', '        '));
    }
  }
  const v = verdict(x);
  const c = run.scenario.condition;
  out.push('');
  if (c) out.push(...wrap(`Condition ${c.quantifier} (${fmtCond(c.cond)})`, '', '  '));
  if (v) {
    out.push(`Positive: ${v.positive} Negative: ${v.negative}`);
    out.push(`Observation ${run.scenario.name} ${v.verdict} ${v.positive} ${v.negative}`);
  } else out.push(`Observation ${run.scenario.name} Outcomes ${x.outcomes.length}`);
  if (!x.complete) out.push(...wrap(`Incomplete: stopped by ${x.stopped} after ${x.states} states; the outcomes above were found, others may exist.`, '', '  '));
  if (x.approximate) out.push('Path counts above 2^53 are approximate.');
  out.push(`Hash=${run.sha256.slice(0, 32)}`);
  out.push(`States ${x.states}  Transitions ${x.transitions}${x.cycles ? `  Cycles ${x.cycles}` : ''}`);
  if (opts.stats) out.push(`Time ${(x.elapsedMs / 1000).toFixed(3)}s  Memory ${(x.bytes / 1048576).toFixed(1)} MiB  ${(x.states / Math.max(x.elapsedMs / 1000, 1e-6)).toFixed(0)} states/s`);
  out.push('', ...legend([run.era]));
  return `${out.join('\n')}\n`;
}

export function exploreJson(r: ExploreRun, opts: { stats: boolean }) {
  const { run } = r;
  const x = r.exploration;
  const v = x ? verdict(x) : null;
  return {
    ...runHeader(run, 'explore'),
    complete: x ? x.complete : true,
    ...(x?.stopped ? { stopped: x.stopped } : {}),
    stats: { states: x?.states ?? 0, transitions: x?.transitions ?? 0, ...(opts.stats && x ? { ms: Math.round(x.elapsedMs), bytes: x.bytes } : {}) },
    outcomes: (x?.outcomes ?? []).map((o) => ({
      observations: o.observations,
      counters: o.counters,
      violations: o.violations,
      ...(o.deadlock ? { deadlock: true } : {}),
      ...(o.condition !== undefined ? { condition: o.condition } : {}),
      ...(x!.complete ? { paths: o.paths } : {}),
      ...(witnessFor(r, o.key) ? { witness: witnessFor(r, o.key) } : {}),
    })),
    windows: (x?.windows ?? []).map((w) => {
      const wit = r.witnesses.find((y) => y.target === `window ${w.key}`);
      return { mapping: w.mapping, gfn: w.gfn, openedBy: w.openedBy, ...(wit ? { steps: wit.windowSteps, witness: wit.token } : {}) };
    }),
    ...(v ? { verdict: v.verdict, positive: v.positive, negative: v.negative } : {}),
  };
}

function witnessFor(r: ExploreRun, key: string): string | undefined {
  return r.witnesses.find((w) => w.outcomeKey === key)?.token;
}

function hex(n: number) {
  return `0x${n.toString(16)}`;
}

/**
 * matrix --explore: per cell the number of distinct outcomes, `!` if some path does harm,
 * `T` if the exploration stopped at a limit, `-` if the era cannot run the scenario.
 */
export function exploreMatrixText(eras: readonly { id: string }[], rows: ExploreRun[][]): string {
  const out = [`mmutt ${VERSION} matrix --explore: ${rows.length} scenario(s) x ${eras.length} eras, every interleaving`, ''];
  const nameW = Math.max(8, ...rows.map((r) => r[0]!.run.scenario.name.length));
  out.push(`${'scenario'.padEnd(nameW)}  ${eras.map((_, i) => `E${i + 1}`.padEnd(5)).join('')}`.trimEnd());
  for (const row of rows) {
    const cells = row.map((r) => {
      const x = r.exploration;
      if (!x) return '-';
      if (!x.complete) return 'T';
      return `${x.outcomes.length}${x.outcomes.some((o) => o.violations.length) ? '!' : ''}`;
    });
    out.push(`${row[0]!.run.scenario.name.padEnd(nameW)}  ${cells.map((c) => c.padEnd(5)).join('')}`.trimEnd());
  }
  out.push('');
  eras.forEach((e, i) => out.push(`E${i + 1} ${e.id}`));
  out.push('', "A number: distinct outcomes; '!': some interleaving does harm; 'T': stopped at a", "limit; '-': the era cannot run the scenario.");
  const harms = rows.flatMap((row) =>
    row.flatMap((r) => {
      const v = [...new Set(r.exploration?.outcomes.flatMap((o) => o.violations) ?? [])];
      return v.length ? [`  ${r.run.scenario.name} in ${r.run.era.id}: ${v.join(', ')}`] : [];
    }),
  );
  if (harms.length) out.push('', 'Harms found:', ...harms);
  return `${out.join('\n')}\n`;
}
