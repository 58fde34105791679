// Two eras, one scenario: what differs in the outcome, and where the traces first part ways.
import { COUNTER_NAMES } from '../engine/counters.js';
import type { TraceStep } from '../engine/run.js';
import type { RunResult } from '../runner.js';
import { fmtValue, releasesOf, wrap } from './text.js';

export interface RunDiff {
  a: RunResult;
  b: RunResult;
  observations: { label: string; a: number; b: number }[];
  counters: { name: string; a: number; b: number }[];
  violations: { a: string[]; b: string[] } | null;
  /** Set when an era cannot run the scenario: then nothing else is compared. */
  unavailable: { a?: string; b?: string } | null;
  /** Index (0-based) of the first step that differs, or null when the traces are identical. */
  divergence: number | null;
}

const stepKey = (t: TraceStep | undefined) => (t ? JSON.stringify([t.thread, t.fn, t.does, t.notes]) : '');

export function diffRuns(a: RunResult, b: RunResult): RunDiff {
  if (!a.outcome || !b.outcome) {
    const unavailable: { a?: string; b?: string } = {};
    if (a.unavailable) unavailable.a = a.unavailable;
    if (b.unavailable) unavailable.b = b.unavailable;
    return { a, b, observations: [], counters: [], violations: null, unavailable, divergence: null };
  }
  const [oa, ob] = [a.outcome, b.outcome];
  const labels = [...new Set([...Object.keys(oa.observations), ...Object.keys(ob.observations)])];
  const observations = labels.map((label) => ({ label, a: oa.observations[label] ?? 0, b: ob.observations[label] ?? 0 })).filter((x) => x.a !== x.b);
  const counters = COUNTER_NAMES.map((name) => ({ name, a: oa.counters[name], b: ob.counters[name] })).filter((x) => x.a !== x.b);
  const va = oa.violations;
  const vb = ob.violations;
  const violations = va.join() === vb.join() ? null : { a: [...va], b: [...vb] };
  let divergence: number | null = null;
  for (let i = 0; i < Math.max(a.trace.length, b.trace.length); i++) {
    if (stepKey(a.trace[i]) !== stepKey(b.trace[i])) {
      divergence = i;
      break;
    }
  }
  return { a, b, observations, counters, violations, unavailable: null, divergence };
}

export const sameOutcome = (d: RunDiff) =>
  !d.observations.length && !d.counters.length && !d.violations && (!d.unavailable || d.unavailable.a === d.unavailable.b);

function stepLine(t: TraceStep | undefined): string[] {
  if (!t) return ['    (trace ended)'];
  return [`    ${t.n} ${t.thread} ${t.fn}${t.rule ? `  [${t.rule}]` : ''}`, ...wrap(t.does, '      '), ...t.notes.flatMap((n) => wrap(n, '      '))];
}

export function diffText(d: RunDiff): string {
  const { a, b } = d;
  const out = [
    `${TIER_TEXT[tierOf(d)]}`,
    `mmutt diff  scenario ${a.scenario.name}  sha256 ${a.sha256.slice(0, 12)}`,
    `  A = ${a.era.id} (${releasesOf(a.era)})`,
    `  B = ${b.era.id} (${releasesOf(b.era)})`,
    '',
  ];
  if (d.unavailable) {
    out.push(...wrap(`A: ${d.unavailable.a ?? 'runs'}`, '', '  '), ...wrap(`B: ${d.unavailable.b ?? 'runs'}`, '', '  '));
    return `${out.join('\n')}\n`;
  }
  out.push(d.observations.length ? 'Observations that differ:' : 'Observations: same');
  const w = Math.max(8, ...d.observations.map((x) => x.label.length), ...d.counters.map((x) => x.name.length));
  for (const x of d.observations) out.push(`  ${x.label.padEnd(w)}  A ${fmtValue(x.label, x.a)}  B ${fmtValue(x.label, x.b)}`);
  out.push(d.counters.length ? 'Counters that differ:' : 'Counters: same');
  for (const x of d.counters) out.push(`  ${x.name.padEnd(w)}  A ${x.a}  B ${x.b}`);
  out.push(d.violations ? `Violations differ: A ${d.violations.a.join(', ') || 'none'}; B ${d.violations.b.join(', ') || 'none'}` : `Violations: same (${a.outcome!.violations.join(', ') || 'none'})`);
  out.push('');
  if (d.divergence === null) out.push('Traces: identical');
  else {
    out.push(`Traces diverge at step ${d.divergence + 1}:`);
    out.push(`  A ${a.era.id}:`, ...stepLine(a.trace[d.divergence]));
    out.push(`  B ${b.era.id}:`, ...stepLine(b.trace[d.divergence]));
  }
  return `${out.join('\n')}\n`;
}

export function diffJson(d: RunDiff) {
  return {
    schema: 'mmutt/diff@1',
    tier: tierOf(d),
    scenario: { name: d.a.scenario.name, sha256: d.a.sha256 },
    eras: [d.a.era.id, d.b.era.id],
    observations: d.observations,
    counters: d.counters,
    violations: d.violations,
    unavailable: d.unavailable,
    divergence:
      d.divergence === null
        ? null
        : {
            step: d.divergence + 1,
            a: d.a.trace[d.divergence] ? { thread: d.a.trace[d.divergence]!.thread, fn: d.a.trace[d.divergence]!.fn } : null,
            b: d.b.trace[d.divergence] ? { thread: d.b.trace[d.divergence]!.thread, fn: d.b.trace[d.divergence]!.fn } : null,
          },
  };
}

/** The tiers of tools/memory-model's cmplitmushist.sh, from "nothing changed" to "the result changed". */
export type Tier = 'exact' | 'same-outcome' | 'same-verdict' | 'changed' | 'timeout';

export const TIER_TEXT: Record<Tier, string> = {
  exact: 'Exact output match',
  'same-outcome': 'Same outcomes and counts',
  'same-verdict': 'Same verdict',
  changed: '!!! Result changed',
  timeout: '!!! Timed out',
};

/** Canonical runs: the trace too (exact), the outcome, or only the condition's truth. */
export function tierOf(d: RunDiff): Tier {
  if (d.unavailable) return d.unavailable.a === d.unavailable.b ? 'exact' : 'changed';
  if (sameOutcome(d)) return d.divergence === null ? 'exact' : 'same-outcome';
  if (d.a.condition !== undefined && d.a.condition === d.b.condition && !d.violations) return 'same-verdict';
  return 'changed';
}
