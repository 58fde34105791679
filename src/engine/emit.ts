// What every step builder needs: where things live, the era's rules (through one accessor),
// the secondary MMUs registered on the notifier chain, and the thread it builds for.
import type { EraRules, RuleName } from '../contract/era.js';
import type { Layout } from './layout.js';
import type { MmuNotifierOps } from './notifier.js';
import type { Asm } from './program.js';
import type { State } from './state.js';
import type { Expr, Stmt } from './step-data.js';
import { put } from './state.js';
import { write } from './step-data.js';

export interface Emit {
  l: Layout;
  /**
   * The one way the engine reads an era rule, while a program is built: its value, and the
   * next step emitted carries the rule's name (the rule decided that the step is there, or
   * what it does). For a read while a step runs, see ruleRead.
   */
  rule<K extends RuleName>(name: K): EraRules[K]['value'];
  /**
   * The same door for a step that reads a rule as it runs: the value, known as the step is
   * built, and the statement to put where the step reads it (step-data.ts), which names the rule
   * in the trace when it runs.
   */
  ruleRead<K extends RuleName>(name: K): { value: EraRules[K]['value']; read: Stmt };
  /** The callbacks registered on the mmu_notifier chain, in registration order (the secondary MMUs' first: Layout.secondaries). */
  notifiers: readonly MmuNotifierOps[];
  /** The scenario uses MADV_FREE: reclaim's steps say what they do with a lazyfree page (a release before v4.5 cannot run it). */
  lazyfree: boolean;
  asm: Asm;
  tid: number;
  /** The value a lock slot holds while this thread owns it. */
  owner: number;
  /** Slot of one of this thread's locals (L.*). */
  local(k: number): number;
  /** Page slots that may map the same folio as this one (fork, KSM, the page cache): the rmap walk's candidates. */
  related(page: number): number[];
  /** Has this thread run to its end? (Programs are assembled later: the end is a label's pc.) */
  finished(tid: number): Expr;
}

/**
 * Zero the locals a kernel function owns when it returns, so finished work leaves no trace in
 * the state (two states that differ only in dead locals would look different to the explorer).
 */
export function clearLocals(e: Emit, s: State, owned: readonly number[]): void {
  for (const k of owned) put(s, e.local(k), 0);
}

/** The same, as data. */
export const clearLocalsData = (e: Emit, owned: readonly number[]): Stmt[] => owned.map((k) => write(e.local(k), 0));
