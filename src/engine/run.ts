// The canonical schedule: the lowest-numbered thread that can run takes the next step, so the
// threads run in the order written unless one blocks. One deterministic trace, recorded with
// immer's patches so that every step says what it changed.
import { Immer, enablePatches, type Patch } from 'immer';
import type { Machine } from './compile.js';
import { fmtSlot } from './layout.js';
import { ModelError, type Change, type TraceStep } from '../contract/output.js';
import { StepLog } from './program.js';
import { checkSanity } from './sanity.js';
import { staleNames, staleSet, staleWords } from './windows.js';
import type { MutableState, State } from './state.js';
import { put, get } from './state.js';

enablePatches();
/**
 * The tracer's own immer: patches on, freezing off. A traced run keeps no state but the
 * current one, so nothing could change an old state behind its back; freezing every state
 * after every step cost a fifth of a canonical run.
 */
const tracer = new Immer({ autoFreeze: false });

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

function stuck(m: Machine, s: State, among: number[]): never {
  const names = among.filter((tid) => get(s, m.layout.threads[tid]!.pc) < m.programs[tid]!.length).map((tid) => m.layout.threads[tid]!.name);
  throw new Error(`internal: no thread can run but ${names.join(', ')} have not finished (a deadlock in the model)`);
}

/** Take one step of thread `tid` on a mutable state (a plain copy or an immer draft). */
export function stepThread(m: Machine, s: State, tid: number, notes: StepLog | null): void {
  const pcSlot = m.layout.threads[tid]!.pc;
  const step = m.programs[tid]![get(s, pcSlot)]!;
  const r = step.exec(s, notes);
  put(s, pcSlot, r ?? step.next);
}

/** Run some threads to the end, canonically, on a copy; no trace. */
export function runToEnd(m: Machine, start: State, among: number[]): MutableState {
  const s = Array.from(start as ArrayLike<number>);
  for (let n = 0; !finished(m, s, among); n++) {
    if (n > MAX_STEPS) throw new Error('internal: step limit reached');
    const [tid] = enabledThreads(m, s, among);
    if (tid === undefined) stuck(m, s, among);
    stepThread(m, s, tid, null);
  }
  return s;
}

export interface CanonicalRun {
  trace: TraceStep[];
  final: State;
}

/** The scenario's threads, canonically, with a trace of every step. */
export function runCanonical(m: Machine): CanonicalRun {
  return runTraced(m, (enabled) => enabled[0]!);
}

/**
 * The scenario's threads under a schedule: `pick` chooses among the threads that can run at
 * step n (canonical: the lowest). Every step is traced with immer's patches.
 */
export function runTraced(m: Machine, pick: (enabled: number[], n: number) => number): CanonicalRun {
  const l = m.layout;
  const among = schedulable(m);
  let s: State = Array.from(m.init);
  const trace: TraceStep[] = [];
  const stale = new Int32Array(staleWords(m.watchers));
  while (!finished(m, s, among)) {
    if (trace.length > MAX_STEPS) throw new Error('internal: step limit reached');
    const enabled = enabledThreads(m, s, among);
    if (!enabled.length) stuck(m, s, among);
    const tid = pick(enabled, trace.length);
    const step = m.programs[tid]![get(s, l.threads[tid]!.pc)]!;
    const log = new StepLog();
    let result: readonly [number[], Patch[], Patch[]];
    try {
      result = tracer.produceWithPatches(s as number[], (d: number[]) => {
        stepThread(m, d, tid, log);
      });
    } catch (e) {
      throw new ModelError(`${(e as Error).message} (at step ${trace.length + 1}, ${l.threads[tid]!.name} ${step.fn})`, trace);
    }
    const [next, patches, inverse] = result;
    staleSet(l, m.watchers, next, stale);
    const t: TraceStep = {
      n: trace.length + 1,
      thread: l.threads[tid]!.name,
      fn: step.fn,
      does: step.does,
      // The rules that put the step here (read while building), then those it read as it ran.
      rules: [...(step.tags ?? []), ...log.tags.filter((r) => !step.tags?.includes(r))],
      notes: log.notes,
      changes: describe(m, patches, inverse),
      windows: staleNames(m.watchers, stale),
    };
    if (step.callback) t.callback = step.callback;
    trace.push(t);
    s = next;
    const bad = checkSanity(m, s);
    if (bad) throw new Error(`internal: after step ${t.n} (${t.thread} ${t.fn}): ${bad}`);
  }
  return { trace, final: s };
}

/** Patches in kernel terms; program counters and locals are bookkeeping and left out. */
function describe(m: Machine, patches: Patch[], inverse: Patch[]): Change[] {
  const l = m.layout;
  const old = new Map<number, number>();
  for (const p of inverse) if (p.op === 'replace') old.set(p.path[0] as number, p.value as number);
  const out: Change[] = [];
  for (const p of patches) {
    const idx = p.path[0] as number;
    const kind = l.kinds[idx];
    if (p.op !== 'replace' || kind === 'pc' || kind === 'local') continue;
    out.push({ slot: l.names[idx]!, from: fmtSlot(l, idx, old.get(idx) ?? 0), to: fmtSlot(l, idx, p.value as number) });
  }
  return out.sort((a, b) => (a.slot < b.slot ? -1 : a.slot > b.slot ? 1 : 0));
}
