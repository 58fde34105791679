// A device bound to a process through its IOMMU (src/iommu/, docs/iommu.md): the second
// secondary MMU. Where its device TLB hears of a change, by release, against the page's free;
// what it registered; its scenario syntax and errors.
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, type RunResult } from '../src/contract/output.js';
import { ScenarioError } from '../src/errors.js';
import { exploreScenario as explore, runScenario } from '../src/runner/run.js';
import { loadScenario, parseText } from '../src/scenario/catalog.js';
import { registry } from './registry.js';

const at = (v: string) => registry.forKernel(v);
const scenario = (body: string, name = 'dev') => parseText(`${name}.mmu`, `mmutt ${name}\n"a device"\n${body}`);
const exploreScenario = (s: Parameters<typeof explore>[0], era: Parameters<typeof explore>[1]) => explore(s, era, DEFAULT_LIMITS, false);
const counters = (r: RunResult) => r.outcome!.counters;
/** The trace's step numbers: where the device heard the change, and where the page was freed. */
const order = (r: RunResult) => ({
  // The steps that flush the device's ATC (range_end only puts amd_iommu_v2's page table back).
  heard: r.trace.filter((t) => / \(dev0\)$/.test(t.fn) && !t.fn.startsWith('invalidate_range_end')).map((t) => t.n),
  freed: r.trace.find((t) => t.notes.some((n) => /freed$/.test(n)))?.n,
});

const UNMAP = `{
  proc qemu: vma 0x7f0000000000 +1 anon private rw
  mem qemu:0x7f0000000000 = 0xaa
  touched: dev0 read qemu:0x7f0000000000
}
qemu { OP }
dev0(qemu) { r0 = read(0x7f0000000000) }
observe dev0:r0
exists (freed-frame-access = 1)`;

describe('a device TLB hears an unmap before the page is freed, in every release', () => {
  // After munmap the page request finds no vma (the read fails); after MADV_DONTNEED it maps the zero page.
  for (const [op, read] of [
    ['munmap(0x7f0000000000, 1)', 0xbad],
    ['madvise(0x7f0000000000, 1, MADV_DONTNEED)', 0],
  ] as const) {
    it(`${op}: amd_iommu_v2's empty page table (v3.18), twice from v3.19 (range_end, the mmu_gather flush), once from v6.6`, () => {
      const s = scenario(UNMAP.replace('OP', op));
      const v318 = runScenario(s, at('v3.18'));
      expect(counters(v318)['iommu.invalidate_range_start']).toBe(1);
      expect(counters(v318)['iommu.invalidate_range']).toBe(0);
      const v319 = runScenario(s, at('v3.19'));
      expect(counters(v319)['iommu.invalidate_range']).toBe(2);
      const v66 = runScenario(s, at('v6.6'));
      expect(counters(v66)['iommu.invalidate_range']).toBe(1);
      for (const r of [v318, v319, v66]) {
        const { heard, freed } = order(r);
        expect(heard.length).toBeGreaterThan(0);
        expect(freed).toBeDefined();
        expect(Math.max(...heard)).toBeLessThan(freed!);
        expect(r.outcome!.observations['dev0:r0']).toBe(read);
      }
      // v6.6 names the callback as v6.6 does; v3.19 as v3.19 does.
      expect(v66.trace.map((t) => t.fn)).toContain('arch_invalidate_secondary_tlbs (dev0)');
      expect(v319.trace.map((t) => t.fn)).toContain('invalidate_range (dev0)');
      for (const v of ['v3.18', 'v3.19', 'v4.15', 'v6.6']) {
        const x = exploreScenario(s, at(v)).exploration!;
        expect(x.complete).toBe(true);
        expect(x.outcomes.every((o) => o.violations.length === 0), v).toBe(true);
      }
    });
  }
});

describe('what the driver registered', () => {
  it('before v3.3 no driver bound a device to a process: not in this release', () => {
    const r = runScenario(loadScenario('munmap-device-mapped'), at('v3.2'));
    expect(r.unavailable).toMatch(/not in this release: a device bound to a process .* arrived in v3\.3/);
  });

  it('exit: task_exit() unbinds the PASID before exit_mm() until v3.17, .release from then: the device never reaches a freed page', () => {
    const s = scenario(UNMAP.replace('OP', 'exit()'));
    for (const [v, fn] of [
      ['v3.16', 'task_exit (dev0)'],
      ['v3.17', 'release (dev0)'],
      ['v6.6', 'release (dev0)'],
    ] as const) {
      const r = runScenario(s, at(v));
      const unbind = r.trace.find((t) => t.fn === fn);
      expect(unbind, v).toBeDefined();
      expect(unbind!.n).toBeLessThan(r.trace.find((t) => t.fn === 'exit_mmap')!.n);
      expect(counters(r)['iommu.release']).toBe(v === 'v3.16' ? 0 : 1);
      const x = exploreScenario(s, at(v)).exploration!;
      expect(x.outcomes.map((o) => o.observations['dev0:r0']).sort()).toEqual([0xaa, 0xbad]);
      expect(x.outcomes.every((o) => o.violations.length === 0)).toBe(true);
    }
  });

  it('KSM with a device writing the page it holds writable: the write is never lost, and the ATC hears each PTE change under the PTL only until v4.14', () => {
    const s = loadScenario('ksm-merge-device-mapped');
    expect(counters(runScenario(s, at('v4.14')))['iommu.invalidate_range']).toBe(6);
    expect(counters(runScenario(s, at('v4.15')))['iommu.invalidate_range']).toBe(3);
    for (const v of ['v3.5', 'v3.19', 'v4.15', 'v6.5', 'v6.6']) {
      const x = exploreScenario(s, at(v)).exploration!;
      expect(x.complete).toBe(true);
      expect(new Set(x.outcomes.map((o) => JSON.stringify([o.observations['qemu:r0'], o.violations]))), v).toEqual(new Set([JSON.stringify([0xbb, []])]));
    }
  });

  it('a scenario without a device reads neither of the device rules and takes no slot for it', () => {
    const r = runScenario(loadScenario('munmap-guest-mapped'), at('v6.6'));
    expect(r.trace.flatMap((t) => t.rules)).not.toContain('iommu.notifier_ops');
    expect(r.trace.flatMap((t) => t.rules)).not.toContain('mm.invalidate_range.callers');
  });
});

describe('an arm64 SMMU: a permission upgrade in place, and the SMMU\'s own TLB', () => {
  const s = loadScenario('smmu-permission-upgrade');
  const variant = (options: string) => parseText('variant.mmu', s.text.replace('options: arch = arm64, btm = off', options));
  const verdict = (sc: typeof s, v: string) => {
    const x = exploreScenario(sc, at(v)).exploration!;
    expect(x.complete).toBe(true);
    return x.outcomes.map((o) => [o.observations['mem qemu:0x7f0000000000'], o.violations, o.deadlock]);
  };

  it('without BTM: the device faults forever v5.12..v6.5 and never finishes; from v6.6 the flush reaches the SMMU; SVA without BTM is not in v5.11', () => {
    expect(runScenario(s, at('v5.11')).unavailable).toMatch(/not in this release: SVA on an arm64 SMMUv3 without broadcast TLB maintenance \(BTM\) arrived in v5\.12/);
    for (const v of ['v5.12', 'v6.5']) {
      const r = runScenario(s, at(v));
      expect(r.outcome!.violations).toEqual(['device-fault-loop']);
      expect(r.notes.join('\n')).toMatch(/dev0 never finishes: it faults forever/);
      expect(verdict(s, v)).toEqual([[0xaa, ['device-fault-loop'], true]]);
    }
    for (const v of ['v6.6', 'v7.0']) {
      const r = runScenario(s, at(v));
      expect(r.outcome!.violations).toEqual([]);
      expect(r.trace.map((t) => t.fn)).toContain('arch_invalidate_secondary_tlbs (dev0)');
      expect(verdict(s, v)).toEqual([[0xbb, [], false]]);
    }
  });

  it('with BTM the CPU\'s flush reaches the SMMU in every release from v5.11; on x86 there is no SMMU TLB to go stale and no callback either', () => {
    const btm = variant('options: arch = arm64, btm = on');
    for (const v of ['v5.11', 'v6.5', 'v6.6']) {
      expect(verdict(btm, v), v).toEqual([[0xbb, [], false]]);
      expect(runScenario(btm, at(v)).trace.map((t) => t.fn)).toContain('SMMU broadcast TLB invalidation (dev0)');
    }
    const x86 = variant('options: arch = x86');
    for (const v of ['v4.0', 'v6.5', 'v6.6']) {
      expect(verdict(x86, v), v).toEqual([[0xbb, [], false]]);
      expect(runScenario(x86, at(v)).trace.filter((t) => t.thread === 'dev0' && / \(dev0\)$/.test(t.fn))).toEqual([]);
    }
  });

  it('arm64 refuses a VM, and btm is an arm64 option', () => {
    expect(() => parseText('a.mmu', 'mmutt a\n"a"\n{ proc q: vma 0x1000 +1 anon private rw\n vm s: gfn 0x100 +1 -> q:0x1000\n options: arch = arm64 }\nq { r0 = read(0x1000) }')).toThrow(/a\.mmu:4:2: KVM is modelled on x86 \(Intel EPT\) only/);
    expect(() => parseText('b.mmu', 'mmutt b\n"b"\n{ proc q: vma 0x1000 +1 anon private rw\n options: btm = off }\nq { r0 = read(0x1000) }')).toThrow(/b\.mmu:4:17: btm is an arm64 SMMU's broadcast TLB maintenance/);
  });
});

describe('a driver that sleeps in its callback (device_wait = sleep)', () => {
  const ksm = loadScenario('ksm-merge-sleeping-driver');
  const slept = (v: string) => runScenario(ksm, at(v)).outcome!.violations.includes('sleep-in-atomic');
  it('KSM: under the PTL by .change_pte until v3.16, by .invalidate_range v3.19-v4.14 and from v6.6; from range_end only v4.15-v6.5', () => {
    expect(['v3.3', 'v3.16', 'v3.17', 'v3.18', 'v3.19', 'v4.14', 'v4.15', 'v6.5', 'v6.6', 'v6.13'].map((v) => [v, slept(v)])).toEqual([
      ['v3.3', true],
      ['v3.16', true],
      ['v3.17', false],
      ['v3.18', false],
      ['v3.19', true],
      ['v4.14', true],
      ['v4.15', false],
      ['v6.5', false],
      ['v6.6', true],
      ['v6.13', true],
    ]);
    // The harm is where the delivering thread holds the PTL: the step that delivers it says so.
    const step = runScenario(ksm, at('v4.14')).trace.find((t) => t.notes.some((n) => n.startsWith('VIOLATION sleep-in-atomic')))!;
    expect(step.fn).toBe('invalidate_range (dev0)');
    expect(step.does).toMatch(/under the PTL/);
  });
  it('munmap delivers from range_end and tlb_finish_mmu(), never under the PTL; a spinning driver (the default) is never flagged', () => {
    const unmap = scenario(UNMAP.replace('OP', 'munmap(0x7f0000000000, 1)').replace('touched: dev0 read qemu:0x7f0000000000', 'touched: dev0 read qemu:0x7f0000000000\n  options: device_wait = sleep'));
    for (const v of ['v3.3', 'v3.19', 'v4.15', 'v6.6']) expect(runScenario(unmap, at(v)).outcome!.violations, v).toEqual([]);
    const spins = parseText('k.mmu', ksm.text.replace('options: device_wait = sleep', 'options: device_wait = spin'));
    for (const v of ['v3.3', 'v4.14', 'v6.6']) expect(runScenario(spins, at(v)).outcome!.violations, v).toEqual([]);
  });
  it('the rmap walks: writeback and migration under the PTL v4.11-v4.14 and from v6.6 (from range_end v4.15-v6.5, 0f10851ea475); aging (.clear_flush_young) always, while amd_iommu_v2 registers it', () => {
    // Writeback needs a dirty page: the device wrote it.
    const walk = (op: string, vma = 'anon private rw', touched = 'read qemu:0x7f0000000000') =>
      scenario(`{
  proc qemu: vma 0x7f0000000000 +1 ${vma}
  mem qemu:0x7f0000000000 = 0xaa
  touched: dev0 ${touched}
  options: device_wait = sleep
}
kthread { ${op} }
dev0(qemu) after kthread { r0 = read(0x7f0000000000) }
observe dev0:r0`);
    const bands = (s: ReturnType<typeof walk>) => ['v3.6', 'v3.7', 'v4.11', 'v4.14', 'v4.15', 'v6.5', 'v6.6'].map((v) => runScenario(s, at(v)).outcome!.violations.includes('sleep-in-atomic'));
    expect(bands(walk('writeback(qemu:0x7f0000000000)', 'file shared rw', 'write qemu:0x7f0000000000 = 0xbb'))).toEqual([true, false, true, true, false, false, true]);
    expect(bands(walk('migrate(qemu:0x7f0000000000)'))).toEqual([true, false, true, true, false, false, true]);
    const age = walk('r1 = age(qemu:0x7f0000000000)');
    expect(['v3.3', 'v4.15', 'v5.3', 'v5.4'].map((v) => runScenario(age, at(v)).outcome!.violations.includes('sleep-in-atomic'))).toEqual([true, true, true, false]);
  });
  it('an option is set once', () => {
    expect(() => parseText('e.mmu', 'mmutt e\n"e"\n{ proc q: vma 0x1000 +1 anon private rw\n options: device_wait = sleep, device_wait = spin }\nq { r0 = read(0x1000) }\ndev0(q) { r1 = read(0x1000) }')).toThrow(/e\.mmu:4:32: option `device_wait` is set twice \(first at 4:11\)/);
    expect(() => parseText('f.mmu', 'mmutt f\n"f"\n{ proc q: vma 0x1000 +1 anon private rw\n options: arch = arm64\n options: arch = x86 }\nq { r0 = read(0x1000) }')).toThrow(/f\.mmu:5:11: option `arch` is set twice \(first at 4:11\)/);
  });
  it('device_wait needs a device', () => {
    expect(() => parseText('c.mmu', 'mmutt c\n"c"\n{ proc q: vma 0x1000 +1 anon private rw\n options: device_wait = sleep }\nq { r0 = read(0x1000) }')).toThrow(/c\.mmu:4:25: device_wait is how a device's IOMMU driver waits/);
    expect(() => parseText('d.mmu', 'mmutt d\n"d"\n{ proc q: vma 0x1000 +1 anon private rw\n options: device_wait = nap }\nq { r0 = read(0x1000) }')).toThrow(/d\.mmu:4:25: expected `spin` or `sleep`, found `nap`/);
  });
});

describe('a DMA before the CPU TLB flush of a change orders before it, as a CPU\'s through its stale TLB entry would', () => {
  it('fork: a write through the ATC between copy_page_range() and flush_tlb_mm() reaches the child too, and is no shared-frame write', () => {
    const s = scenario(`{
  proc qemu: vma 0x7f0000000000 +1 anon private rw
  proc child: child of qemu
  mem qemu:0x7f0000000000 = 0xaa
  touched: dev0 write qemu:0x7f0000000000 = 0xaa
}
qemu { fork(child); write(0x7f0000000000, 0xcc) }
dev0(qemu) { write(0x7f0000000000, 0xbb) }
child { r1 = read(0x7f0000000000) }
observe child:r1
exists (child:r1 = 0xbb)`);
    for (const v of ['v4.15', 'v6.6']) {
      const x = exploreScenario(s, at(v));
      expect(x.exploration!.outcomes.some((o) => o.violations.length), v).toBe(false);
      expect(x.exploration!.outcomes.some((o) => o.observations['child:r1'] === 0xbb), v).toBe(true);
    }
  });
  it('MADV_DONTNEED: a read through the ATC before tlb_finish_mmu() while a vCPU faults a new page in is no stale read; the page is never freed under it', () => {
    const s = scenario(`{
  proc qemu: vma 0x7f0000000000 +1 anon private rw
  mem qemu:0x7f0000000000 = 0xaa
  vm slot0: gfn 0x100 +1 -> qemu:0x7f0000000000
  touched: vcpu0 read gfn 0x100, dev0 read qemu:0x7f0000000000
}
qemu { madvise(0x7f0000000000, 1, MADV_DONTNEED) }
dev0(qemu) { r0 = read(0x7f0000000000) }
vcpu0 { r1 = read(gfn 0x100) }
observe dev0:r0, vcpu0:r1`);
    const x = exploreScenario(s, at('v5.10'));
    expect(x.exploration!.outcomes.flatMap((o) => o.violations)).toEqual([]);
    expect(x.exploration!.outcomes.some((o) => o.observations['dev0:r0'] === 0xaa && o.observations['vcpu0:r1'] === 0)).toBe(true);
  });
});

describe('the OOM reaper with KVM and a device on the victim', () => {
  it('tells no notifier until v4.13 (KVM\'s sPTE outlives the page), skips such an mm v4.14..v4.15, brackets the unmap from v4.16', () => {
    const s = loadScenario('oom-reap-vm-and-device');
    expect(runScenario(s, at('v4.5')).unavailable).toMatch(/not in this release: the OOM reaper .* arrived in v4\.6/);
    const c = (v: string) => counters(runScenario(s, at(v)));
    for (const v of ['v4.6', 'v4.13']) {
      expect(runScenario(s, at(v)).outcome!.violations, v).toEqual(['freed-frame-access']);
      expect(c(v)['notifier.invalidate_range_start']).toBe(0);
      expect(c(v)['iommu.invalidate_range']).toBe(1);
    }
    for (const v of ['v4.14', 'v4.15']) {
      expect(runScenario(s, at(v)).trace.flatMap((t) => t.notes).join('\n'), v).toMatch(/mm_has_notifiers\(\): the reaper leaves this mm/);
      expect(c(v)['kvm.spte_zap']).toBe(0);
    }
    for (const [v, device] of [['v4.16', 2], ['v4.19', 2], ['v6.6', 1]] as const) {
      expect(runScenario(s, at(v)).outcome!.violations, v).toEqual([]);
      expect(c(v)['notifier.invalidate_range_start']).toBe(1);
      expect(c(v)['iommu.invalidate_range']).toBe(device);
    }
  });
});

describe('devices in the scenario language', () => {
  const bad = (body: string) => {
    try {
      scenario(body);
    } catch (x) {
      expect(x).toBeInstanceOf(ScenarioError);
      return (x as Error).message;
    }
    throw new Error('accepted');
  };
  const init = '{ proc qemu: vma 0x1000 +1 anon private rw\n proc other: vma 0x2000 +1 anon private rw }\n';
  it('a device is bound to a process; it reaches only that process; it does not run kernel operations', () => {
    expect(bad(`${init}dev0 { r0 = read(qemu:0x1000) }`)).toMatch(/dev\.mmu:5:1: a device is bound to a process: expected `dev0\(proc\)`/);
    expect(bad(`${init}dev0(nobody) { r0 = read(0x1000) }`)).toMatch(/undefined process `nobody` for device `dev0`/);
    expect(bad(`${init}dev0(qemu) { r0 = read(other:0x2000) }`)).toMatch(/device `dev0` is bound to `qemu`: expected an address of `qemu`/);
    expect(bad(`${init}dev0(qemu) { munmap(0x1000, 1) }`)).toMatch(/`dev0` is a device/);
    expect(bad(`${init}qemu { oom_reap(other) }`)).toMatch(/oom_reap is done by a kernel thread/);
    expect(bad(`${init}oom_reaper { oom_reap(nobody) }`)).toMatch(/undefined process `nobody` for oom_reap/);
    expect(bad(`{ proc qemu: vma 0x1000 +1 anon private rw\n touched: dev0 read qemu:0x1000 }\nqemu { r0 = read(0x1000) }`)).toMatch(/device `dev0` needs a thread that binds it/);
    expect(bad(`{ proc qemu: vma 0x1000 +1 anon private rw\n touched: dev0 read gfn 0x100 }\ndev0(qemu) { r0 = read(0x1000) }`)).toMatch(/a device accesses an address of its process/);
  });
});
