// The canonical schedule: the lowest-numbered thread that can run takes the next step, so the
// threads run in the order written unless one blocks. One deterministic trace: every step says
// what it changed, from the write log every write to the state goes through (state.ts).
import type { Machine } from './compile.js';
import { fmtSlot } from './layout.js';
import { ModelError, type Change, type TraceStep } from '../contract/output.js';
import type { RuleName } from '../contract/era.js';
import { StepLog } from './program.js';
import { checkSanity } from './sanity.js';
import { staleNames, staleSet, staleWords } from './windows.js';
import type { MutableState, State } from './state.js';
import { get, put, recordWrites, stopRecording } from './state.js';

/** A bound on steps: a correct program always ends far sooner; more means a livelock in the model. */
const MAX_STEPS = 100_000;

/** The scenario's threads (not the prologue), by layout index: schedules and replay tokens number them in this order. */
export function schedulable(m: Machine): number[] {
  return m.layout.threads.flatMap((t, i) => (t.kind === 'prologue' ? [] : [i]));
}

/** The threads (by index) that can take a step now. */
export function enabledThreads(m: Machine, s: State, among: number[]): number[] {
  const out: number[] = [];
  for (const tid of among) {
    const pc = get(s, m.layout.threads[tid]!.pc);
    const step = m.programs[tid]![pc];
    if (step && (!step.enabled || step.enabled(s))) out.push(tid);
  }
  return out;
}

function finished(m: Machine, s: State, among: number[]): boolean {
  return among.every((tid) => get(s, m.layout.threads[tid]!.pc) >= m.programs[tid]!.length);
}

/**
 * No thread can run: the threads still waiting, with why, when each waits at a step that may
 * wait forever (Step.waitsForever); any other wait is a deadlock in the model.
 */
function waitingForever(m: Machine, s: State, among: number[]): { thread: string; why: string }[] {
  const waiting = among.filter((tid) => get(s, m.layout.threads[tid]!.pc) < m.programs[tid]!.length);
  const forever = waiting.flatMap((tid) => {
    const why = m.programs[tid]![get(s, m.layout.threads[tid]!.pc)]!.waitsForever;
    return why ? [{ thread: m.layout.threads[tid]!.name, why }] : [];
  });
  if (forever.length < waiting.length) throw new Error(`internal: no thread can run but ${waiting.map((tid) => m.layout.threads[tid]!.name).join(', ')} have not finished (a deadlock in the model)`);
  return forever;
}

/** Take one step of thread `tid` on a mutable state (a plain array when tracing, an Int32Array when exploring). */
export function stepThread(m: Machine, s: State, tid: number, notes: StepLog | null): void {
  const pcSlot = m.layout.threads[tid]!.pc;
  const step = m.programs[tid]![get(s, pcSlot)]!;
  const r = step.exec(s, notes);
  put(s, pcSlot, r ?? step.next);
}

/** Run some threads to the end, canonically, on a copy; no trace. */
export function runToEnd(m: Machine, start: State, among: number[]): MutableState {
  return runQuiet(m, start, among, null).final;
}

/**
 * The scenario's threads, canonically, untraced: the final state, the threads left waiting
 * forever, and the rules the steps taken read (those a trace of the run names), in rule order.
 */
export function runCanonicalQuiet(m: Machine): { final: MutableState; waiting: { thread: string; why: string }[]; rules: RuleName[] } {
  const log = new StepLog(false);
  const { final, waiting } = runQuiet(m, m.init, schedulable(m), log);
  return { final, waiting, rules: log.tags.sort() };
}

/** The canonical schedule on a copy; with a log, the rules each step was built under and read as it ran are gathered in it (its notes too). */
function runQuiet(m: Machine, start: State, among: number[], log: StepLog | null): { final: MutableState; waiting: { thread: string; why: string }[] } {
  const s = Array.from(start as ArrayLike<number>);
  for (let n = 0; !finished(m, s, among); n++) {
    if (n > MAX_STEPS) throw new Error('internal: step limit reached');
    const [tid] = enabledThreads(m, s, among);
    if (tid === undefined) return { final: s, waiting: waitingForever(m, s, among) };
    if (log) for (const r of m.programs[tid]![get(s, m.layout.threads[tid]!.pc)]!.tags ?? []) log.tag(r);
    stepThread(m, s, tid, log);
  }
  return { final: s, waiting: [] };
}

export interface CanonicalRun {
  trace: TraceStep[];
  final: State;
  /** The threads the run ended with waiting forever (Step.waitsForever), and why. */
  waiting: { thread: string; why: string }[];
}

/** The scenario's threads, canonically, with a trace of every step. */
export function runCanonical(m: Machine): CanonicalRun {
  return runTraced(m, (enabled) => enabled[0]!);
}

/**
 * The scenario's threads under a schedule: `pick` chooses among the threads that can run at
 * step n (canonical: the lowest). Every step is traced from the writes it made.
 */
export function runTraced(m: Machine, pick: (enabled: number[], n: number) => number): CanonicalRun {
  const l = m.layout;
  const among = schedulable(m);
  // One array, stepped in place: a traced run keeps no earlier state.
  const s = Array.from(m.init as ArrayLike<number>);
  const trace: TraceStep[] = [];
  const stale = new Int32Array(staleWords(m.watchers));
  let writes: Int32Array = new Int32Array(96);
  while (!finished(m, s, among)) {
    if (trace.length > MAX_STEPS) throw new Error('internal: step limit reached');
    const enabled = enabledThreads(m, s, among);
    if (!enabled.length) return { trace, final: s, waiting: waitingForever(m, s, among) };
    const tid = pick(enabled, trace.length);
    const step = m.programs[tid]![get(s, l.threads[tid]!.pc)]!;
    const log = new StepLog();
    recordWrites(writes);
    let n = 0;
    try {
      stepThread(m, s, tid, log);
    } catch (e) {
      throw new ModelError(`${(e as Error).message} (at step ${trace.length + 1}, ${l.threads[tid]!.name} ${step.fn})`, trace);
    } finally {
      ({ buf: writes, n } = stopRecording());
    }
    staleSet(m.watchers, s, stale);
    const t: TraceStep = {
      n: trace.length + 1,
      thread: l.threads[tid]!.name,
      fn: step.fn,
      does: step.does,
      // The rules that put the step here (read while building), then those it read as it ran.
      rules: [...(step.tags ?? []), ...log.tags.filter((r) => !step.tags?.includes(r))],
      notes: log.notes,
      changes: describe(m, writes, n),
      windows: staleNames(m.watchers, stale),
    };
    if (step.callback) t.callback = step.callback;
    if (step.handler) t.handler = step.handler;
    trace.push(t);
    const bad = checkSanity(m, s);
    if (bad) throw new Error(`internal: after step ${t.n} (${t.thread} ${t.fn}): ${bad}`);
  }
  return { trace, final: s, waiting: [] };
}

/**
 * A step's writes, (slot, old, new) triples, in kernel terms: each slot from the value it had
 * before the step to the one it has after (a slot written back to its old value did not
 * change). Program counters and locals are bookkeeping and left out.
 */
function describe(m: Machine, writes: Int32Array, n: number): Change[] {
  const l = m.layout;
  const before = new Map<number, number>();
  const after = new Map<number, number>();
  for (let k = 0; k < n; k += 3) {
    const idx = writes[k]!;
    if (!before.has(idx)) before.set(idx, writes[k + 1]!);
    after.set(idx, writes[k + 2]!);
  }
  const out: Change[] = [];
  for (const [idx, from] of before) {
    const kind = l.kinds[idx];
    const to = after.get(idx)!;
    if (from === to || kind === 'pc' || kind === 'local' || kind === 'mark') continue;
    out.push({ slot: l.names[idx]!, from: fmtSlot(l, idx, from), to: fmtSlot(l, idx, to) });
  }
  return out.sort((a, b) => (a.slot < b.slot ? -1 : a.slot > b.slot ? 1 : 0));
}
