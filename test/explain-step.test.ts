// explain --step (issue 18, section 6): a kernel function's steps as the model builds them at a
// release, printed from the steps' own data, with the rules that shaped them and their entries.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileMachine } from '../src/runner/machines.js';
import { printStep } from '../src/engine/step-data.js';
import { settled, unavailable } from '../src/era/features.js';
import { catalogNames, loadScenario } from '../src/scenario/catalog.js';
import { ERAS, registry } from './registry.js';

const CLI = join(__dirname, '..', 'dist', 'cli.js');
const mmutt = (...args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('explain --step', () => {
  it("a device's handler by its callback's name in the release's words (invalidate_range at v5.10), and harms by name", () => {
    const r = mmutt('explain', '--step', 'invalidate_range', '--kernel', 'v5.10', 'munmap-device-mapped');
    expect(r.code).toBe(0);
    expect(r.out).toContain('invalidate_range (dev0) (asked as invalidate_range) at v5.10');
    expect(mmutt('explain', 'ksm-merge-sleeping-driver', '--kernel', 'v4.14').out).toContain('violations: none -> sleep-in-atomic');
  });

  it('80 columns, a literal broken with its closing quote and a program line at its rules (82 and 87 columns before)', () => {
    for (const [fn, k] of [['kvm_mmu_notifier_invalidate_range_start', 'v5.11'], ['do_wp_page', 'v2.6.32'], ['try_to_unmap_one', 'v6.13']]) {
      const out = mmutt('explain', '--step', fn!, '--kernel', k!).out;
      expect(out.split('\n').filter((l) => l.length > 80), `${fn} ${k}`).toEqual([]);
    }
  });

  it('a function of a feature that arrives later says so (madvise_free_pte_range before MADV_FREE, v4.5)', () => {
    const r = mmutt('explain', '--step', 'madvise_free_pte_range', '--kernel', 'v4.4');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^mmutt: no scenario that can run at v4\.4 builds madvise_free_pte_range; madv-free-[a-z-]+, which does in later releases, cannot run there: not in this release: MADV_FREE arrived in v4\.5 \(854e9ed09ded/);
  });

  it("a field the release has not got is the model's, never the release's name (kvm->mmu_invalidate_range_start before v5.12)", () => {
    const old = mmutt('explain', '--step', 'kvm_mmu_notifier_invalidate_range_start', '--kernel', 'v5.11', 'ksm-merge').out.replace(/\s+/g, ' ');
    expect(old).toContain('[model only: kvm->mmu_invalidate_range_start (gfn)] = 0x');
    expect(old).not.toMatch(/\[kvm->mmu_invalidate_range/);
    expect(old).toContain('model only: kvm->mmu_invalidate_range_start (gfn): v5.11 has no such field (the kernel has one from v5.12: kvm->mmu_notifier_range_start)');
    const now = mmutt('explain', '--step', 'kvm_mmu_notifier_invalidate_range_start', '--kernel', 'v6.0', 'ksm-merge').out;
    expect(now).toContain('[kvm->mmu_invalidate_range_start (gfn)]');
    expect(now).not.toContain('[model only: kvm');
  });

  it('try_to_unmap_one at v4.12: .invalidate_page before the PTL is dropped, by c7ab0d2fdc84, and the callback after the PTE work in the program', () => {
    const r = mmutt('explain', '--step', 'try_to_unmap_one', '--kernel', 'v4.12', 'reclaim-dirty-guest-page');
    expect(r.code).toBe(0);
    expect(r.out).toContain('try_to_unmap_one at v4.12 (post-6bdb913f0a70), as the machine of');
    expect(r.out).toMatch(/mm\.try_to_unmap_one\.notify = "invalidate_page-before-unlock" \(decided how\s+the step was built\)/);
    expect(r.out).toContain('since v4.11: c7ab0d2fdc84');
    // Read as it runs, with its own entry.
    expect(r.out).toMatch(/mm\.try_to_unmap_one\.young_check = true \(read as it runs\)/);
    expect(r.out).toContain('reads mm.try_to_unmap_one.young_check');
    // A string literal broken at 80 columns is closed and reopened, as C joins adjacent literals.
    expect(r.out).toMatch(/trace\("lazyfree page redirtied or referenced: restore the PTE, set "\n\s+"swapbacked"\)/);
    // Where the notifier call falls: right after the PTE work, before the unlock step.
    expect(r.out).toMatch(/13:try_to_unmap_one\*\[mm\.try_to_unmap_one\.notify\]\s+14:try_to_unmap_one\*\s+15:kvm_mmu_notifier_invalidate_page\[kvm\.notifier_ops\]/);
  });

  it('the same function a release later (v4.13): a range bracket, no .invalidate_page', () => {
    const r = mmutt('explain', '--step', 'try_to_unmap_one', '--kernel', 'v4.13', 'reclaim-dirty-guest-page');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/mm\.try_to_unmap_one\.notify = "range"/);
    expect(r.out).toContain('kvm_mmu_notifier_invalidate_range_start');
    expect(r.out).not.toContain('kvm_mmu_notifier_invalidate_page');
  });

  it("speaks the release's words, and takes either name", () => {
    const r = mmutt('explain', '--step', 'folio_referenced', '--kernel', 'v4.12');
    expect(r.code).toBe(0);
    expect(r.out).toContain('page_referenced (asked as folio_referenced) at v4.12');
    expect(r.out.replace(/\s+/g, ' ')).toContain("a page's fields as page(pfn).field");
    expect(mmutt('explain', '--step', 'page_referenced', '--kernel', 'v4.12').out).toContain('page_referenced at v4.12');
  });

  it('an old name at a release that renamed the function, the era as asked, and the rule that opened a bracket in the program', () => {
    const renamed = mmutt('explain', '--step', 'page_referenced', '--kernel', 'v6.13');
    expect(renamed.code, renamed.err).toBe(0);
    expect(renamed.out).toContain('folio_referenced (asked as page_referenced) at v6.13');
    expect(mmutt('explain', '--step', 'try_to_unmap_one', '--era', 'rfc-2024-03-folio-dirty').out).toContain('(proposal rfc-2024-03-folio-dirty, on v6.9)');
    expect(mmutt('explain', '--step', 'try_to_unmap_one', '--era', 'post-369ea8242c0f').out).toMatch(/at v4\.13 \(post-369ea8242c0f\)/);
    // From v3.7 the COW copy (do_wp_page, wp_page_copy from v4.1) runs inside a bracket: the bracket's first step names the rule.
    const copy = mmutt('explain', '--step', 'wp_page_copy', '--kernel', 'v3.7', 'host-cow-after-fork');
    expect(copy.out).toContain('do_wp_page (asked as wp_page_copy) at v3.7');
    expect(copy.out).toMatch(/kvm_mmu_notifier_invalidate_range_start\[mm\.wp_page_copy\.bracket[,\]]/);
    // No line of the report is wider than a mail's 80 columns but a word that cannot be split.
    for (const line of copy.out.split('\n')) expect(line.length <= 80 || !line.trim().includes(' '), line).toBe(true);
  });

  it('a name no machine has, a --replay with it, or no scenario and no --step: exit 2, one line', () => {
    for (const args of [
      ['explain', '--step', '', '--kernel', 'v4.12'],
      ['explain', '--step', 'a', '--step', 'b', '--kernel', 'v4.12'],
      ['explain', '--step', 'no_such_function', '--kernel', 'v4.12'],
      ['explain', '--step', 'try_to_unmap_one', '--kernel', 'v4.12', '--replay', 'x'],
      ['explain', '--kernel', 'v4.12'],
    ]) {
      const r = mmutt(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.out).toBe('');
    }
  });

  it('every step of every catalog machine under every named era prints, and names only slots of its layout', () => {
    let steps = 0;
    for (const name of catalogNames()) {
      const s = loadScenario(name);
      for (const era of [...ERAS, registry.forKernel('v2.6.32')]) {
        if (unavailable(s, era)) continue;
        const m = compileMachine(settled(s, era).scenario, era.rules);
        for (const p of m.programs) {
          for (const st of p) {
            expect(st.data, `${name} ${era.id} ${st.fn}: a step the engine builds is data`).toBeDefined();
            const shown = printStep(st.data!(), (i) => {
              expect(m.layout.names[i], `${name} ${st.fn}: slot ${i}`).toBeDefined();
              return m.layout.names[i]!;
            });
            // A step may do nothing (a SIGSEGV'd load with no register to fill): it prints nothing then.
            if (!shown.effect.length) expect(st.data!().effect, `${name} ${st.fn}`).toEqual([]);
            steps++;
          }
        }
      }
    }
    expect(steps).toBeGreaterThan(1000);
  });
});
