// Conditions and observables printed back in scenario syntax, for reports.
import { hex } from '../contract/output.js';
import type { Cond, Observable } from '../contract/scenario.js';

/** Observables that are counts or flags (printed in decimal), not page contents or pfns (hex). */
export function isCount(o: Observable): boolean {
  return o.kind === 'counter' || o.kind === 'violation' || o.kind === 'folio' || (o.kind === 'spte' && o.field !== 'pfn');
}

/** An observable printed back in scenario syntax. */
export function fmtObservable(o: Observable): string {
  switch (o.kind) {
    case 'reg':
      return `${o.thread}:${o.reg}`;
    case 'mem':
      return `mem ${o.at.proc}:${hex(o.at.addr)}`;
    case 'disk':
      return `disk ${o.at.proc}:${hex(o.at.addr)}`;
    case 'gfn':
      return `gfn ${hex(o.gfn)}`;
    case 'folio':
      return `folio(${o.at.proc}:${hex(o.at.addr)}).${o.flag}`;
    case 'spte':
      return `spte(gfn ${hex(o.gfn)}).${o.field}`;
    case 'counter':
    case 'violation':
      return o.name;
  }
}

/** A condition printed back in scenario syntax (for reports). */
export function fmtCond(c: Cond): string {
  // `parent` is the connective around x: a chain of one connective needs no parentheses.
  const go = (x: Cond, parent: Cond['kind'] | null): string => {
    switch (x.kind) {
      case 'true':
        return 'true';
      case 'not':
        return `~${go(x.arg, 'not')}`;
      case 'and':
      case 'or': {
        const inner = `${go(x.left, x.kind)} ${x.kind === 'and' ? '/\\' : '\\/'} ${go(x.right, x.kind)}`;
        return parent === null || parent === x.kind ? inner : `(${inner})`;
      }
      case 'cmp':
        return `${fmtObservable(x.left)} ${x.op} ${isCount(x.left) ? x.right : hex(x.right)}`;
    }
  };
  return go(c, null);
}
