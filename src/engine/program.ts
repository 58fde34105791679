// Thread programs are data: an array of atomic steps and a program counter in the state.
// A step is a function of the state alone, so the same program runs on a plain array (traces,
// explain) and on Int32Array copies (exploration), and a thread's progress is copied with the state.
import type { NotifierCallback, RuleName } from '../contract/era.js';
import type { State } from './state.js';
import { and, compileExec, compileGuard, GENERATE_AFTER, holds, runEffect, type Expr, type StepData } from './step-data.js';

/**
 * What a step leaves for the trace while it runs: notes ("spte gfn 0x100 zapped") and the era
 * rules it read. Exploring passes null: nothing is recorded.
 */
export class StepLog {
  readonly notes: string[] = [];
  /** False for a run that keeps only the rules its steps read (an untraced run): no note is built. */
  constructor(readonly keepsNotes = true) {}
  /** The era rules the step read as it ran. */
  readonly tags: RuleName[] = [];
  push(note: string): void {
    this.notes.push(note);
  }
  tag(name: RuleName): void {
    if (!this.tags.includes(name)) this.tags.push(name);
  }
}
export type Notes = StepLog | null;

interface StepBase {
  /** The kernel function this step models, e.g. `replace_page`. */
  fn: string;
  /** What the step does, in kernel terms. */
  does: string;
  /** The era rules read while the program was built that decided this step (set by Asm, never by hand). */
  tags?: RuleName[];
  /** The notifier callback this step delivers to a secondary MMU (its first step only). */
  callback?: NotifierCallback;
  /** The secondary MMU whose notifier handler this step is part of (`KVM`, a device: `dev0`). */
  handler?: string;
  /**
   * Why a thread may wait at this step forever (a device faulting forever on a stale SMMU TLB
   * entry): a run that ends with threads waiting only at such steps ends there, not in error.
   */
  waitsForever?: string;
}

/**
 * A step as data (step-data.ts). Its data may be given as a function that builds it: built
 * when the step is first needed (most steps of a machine built for one canonical run never
 * are). Such a function may read no era rule (compile.ts refuses a read once the programs are
 * built): a step builder reads its rules first, then describes the step.
 */
export interface DataStepSpec extends StepBase {
  data: StepData | (() => StepData);
}

/** A step that is code, not data: what a secondary MMU a caller registers may emit (CompileOptions.notifiers); the engine's own steps are data. */
export interface CodeStepSpec extends StepBase {
  data?: undefined;
  /** False while the step cannot run (a lock is held, KVM's retry rule says wait). */
  enabled?: (s: State) => boolean;
  /** Do the step. Returns the next pc (a label's `pc`), or undefined to go on to `next`. */
  exec: (s: State, notes: Notes) => number | void;
}

export type StepSpec = DataStepSpec | CodeStepSpec;

export interface Step extends StepBase {
  /** False while the step cannot run. */
  enabled?: (s: State) => boolean;
  /** Do the step. Returns the next pc (a label's `pc`), or undefined to go on to `next`. */
  exec: (s: State, notes: Notes) => number | void;
  /** The step as data, when it is (its exec and enabled come from it), built on first use. */
  data?: () => StepData;
  /** The pc after this step when exec returns undefined (set when the program is assembled). */
  next: number;
}

/** A jump target, bound to a pc when the program is assembled. */
export class Label {
  pc = -1;
  item = -1;
}

type Item = { step: StepSpec } | { jump: Label };

/** A value no case handles: a switch over a union-valued rule that forgot a value fails to type-check. */
export function unreachable(x: never): never {
  throw new Error(`internal: unhandled value ${String(x)}`);
}

/**
 * Builds one thread's program. `jump` costs no atomic step: jumps are resolved when the
 * program is assembled, so control flow never adds states to explore.
 */
export class Asm {
  private items: Item[] = [];
  private labels: Label[] = [];
  label(): Label {
    const l = new Label();
    this.labels.push(l);
    return l;
  }
  bind(l: Label): void {
    l.item = this.items.length;
  }
  /** Rules read while building that decide what comes next: the next step emitted carries them. */
  private tags: RuleName[] = [];
  tag(name: RuleName): void {
    if (!this.tags.includes(name)) this.tags.push(name);
  }
  emit(step: StepSpec): void {
    const own = step.tags;
    if (!this.tags.length) {
      this.items.push({ step });
      return;
    }
    const tags = own?.length ? [...this.tags, ...own.filter((r) => !this.tags.includes(r))] : this.tags;
    this.tags = [];
    this.items.push({ step: { ...step, tags } });
  }
  jump(to: Label): void {
    this.items.push({ jump: to });
  }

  /** Resolve labels and jumps into a step array. */
  assemble(): Step[] {
    const stepIndex: number[] = [];
    let n = 0;
    for (const it of this.items) stepIndex.push('step' in it ? n++ : -1);
    const resolve = (item: number, seen = 0): number => {
      if (seen > this.items.length) throw new Error('internal: jump cycle in a thread program');
      if (item >= this.items.length) return n;
      const it = this.items[item]!;
      return 'step' in it ? stepIndex[item]! : resolve(it.jump.item, seen + 1);
    };
    for (const l of this.labels) {
      if (l.item < 0) throw new Error('internal: unbound label');
      l.pc = resolve(l.item);
    }
    // Every step has the same fields in the same order (absent ones undefined): the explorer and
    // the tracer read them on every transition, and one shape keeps those reads monomorphic; a
    // spread of each spec cost a fifth of a compile.
    const steps: Step[] = [];
    this.items.forEach((it, i) => {
      if (!('step' in it)) return;
      const st = it.step;
      if (st.data) steps.push(fromData(st, st.data, resolve(i + 1)));
      else steps.push({ fn: st.fn, does: st.does, tags: st.tags, callback: st.callback, handler: st.handler, waitsForever: st.waitsForever, enabled: st.enabled, exec: st.exec, data: undefined, next: resolve(i + 1) });
    });
    return steps;
  }
}

/**
 * A step as data: evaluated (step-data.ts) until it has run GENERATE_AFTER times, then
 * generated code. Its data is built when the step is first checked or run.
 */
function fromData(st: StepBase, source: StepData | (() => StepData), next: number): Step {
  let built: StepData | null = typeof source === 'function' ? null : source;
  const data = (): StepData => (built ??= (source as () => StepData)());
  let runs = 0;
  const step: Step = {
    fn: st.fn,
    does: st.does,
    tags: st.tags,
    callback: st.callback,
    handler: st.handler,
    waitsForever: st.waitsForever,
    enabled: undefined,
    exec: (s, notes) => {
      const d = data();
      if (++runs >= GENERATE_AFTER) step.exec = compileExec(d);
      return runEffect(d.effect, s, notes);
    },
    data,
    next,
  };
  // Not built yet: whether it has a guard is known once it is.
  if (built === null || built.guard !== undefined) {
    step.enabled = (s) => {
      const guard = data().guard;
      step.enabled = guard === undefined ? undefined : tiered(guard);
      return step.enabled ? step.enabled(s) : true;
    };
  }
  return step;
}

/**
 * The step with a condition before its own guard (a thread's first step waits for the threads
 * it starts after): for a step as data, part of its guard.
 */
export function startingWhen(step: Step, cond: Expr): Step {
  const own = step.data;
  if (own)
    return fromData(
      step,
      () => {
        const d = own();
        return { ...d, guard: d.guard === undefined ? cond : and(cond, d.guard) };
      },
      step.next,
    );
  const enabled = step.enabled;
  const guard = tiered(cond);
  return { ...step, enabled: (s) => guard(s) && (enabled ? enabled(s) : true) };
}

/** A guard evaluated as it stands for its first GENERATE_AFTER checks, then as generated code. */
function tiered(guard: Expr): (s: State) => boolean {
  let checks = 0;
  let code: ((s: State) => boolean) | null = null;
  return (s) => {
    if (code) return code(s);
    if (++checks >= GENERATE_AFTER) code = compileGuard(guard);
    return holds(guard, s);
  };
}
