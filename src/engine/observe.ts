// From a final state to an outcome: observations, counters, violations (docs/output.md).
import { COUNTER_NAMES, VIOLATIONS, type CounterName, type Outcome, type Violation } from '../contract/output.js';
import type { Cond, Observable, Scenario } from '../contract/scenario.js';
import type { Machine } from './compile.js';
import { gfnIndex, pageIndex } from './compile.js';
import { frameSlot } from './layout.js';
import { FRAME, PG, PTE, SPTE, VIOLATION_BIT, ptePfn, sptePfn, type State, get } from './state.js';

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
  for (const { label, obs } of observedList(m.scenario)) observations[label] = observe(m, s, obs);
  const counters = Object.fromEntries(COUNTER_NAMES.map((c, k) => [c, get(s, m.layout.counters + k)])) as Record<CounterName, number>;
  const violations = VIOLATIONS.filter((v) => get(s, m.layout.violations) & VIOLATION_BIT[v]);
  return { observations, counters, violations };
}

/** The value of one observable in a state. */
export function observe(m: Machine, s: State, o: Observable): number {
  const l = m.layout;
  const framed = (pfn: number, field: number) => get(s, frameSlot(l, pfn, field));
  switch (o.kind) {
    case 'reg': {
      const t = l.threads.find((x) => x.name === o.thread && x.kind !== 'prologue')!;
      return get(s, t.regs.get(o.reg)!);
    }
    case 'mem': {
      const pte = get(s, l.pages[pageIndex(l, m.scenario, o.at.proc, o.at.addr)]!.pte);
      return pte & PTE.PRESENT ? framed(ptePfn(pte), FRAME.CONTENT) : 0;
    }
    case 'disk': {
      // What the page's backing store holds: its file block, or its swap slot (0 if none).
      return get(s, l.stores[l.pages[pageIndex(l, m.scenario, o.at.proc, o.at.addr)]!.store]!.content);
    }
    case 'gfn': {
      // What the guest reads there now: through its sPTE, else through the host mapping.
      const g = l.gfns[gfnIndex(l, o.gfn)]!;
      const spte = get(s, g.spte);
      if (spte & SPTE.PRESENT) return framed(sptePfn(spte), FRAME.CONTENT);
      const pte = get(s, l.pages[g.page]!.pte);
      return pte & PTE.PRESENT ? framed(ptePfn(pte), FRAME.CONTENT) : 0;
    }
    case 'folio': {
      const pte = get(s, l.pages[pageIndex(l, m.scenario, o.at.proc, o.at.addr)]!.pte);
      if (!(pte & PTE.PRESENT)) return 0;
      const flags = framed(ptePfn(pte), FRAME.FLAGS);
      // lazyfree: an anon page MADV_FREE cleared PG_swapbacked on.
      if (o.flag === 'lazyfree') return flags & (PG.SWAPBACKED | PG.FILE | PG.ZERO | PG.KSM) ? 0 : 1;
      const bit = { dirty: PG.DIRTY, referenced: PG.REFERENCED, ksm: PG.KSM, free: PG.FREE }[o.flag];
      return flags & bit ? 1 : 0;
    }
    case 'spte': {
      const spte = get(s, l.gfns[gfnIndex(l, o.gfn)]!.spte);
      if (o.field === 'pfn') return spte & SPTE.PRESENT ? sptePfn(spte) : 0;
      const bit = { present: SPTE.PRESENT, writable: SPTE.WRITABLE, dirty: SPTE.DIRTY, accessed: SPTE.ACCESSED }[o.field];
      return spte & bit ? 1 : 0;
    }
    case 'counter':
      return get(s, l.counters + COUNTER_NAMES.indexOf(o.name as CounterName));
    case 'violation':
      return get(s, l.violations) & VIOLATION_BIT[o.name as Violation] ? 1 : 0;
  }
}

export function evalCond(m: Machine, s: State, c: Cond): boolean {
  switch (c.kind) {
    case 'true':
      return true;
    case 'not':
      return !evalCond(m, s, c.arg);
    case 'and':
      return evalCond(m, s, c.left) && evalCond(m, s, c.right);
    case 'or':
      return evalCond(m, s, c.left) || evalCond(m, s, c.right);
    case 'cmp': {
      const v = observe(m, s, c.left);
      switch (c.op) {
        case '=':
          return v === c.right;
        case '!=':
          return v !== c.right;
        case '<':
          return v < c.right;
        case '<=':
          return v <= c.right;
        case '>':
          return v > c.right;
        case '>=':
          return v >= c.right;
      }
    }
  }
}

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
