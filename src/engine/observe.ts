// From a final state to an outcome: observations, counters, violations (docs/output.md).
import { COUNTER_NAMES, VIOLATIONS, type CounterName, type Outcome, type Violation } from '../contract/output.js';
import type { Cond, Observable, Scenario } from '../contract/scenario.js';
import type { Machine } from './compile.js';
import { pageIndex } from './compile.js';
import type { Layout } from './layout.js';
import { fieldOf } from './prims.js';
import { FRAME, PG, PTE, VIOLATION_BIT, type State, get } from './state.js';
import { and, bits, cond, holds, not, op, or, slot, valueIn, type BinOp, type Expr } from './step-data.js';

/** The observations a scenario reports: its `observe` line, or every register it sets. */
export function observedList(s: Scenario): { label: string; obs: Observable }[] {
  if (s.observe.length) return s.observe.map((o) => ({ label: o.label, obs: o.obs }));
  return s.threads.flatMap((t) =>
    [...new Set(t.ops.flatMap((o) => ('reg' in o && o.reg !== undefined ? [o.reg] : [])))].map((reg) => ({
      label: `${t.name}:${reg}`,
      obs: { kind: 'reg' as const, thread: t.name, reg },
    })),
  );
}

export function outcome(m: Machine, s: State): Outcome {
  const observations: Record<string, number> = {};
  for (const { label, expr } of observedExprs(m)) observations[label] = valueIn(expr, s);
  const counters = Object.fromEntries(COUNTER_NAMES.map((c, k) => [c, get(s, m.layout.counters + k)])) as Record<CounterName, number>;
  const violations = VIOLATIONS.filter((v) => get(s, m.layout.violations) & VIOLATION_BIT[v]);
  return { observations, counters, violations };
}

/**
 * The scenario's observations as expressions, with their labels: built once per machine (an
 * exploration takes an outcome in every final state, millions of them; observedList makes new
 * objects on every call, so the list itself is kept, not looked up by them).
 */
export function observedExprs(m: Machine): readonly { label: string; expr: Expr }[] {
  let list = lists.get(m);
  if (!list) lists.set(m, (list = observedList(m.scenario).map(({ label, obs }) => ({ label, expr: buildObserved(m, obs) }))));
  return list;
}
const lists = new WeakMap<Machine, readonly { label: string; expr: Expr }[]>();

/**
 * An observable as an expression over the state (step-data.ts): what outcome() evaluates in a
 * final state, and what an export prints there (export/promela.ts), from one description.
 * Kept per machine and observable object: for the scenario's own objects (a condition's, an
 * expect line's), which live as long as it; observedExprs serves the observation list.
 */
export const observedExpr = (m: Machine, o: Observable): Expr => kept(m, o, buildObserved);

/** An observable's or a condition's expression, built once per machine and object. */
function kept<T extends Observable | Cond>(m: Machine, x: T, build: (m: Machine, x: T) => Expr): Expr {
  let mine = built.get(m);
  if (!mine) built.set(m, (mine = new Map()));
  let e = mine.get(x);
  if (e === undefined) mine.set(x, (e = build(m, x)));
  return e;
}
const built = new WeakMap<Machine, Map<Observable | Cond, Expr>>();

function buildObserved(m: Machine, o: Observable): Expr {
  const l = m.layout;
  const pteOf = (proc: string, addr: number) => slot(l.pages[pageIndex(l, m.scenario, proc, addr)]!.pte);
  const contentOf = (pte: Expr, shift: number) => fieldOf(l, op(pte, '>>>', shift), FRAME.CONTENT);
  /** 1 when the bit is set in the value, else 0. */
  const flag = (x: Expr, bit: number) => cond(bits(x, bit), 1, 0);
  switch (o.kind) {
    case 'reg': {
      const t = l.threads.find((x) => x.name === o.thread && x.kind !== 'prologue')!;
      return slot(t.regs.get(o.reg)!);
    }
    case 'mem': {
      const pte = pteOf(o.at.proc, o.at.addr);
      return cond(bits(pte, PTE.PRESENT), contentOf(pte, PTE.SHIFT), 0);
    }
    case 'disk':
      // What the page's backing store holds: its file block, or its swap slot (0 if none).
      return slot(l.stores[l.pages[pageIndex(l, m.scenario, o.at.proc, o.at.addr)]!.store]!.content);
    case 'gfn':
    case 'spte':
      // The guest's view and KVM's mappings: the secondary MMU that owns them says.
      return ownedBy(l, o);
    case 'folio': {
      const pte = pteOf(o.at.proc, o.at.addr);
      const flags = fieldOf(l, op(pte, '>>>', PTE.SHIFT), FRAME.FLAGS);
      // lazyfree: an anon page MADV_FREE cleared PG_swapbacked on.
      const seen = o.flag === 'lazyfree' ? not(bits(flags, PG.SWAPBACKED | PG.FILE | PG.ZERO | PG.KSM)) : flag(flags, { dirty: PG.DIRTY, referenced: PG.REFERENCED, ksm: PG.KSM, free: PG.FREE }[o.flag]);
      return cond(bits(pte, PTE.PRESENT), seen, 0);
    }
    case 'counter':
      return slot(l.counters + COUNTER_NAMES.indexOf(o.name as CounterName));
    case 'violation':
      return flag(slot(l.violations), VIOLATION_BIT[o.name as Violation]);
  }
}

/** An observable of a secondary MMU's state (src/kvm/: `gfn`, `spte`), from the registrant that owns it. */
function ownedBy(l: Layout, o: Observable): Expr {
  for (const r of l.secondaries) {
    const x = r.observe(l, o);
    if (x !== undefined) return x;
  }
  throw new Error(`internal: no secondary MMU on the chain observes ${o.kind}`);
}

/** The value of one observable in a state. */
export const observe = (m: Machine, s: State, o: Observable): number => valueIn(observedExpr(m, o), s);

const CMP: Record<Extract<Cond, { kind: 'cmp' }>['op'], BinOp> = { '=': '===', '!=': '!==', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

/** A condition as an expression over the state (1 when it holds): built once per machine and condition. */
export const condExpr = (m: Machine, c: Cond): Expr => kept(m, c, buildCond);

function buildCond(m: Machine, c: Cond): Expr {
  switch (c.kind) {
    case 'true':
      return 1;
    case 'not':
      return not(condExpr(m, c.arg));
    case 'and':
      return and(condExpr(m, c.left), condExpr(m, c.right));
    case 'or':
      return or(condExpr(m, c.left), condExpr(m, c.right));
    case 'cmp':
      return op(observedExpr(m, c.left), CMP[c.op], c.right);
  }
}

export const evalCond = (m: Machine, s: State, c: Cond): boolean => holds(condExpr(m, c), s);

/** The values a condition's observables have in a state: why a condition failed. */
export function seenBy(m: Machine, s: State, c: Cond): { obs: Observable; value: number }[] {
  const out: { obs: Observable; value: number }[] = [];
  const go = (x: Cond): void => {
    if (x.kind === 'cmp') out.push({ obs: x.left, value: observe(m, s, x.left) });
    else if (x.kind === 'not') go(x.arg);
    else if (x.kind === 'and' || x.kind === 'or') {
      go(x.left);
      go(x.right);
    }
  };
  go(c);
  return out;
}
