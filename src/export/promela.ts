// mmutt export --promela (issue 18): a machine as a Promela model for SPIN, generated from the
// steps as data (engine/step-data.ts), so that a scenario that outgrows one machine can go to
// SPIN's multi-core and swarm searches, and a trail SPIN finds comes back as a replay.
//
// The model is the explorer's state machine, state for state:
// - the state is the machine's slots, `slots[]`, with its initial values; the threads' program
//   counters are slots, as in mmutt;
// - each schedulable thread is one process whose body is a loop of one `d_step` per mmutt step,
//   enabled when the thread's pc is the step's and the step's guard holds; the effect ends by
//   setting the pc (the step's next, or the label it jumps to). A process never leaves its loop,
//   so its own control state is constant and SPIN stores exactly the states mmutt does;
// - values a step binds, loop indices and static tables are `hidden` (not part of a state);
//   multi-core pan refuses hidden variables, so `spin -DMULTICORE` makes them plain globals,
//   and every step sets those it used back to 0 as it ends: a state between steps is the same;
// - a last process checks every final state (no thread can step): it prints the outcome line
//   (observations, harms, the scenario's condition, deadlock) and asserts each harm absent.
// Every process is `active` in scenario order, so a trail's process numbers are mmutt's thread
// numbers among the schedulable threads (run --trail).
import type { Machine } from '../engine/compile.js';
import { condExpr, observedExprs } from '../engine/observe.js';
import { schedulable } from '../engine/run.js';
import { FRAME_STRIDE, VIOLATION_BIT } from '../engine/state.js';
import type { BinOp, Expr, Stmt, StepData, Text } from '../engine/step-data.js';
import { VIOLATIONS } from '../contract/output.js';

export interface PromelaOptions {
  /** What was exported, at which release, with which command: comment lines at the top. */
  title: readonly string[];
  /** A kernel name or phrase of the engine in the release's own words. */
  say: (words: string) => string;
  /** The command that shows a trail of this model as mmutt's trace. */
  trail: string;
  /** Where the model is coarser than the kernel (the legend of every mmutt report). */
  simplifications: readonly string[];
}

/** The fields of a frame (struct page / folio), in slot order (state.ts FRAME). */
const FRAME_FIELDS = ['content', 'refcount', 'mapcount', 'flags', 'store'];

/** An identifier from a name: what Promela and pan's C accept, never a keyword of either. */
const ident = (name: string) => name.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, '') || 'x';

/** Promela's keywords and the names the model itself declares: a thread so named is renamed. */
const RESERVED = new Set(
  (
    'active assert atomic bit bool break byte c_code c_decl c_expr c_state c_track chan d_proctype d_step do else empty enabled eval ' +
    'false fi for full get_priority goto hidden if in init inline int len local ltl mtype nempty never nfull np_ od of pc_value ' +
    'pid printf printm priority proctype provided run select set_priority short show skip timeout trace true typedef unless unsigned xr xs ' +
    'outcome slots SCRATCH'
  ).split(' '),
);

/** The shapes of the names the model declares itself (slots, guards, scratch, tables, frame macros): a thread whose name has one is renamed. */
const OWN_NAMES = /^(S_|G_|CAN_|T[0-9]|l_|folio_|page_)/;

/** A decimal literal (Promela has no hex), negative ones bracketed. */
function num(n: number): string {
  if (n === -2147483648) return '(-2147483647 - 1)';
  return n < 0 ? `(${n})` : String(n);
}

/** Text inside a C comment. */
const commentText = (s: string) => s.replace(/\*\//g, '* /');

export function promela(m: Machine, o: PromelaOptions): string {
  const model = new Declarations(m, o.say);
  const guards: string[] = [];
  const taken = new Set<string>();
  const threads = schedulable(m).map((tid) => threadProcess(model, m, tid, o, taken, guards));
  const check = endCheck(model, m, o, threads);
  // The header last: the bodies have named what they use.
  return [
    ...header(model, m, o, threads.length),
    '',
    ...guards,
    ...threads.map((t) => `#define CAN_${t.name} (slots[${t.pc}] < ${t.len}${t.guarded.map(({ pc, g }) => ` && !(slots[${t.pc}] == ${pc} && !${g})`).join('')})`),
    '',
    ...threads.flatMap((t) => [t.text, '']),
    ...check,
    '',
  ].join('\n');
}

/** What the model declares as its parts are written: the slots it names, its static tables, the scratch variables. */
class Declarations {
  readonly slotNames = new Map<number, string>();
  private readonly taken = new Set<string>();
  /** Static tables and lists, once each, by name and content. */
  readonly tables = new Map<string, { name: string; values: readonly number[] }>();
  /** Scratch variables: values a step binds, loop indices. */
  readonly scratch = new Set<string>();
  /** A frame's field is named through its macro, `folio_flags(pfn)` (`page_` before folios). */
  readonly folio: string;
  framesUsed = false;
  constructor(
    readonly m: Machine,
    /** The engine's words in the release's. */
    readonly say: (words: string) => string,
  ) {
    this.folio = ident(say('folio'));
  }

  /** A constant slot by its layout name (a `#define`). */
  slot(i: number): string {
    let n = this.slotNames.get(i);
    if (n === undefined) {
      const base = `S_${ident(this.say(this.m.layout.names[i] ?? `slot ${i}`))}`;
      n = this.taken.has(base) ? `${base}_${i}` : base;
      this.taken.add(n);
      this.slotNames.set(i, n);
    }
    return n;
  }

  table(name: string, values: readonly number[]): string {
    const key = `${name}|${values.join(',')}`;
    let t = this.tables.get(key);
    if (!t) this.tables.set(key, (t = { name: `T${this.tables.size}_${ident(name)}`, values }));
    return t.name;
  }

  /** An expression in Promela; `names` maps a step's bound values to their scratch variables. */
  expr(e: Expr, names: (v: string) => string): string {
    if (typeof e === 'number') return num(e);
    switch (e.k) {
      case 'get':
        return `slots[${this.place(e.get, names)}]`;
      case 'v':
        return names(e.v);
      case 'op':
        return this.binary(e.op, e.a, e.b, names);
      case 'not':
        return `!(${this.expr(e.not, names)})`;
      case 'bnot':
        return `~(${this.expr(e.bnot, names)})`;
      case 'cond':
        return `(${this.expr(e.if, names)} -> ${this.expr(e.then, names)} : ${this.expr(e.else, names)})`;
      case 'pc':
        if (e.pc.pc < 0) throw new Error('internal: export: a label the program has not bound');
        return String(e.pc.pc);
      case 'frame':
      case 'table':
        return this.place(e, names);
    }
  }

  private binary(o: BinOp, ea: Expr, eb: Expr, names: (v: string) => string): string {
    const a = this.expr(ea, names);
    const b = this.expr(eb, names);
    switch (o) {
      case '===':
        return `(${a} == ${b})`;
      case '!==':
        return `(${a} != ${b})`;
      case '>>>':
        // JavaScript's unsigned shift: C's arithmetic one, masked to the bits left.
        if (typeof eb !== 'number' || eb < 0 || eb > 31) throw new Error('internal: export: an unsigned shift by a computed amount');
        return eb === 0 ? a : `((${a} >> ${eb}) & ${2 ** (32 - eb) - 1})`;
      default:
        return `(${a} ${o} ${b})`;
    }
  }

  /** A slot number: a constant slot by name, a frame's field through its macro, else computed. */
  place(e: Expr, names: (v: string) => string): string {
    if (typeof e === 'number') return this.slot(e);
    if (e.k === 'frame') {
      const l = this.m.layout;
      if (e.base !== l.frames || e.first !== l.firstPfn || e.stride !== FRAME_STRIDE) throw new Error('internal: export: frames outside the layout');
      this.framesUsed = true;
      return `${this.folio}_${FRAME_FIELDS[e.field] ?? `field${e.field}`}(${this.expr(e.frame, names)})`;
    }
    if (e.k === 'table') return `${this.table(e.name, e.table)}[${this.expr(e.at, names)}]`;
    return this.expr(e, names);
  }
}

const unbound = (what: string) => () => {
  throw new Error(`internal: export: ${what} reads a bound value`);
};

/** A note's or an error's text, its values as `…`, in the release's words, for a comment. */
const textOf = (parts: readonly Text[], say: (words: string) => string) => commentText(say(parts.map((p) => (typeof p === 'string' ? p : '…')).join('')));

/** One step's `d_step` body: its statements joined by `;`, the pc set at the end (or at a jump), its scratch variables set back to 0. */
class StepWriter {
  private readonly used = new Map<string, number>();
  /** The scratch variables this step sets. */
  private readonly mine = new Set<string>();
  private jumps = false;
  private loops = 0;
  constructor(
    private readonly model: Declarations,
    private readonly pcSlot: string,
    /** The label at the end of the step, where a jump goes. */
    private readonly end: string,
  ) {}

  body(d: StepData, next: number, ind: string): string[] {
    const body = this.block(d.effect, [], ind);
    const reset = [...this.mine].sort().map((h) => `${h} = 0`);
    const ending = this.jumps ? [[`${ind.slice(2)}${this.end}: ${reset.length ? reset.join('; ') : 'skip'}`]] : reset.length ? [[`${ind}${reset.join('; ')}`]] : [];
    return seq([...body, [`${ind}slots[${this.pcSlot}] = ${next}`], ...ending], ind);
  }

  private use(h: string): string {
    this.model.scratch.add(h);
    this.mine.add(h);
    return h;
  }

  /** A scratch variable for a value bound as `name` (a second binding of a name in the step gets its own). */
  private fresh(name: string): string {
    const k = (this.used.get(name) ?? 0) + 1;
    this.used.set(name, k);
    return this.use(`l_${ident(name)}${k > 1 ? `_${k}` : ''}`);
  }

  /** Statements, each its lines; what a block binds ends with it. */
  private block(ss: readonly Stmt[], outer: readonly Map<string, string>[], ind: string): string[][] {
    const scopes = [...outer, new Map<string, string>()];
    const out: string[][] = [];
    for (const x of ss) out.push(...this.statement(x, scopes, ind));
    return out;
  }

  private statement(x: Stmt, scopes: Map<string, string>[], ind: string): string[][] {
    const names = (v: string) => {
      for (let k = scopes.length - 1; k >= 0; k--) {
        const h = scopes[k]!.get(v);
        if (h) return h;
      }
      throw new Error(`internal: export: a step reads ${v} before binding it`);
    };
    const E = (e: Expr) => this.model.expr(e, names);
    const P = (e: Expr) => this.model.place(e, names);
    switch (x.k) {
      case 'put':
        return [this.store(P(x.put), () => E(x.v), ind)];
      case 'inc':
        return [this.store(P(x.inc), (at) => `slots[${at}] + ${num(x.by)}`, ind)];
      case 'or':
        return [this.store(P(x.or), (at) => `slots[${at}] | ${E(x.bits)}`, ind)];
      case 'let': {
        const value = E(x.v);
        const h = this.fresh(x.let);
        scopes.at(-1)!.set(x.let, h);
        return [[`${ind}${h} = ${value}`]];
      }
      case 'set':
        return [[`${ind}${names(x.set)} = ${E(x.v)}`]];
      case 'if': {
        const then = this.block(x.then, scopes, `${ind}   `);
        const otherwise = x.else?.length ? this.block(x.else, scopes, `${ind}   `) : [];
        return [[`${ind}if`, `${ind}:: ${E(x.if)} ->`, ...seq(then, `${ind}   `), `${ind}:: else ->`, ...seq(otherwise, `${ind}   `), `${ind}fi`]];
      }
      case 'each':
        return x.of.length ? [this.loop(x, scopes, ind)] : [];
      case 'break':
        return [[`${ind}break`]];
      case 'do':
        return this.block(x.do, scopes, ind);
      case 'goto':
        if (x.goto.pc < 0) throw new Error('internal: export: a jump to a label the program has not bound');
        this.jumps = true;
        return [[`${ind}slots[${this.pcSlot}] = ${x.goto.pc}; goto ${this.end}`]];
      case 'note':
        return [[`${ind}/* trace: ${textOf(x.note, this.model.say)} */`]];
      case 'tag':
        return [[`${ind}/* reads ${x.tag} */`]];
      case 'fail':
        return [[`${ind}/* internal error in the model: ${textOf(x.fail, this.model.say)} */`, `${ind}assert(false)`]];
    }
  }

  /**
   * A store into a slot. Promela refuses an assignment to an array element whose index reads
   * the same array (`slots[f(slots[i])] = v`): such an index is computed into a scratch
   * variable first.
   */
  private store(at: string, value: (at: string) => string, ind: string): string[] {
    if (!at.includes('slots[')) return [`${ind}slots[${at}] = ${value(at)}`];
    this.use('l_at');
    return [`${ind}l_at = ${at}; slots[l_at] = ${value('l_at')}`];
  }

  /** A loop over a static list: a table of its elements and an index. */
  private loop(x: Extract<Stmt, { k: 'each' }>, scopes: readonly Map<string, string>[], ind: string): string[] {
    const list = this.model.table(`list ${x.each}`, x.of);
    const i = this.use(`l_i${++this.loops}`);
    const h = this.fresh(x.each);
    const body = this.block(x.do, [...scopes, new Map([[x.each, h]])], `${ind}   `);
    return [
      `${ind}${i} = 0`,
      `${ind}do`,
      `${ind}:: ${i} < ${x.of.length} ->`,
      ...seq([[`${ind}   ${h} = ${list}[${i}]`], ...body, [`${ind}   ${i} = ${i} + 1`]], `${ind}   `),
      `${ind}:: else -> break`,
      `${ind}od`,
    ];
  }
}

/**
 * The statements SPIN counts in a d_step, as this writer lays them out: one a line (`if`,
 * each `::` option, `fi` included), a line of several (`l_at = ...; slots[l_at] = ...`) one
 * each, comments none. Measured with spin 6.5.2: a d_step of 2,041 such statements builds and
 * one of 2,047 is refused ("d_step sequence too long"), laid out as simple statements, as
 * statements two a line, or as if-blocks alike; a madvise over 39 guest pages counts 2,016 and
 * builds, over 40 it counts 2,067 and is refused. The export refuses a step past D_STEP_MAX
 * rather than write a model spin rejects.
 */
function dStepSize(lines: readonly string[]): number {
  let n = 0;
  for (const line of lines) {
    const s = line.trim();
    if (!s || s.startsWith('/*')) continue;
    n += 1 + (s.match(/; /g)?.length ?? 0);
  }
  return n;
}
const D_STEP_MAX = 2041;

/** A model that cannot be written: the scenario is past what SPIN accepts. */
export class ExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportError';
  }
}

/** A thread's process, and what the end check needs of it: its pc, its length, its guarded steps. */
interface ThreadProcess {
  name: string;
  pc: string;
  len: number;
  guarded: { pc: number; g: string }[];
  text: string;
}

/** A thread as an `active proctype`: one `d_step` per step of its program; its guards as macros into `guards`. */
function threadProcess(model: Declarations, m: Machine, tid: number, o: PromelaOptions, taken: Set<string>, guards: string[]): ThreadProcess {
  const t = m.layout.threads[tid]!;
  let name = ident(t.name);
  if (/^[0-9]/.test(name) || taken.has(name) || RESERVED.has(name) || OWN_NAMES.test(name)) name = `t${tid}_${name}`;
  taken.add(name);
  const pcSlot = model.slot(t.pc);
  const prog = m.programs[tid]!;
  const lines: string[] = [`active proctype ${name}() {`, 'end:', '  do'];
  const guarded: { pc: number; g: string }[] = [];
  prog.forEach((st, pc) => {
    if (!st.data) throw new Error(`internal: export: step ${pc} of ${t.name} (${st.fn}) is code, not data: only the engine's own steps can be exported`);
    const d = st.data();
    const rules = st.tags?.length ? ` [rules: ${st.tags.join(', ')}]` : '';
    lines.push(`  /* pc ${pc}: ${commentText(o.say(st.fn))}: ${commentText(o.say(st.does))}${rules} */`);
    let guard = '';
    if (d.guard !== undefined) {
      const g = `G_${name}_${pc}`;
      guards.push(`#define ${g} (${model.expr(d.guard, unbound('a guard'))})`);
      guarded.push({ pc, g });
      guard = ` && ${g}`;
    }
    lines.push(`  :: d_step { slots[${pcSlot}] == ${pc}${guard} ->`);
    const body = new StepWriter(model, pcSlot, `${name}_${pc}_end`).body(d, st.next, '       ');
    const size = dStepSize(body);
    if (size > D_STEP_MAX)
      throw new ExportError(
        `${t.name}'s step ${pc} (${o.say(st.fn)}) is too long for SPIN: about ${size} statements in one d_step, and spin 6.5 refuses a d_step past about 2,045 ("d_step sequence too long"); a scenario with a smaller range (fewer pages in one operation) exports`,
      );
    lines.push(...body);
    lines.push('     }');
  });
  // A thread with no step: finished from the start, its process never moves.
  if (!prog.length) lines.push('  :: false /* no step */');
  lines.push('  od', '}');
  return { name, pc: pcSlot, len: prog.length, guarded, text: lines.join('\n') };
}

/** The end check: in a final state, the outcome as mmutt's explorer keys it (explore.ts outcomeKey), and the harms asserted absent. */
function endCheck(model: Declarations, m: Machine, o: PromelaOptions, threads: readonly ThreadProcess[]): string[] {
  const quoted = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, "'").replace(/%/g, '%%');
  const fmt: string[] = [];
  const args: string[] = [];
  for (const { label, expr } of observedExprs(m)) {
    fmt.push(`${quoted(o.say(label))}=%d`);
    args.push(model.expr(expr, unbound('an observable')));
  }
  const viol = model.slot(m.layout.violations);
  fmt.push('harms=%d');
  args.push(`slots[${viol}]`);
  const condition = m.scenario.condition;
  if (condition) {
    fmt.push('condition=%d');
    args.push(model.expr(condExpr(m, condition.cond), unbound('a condition')));
  }
  fmt.push('deadlock=%d');
  args.push(`(${threads.map((c) => `slots[${c.pc}] < ${c.len}`).join(' || ') || '0'})`);
  return [
    '/* The end check: in a final state (no thread can step), the outcome line and the harms. */',
    'active proctype outcome() {',
    'end:',
    '  do',
    `  :: d_step { ${threads.map((c) => `!CAN_${c.name}`).join(' && ') || 'true'} ->`,
    `       printf("mmutt outcome: ${fmt.join(' ')}\\n",`,
    `              ${args.join(',\n              ')})${VIOLATIONS.length ? ';' : ''}`,
    ...VIOLATIONS.map((v, k) => `       assert(!(slots[${viol}] & ${VIOLATION_BIT[v]}))${k < VIOLATIONS.length - 1 ? ';' : ''} /* harm: ${v} */`),
    '     }',
    '  od',
    '}',
  ];
}

/** The comment that says what the model is and how to check it, the slot names, the initial state, the tables and scratch variables. */
function header(model: Declarations, m: Machine, o: PromelaOptions, threads: number): string[] {
  const l = m.layout;
  const n = m.init.length;
  // The state vector pan needs: the slots, the scratch variables and tables (in the state under
  // -DMULTICORE), each process's header; rounded up.
  const scratchInts = model.scratch.size + [...model.tables.values()].reduce((a, t) => a + t.values.length, 0);
  const vector = 4 * (n + scratchInts) + 16 * (threads + 1) + 64;
  const init = Array.from(m.init as ArrayLike<number>, (x) => num(x));
  const initLines: string[] = [];
  for (let i = 0; i < init.length; i += 16) initLines.push(`  ${init.slice(i, i + 16).join(', ')}${i + 16 < init.length ? ',' : ''}`);
  return [
    '/*',
    ...o.title.flatMap((t) => wrap(commentText(t), 88).map((x, k) => ` * ${k ? '  ' : ''}${x}`)),
    ' *',
    ' * Generated by mmutt from its steps as data: one d_step per mmutt step, the same state',
    ' * slots and program counters, so SPIN stores the states mmutt explores. Check it with',
    ` *   spin -o2 -a FILE && gcc -O2 -DSAFETY -DNOREDUCE -DVECTORSZ=${Math.ceil(vector / 256) * 256} -o pan pan.c && ./pan -m1000000`,
    ' * -o2 is needed: without it spin drops the slots no step reads back (counters, registers)',
    ' * and merges states mmutt keeps apart. pan stops at the first harm (an assertion of the end',
    " * check) and writes a trail; mmutt shows it as its trace, in the release's words:",
    ` *   ${commentText(o.trail)}`,
    " * -DPRINTF prints each final state's outcome line; ./pan -c0 goes on past harms, -A ignores them.",
    ' * Multi-core pan (gcc -DNCORE=N) refuses hidden variables: give spin -DMULTICORE.',
    ' * Not exported: the windows (mmutt checks them on every transition), path counts, and the',
    ' * least counters an outcome was reached with.',
    ' * Simplifications of the model (docs/engine.md, docs/timeline.md):',
    ...o.simplifications.flatMap((s) => wrap(commentText(s), 86).map((x, k) => ` * ${k ? '    ' : '  - '}${x}`)),
    ' */',
    '',
    ...[...model.slotNames].sort((a, b) => a[0] - b[0]).map(([i, name]) => `#define ${name} ${i}`),
    ...(model.framesUsed ? FRAME_FIELDS.map((f, k) => `#define ${model.folio}_${f}(pfn) (${l.frames - l.firstPfn * FRAME_STRIDE + k} + (pfn) * ${FRAME_STRIDE})`) : []),
    '',
    `int slots[${n}] = {`,
    ...initLines,
    '};',
    '#ifdef MULTICORE',
    '#define SCRATCH',
    '#else',
    '#define SCRATCH hidden',
    '#endif',
    ...[...model.tables.values()].map((t) => `SCRATCH int ${t.name}[${t.values.length}] = { ${t.values.map(num).join(', ')} };`),
    ...(model.scratch.size ? [`SCRATCH int ${[...model.scratch].sort().join(', ')};`] : []),
  ];
}

/**
 * Statements, each its lines (comment lines first), joined into a Promela sequence: `;` after
 * each statement but the last; `skip` when there is none.
 */
function seq(stmts: readonly string[][], ind: string): string[] {
  const out: string[] = [];
  let pending: string[] = [];
  let last = -1;
  for (const x of stmts) {
    if (x.every(isComment)) {
      pending.push(...x);
      continue;
    }
    if (last >= 0) out[last] += ';';
    out.push(...pending, ...x);
    pending = [];
    last = out.length - 1;
  }
  if (last < 0) return [...pending, `${ind}skip`];
  return [...out, ...pending];
}

const isComment = (s: string) => s.trimStart().startsWith('/*');

/** Words into lines of at most `width` characters (a longer word stands alone). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const w of text.split(/\s+/).filter(Boolean)) {
    if (cur && cur.length + 1 + w.length > width) {
      lines.push(cur);
      cur = w;
    } else cur = cur ? `${cur} ${w}` : w;
  }
  return [...lines, cur];
}
