// Steps as data (issue 18). A step's guard and its effect on the state are a small tree of
// expressions and statements over state slots, not a closure. The same description is
// evaluated as it stands for a step's first runs (a canonical or replayed schedule takes a
// few dozen steps of a machine built for it: generating code for them would cost more than it
// saves), then run as JavaScript generated from it (an exploration takes millions: compileExec,
// compileGuard), and printed as the model has it at a release (printStep: explain --step,
// docs/steps.md). Everything a step needs from the scenario's layout (slot numbers, static
// tables) is a constant in the tree.
//
// The language is what the kernel steps use and no more: integers (32-bit, as the state's
// Int32Array holds them), the state's get/put/inc/orBits (state.ts: so the write log and the
// explorer's footprints see every access as a step that is code would), values bound in a
// block, if, a loop over a static list, a jump to a label (the next pc), a label's pc, notes
// for the trace, the rules a step reads as it runs, and the internal error a broken model
// raises.
import type { RuleName } from '../contract/era.js';
import { hex } from '../contract/output.js';
import type { Label, Notes } from './program.js';
import { get, inc, orBits, put, type State } from './state.js';

export type BinOp = '+' | '-' | '*' | '&' | '|' | '^' | '<<' | '>>>' | '===' | '!==' | '<' | '<=' | '>' | '>=' | '&&' | '||';

// Every node but a number names its form in `k`: a run dispatches on it (step-data.ts is
// evaluated on every canonical run, and a switch on one field is what keeps that cheap).
export type Expr =
  | number
  /** The value of a slot. */
  | { k: 'get'; get: Expr }
  /** A value the step bound with `let`, or a loop's element. */
  | { k: 'v'; v: string }
  | { k: 'op'; op: BinOp; a: Expr; b: Expr }
  /** Logical not: 1 when `not` is 0. */
  | { k: 'not'; not: Expr }
  /** Bitwise not. */
  | { k: 'bnot'; bnot: Expr }
  /** `then` when `if` is non-zero, else `else`. */
  | { k: 'cond'; if: Expr; then: Expr; else: Expr }
  /** An entry of a static table (slot numbers of the layout, say) at a computed index. */
  | { k: 'table'; table: readonly number[]; at: Expr; name: string }
  /** A label's pc: a number known once the programs are assembled (the length of another thread's program, say). */
  | { k: 'pc'; pc: Label }
  /** The slot of a field of the frame (struct page) `frame`: frames are `stride` slots each from slot `base`, the first being pfn `first`. */
  | { k: 'frame'; frame: Expr; field: number; base: number; first: number; stride: number };

/** A part of a note or of an internal error: text, or a value printed in hex or in decimal. */
export type Text = string | { hex: Expr } | { dec: Expr };

export type Stmt =
  | { k: 'put'; put: Expr; v: Expr }
  /** Add to a slot that no step reads back (a counter). */
  | { k: 'inc'; inc: Expr; by: number }
  /** Set bits in a slot that no step reads back (the harms seen). */
  | { k: 'or'; or: Expr; bits: Expr }
  /** Bind a value for the rest of the block (`set` may change it). */
  | { k: 'let'; let: string; v: Expr }
  | { k: 'set'; set: string; v: Expr }
  | { k: 'if'; if: Expr; then: readonly Stmt[]; else?: readonly Stmt[] }
  /** The body for each element of a static list, bound to `each`; `break` leaves it. */
  | { k: 'each'; each: string; of: readonly number[]; do: readonly Stmt[] }
  | { k: 'break' }
  /** A block: what it binds ends with it (an inlined kernel primitive, say). */
  | { k: 'do'; do: readonly Stmt[] }
  /** End the step: the thread goes on at the label. */
  | { k: 'goto'; goto: Label }
  /** A note for the trace (nothing is built while exploring). */
  | { k: 'note'; note: readonly Text[] }
  /** The model is broken (a refcount below zero, say): an internal error, never an outcome. */
  | { k: 'fail'; fail: readonly Text[] }
  /** The step read this era rule as it ran here (its value was known when the step was built): the trace names it. */
  | { k: 'tag'; tag: RuleName };

/** What a step is, as data: when it may run, what it does. */
export interface StepData {
  /** Absent: the step can always run. */
  guard?: Expr;
  effect: readonly Stmt[];
}

export type Exec = (s: State, notes: Notes) => number | void;

/**
 * How often a step as data is evaluated as it stands before JavaScript is
 * generated for it: a run takes a few dozen steps of a machine built for it, and generating
 * code for them would cost more than it saves; an exploration takes millions, and runs the
 * generated code after the first few.
 */
export const GENERATE_AFTER = 32;
export type Guard = (s: State) => boolean;

// ---- building --------------------------------------------------------------------------

export const v = (name: string): Expr => ({ k: 'v', v: name });
export const slot = (i: Expr): Expr => ({ k: 'get', get: i });
export const op = (a: Expr, o: BinOp, b: Expr): Expr => ({ k: 'op', op: o, a, b });
/** All of them (1 for none), evaluated left to right until one is 0. */
export const and = (...xs: Expr[]): Expr => (xs.length ? xs.reduce((a, b) => op(a, '&&', b)) : 1);
/** Any of them (0 for none), evaluated left to right until one is not 0. */
export const or = (...xs: Expr[]): Expr => (xs.length ? xs.reduce((a, b) => op(a, '||', b)) : 0);
export const not = (a: Expr): Expr => ({ k: 'not', not: a });
export const bits = (a: Expr, mask: Expr): Expr => op(a, '&', mask);
export const eq = (a: Expr, b: Expr): Expr => op(a, '===', b);
/** `a` when `c` is not 0, else `b`. */
export const cond = (c: Expr, a: Expr, b: Expr): Expr => ({ k: 'cond', if: c, then: a, else: b });
/** The entry of a static table at `at`. */
export const tableAt = (table: readonly number[], at: Expr, name: string): Expr => ({ k: 'table', table, at, name });
/** A label's pc, once the programs are assembled. */
export const pcOf = (label: Label): Expr => ({ k: 'pc', pc: label });
export const write = (i: Expr, val: Expr): Stmt => ({ k: 'put', put: i, v: val });
export const incr = (i: Expr, by: number): Stmt => ({ k: 'inc', inc: i, by });
export const orInto = (i: Expr, mask: Expr): Stmt => ({ k: 'or', or: i, bits: mask });
export const bind = (name: string, val: Expr): Stmt => ({ k: 'let', let: name, v: val });
export const assign = (name: string, val: Expr): Stmt => ({ k: 'set', set: name, v: val });
export const when = (c: Expr, then: readonly Stmt[], otherwise?: readonly Stmt[]): Stmt => (otherwise?.length ? { k: 'if', if: c, then, else: otherwise } : { k: 'if', if: c, then });
export const each = (name: string, of: readonly number[], body: readonly Stmt[]): Stmt => ({ k: 'each', each: name, of, do: body });
export const leave: Stmt = { k: 'break' };
export const block = (body: readonly Stmt[]): Stmt => ({ k: 'do', do: body });
export const goto = (to: Label): Stmt => ({ k: 'goto', goto: to });
export const note = (...parts: Text[]): Stmt => ({ k: 'note', note: parts });
export const fail = (...parts: Text[]): Stmt => ({ k: 'fail', fail: parts });
export const tag = (name: RuleName): Stmt => ({ k: 'tag', tag: name });

/** A label's pc, once bound (a jump's target, a program's end). */
function boundPc(l: Label): number {
  if (l.pc < 0) throw new Error('internal: a step reads a label the program has not bound');
  return l.pc;
}

// ---- evaluated as it stands (runs) ------------------------------------------------------

/** The values a step has bound, by name. */
type Env = Map<string, number>;
/** `break` leaving the blocks up to its loop (a jump's pc is never negative). */
const BREAK = -1;

/** Do the effect on the state: the next pc if it jumps, else undefined. */
export function runEffect(effect: readonly Stmt[], s: State, notes: Notes): number | void {
  const r = runBlock(effect, s, notes, new Map());
  if (r === BREAK) throw new Error('internal: break outside a loop in a step');
  return r;
}

/** Is the guard true of the state? */
export const holds = (guard: Expr, s: State): boolean => value(guard, s, EMPTY) !== 0;
/** The value of an expression that binds nothing (an observable's) in a state. */
export const valueIn = (e: Expr, s: State): number => value(e, s, EMPTY);
const EMPTY: Env = new Map();

/** The value of an expression: as the generated code computes it (same JavaScript operators, same order, same short cuts). */
function value(e: Expr, s: State, env: Env): number {
  if (typeof e === 'number') return e;
  switch (e.k) {
    case 'v': {
      const x = env.get(e.v);
      if (x === undefined) throw new Error(`internal: a step reads ${e.v} before binding it`);
      return x;
    }
    case 'get':
      return get(s, value(e.get, s, env));
    case 'op':
      return binary(e.op, e.a, e.b, s, env);
    case 'not':
      return value(e.not, s, env) ? 0 : 1;
    case 'bnot':
      return ~value(e.bnot, s, env);
    case 'cond':
      return value(e.if, s, env) ? value(e.then, s, env) : value(e.else, s, env);
    case 'frame':
      return e.base - e.first * e.stride + e.field + value(e.frame, s, env) * e.stride;
    case 'pc':
      return boundPc(e.pc);
    case 'table':
      return e.table[value(e.at, s, env)]!;
  }
}

function binary(o: BinOp, ea: Expr, eb: Expr, s: State, env: Env): number {
  const a = value(ea, s, env);
  switch (o) {
    case '&&':
      return a && value(eb, s, env) ? 1 : 0;
    case '||':
      return a || value(eb, s, env) ? 1 : 0;
  }
  const b = value(eb, s, env);
  switch (o) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '&':
      return a & b;
    case '|':
      return a | b;
    case '^':
      return a ^ b;
    case '<<':
      return a << b;
    case '>>>':
      return a >>> b;
    case '===':
      return a === b ? 1 : 0;
    case '!==':
      return a !== b ? 1 : 0;
    case '<':
      return a < b ? 1 : 0;
    case '<=':
      return a <= b ? 1 : 0;
    case '>':
      return a > b ? 1 : 0;
    case '>=':
      return a >= b ? 1 : 0;
  }
}

function shown(parts: readonly Text[], s: State, env: Env): string {
  let out = '';
  for (const p of parts) out += typeof p === 'string' ? p : 'hex' in p ? hex(value(p.hex, s, env)) : String(value(p.dec, s, env));
  return out;
}

/**
 * Run a block: a name it binds ends with it (what it hid is seen again). An internal error
 * ends the run, so nothing is restored then.
 */
function runBlock(ss: readonly Stmt[], s: State, notes: Notes, env: Env): number | undefined {
  let hidden: (string | number | undefined)[] | null = null;
  let r: number | undefined;
  for (let i = 0; i < ss.length; i++) {
    const x = ss[i]!;
    if (x.k === 'let') {
      (hidden ??= []).push(x.let, env.get(x.let));
      env.set(x.let, value(x.v, s, env));
      continue;
    }
    r = runStmt(x, s, notes, env);
    if (r !== undefined) break;
  }
  if (hidden) {
    for (let k = hidden.length - 2; k >= 0; k -= 2) {
      const was = hidden[k + 1] as number | undefined;
      if (was === undefined) env.delete(hidden[k] as string);
      else env.set(hidden[k] as string, was);
    }
  }
  return r;
}

function runStmt(x: Stmt, s: State, notes: Notes, env: Env): number | undefined {
  switch (x.k) {
    case 'put':
      put(s, value(x.put, s, env), value(x.v, s, env));
      return undefined;
    case 'if':
      if (value(x.if, s, env)) return runBlock(x.then, s, notes, env);
      return x.else ? runBlock(x.else, s, notes, env) : undefined;
    case 'note':
      if (notes?.keepsNotes) notes.push(shown(x.note, s, env));
      return undefined;
    case 'set':
      if (!env.has(x.set)) throw new Error(`internal: a step sets ${x.set} before binding it`);
      env.set(x.set, value(x.v, s, env));
      return undefined;
    case 'goto':
      return boundPc(x.goto);
    case 'do':
      return runBlock(x.do, s, notes, env);
    case 'inc':
      inc(s, value(x.inc, s, env), x.by);
      return undefined;
    case 'or':
      orBits(s, value(x.or, s, env), value(x.bits, s, env));
      return undefined;
    case 'tag':
      notes?.tag(x.tag);
      return undefined;
    case 'each': {
      const was = env.get(x.each);
      let r: number | undefined;
      for (const el of x.of) {
        env.set(x.each, el);
        r = runBlock(x.do, s, notes, env);
        if (r !== undefined) break;
      }
      if (was === undefined) env.delete(x.each);
      else env.set(x.each, was);
      return r === BREAK ? undefined : r;
    }
    case 'break':
      return BREAK;
    case 'let':
      throw new Error('internal: let outside a block');
    case 'fail':
      throw new Error(`internal: ${shown(x.fail, s, env)}`);
  }
}

// ---- JavaScript ------------------------------------------------------------------------

/** The functions generated code calls: the state's accessors, and hex for notes. */
const RUNTIME = { get, put, inc, orBits, hex };

/**
 * Generated code, shared by every step whose text is the same: making a function from text
 * costs more than making its text, and explorations of one scenario under several rule sets
 * repeat most of their steps.
 */
const factories = new Map<string, (rt: typeof RUNTIME, tables: readonly (readonly number[])[]) => unknown>();
/** Every static table generated code indexes, by number (`T[k]`): the same for every factory. */
const TABLES: (readonly number[])[] = [];
const tableIds = new Map<string, number>();
const tableOf = new WeakMap<readonly number[], number>();

function instantiate<T>(body: string): T {
  let make = factories.get(body);
  if (!make) {
    make = new Function('rt', 'T', `"use strict"; const { get, put, inc, orBits, hex } = rt; ${body}`) as never;
    factories.set(body, make);
  }
  return make(RUNTIME, TABLES) as T;
}

/** The step's effect as a function of the state (and the trace's notes). */
export function compileExec(d: StepData): Exec {
  return instantiate(`return function exec(s, notes) {\n${blockText(d.effect)}};`);
}

/** The step's guard as a predicate. */
export function compileGuard(guard: Expr): Guard {
  return instantiate(`return function enabled(s) { return ${expr(guard)} ? true : false; };`);
}

// Expressions and statements as JavaScript text.
function expr(e: Expr): string {
  return typeof e === 'number' ? (e < 0 ? `(${e})` : String(e)) : exprText(e);
}

function exprText(e: Exclude<Expr, number>): string {
  switch (e.k) {
    case 'get':
      return `get(s, ${expr(e.get)})`;
    case 'v':
      return `v_${e.v}`;
    case 'op':
      // && and || and the comparisons give 0 or 1, as in C: a value, not a JavaScript operand.
      if (e.op === '&&' || e.op === '||' || e.op === '===' || e.op === '!==' || e.op === '<' || e.op === '<=' || e.op === '>' || e.op === '>=') return `((${expr(e.a)} ${e.op} ${expr(e.b)}) ? 1 : 0)`;
      return `(${expr(e.a)} ${e.op} ${expr(e.b)})`;
    case 'not':
      return `(${expr(e.not)} ? 0 : 1)`;
    case 'bnot':
      return `(~${expr(e.bnot)})`;
    case 'cond':
      return `(${expr(e.if)} ? ${expr(e.then)} : ${expr(e.else)})`;
    case 'frame':
      return `(${e.base - e.first * e.stride + e.field} + ${expr(e.frame)} * ${e.stride})`;
    case 'pc':
      return String(boundPc(e.pc));
    case 'table':
      return `T[${table(e.table)}][${expr(e.at)}]`;
  }
}

function table(t: readonly number[]): number {
  let k = tableOf.get(t);
  if (k !== undefined) return k;
  const key = t.join(',');
  k = tableIds.get(key);
  if (k === undefined) {
    k = TABLES.push(t) - 1;
    tableIds.set(key, k);
  }
  tableOf.set(t, k);
  return k;
}

function text(parts: readonly Text[]): string {
  return parts.map((p) => (typeof p === 'string' ? JSON.stringify(p) : 'hex' in p ? `hex(${expr(p.hex)})` : `String(${expr(p.dec)})`)).join(' + ') || '""';
}

function blockText(ss: readonly Stmt[]): string {
  return ss.map(stmt).join('');
}

function stmt(x: Stmt): string {
  switch (x.k) {
    case 'put':
      return `put(s, ${expr(x.put)}, ${expr(x.v)});\n`;
    case 'inc':
      return `inc(s, ${expr(x.inc)}, ${x.by});\n`;
    case 'or':
      return `orBits(s, ${expr(x.or)}, ${expr(x.bits)});\n`;
    case 'let':
      return `let v_${x.let} = ${expr(x.v)};\n`;
    case 'set':
      return `v_${x.set} = ${expr(x.v)};\n`;
    case 'if':
      return `if (${expr(x.if)}) {\n${blockText(x.then)}}${x.else?.length ? ` else {\n${blockText(x.else)}}` : ''}\n`;
    case 'each':
      return `for (const v_${x.each} of T[${table(x.of)}]) {\n${blockText(x.do)}}\n`;
    case 'break':
      return 'break;\n';
    case 'do':
      return `{\n${blockText(x.do)}}\n`;
    case 'goto':
      return `return ${boundPc(x.goto)};\n`;
    // A note's values are read only when a trace keeps notes: nothing is evaluated without one.
    case 'note':
      return `if (notes?.keepsNotes) notes.push(${text(x.note)});\n`;
    case 'tag':
      return `notes?.tag(${JSON.stringify(x.tag)});\n`;
    case 'fail':
      return `throw new Error("internal: " + ${text(x.fail)});\n`;
  }
}

// ---- shown as the model has it (explain --step) -----------------------------------------

const FRAME_FIELDS = ['content', 'refcount', 'mapcount', 'flags', 'store'];
const C_OP: Partial<Record<BinOp, string>> = { '===': '==', '!==': '!=', '>>>': '>>' };

/**
 * A step as C-like text, one line per statement, indented by block: slots by their layout
 * names (`slotName`), a frame's field as `folio(pfn).flags`, a jump as the pc it goes to, a
 * rule read as it runs as `reads RULE`. Masks print in hex.
 */
export function printStep(d: StepData, slotName: (slot: number) => string): { guard: string | null; effect: string[] } {
  const p = new StepPrinter(slotName);
  p.lines(d.effect, '');
  return { guard: d.guard === undefined ? null : p.ex(d.guard), effect: p.out };
}

class StepPrinter {
  readonly out: string[] = [];
  constructor(private readonly slotName: (slot: number) => string) {}

  /** A number; a negative mask is a complement (`& ~PG_locked`): shown so. */
  private num = (n: number): string => (n >= 0 && n < 10 ? String(n) : n < 0 ? `~${this.num(~n)}` : `0x${n.toString(16)}`);

  private place(e: Expr): string {
    if (typeof e === 'number') return `[${this.slotName(e)}]`;
    if (e.k === 'frame') return `folio(${this.ex(e.frame)}).${FRAME_FIELDS[e.field] ?? `field ${e.field}`}`;
    if (e.k === 'table') return `${e.name}[${this.ex(e.at)}]`;
    return `state[${this.ex(e)}]`;
  }

  ex(e: Expr): string {
    if (typeof e === 'number') return this.num(e);
    switch (e.k) {
      case 'get':
        return this.place(e.get);
      case 'v':
        return e.v;
      case 'op':
        return `(${this.ex(e.a)} ${C_OP[e.op] ?? e.op} ${this.ex(e.b)})`;
      case 'not':
        return `!${this.ex(e.not)}`;
      case 'bnot':
        return `~${this.ex(e.bnot)}`;
      case 'cond':
        return `(${this.ex(e.if)} ? ${this.ex(e.then)} : ${this.ex(e.else)})`;
      case 'pc':
        return `pc ${boundPc(e.pc)}`;
      case 'frame':
      case 'table':
        return `&${this.place(e)}`;
    }
  }

  private txt(parts: readonly Text[]): string {
    return parts.map((p) => (typeof p === 'string' ? JSON.stringify(p) : 'hex' in p ? `hex(${this.ex(p.hex)})` : this.ex(p.dec))).join(', ');
  }

  /** A block's statements at an indent. */
  lines(ss: readonly Stmt[], ind: string): void {
    for (const x of ss) this.line(x, ind);
  }

  private line(x: Stmt, ind: string): void {
    const out = this.out;
    switch (x.k) {
      case 'put':
        return void out.push(`${ind}${this.place(x.put)} = ${this.ex(x.v)}`);
      case 'inc':
        return void out.push(`${ind}${this.place(x.inc)} += ${x.by}`);
      case 'or':
        return void out.push(`${ind}${this.place(x.or)} |= ${this.ex(x.bits)}`);
      case 'let':
        return void out.push(`${ind}${x.let} = ${this.ex(x.v)}`);
      case 'set':
        return void out.push(`${ind}${x.set} = ${this.ex(x.v)}`);
      case 'if':
        out.push(`${ind}if ${this.ex(x.if)} {`);
        this.lines(x.then, `${ind}  `);
        if (x.else?.length) {
          out.push(`${ind}} else {`);
          this.lines(x.else, `${ind}  `);
        }
        return void out.push(`${ind}}`);
      case 'each':
        out.push(`${ind}for ${x.each} in ${x.of.map(this.num).join(', ')} {`);
        this.lines(x.do, `${ind}  `);
        return void out.push(`${ind}}`);
      case 'break':
        return void out.push(`${ind}break`);
      case 'do':
        return this.lines(x.do, ind);
      case 'goto':
        return void out.push(`${ind}goto pc ${boundPc(x.goto)}`);
      case 'note':
        return void out.push(`${ind}trace(${this.txt(x.note)})`);
      case 'tag':
        return void out.push(`${ind}reads ${x.tag}`);
      case 'fail':
        return void out.push(`${ind}BUG(${this.txt(x.fail)})`);
    }
  }
}

/** The era rules a step reads as it runs (its `tag` statements), in order, once each. */
export function rulesReadIn(d: StepData): RuleName[] {
  const out: RuleName[] = [];
  const walk = (ss: readonly Stmt[]): void => {
    for (const x of ss) {
      if (x.k === 'tag' && !out.includes(x.tag)) out.push(x.tag);
      else if (x.k === 'if') {
        walk(x.then);
        if (x.else) walk(x.else);
      } else if (x.k === 'each' || x.k === 'do') walk(x.do);
    }
  };
  walk(d.effect);
  return out;
}
