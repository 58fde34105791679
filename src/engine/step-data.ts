// Steps as data (issue 18). A step's guard and its effect on the state are a small tree of
// expressions and statements over state slots, not a closure. The same description is
// evaluated as it stands by a run (a canonical or replayed schedule takes a few dozen steps of
// a machine built for it: generating code for them would cost more than it saves), turned into
// JavaScript for the explorer (compileExec, compileGuard: millions of steps of one machine),
// printed as the model has it at a release, and, once every step is data, exported to
// Promela. Everything a step needs from the scenario's layout (slot numbers, static tables) is
// a constant in the tree.
//
// The language is what the kernel steps use and no more: integers (32-bit, as the state's
// Int32Array holds them), the state's get/put/inc/orBits (state.ts: so the write log and the
// explorer's footprints see every access as they see a closure's), values bound once per step,
// if, a loop over a static list, a jump to a label (the next pc), notes for the trace, and the
// internal error a broken model raises.
import type { RuleName } from '../contract/era.js';
import { hex } from '../contract/output.js';
import type { Label, Notes } from './program.js';
import { get, inc, orBits, put, type State } from './state.js';

export type BinOp = '+' | '-' | '*' | '&' | '|' | '^' | '<<' | '>>>' | '===' | '!==' | '<' | '<=' | '>' | '>=' | '&&' | '||';

export type Expr =
  | number
  /** The value of a slot. */
  | { get: Expr }
  /** A value the step bound with `let`, or a loop's element. */
  | { v: string }
  | { op: BinOp; a: Expr; b: Expr }
  /** Logical not: 1 when `not` is 0. */
  | { not: Expr }
  /** Bitwise not. */
  | { bnot: Expr }
  /** `then` when `if` is non-zero, else `else`. */
  | { if: Expr; then: Expr; else: Expr }
  /** An entry of a static table (slot numbers of the layout, say) at a computed index. */
  | { table: readonly number[]; at: Expr; name: string }
  /** A label's pc: a number known once the programs are assembled (the length of another thread's program, say). */
  | { pc: Label }
  /** The slot of a field of the frame (struct page) `frame`: frames are `stride` slots each from slot `base`, the first being pfn `first`. */
  | { frame: Expr; field: number; base: number; first: number; stride: number };

/** A part of a note or of an internal error: text, or a value printed in hex or in decimal. */
export type Text = string | { hex: Expr } | { dec: Expr };

export type Stmt =
  | { put: Expr; v: Expr }
  /** Add to a slot that no step reads back (a counter). */
  | { inc: Expr; by: number }
  /** Set bits in a slot that no step reads back (the harms seen). */
  | { or: Expr; bits: Expr }
  /** Bind a value for the rest of the block (`set` may change it). */
  | { let: string; v: Expr }
  | { set: string; v: Expr }
  | { if: Expr; then: readonly Stmt[]; else?: readonly Stmt[] }
  /** The body for each element of a static list, bound to `each`; `break` leaves it. */
  | { each: string; of: readonly number[]; do: readonly Stmt[] }
  | { break: true }
  /** A block: what it binds ends with it (an inlined kernel primitive, say). */
  | { do: readonly Stmt[] }
  /** End the step: the thread goes on at the label. */
  | { goto: Label }
  /** A note for the trace (nothing is built while exploring). */
  | { note: readonly Text[] }
  /** The model is broken (a refcount below zero, say): an internal error, never an outcome. */
  | { fail: readonly Text[] }
  /** The step read this era rule as it ran here (its value was known when the step was built): the trace names it. */
  | { tag: RuleName };

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

export const v = (name: string): Expr => ({ v: name });
export const slot = (i: Expr): Expr => ({ get: i });
export const op = (a: Expr, o: BinOp, b: Expr): Expr => ({ op: o, a, b });
/** All of them (1 for none), evaluated left to right until one is 0. */
export const and = (...xs: Expr[]): Expr => (xs.length ? xs.reduce((a, b) => op(a, '&&', b)) : 1);
/** Any of them (0 for none), evaluated left to right until one is not 0. */
export const or = (...xs: Expr[]): Expr => (xs.length ? xs.reduce((a, b) => op(a, '||', b)) : 0);
export const not = (a: Expr): Expr => ({ not: a });
export const bits = (a: Expr, mask: Expr): Expr => op(a, '&', mask);
export const eq = (a: Expr, b: Expr): Expr => op(a, '===', b);
export const write = (i: Expr, val: Expr): Stmt => ({ put: i, v: val });
export const bind = (name: string, val: Expr): Stmt => ({ let: name, v: val });
export const when = (c: Expr, then: readonly Stmt[], otherwise?: readonly Stmt[]): Stmt => (otherwise?.length ? { if: c, then, else: otherwise } : { if: c, then });
export const goto = (to: Label): Stmt => ({ goto: to });
export const note = (...parts: Text[]): Stmt => ({ note: parts });

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
const EMPTY: Env = new Map();

/** The value of an expression: as the generated code computes it (same JavaScript operators, same order, same short cuts). */
function value(e: Expr, s: State, env: Env): number {
  if (typeof e === 'number') return e;
  if ('get' in e) return get(s, value(e.get, s, env));
  if ('v' in e) {
    const x = env.get(e.v);
    if (x === undefined) throw new Error(`internal: a step reads ${e.v} before binding it`);
    return x;
  }
  if ('op' in e) {
    const a = value(e.a, s, env);
    switch (e.op) {
      case '&&':
        return a && value(e.b, s, env) ? 1 : 0;
      case '||':
        return a || value(e.b, s, env) ? 1 : 0;
    }
    const b = value(e.b, s, env);
    switch (e.op) {
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
  if ('not' in e) return value(e.not, s, env) ? 0 : 1;
  if ('bnot' in e) return ~value(e.bnot, s, env);
  if ('if' in e) return value(e.if, s, env) ? value(e.then, s, env) : value(e.else, s, env);
  if ('frame' in e) return e.base - e.first * e.stride + e.field + value(e.frame, s, env) * e.stride;
  if ('pc' in e) return boundPc(e.pc);
  if ('table' in e) return e.table[value(e.at, s, env)]!;
  throw new Error('internal: an expression of no known form');
}

function shown(parts: readonly Text[], s: State, env: Env): string {
  return parts.map((p) => (typeof p === 'string' ? p : 'hex' in p ? hex(value(p.hex, s, env)) : String(value(p.dec, s, env)))).join('');
}

/** Run a block: a name it binds ends with it (what it hid is seen again). */
function runBlock(ss: readonly Stmt[], s: State, notes: Notes, env: Env): number | undefined {
  let hidden: [string, number | undefined][] | null = null;
  try {
    for (const x of ss) {
      if ('let' in x) {
        (hidden ??= []).push([x.let, env.get(x.let)]);
        env.set(x.let, value(x.v, s, env));
        continue;
      }
      const r = runStmt(x, s, notes, env);
      if (r !== undefined) return r;
    }
    return undefined;
  } finally {
    if (hidden) for (let k = hidden.length - 1; k >= 0; k--) {
      const [name, was] = hidden[k]!;
      if (was === undefined) env.delete(name);
      else env.set(name, was);
    }
  }
}

function runStmt(x: Stmt, s: State, notes: Notes, env: Env): number | undefined {
  if ('put' in x) put(s, value(x.put, s, env), value(x.v, s, env));
  else if ('inc' in x) inc(s, value(x.inc, s, env), x.by);
  else if ('or' in x) orBits(s, value(x.or, s, env), value(x.bits, s, env));
  else if ('set' in x) {
    if (!env.has(x.set)) throw new Error(`internal: a step sets ${x.set} before binding it`);
    env.set(x.set, value(x.v, s, env));
  } else if ('if' in x) {
    if (value(x.if, s, env)) return runBlock(x.then, s, notes, env);
    if (x.else) return runBlock(x.else, s, notes, env);
  } else if ('each' in x) {
    const was = env.get(x.each);
    try {
      for (const el of x.of) {
        env.set(x.each, el);
        const r = runBlock(x.do, s, notes, env);
        if (r === BREAK) break;
        if (r !== undefined) return r;
      }
    } finally {
      if (was === undefined) env.delete(x.each);
      else env.set(x.each, was);
    }
  } else if ('break' in x) return BREAK;
  else if ('do' in x) return runBlock(x.do, s, notes, env);
  else if ('goto' in x) return boundPc(x.goto); else if ('note' in x) notes?.push(shown(x.note, s, env));
  else if ('tag' in x) notes?.tag(x.tag);
  else if ('fail' in x) throw new Error(`internal: ${shown(x.fail, s, env)}`);
  else throw new Error('internal: a statement of no known form');
  return undefined;
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
  return instantiate(`return function exec(s, notes) {\n${block(d.effect)}};`);
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
  if ('get' in e) return `get(s, ${expr(e.get)})`;
  if ('v' in e) return `v_${e.v}`;
  if ('op' in e) {
    // && and || and the comparisons give 0 or 1, as in C: a value, not a JavaScript operand.
    if (e.op === '&&' || e.op === '||' || e.op === '===' || e.op === '!==' || e.op === '<' || e.op === '<=' || e.op === '>' || e.op === '>=') return `((${expr(e.a)} ${e.op} ${expr(e.b)}) ? 1 : 0)`;
    return `(${expr(e.a)} ${e.op} ${expr(e.b)})`;
  }
  if ('not' in e) return `(${expr(e.not)} ? 0 : 1)`;
  if ('bnot' in e) return `(~${expr(e.bnot)})`;
  if ('if' in e) return `(${expr(e.if)} ? ${expr(e.then)} : ${expr(e.else)})`;
  if ('frame' in e) return `(${e.base - e.first * e.stride + e.field} + ${expr(e.frame)} * ${e.stride})`;
  if ('pc' in e) return String(boundPc(e.pc));
  return `T[${table(e.table)}][${expr(e.at)}]`;
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

function block(ss: readonly Stmt[]): string {
  return ss.map(stmt).join('');
}

function stmt(x: Stmt): string {
  if ('put' in x) return `put(s, ${expr(x.put)}, ${expr(x.v)});\n`;
  if ('inc' in x) return `inc(s, ${expr(x.inc)}, ${x.by});\n`;
  if ('or' in x) return `orBits(s, ${expr(x.or)}, ${expr(x.bits)});\n`;
  if ('let' in x) return `let v_${x.let} = ${expr(x.v)};\n`;
  if ('set' in x) return `v_${x.set} = ${expr(x.v)};\n`;
  if ('if' in x) return `if (${expr(x.if)}) {\n${block(x.then)}}${x.else?.length ? ` else {\n${block(x.else)}}` : ''}\n`;
  if ('each' in x) return `for (const v_${x.each} of T[${table(x.of)}]) {\n${block(x.do)}}\n`;
  if ('break' in x) return 'break;\n';
  if ('do' in x) return `{\n${block(x.do)}}\n`;
  if ('goto' in x) return `return ${boundPc(x.goto)};\n`;
  // A note's values are read only when a trace is kept: `notes?.push(...)` evaluates nothing without one.
  if ('note' in x) return `notes?.push(${text(x.note)});\n`;
  if ('tag' in x) return `notes?.tag(${JSON.stringify(x.tag)});\n`;
  return `throw new Error("internal: " + ${text(x.fail)});\n`;
}
