// Runs: a scenario under an era, canonically or by a replay token (a traced run), or explored
// (every interleaving). The runner is where an era becomes rules for the engine and its
// release's words for the trace; it fills in the output contract (src/contract/output.ts)
// that reports read.
import type { Era, RuleName } from '../contract/era.js';
import type { Compared, ExploreRun, Limits, RunResult } from '../contract/output.js';
import type { Scenario } from '../contract/scenario.js';
import { ENGINE_SIMPLIFICATIONS } from '../contract/simplifications.js';
import type { CompileOptions, Machine } from '../engine/compile.js';
import { evalCond, outcome, seenBy } from '../engine/observe.js';
import { runCanonical, runCanonicalQuiet, schedulable } from '../engine/run.js';
import { eraForScenario, settled, unavailable } from '../era/features.js';
import { baseFor } from '../era/timeline.js';
import { eraSpans, toBands } from './bands.js';
import { compileMachine, forgetMachines, sharedMachine } from './machines.js';
import { explorationInWords, inWords, traceInWords } from '../era/vocabulary.js';
import { explore, explorePart, type SearchResult } from '../explore/explore.js';
import type { SharedBuffers } from '../explore/shared.js';
import { decodeToken, encodeToken, findWitnesses, replay } from '../explore/witness.js';
import { ExportError, promela } from '../export/promela.js';
import { ScenarioError, UserError, quote, quotePath } from '../errors.js';
import { closeSync, openSync, readSync } from 'node:fs';
import { readInputFile } from '../input.js';

/**
 * What a report needs of a run without running it: the era as it runs the scenario (at the
 * release where a feature it uses arrived, if that is inside the era), availability, notes.
 */
export function runMeta(scenario: Scenario, era: Era): RunResult {
  const why = unavailable(scenario, era);
  const at = why ? { era, notes: [] } : eraForScenario(scenario, era);
  const notes = why ? at.notes : [...at.notes, ...settled(scenario, at.era).notes];
  const r: RunResult = { scenario, sha256: scenario.sha256, era: at.era, notes, trace: [], outcome: null, expectations: [], rulesRead: [] };
  if (why) r.unavailable = why;
  return r;
}

/** The machine of a run: the scenario as it runs at the era's release, under the era's rules. */
const machineOf = (scenario: Scenario, run: RunResult, opts: CompileOptions = {}) => compileMachine(settled(scenario, run.era).scenario, run.era.rules, opts);
/** The same, shared with other runs of this process (runner/machines.ts) unless another notifier is on the chain. */
const sharedOf = (scenario: Scenario, run: RunResult, opts: CompileOptions) => (opts.notifiers?.length ? machineOf(scenario, run, opts) : sharedMachine(settled(scenario, run.era).scenario, run.era.rules));

/** What a reader sees of a canonical result's outcome, as a string: once per result. */
const shownOutcomes = new WeakMap<RunResult, string>();
function shownOutcome(r: RunResult): string {
  let k = shownOutcomes.get(r);
  if (k === undefined) shownOutcomes.set(r, (k = JSON.stringify([r.outcome, r.condition])));
  return k;
}
/** Two canonical results that a reader cannot tell apart. */
const sameResult = (a: RunResult, b: RunResult) => a === b || (a.unavailable === b.unavailable && shownOutcome(a) === shownOutcome(b));

/**
 * A machine's canonical schedule, untraced: a band's run, or a run printed as an outcome only.
 * A shared machine (runner/machines.ts) met again under another era's band ends the same way.
 */
const quietRuns = new WeakMap<Machine, ReturnType<typeof runCanonicalQuiet>>();
function quietRun(machine: Machine): ReturnType<typeof runCanonicalQuiet> {
  let q = quietRuns.get(machine);
  if (!q) quietRuns.set(machine, (q = runCanonicalQuiet(machine)));
  return q;
}

/** Observation labels in the release's words (`page(...)` before folios), where they differ. */
export function withLabels(r: RunResult, keys: string[]): void {
  const labels = Object.fromEntries(keys.flatMap((k) => (inWords(r.era.words, k) === k ? [] : [[k, inWords(r.era.words, k)]])));
  if (Object.keys(labels).length) r.labels = labels;
}

/** The rules the steps of a trace name, in rule order: what the run depends on. */
const rulesOfTrace = (r: RunResult): RuleName[] => [...new Set(r.trace.flatMap((t) => t.rules))].sort();

/**
 * One run: the canonical schedule, or a given one (thread numbers, as in a replay token), in
 * the words of the era's release. Untraced (`traced` false: a matrix printed as a table of
 * outcomes), the result has no trace, and no rules read or notes drawn from one.
 */
export function runScenario(scenario: Scenario, era: Era, schedule?: string, opts: CompileOptions = {}, traced = true): RunResult {
  const r = runOnce(scenario, era, schedule, opts, era.id, traced);
  const spans = schedule === undefined ? eraSpans(scenario, era) : null;
  if (!spans) return r;
  // The run's own release needs no second run; the others judge the era's expect lines too.
  const results = new Map<string, RunResult>(spans.filter((sp) => sp.era.release === r.era.release).map((sp) => [sp.key, r]));
  // A band shows its outcome and judges the era's expect lines: it needs no trace.
  for (const sp of spans) if (!results.has(sp.key)) results.set(sp.key, runOnce(scenario, sp.era, undefined, opts, era.id, false));
  const bands = toBands(spans, results, sameResult, r.era.release);
  // No band where the era cannot run the scenario at all: there is no result to qualify.
  if (bands.length > 1 && !r.unavailable) {
    r.bands = bands.map(({ first, last, release, result }) => ({ first, last, release, ...(result.unavailable ? { unavailable: result.unavailable } : {}), outcome: result.outcome, ...(result.condition === undefined ? {} : { condition: result.condition }) }));
  }
  // An era's expectation holds where every release of it that runs the scenario gives it.
  // Neighbouring releases that fail it and saw the same values are one band.
  const seenIn = (res: RunResult, i: number) => (res.unavailable || res.expectations[i]!.holds ? null : JSON.stringify(res.expectations[i]!.seen));
  r.expectations = r.expectations.map((x, i) => {
    const failedIn = toBands(spans, results, (a, b) => seenIn(a, i) === seenIn(b, i))
      .filter((b) => seenIn(b.result, i) !== null)
      .map((b) => ({ first: b.first, last: b.last, seen: b.result.expectations[i]!.seen }));
    return failedIn.length ? { ...x, holds: false, failedIn } : x;
  });
  return r;
}

/** One run; `expectFor` names the era whose `expect` lines it judges (a band's run judges its era's). */
function runOnce(scenario: Scenario, era: Era, schedule?: string, opts: CompileOptions = {}, expectFor = era.id, traced = true): RunResult {
  const meta = runMeta(scenario, era);
  if (meta.unavailable) return meta;
  const sha256 = meta.sha256;
  const machine = sharedOf(scenario, meta, opts);
  // Untraced, the canonical schedule steps the same threads (the lowest enabled) to the same
  // state, and its steps read the rules a trace would name.
  const quiet = schedule === undefined && !traced ? quietRun(machine) : null;
  const { trace, final, waiting } = quiet ? { ...quiet, trace: [] } : schedule !== undefined ? replay(machine, decodeToken(sha256, schedule, schedulable(machine).length)) : runCanonical(machine);
  const r: RunResult = {
    ...meta,
    ...(waiting.length ? { notes: [...meta.notes, ...waiting.map((w) => `${w.thread} never finishes: ${w.why}`)] } : {}),
    ...(schedule === undefined ? {} : { replayed: schedule }),
    trace: traceInWords(meta.era.words, trace),
    outcome: outcome(machine, final),
    expectations: scenario.expect.filter((x) => x.era === expectFor).map((x) => ({ expect: x, holds: evalCond(machine, final, x.cond), seen: seenBy(machine, final, x.cond) })),
  };
  r.rulesRead = quiet ? quiet.rules : rulesOfTrace(r);
  withLabels(r, Object.keys(r.outcome!.observations));
  // One schedule, one final state: exists and forall ask the same question of it.
  if (scenario.condition) {
    const c = evalCond(machine, final, scenario.condition.cond);
    r.condition = scenario.condition.quantifier === '~exists' ? !c : c;
  }
  return r;
}

/**
 * Each scenario (a row) under each era (a column), canonically, or by one schedule (a replay
 * token) when one scenario and one era are given; untraced when what is printed shows outcomes
 * only (runScenario).
 */
export function runGrid(scenarios: readonly Scenario[], eras: readonly Era[], schedule?: string, traced = true): RunResult[][] {
  return scenarios.map((s) => {
    const row = eras.map((e) => runScenario(s, e, schedule, {}, traced));
    // A row's machines serve no other row.
    if (scenarios.length > 1) forgetMachines(s);
    return row;
  });
}

/** Explores (scenario, era) pairs, in order: the caller's (it shows progress, answers Ctrl-C). */
export type ExploreMany = (pairs: { scenario: Scenario; era: Era }[]) => Promise<ExploreRun[]>;

/** Each scenario (a row) under each era (a column), explored. */
export async function exploreGrid(scenarios: readonly Scenario[], eras: readonly Era[], exploreMany: ExploreMany): Promise<ExploreRun[][]> {
  const flat = await exploreMany(scenarios.flatMap((scenario) => eras.map((era) => ({ scenario, era }))));
  return scenarios.map((_, i) => flat.slice(i * eras.length, (i + 1) * eras.length));
}

/** A scenario under two eras, as `diff` compares them: a proposal against its base at the release it applies to; explored with `exploreMany`. */
export async function comparePair(s: Scenario, a: Era, b: Era, exploreMany?: ExploreMany): Promise<Compared> {
  const [ea, eb] = diffEras(a, b);
  if (!exploreMany) return { explored: false, a: runScenario(s, ea), b: runScenario(s, eb) };
  const [xa, xb] = await exploreMany([
    { scenario: s, era: ea },
    { scenario: s, era: eb },
  ]);
  return { explored: true, a: xa!, b: xb! };
}

/** What a cite block quotes: the scenario's canonical run under each era, and with `exploreMany` its explorations. */
export async function citeRuns(s: Scenario, eras: readonly Era[], exploreMany?: ExploreMany): Promise<{ runs: RunResult[]; explored: ExploreRun[] | null }> {
  // A proposal cited beside its base is compared as diff compares them: the base at the release
  // the proposal applies to (else the block folds in every change between the two releases).
  const paired = eras.map((e) => {
    const p = eras.find((x) => x.proposal && x.base === e.id);
    return p ? baseFor(e, p) : e;
  });
  const runs = paired.map((e) => runScenario(s, e));
  return { runs, explored: exploreMany ? await exploreMany(paired.map((era) => ({ scenario: s, era }))) : null };
}

/** Every interleaving (docs/explore.md); with `witnesses`, a shortest schedule for each finding ('if-complete': only when no limit stopped it). */
export function exploreScenario(scenario: Scenario, era: Era, limits: Limits, witnesses: boolean | 'if-complete'): ExploreRun {
  const run = runMeta(scenario, era);
  if (run.unavailable) return { run, exploration: null, witnesses: [] };
  const machine = machineOf(scenario, run);
  run.rulesRead = [...machine.rulesRead].sort();
  const exploration = explore(machine, limits);
  withLabels(run, Object.keys(exploration.outcomes[0]?.observations ?? {}));
  // 'if-complete' (the site's explorer): no search for witnesses in an exploration a limit stopped.
  const found = witnesses === true || (witnesses === 'if-complete' && exploration.complete) ? findWitnesses(machine, exploration, run.sha256, limits) : [];
  return { run, exploration: explorationInWords(run.era.words, exploration), witnesses: found.map((w) => ({ ...w, shown: inWords(run.era.words, w.target), trace: traceInWords(run.era.words, w.trace) })) };
}

/** Worker k's part of one exploration split between workers that share `buffers` (runner/jobs.ts). */
export function explorePartOf(scenario: Scenario, era: Era, limits: Limits, buffers: SharedBuffers, k: number): { part: SearchResult; rulesRead: RuleName[] } {
  const machine = machineOf(scenario, runMeta(scenario, era));
  return { part: explorePart(machine, limits, buffers, k), rulesRead: [...machine.rulesRead].sort() };
}

/** The two eras a diff compares: a proposal against its base at the release it applies to. */
export const diffEras = (a: Era, b: Era): [Era, Era] => [baseFor(a, b), baseFor(b, a)];

/**
 * The machine of a run as a Promela model (export/promela.ts): the machine an exploration of
 * the scenario under this era searches, in the release's words.
 */
export function exportPromela(scenario: Scenario, era: Era, asked: { version: string; scenario: string; era: string }): string {
  const run = runMeta(scenario, era);
  if (run.unavailable) throw new UserError(`${scenario.name} cannot run at ${run.era.release}: ${run.unavailable}`);
  const machine = machineOf(scenario, run);
  const e = run.era;
  const title = [
    `${scenario.name} (scenario sha256 ${scenario.sha256.slice(0, 12)}) at ${e.release}${e.id === e.release ? '' : `, era ${e.id}`}${e.proposal ? ' (a proposal)' : ''}`,
    ...run.notes,
    `rules its steps read: ${[...machine.rulesRead].sort().join(', ') || 'none'}`,
    `made by mmutt ${asked.version}: mmutt export --promela ${asked.scenario} ${asked.era}`,
  ];
  const options = {
    title,
    say: (w: string) => inWords(e.words, w),
    trail: `mmutt run ${asked.scenario} ${asked.era} --trail FILE.pml.trail`,
    simplifications: [...new Set([...ENGINE_SIMPLIFICATIONS, ...e.simplifications])],
  };
  try {
    return promela(machine, options);
  } catch (x) {
    // A scenario past what SPIN accepts is the user's to change: say so, exit 2.
    if (x instanceof ExportError) throw new UserError(`cannot export ${scenario.name} at ${e.release}: ${x.message}`);
    throw x;
  }
}

/**
 * A SPIN trail of a model `export --promela` wrote, as a replay token: the exported processes
 * are the scenario's threads in order, one d_step per step, then the end check (a transition
 * that is no step, and the last of a trail pan writes at a harm). The model beside the trail
 * (`FILE.pml` for `FILE.pml.trail` or `FILE.pml3.trail`) names the scenario and release it was
 * exported for: a trail of another is refused; without the model that is not checked (a note
 * says so). The replay itself checks that every step can run.
 */
export function trailToken(scenario: Scenario, era: Era, file: string): { token: string; note?: string } {
  if (/\.cpu\d+_trail$/.test(file))
    throw new UserError(`${quotePath(file)} is a trail of multi-core pan: it starts where another core handed the search over, not at the initial state. Run a one-core pan on the same model (no -DNCORE) to get a trail mmutt can replay`);
  const text = readInputFile(file, 'SPIN trail');
  const run = runMeta(scenario, era);
  if (run.unavailable) throw new UserError(`${scenario.name} cannot run at ${run.era.release}: ${run.unavailable}`);
  const note = checkModelBeside(file, scenario, run.era.release);
  const threads = schedulable(machineOf(scenario, run)).length;
  const schedule: number[] = [];
  let steps = 0;
  let last = -1;
  let lines = 0;
  text.split('\n').forEach((line, i) => {
    const at = (col: number, what: string) => new ScenarioError(file, { line: i + 1, col }, what);
    if (line.trim() === '') return;
    lines = i + 1;
    const m = /^(-?\d+):(-?\d+):(-?\d+)\s*$/.exec(line);
    if (!m) throw at(1, `expected a line of a SPIN trail, DEPTH:PROCESS:TRANSITION (pan writes MODEL.pml.trail), not ${quote(JSON.stringify(line))}`);
    const [depth, pid] = [Number(m[1]), Number(m[2])];
    // pan's markers (-2: a cycle starts, -4: the trail of a safety search) are no steps.
    if (depth < 0) return;
    if (++steps !== depth) throw at(1, `expected step ${steps} of the trail here, not ${depth}: a trail lists its steps in order`);
    if (pid > threads) throw at(m[1]!.length + 2, `process ${pid} is not in the model of ${scenario.name}: its export has processes 0 to ${threads} (the threads, then the end check)`);
    last = pid;
    if (pid < threads) schedule.push(pid);
  });
  if (!schedule.length) throw new UserError(`${quotePath(file)} has no step of a thread: expected the trail pan wrote for a model of ${scenario.name}`);
  if (last !== threads)
    throw new ScenarioError(file, { line: lines, col: 1 }, `the trail stops before a final state: its last step is process ${last}'s, not the end check's (process ${threads}), as a trail pan writes at a harm ends; a cut trail would be finished by mmutt's canonical schedule and show what pan did not find`);
  return { token: encodeToken(scenario.sha256, schedule), ...(note ? { note } : {}) };
}

/** The scenario and release named in the header of the model beside a trail: refused if another's; a note if there is no model to check. */
function checkModelBeside(file: string, scenario: Scenario, release: string): string | undefined {
  const model = file.replace(/\d*\.trail$/, '');
  let head = '';
  try {
    const fd = openSync(model, 'r');
    try {
      const buf = Buffer.alloc(4096);
      head = buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)).toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return `no model ${quotePath(model)} beside the trail: not checked that the trail is of ${scenario.name} at ${release}`;
  }
  const m = /^ \* (\S+) \(scenario sha256 ([0-9a-f]{12})\) at (v[0-9][0-9a-z.-]*)/m.exec(head);
  if (!m) return `${quotePath(model)} has no header of mmutt export: not checked that the trail is of ${scenario.name} at ${release}`;
  if (m[2] !== scenario.sha256.slice(0, 12)) throw new UserError(`${quotePath(file)} is a trail of ${m[1]} (scenario sha256 ${m[2]}, says ${quotePath(model)}), not of ${scenario.name} (${scenario.sha256.slice(0, 12)})`);
  if (m[3] !== release) throw new UserError(`${quotePath(file)} is a trail of the model exported at ${m[3]} (says ${quotePath(model)}); ${scenario.name} runs at ${release} here: give --kernel ${m[3]}`);
  return undefined;
}
