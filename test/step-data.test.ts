// Steps as data (src/engine/step-data.ts): what the generated code does with each form of the
// language, and that it reads and writes the state only through the state's accessors.
import { describe, expect, it } from 'vitest';
import { GENERATE_AFTER, compileExec, compileGuard, holds, runEffect, type Stmt } from '../src/engine/step-data.js';
import { Asm, Label, StepLog } from '../src/engine/program.js';
import { recordWrites, stopRecording } from '../src/engine/state.js';
import { compile } from '../src/engine/compile.js';
import { schedulable, stepThread } from '../src/engine/run.js';
import { settled, unavailable } from '../src/era/features.js';
import { catalogNames, loadScenario } from '../src/scenario/catalog.js';
import { ERAS } from './registry.js';

const run = (effect: Stmt[], s: number[], notes: StepLog | null = new StepLog()) => ({ r: compileExec({ effect })(s, notes), s, notes });

describe('step data compiled to code', () => {
  it('&&, || and the comparisons give 0 or 1, as in C, and && stops at the first 0', () => {
    const { s } = run(
      [
        { put: 0, v: { op: '&&', a: 6, b: 3 } },
        { put: 1, v: { op: '||', a: 0, b: 9 } },
        { put: 2, v: { op: '<', a: 1, b: 2 } },
        { put: 3, v: { not: 7 } },
        // The second operand would read a slot out of range: it is never evaluated.
        { put: 4, v: { op: '&&', a: 0, b: { get: 99 } } },
      ],
      [9, 9, 9, 9, 9],
    );
    expect(s).toEqual([1, 1, 1, 0, 0]);
  });

  it('let, set, if/else, each with break, and a frame field slot', () => {
    const { s } = run(
      [
        { let: 'n', v: 0 },
        { each: 'x', of: [3, 4, 5], do: [{ if: { op: '===', a: { v: 'x' }, b: 5 }, then: [{ break: true }] }, { set: 'n', v: { op: '+', a: { v: 'n' }, b: { v: 'x' } } }] },
        { put: 0, v: { v: 'n' } },
        { if: { v: 'n' }, then: [{ put: 1, v: 1 }], else: [{ put: 1, v: 2 }] },
        // frame pfn 0x11 of frames from slot 4 (first pfn 0x10, 2 slots each), field 1: slot 4 + 2 + 1.
        { put: { frame: 0x11, field: 1, base: 4, first: 0x10, stride: 2 }, v: 42 },
        { put: 2, v: { table: [30, 31, 32], at: 2, name: 't' } },
      ],
      [0, 0, 0, 0, 0, 0, 0, 0],
    );
    expect(s).toEqual([7, 1, 32, 0, 0, 0, 0, 42]);
  });

  it('a jump ends the step at its label; notes and rule tags go to the trace, and nothing is evaluated for them without one', () => {
    const to = new Label();
    to.pc = 7;
    const effect: Stmt[] = [{ note: ['pfn ', { hex: { get: 0 } }, ' refs ', { dec: 3 }] }, { tag: 'mm.lazyfree.dirty' }, { goto: to }, { put: 0, v: 1 }];
    const { r, s, notes } = run(effect, [0x12]);
    expect(r).toBe(7);
    expect(s).toEqual([0x12]);
    expect(notes!.notes).toEqual(['pfn 0x12 refs 3']);
    expect(notes!.tags).toEqual(['mm.lazyfree.dirty']);
    // Without a trace the note's slot is not read: slot 5 does not exist and nothing fails.
    expect(run([{ note: [{ hex: { get: 5 } }] }], [0], null).r).toBeUndefined();
  });

  it('a broken model is an internal error, never an outcome', () => {
    expect(() => run([{ fail: ['refcount ', { dec: { get: 0 } }] }], [-1])).toThrow('internal: refcount -1');
  });

  it('every write goes through put(): the write log sees it, and a write of the same value is no change', () => {
    const s = [1, 2];
    recordWrites(new Int32Array(12));
    compileExec({ effect: [{ put: 0, v: 1 }, { put: 1, v: 5 }, { inc: 0, by: 2 }, { or: 1, bits: 8 }] })(s, null);
    const { buf, n } = stopRecording();
    expect([...buf.subarray(0, n)]).toEqual([1, 2, 5, 0, 1, 3, 1, 5, 13]);
  });

  it('a guard is a predicate', () => {
    expect(compileGuard({ op: '===', a: { get: 0 }, b: 0 })([0])).toBe(true);
    expect(compileGuard({ op: '===', a: { get: 0 }, b: 0 })([1])).toBe(false);
  });

  it('an assembled step is evaluated for its first runs, then generated code: the same answers throughout', () => {
    const asm = new Asm();
    asm.emit({ fn: 'f', does: 'add slot 1 to slot 0 while slot 2 is 0', data: { guard: { op: '===', a: { get: 2 }, b: 0 }, effect: [{ put: 0, v: { op: '+', a: { get: 0 }, b: { get: 1 } } }] } });
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
    expect(() => compileExec({ effect: [{ goto: new Label() }] })).toThrow('has not bound');
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
        const m = compile(settled(scenario, era).scenario, era.rules);
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
              const g = st.data.guard;
              if (g !== undefined && holds(g, s) !== compileGuard(g)(s)) differences.push(`${name} ${era.id} ${st.fn}: guard`);
              if (g !== undefined && !holds(g, s)) continue;
              const a = [...s];
              const b = [...s];
              const la = new StepLog();
              const lb = new StepLog();
              const ra = runEffect(st.data.effect, a, la);
              const rb = compileExec(st.data)(b, lb);
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
