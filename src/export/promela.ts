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
import { condExpr, observedExpr, observedList } from '../engine/observe.js';
import { schedulable } from '../engine/run.js';
import { VIOLATION_BIT } from '../engine/state.js';
import type { Expr, Stmt, StepData, Text } from '../engine/step-data.js';
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

/** A decimal literal (Promela has no hex), negative ones bracketed. */
function num(n: number): string {
  if (n === -2147483648) return '(-2147483647 - 1)';
  return n < 0 ? `(${n})` : String(n);
}

/** Text inside a C comment. */
const commentText = (s: string) => s.replace(/\*\//g, '* /');

export function promela(m: Machine, o: PromelaOptions): string {
  const l = m.layout;
  const among = schedulable(m);
  const slotNames = new Map<number, string>();
  const taken = new Set<string>();
  /** A constant slot by its layout name (a `#define`). */
  const slotRef = (i: number): string => {
    let n = slotNames.get(i);
    if (n === undefined) {
      const base = `S_${ident(l.names[i] ?? `slot ${i}`)}`;
      n = taken.has(base) ? `${base}_${i}` : base;
      taken.add(n);
      slotNames.set(i, n);
    }
    return n;
  };
  // Static tables and lists, once each, by name and content.
  const tables = new Map<string, { name: string; values: readonly number[] }>();
  const tableRef = (name: string, values: readonly number[]): string => {
    const key = `${name}|${values.join(',')}`;
    let t = tables.get(key);
    if (!t) tables.set(key, (t = { name: `T${tables.size}_${ident(name)}`, values }));
    return t.name;
  };
  const hidden = new Set<string>();
  const folio = ident(o.say('folio'));
  let framesUsed = false;

  /** An expression in Promela; `names` maps a step's bound values to their hidden variables. */
  const ex = (e: Expr, names: (v: string) => string): string => {
    if (typeof e === 'number') return num(e);
    switch (e.k) {
      case 'get':
        return `slots[${place(e.get, names)}]`;
      case 'v':
        return names(e.v);
      case 'op': {
        const a = ex(e.a, names);
        const b = ex(e.b, names);
        switch (e.op) {
          case '===':
            return `(${a} == ${b})`;
          case '!==':
            return `(${a} != ${b})`;
          case '>>>': {
            // JavaScript's unsigned shift: C's arithmetic one, masked to the bits left.
            if (typeof e.b !== 'number' || e.b < 0 || e.b > 31) throw new Error('internal: export: an unsigned shift by a computed amount');
            return e.b === 0 ? a : `((${a} >> ${e.b}) & ${2 ** (32 - e.b) - 1})`;
          }
          default:
            return `(${a} ${e.op} ${b})`;
        }
      }
      case 'not':
        return `!(${ex(e.not, names)})`;
      case 'bnot':
        return `~(${ex(e.bnot, names)})`;
      case 'cond':
        return `(${ex(e.if, names)} -> ${ex(e.then, names)} : ${ex(e.else, names)})`;
      case 'pc':
        if (e.pc.pc < 0) throw new Error('internal: export: a label the program has not bound');
        return String(e.pc.pc);
      case 'frame':
      case 'table':
        return place(e, names);
    }
  };
  /** A slot number: a constant slot by name, a frame's field through its macro, else computed. */
  const place = (e: Expr, names: (v: string) => string): string => {
    if (typeof e === 'number') return slotRef(e);
    if (e.k === 'frame') {
      if (e.base !== l.frames || e.first !== l.firstPfn) throw new Error('internal: export: frames outside the layout');
      framesUsed = true;
      return `${folio}_${FRAME_FIELDS[e.field] ?? `field${e.field}`}(${ex(e.frame, names)})`;
    }
    if (e.k === 'table') return `${tableRef(e.name, e.table)}[${ex(e.at, names)}]`;
    return ex(e, names);
  };

  /** A note's or an error's text, its values as `…`, for a comment. */
  const textOf = (parts: readonly Text[]) => commentText(parts.map((p) => (typeof p === 'string' ? p : '…')).join(''));

  /** One step's d_step body: statements joined by `;`, the pc set at the end (or at a jump). */
  const stepBody = (d: StepData, pcSlot: string, next: number, end: string, ind: string): string[] => {
    const used = new Map<string, number>();
    /** The scratch variables this step sets, to set back to 0 as it ends. */
    const scratch = new Set<string>();
    const use = (h: string) => {
      hidden.add(h);
      scratch.add(h);
      return h;
    };
    let jumps = false;
    let loops = 0;
    const fresh = (name: string) => {
      const k = (used.get(name) ?? 0) + 1;
      used.set(name, k);
      return use(`l_${ident(name)}${k > 1 ? `_${k}` : ''}`);
    };
    const block = (ss: readonly Stmt[], scope: Map<string, string>[], ind: string): string[][] => {
      const mine = new Map<string, string>();
      const scopes = [...scope, mine];
      const names = (v: string) => {
        for (let k = scopes.length - 1; k >= 0; k--) {
          const h = scopes[k]!.get(v);
          if (h) return h;
        }
        throw new Error(`internal: export: a step reads ${v} before binding it`);
      };
      const out: string[][] = [];
      const push = (lines: string[]) => out.push(lines);
      // Promela refuses an assignment to an array element whose index reads the same array
      // (`slots[f(slots[i])] = v`): such an index is computed into a hidden variable first.
      const store = (at: string, value: (at: string) => string): string[] => {
        if (!at.includes('slots[')) return [`${ind}slots[${at}] = ${value(at)}`];
        use('l_at');
        return [`${ind}l_at = ${at}; slots[l_at] = ${value('l_at')}`];
      };
      for (const x of ss) {
        switch (x.k) {
          case 'put':
            push(store(place(x.put, names), () => ex(x.v, names)));
            break;
          case 'inc':
            push(store(place(x.inc, names), (at) => `slots[${at}] + ${num(x.by)}`));
            break;
          case 'or':
            push(store(place(x.or, names), (at) => `slots[${at}] | ${ex(x.bits, names)}`));
            break;
          case 'let': {
            const value = ex(x.v, names);
            const h = fresh(x.let);
            mine.set(x.let, h);
            push([`${ind}${h} = ${value}`]);
            break;
          }
          case 'set':
            push([`${ind}${names(x.set)} = ${ex(x.v, names)}`]);
            break;
          case 'if': {
            const then = block(x.then, scopes, `${ind}   `);
            const otherwise = x.else?.length ? block(x.else, scopes, `${ind}   `) : [];
            push([`${ind}if`, `${ind}:: ${ex(x.if, names)} ->`, ...seq(then, `${ind}   `), `${ind}:: else ->`, ...seq(otherwise, `${ind}   `), `${ind}fi`]);
            break;
          }
          case 'each': {
            if (!x.of.length) break;
            const list = tableRef(`list ${x.each}`, x.of);
            const i = use(`l_i${++loops}`);
            const inner = new Map<string, string>();
            const h = fresh(x.each);
            inner.set(x.each, h);
            const body = block(x.do, [...scopes, inner], `${ind}   `);
            push([
              `${ind}${i} = 0`,
              `${ind}do`,
              `${ind}:: ${i} < ${x.of.length} ->`,
              ...seq([[`${ind}   ${h} = ${list}[${i}]`], ...body, [`${ind}   ${i} = ${i} + 1`]], `${ind}   `),
              `${ind}:: else -> break`,
              `${ind}od`,
            ]);
            break;
          }
          case 'break':
            push([`${ind}break`]);
            break;
          case 'do':
            out.push(...block(x.do, scopes, ind));
            break;
          case 'goto':
            if (x.goto.pc < 0) throw new Error('internal: export: a jump to a label the program has not bound');
            jumps = true;
            push([`${ind}slots[${pcSlot}] = ${x.goto.pc}; goto ${end}`]);
            break;
          case 'note':
            push([`${ind}/* trace: ${textOf(x.note)} */`]);
            break;
          case 'tag':
            push([`${ind}/* reads ${x.tag} */`]);
            break;
          case 'fail':
            push([`${ind}/* internal error in the model: ${textOf(x.fail)} */`, `${ind}assert(false)`]);
            break;
        }
      }
      return out;
    };
    const body = block(d.effect, [], ind);
    const reset = [...scratch].sort().map((h) => `${h} = 0`);
    const ending = jumps ? [[`${ind.slice(2)}${end}: ${reset.length ? reset.join('; ') : 'skip'}`]] : reset.length ? [[`${ind}${reset.join('; ')}`]] : [];
    return seq([...body, [`${ind}slots[${pcSlot}] = ${next}`], ...ending], ind);
  };

  // The threads' processes.
  const guards: string[] = [];
  const procs: string[] = [];
  const can: { name: string; pc: string; len: number; guarded: { pc: number; g: string }[] }[] = [];
  const procNames = new Set<string>();
  among.forEach((tid) => {
    const t = l.threads[tid]!;
    let name = ident(t.name);
    if (/^[0-9]/.test(name) || procNames.has(name)) name = `t${tid}_${name}`;
    procNames.add(name);
    const pcSlot = slotRef(t.pc);
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
        guards.push(`#define ${g} (${ex(d.guard, () => {
          throw new Error('internal: export: a guard reads a bound value');
        })})`);
        guarded.push({ pc, g });
        guard = ` && ${g}`;
      }
      lines.push(`  :: d_step { slots[${pcSlot}] == ${pc}${guard} ->`);
      lines.push(...stepBody(d, pcSlot, st.next, `${name}_${pc}_end`, '       '));
      lines.push('     }');
    });
    lines.push('  od', '}');
    procs.push(lines.join('\n'));
    can.push({ name, pc: pcSlot, len: prog.length, guarded });
  });

  // The end check: a final state's outcome, as mmutt's explorer keys it (explore.ts outcomeKey).
  const none = () => {
    throw new Error('internal: export: an observable reads a bound value');
  };
  const quoted = (s: string) => s.replace(/\\/g, '\\\\').replace(/"/g, "'").replace(/%/g, '%%');
  const observed = observedList(m.scenario);
  const fmt: string[] = [];
  const args: string[] = [];
  for (const { label, obs } of observed) {
    fmt.push(`${quoted(o.say(label))}=%d`);
    args.push(ex(observedExpr(m, obs), none));
  }
  const viol = slotRef(l.violations);
  fmt.push('harms=%d');
  args.push(`slots[${viol}]`);
  const condition = m.scenario.condition;
  if (condition) {
    fmt.push('condition=%d');
    args.push(ex(condExpr(m, condition.cond), none));
  }
  fmt.push('deadlock=%d');
  args.push(`(${can.map((c) => `slots[${c.pc}] < ${c.len}`).join(' || ') || '0'})`);
  const canDefs = can.map(
    (c) => `#define CAN_${c.name} (slots[${c.pc}] < ${c.len}${c.guarded.map(({ pc, g }) => ` && !(slots[${c.pc}] == ${pc} && !${g})`).join('')})`,
  );
  const check = [
    '/* The end check: in a final state (no thread can step), the outcome line and the harms. */',
    'active proctype outcome() {',
    'end:',
    '  do',
    `  :: d_step { ${can.map((c) => `!CAN_${c.name}`).join(' && ') || 'true'} ->`,
    `       printf("mmutt outcome: ${fmt.join(' ')}\\n",`,
    `              ${args.join(',\n              ')})${VIOLATIONS.length ? ';' : ''}`,
    ...VIOLATIONS.map((v, k) => `       assert(!(slots[${viol}] & ${VIOLATION_BIT[v]}))${k < VIOLATIONS.length - 1 ? ';' : ''} /* harm: ${v} */`),
    '     }',
    '  od',
    '}',
  ];

  // The header, now that the bodies have named what they use.
  const n = m.init.length;
  // The state vector pan needs: the slots, the scratch variables and tables (in the state under
  // -DMULTICORE), each process's header; rounded up.
  const scratchInts = hidden.size + [...tables.values()].reduce((a, t) => a + t.values.length, 0);
  const vector = 4 * (n + scratchInts) + 16 * (among.length + 1) + 64;
  const defines = [...slotNames].sort((a, b) => a[0] - b[0]).map(([i, name]) => `#define ${name} ${i}`);
  const frameMacros = framesUsed
    ? FRAME_FIELDS.map((f, k) => `#define ${folio}_${f}(pfn) (${l.frames - l.firstPfn * 5 + k} + (pfn) * 5)`)
    : [];
  const init = Array.from(m.init as ArrayLike<number>, (x) => num(x));
  const initLines: string[] = [];
  for (let i = 0; i < init.length; i += 16) initLines.push(`  ${init.slice(i, i + 16).join(', ')}${i + 16 < init.length ? ',' : ''}`);
  const out = [
    '/*',
    ...o.title.flatMap((t) => wrap(commentText(t), 88).map((x, k) => ` * ${k ? '  ' : ''}${x}`)),
    ' *',
    ' * Generated by mmutt from its steps as data: one d_step per mmutt step, the same state',
    ' * slots and program counters, so SPIN stores the states mmutt explores. Check it with',
    ` *   spin -o2 -a FILE && gcc -O2 -DSAFETY -DNOREDUCE -DVECTORSZ=${Math.ceil(vector / 256) * 256} -o pan pan.c && ./pan -m1000000`,
    ' * -o2 is needed: without it spin drops the slots no step reads back (counters, registers)',
    ' * and merges states mmutt keeps apart. pan stops at the first harm (an assertion of the end',
    ' * check) and writes a trail; mmutt shows it as its trace, in the release\'s words:',
    ` *   ${o.trail}`,
    ' * -DPRINTF prints each final state\'s outcome line; ./pan -c0 goes on past harms, -A ignores them.',
    ' * Multi-core pan (gcc -DNCORE=N) refuses hidden variables: give spin -DMULTICORE.',
    ' * Not exported: the windows (mmutt checks them on every transition), path counts, and the',
    ' * least counters an outcome was reached with.',
    ' * Simplifications of the model (docs/engine.md, docs/timeline.md):',
    ...o.simplifications.flatMap((s) => wrap(commentText(s), 86).map((x, k) => ` * ${k ? '    ' : '  - '}${x}`)),
    ' */',
    '',
    ...defines,
    ...frameMacros,
    '',
    `int slots[${n}] = {`,
    ...initLines,
    '};',
    '#ifdef MULTICORE',
    '#define SCRATCH',
    '#else',
    '#define SCRATCH hidden',
    '#endif',
    ...[...tables.values()].map((t) => `SCRATCH int ${t.name}[${t.values.length}] = { ${t.values.map(num).join(', ')} };`),
    ...(hidden.size ? [`SCRATCH int ${[...hidden].sort().join(', ')};`] : []),
    '',
    ...guards,
    ...canDefs,
    '',
    ...procs.flatMap((p) => [p, '']),
    ...check,
    '',
  ];
  return out.join('\n');
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
