// How an exploration names what it finds: an outcome by what a reader can tell apart, a window
// by its mapping and the kernel function that opened it.
import { COUNTER_NAMES, type Outcome } from '../contract/output.js';
import type { Machine } from '../engine/compile.js';
import { evalCond, outcome } from '../engine/observe.js';
import type { Watcher } from '../engine/windows.js';

/** Counters compared in the contract's order: an outcome reports the least it was reached with (any order of search gives the same). */
export function lessCounters(a: Outcome['counters'], b: Outcome['counters']): boolean {
  for (const c of COUNTER_NAMES) if (a[c] !== b[c]) return a[c] < b[c];
  return false;
}

/** A window's identity: the mapping, and the kernel function whose step opened it. */
export const windowKey = (w: Watcher, fn: string) => `${w.name} opened by ${fn}`;

/** An outcome's identity: observations, harms, the condition's truth, deadlock. */
export function outcomeKey(m: Machine, s: Int32Array, deadlock: boolean): { key: string; o: Outcome; holds: boolean | undefined } {
  const o = outcome(m, s);
  const cond = m.scenario.condition;
  const holds = cond ? evalCond(m, s, cond.cond) : undefined;
  return { key: JSON.stringify([o.observations, o.violations, holds ?? null, deadlock]), o, holds };
}
