// Steps as data (src/engine/step-data.ts): what each form of the language does, evaluated and as
// generated code (the two must agree), and that both read and write the state only through the
// state's accessors.
import { describe, expect, it } from 'vitest';
import {
  GENERATE_AFTER,
  assign,
  bind,
  block,
  compileExec,
  compileGuard,
  cond,
  each,
  eq,
  fail,
  goto,
  holds,
  incr,
  leave,
  not,
  note,
  op,
  orInto,
  runEffect,
  slot,
  tableAt,
  tag,
  v,
  when,
  write,
  type Stmt,
} from '../src/engine/step-data.js';
import { Asm, Label, StepLog } from '../src/engine/program.js';
import { recordWrites, stopRecording } from '../src/engine/state.js';
import { compileMachine } from '../src/runner/machines.js';
import { schedulable, stepThread } from '../src/engine/run.js';
import { settled, unavailable } from '../src/era/features.js';
import { catalogNames, loadScenario } from '../src/scenario/catalog.js';
import { ERAS } from './registry.js';

/** Run an effect both ways (evaluated, and as generated code) on copies of a state: both must agree; the evaluated one is returned. */
function run(effect: Stmt[], state: number[], traced = true) {
  const a = [...state];
  const b = [...state];
  const la = traced ? new StepLog() : null;
  const lb = traced ? new StepLog() : null;
  const r = runEffect(effect, a, la);
  const rb = compileExec({ effect })(b, lb);
  expect([b, rb, lb]).toEqual([a, r, la]);
  return { r, s: a, notes: la };
}

describe('step data, evaluated and as generated code', () => {
  it('&&, || and the comparisons give 0 or 1, as in C, and && stops at the first 0', () => {
    const { s } = run(
      [
        write(0, op(6, '&&', 3)),
        write(1, op(0, '||', 9)),
        write(2, op(1, '<', 2)),
        write(3, not(7)),
        // The second operand would read a slot out of range: it is never evaluated.
        write(4, op(0, '&&', slot(99))),
      ],
      [9, 9, 9, 9, 9],
    );
    expect(s).toEqual([1, 1, 1, 0, 0]);
  });

  it('let, set, if/else, each with break, a block that hides a name, and a frame field slot', () => {
    const { s } = run(
      [
        bind('n', 0),
        each('x', [3, 4, 5], [when(eq(v('x'), 5), [leave]), assign('n', op(v('n'), '+', v('x')))]),
        write(0, v('n')),
        when(v('n'), [write(1, 1)], [write(1, 2)]),
        // frame pfn 0x11 of frames from slot 4 (first pfn 0x10, 2 slots each), field 1: slot 4 + 2 + 1.
        write({ k: 'frame', frame: 0x11, field: 1, base: 4, first: 0x10, stride: 2 }, 42),
        write(2, tableAt([30, 31, 32], 2, 't')),
        // A name bound in a block is gone after it: the outer n is seen again.
        block([bind('n', 100), write(3, v('n'))]),
        write(4, cond(op(v('n'), '===', 7), 5, 6)),
      ],
      [0, 0, 0, 0, 0, 0, 0, 0],
    );
    expect(s).toEqual([7, 1, 32, 100, 5, 0, 0, 42]);
  });

  it('a jump ends the step at its label; notes and rule tags go to the trace, and nothing is evaluated for them without one', () => {
    const to = new Label();
    to.pc = 7;
    const effect: Stmt[] = [note('pfn ', { hex: slot(0) }, ' refs ', { dec: 3 }), tag('mm.lazyfree.dirty'), goto(to), write(0, 1)];
    const { r, s, notes } = run(effect, [0x12]);
    expect(r).toBe(7);
    expect(s).toEqual([0x12]);
    expect(notes!.notes).toEqual(['pfn 0x12 refs 3']);
    expect(notes!.tags).toEqual(['mm.lazyfree.dirty']);
    // Without a trace the note's slot is not read: slot 5 does not exist and nothing fails.
    expect(run([note({ hex: slot(5) })], [0], false).r).toBeUndefined();
  });

  it('a broken model is an internal error, never an outcome', () => {
    expect(() => runEffect([fail('refcount ', { dec: slot(0) })], [-1], null)).toThrow('internal: refcount -1');
    expect(() => compileExec({ effect: [fail('refcount ', { dec: slot(0) })] })([-1], null)).toThrow('internal: refcount -1');
  });

  it('every write goes through put(): the write log sees it, and a write of the same value is no change', () => {
    for (const exec of [(s: number[]) => runEffect(effect, s, null), (s: number[]) => compileExec({ effect })(s, null)]) {
      const s = [1, 2];
      recordWrites(new Int32Array(12));
      exec(s);
      const { buf, n } = stopRecording();
      expect([...buf.subarray(0, n)]).toEqual([1, 2, 5, 0, 1, 3, 1, 5, 13]);
    }
  });
  const effect: Stmt[] = [write(0, 1), write(1, 5), incr(0, 2), orInto(1, 8)];

  it('a guard is a predicate', () => {
    const g = eq(slot(0), 0);
    expect([compileGuard(g)([0]), holds(g, [0])]).toEqual([true, true]);
    expect([compileGuard(g)([1]), holds(g, [1])]).toEqual([false, false]);
  });

  it('an assembled step is evaluated for its first runs, then generated code: the same answers throughout', () => {
    const asm = new Asm();
    asm.emit({ fn: 'f', does: 'add slot 1 to slot 0 while slot 2 is 0', data: { guard: eq(slot(2), 0), effect: [write(0, op(slot(0), '+', slot(1)))] } });
    const [step] = asm.assemble();
    const first = step!.exec;
    for (let k = 0; k < GENERATE_AFTER + 3; k++) {
      const s = [k, 2, k % 2];
      expect(step!.enabled!(s)).toBe(k % 2 === 0);
      step!.exec(s, null);
      expect(s[0]).toBe(k + 2);
    }
    expect(step!.exec).not.toBe(first);
  });

  it('a jump to a label no program has bound is refused when compiled', () => {
    expect(() => compileExec({ effect: [goto(new Label())] })).toThrow('has not bound');
    expect(() => runEffect([goto(new Label())], [], null)).toThrow('has not bound');
  });
});

describe('a step as data does the same evaluated and as generated code', () => {
  // Every catalog scenario under every named era: at each state of a bounded breadth-first walk
  // of the machine, every enabled step that is data runs both ways on copies of the state; the
  // states, the next pc, the notes and the rules read must agree, and so must the guard.
  it('on the catalog under every named era', () => {
    const differences: string[] = [];
    let compared = 0;
    for (const name of catalogNames()) {
      const scenario = loadScenario(name);
      for (const era of ERAS) {
        if (unavailable(scenario, era)) continue;
        const m = compileMachine(settled(scenario, era).scenario, era.rules);
        const among = schedulable(m);
        const seen = new Set<string>();
        const queue: number[][] = [Array.from(m.init as ArrayLike<number>)];
        while (queue.length && seen.size < 400) {
          const s = queue.shift()!;
          const key = s.join(',');
          if (seen.has(key)) continue;
          seen.add(key);
          for (const tid of among) {
            const st = m.programs[tid]![s[m.layout.threads[tid]!.pc]!];
            if (!st) continue;
            if (st.data) {
              compared++;
              const d = st.data();
              const g = d.guard;
              if (g !== undefined && holds(g, s) !== compileGuard(g)(s)) differences.push(`${name} ${era.id} ${st.fn}: guard`);
              if (g !== undefined && !holds(g, s)) continue;
              const a = [...s];
              const b = [...s];
              const la = new StepLog();
              const lb = new StepLog();
              const ra = runEffect(d.effect, a, la);
              const rb = compileExec(d)(b, lb);
              if (JSON.stringify([a, ra, la]) !== JSON.stringify([b, rb, lb])) differences.push(`${name} ${era.id} ${st.fn}`);
            } else if (st.enabled && !st.enabled(s)) continue;
            const next = [...s];
            stepThread(m, next, tid, null);
            queue.push(next);
          }
        }
      }
    }
    expect(differences).toEqual([]);
    // The walk met steps that are data (page-writeback, migrate, the rmap walk's first steps).
    expect(compared).toBeGreaterThan(500);
  });
});
