// Engine unit tests: program assembly, the fault path's retry protocol, and state hygiene.
import { COUNTER_NAMES } from '../src/contract/output.js';
import { describe, expect, it } from 'vitest';
import { Asm } from '../src/engine/program.js';
import { parseText } from '../src/scenario/catalog.js';
import { getEra } from './registry.js';
import { compileMachine } from '../src/runner/machines.js';
import { settled } from '../src/era/features.js';
import { runCanonical, stepThread } from '../src/engine/run.js';
import { checkSanity } from '../src/engine/sanity.js';
import { get } from '../src/engine/state.js';
import { kvmOf } from '../src/kvm/layout.js';

describe('Asm', () => {
  it('resolves jumps without adding steps', () => {
    const a = new Asm();
    const end = a.label();
    const skip = a.label();
    a.emit({ fn: 'f', does: 'first', exec: () => skip.pc });
    a.jump(end);
    a.bind(skip);
    a.emit({ fn: 'g', does: 'second', exec: () => {} });
    a.jump(end);
    a.bind(end);
    const steps = a.assemble();
    expect(steps.map((s) => s.fn)).toEqual(['f', 'g']);
    expect(skip.pc).toBe(1);
    expect(end.pc).toBe(2);
    expect(steps[0]!.next).toBe(2); // falls through the jump to `end`
  });
  it('refuses an unbound label', () => {
    const a = new Asm();
    a.label();
    expect(() => a.assemble()).toThrow(/unbound label/);
  });
});

const RACE = `mmutt race "a vCPU fault whose GUP races a KSM merge"
{
  proc qemu: vma 0x1000 +1 anon private rw mergeable
  proc other: vma 0x400000 +1 anon private rw mergeable
  mem qemu:0x1000 = 0xaa ; mem other:0x400000 = 0xaa
  vm slot0: gfn 0x100 +1 -> qemu:0x1000
}
vcpu0 { r0 = read(gfn 0x100) }
ksmd { ksm_merge(other:0x400000, qemu:0x1000) }
`;

describe('fault path retry protocol', () => {
  const setup = (id: string) => {
    const m = compileMachine(settled(parseText('race.mmu', RACE), getEra(id)).scenario, getEra(id).rules);
    const l = m.layout;
    const s = m.init;
    const tid = (name: string) => l.threads.findIndex((t) => t.name === name);
    const fnOf = (t: number) => m.programs[t]![get(s, l.threads[t]!.pc)]?.fn;
    const finish = (t: number) => {
      while (get(s, l.threads[t]!.pc) < m.programs[t]!.length) stepThread(m, s, t, null);
    };
    const counter = (name: string) => get(s, l.counters + COUNTER_NAMES.indexOf(name as never));
    return { m, l, s, vcpu: tid('vcpu0'), ksmd: tid('ksmd'), fnOf, finish, counter };
  };

  for (const id of ['pre-6bdb913f0a70', 'post-369ea8242c0f', 'post-aa85986e7150']) {
    it(`${id}: KSM gives up on a page a vCPU fault holds by GUP (write_protect_page refcount check)`, () => {
      const { m, l, s, vcpu, ksmd, fnOf, finish, counter } = setup(id);
      stepThread(m, s, vcpu, null); // EPT violation: snapshot the seq
      expect(fnOf(vcpu)).toBe('hva_to_pfn');
      stepThread(m, s, vcpu, null); // get_user_pages: page reference taken
      const qemuPte = get(s, l.pages[0]!.pte);
      finish(ksmd);
      expect(get(s, l.pages[0]!.pte)).toBe(qemuPte); // not merged
      expect(checkSanity(m, s)).toBeNull();
      finish(vcpu);
      expect(get(s, l.threads[vcpu]!.regs.get('r0')!)).toBe(0xaa);
      // From 6bdb913f0a70 the failed write_protect_page still ran invalidate_range_start/end
      // on the page, so the fault sees the seq move and retries; before it nothing notified.
      expect(counter('kvm.fault_retry')).toBe(id === 'pre-6bdb913f0a70' ? 0 : 1);
      expect(checkSanity(m, s)).toBeNull();
    });

    it(`${id}: a fault that snapshots the seq before a merge retries, then maps the KSM page read-only (before v2.6.38: breaks COW)`, () => {
      const { m, l, s, vcpu, ksmd, finish, counter } = setup(id);
      stepThread(m, s, vcpu, null); // EPT violation: snapshot the seq
      finish(ksmd); // the merge bumps mmu_invalidate_seq (range_end, or change_pte before c13fda237f08)
      const ksmPfn = get(s, l.pages[1]!.pte) >>> 8;
      expect(get(s, l.pages[0]!.pte) >>> 8).toBe(ksmPfn); // merged
      finish(vcpu);
      expect(counter('kvm.fault_retry')).toBe(1);
      const spte = get(s, kvmOf(l).gfns[0]!.spte);
      if (getEra(id).rules['kvm.fault.gup'].value === 'write') {
        // gfn_to_pfn() asked get_user_pages() for write: the read broke COW on the KSM page.
        expect(spte >>> 8).not.toBe(ksmPfn);
        expect(spte >>> 8).toBe(get(s, l.pages[0]!.pte) >>> 8);
        expect(spte & 2).toBe(2);
        expect(get(s, l.threads[vcpu]!.regs.get('r0')!)).toBe(0xaa);
        return;
      }
      expect(spte >>> 8).toBe(ksmPfn);
      expect(spte & 2).toBe(0); // read-only
      expect(get(s, l.threads[vcpu]!.regs.get('r0')!)).toBe(0xaa);
    });
  }
});

describe('state hygiene', () => {
  it('a finished run leaves no locals behind and keeps every sanity invariant', () => {
    for (const id of ['pre-6bdb913f0a70', 'post-aa85986e7150']) {
      const m = compileMachine(settled(parseText('race.mmu', RACE), getEra(id)).scenario, getEra(id).rules);
      const l = m.layout;
      const { final } = runCanonical(m);
      for (const t of l.threads) for (let k = 0; k < 8; k++) expect(get(final, t.locals + k), `${t.name} local ${k}`).toBe(0);
      expect(checkSanity(m, final)).toBeNull();
    }
  });
});

describe('outcomes', () => {
  it('an outcome evaluates the observations a machine keeps, built once: taking one in every final state of an exploration allocates no new expression (stop 24: a cache keyed by objects made anew on every call grew past the largest Map)', async () => {
    const { observedExprs, outcome } = await import('../src/engine/observe.js');
    const s = parseText('o.mmu', 'mmutt o\n"two observations"\n{\n  proc qemu: vma 0x7f0000000000 +1 anon private rw\n  mem qemu:0x7f0000000000 = 0xaa\n  vm slot0: gfn 0x100 +1 -> qemu:0x7f0000000000\n}\nvcpu0 { r0 = read(gfn 0x100); r1 = read(gfn 0x100) }\n');
    const era = getEra('post-aa85986e7150');
    const m = compileMachine(settled(s, era).scenario, era.rules);
    const list = observedExprs(m);
    expect(list.map((o) => o.label)).toEqual(['vcpu0:r0', 'vcpu0:r1']);
    const final = runCanonical(m).final;
    for (let i = 0; i < 3; i++) outcome(m, final);
    expect(observedExprs(m)).toBe(list);
    for (const { expr } of list) expect(observedExprs(m).some((o) => o.expr === expr)).toBe(true);
  });
});
