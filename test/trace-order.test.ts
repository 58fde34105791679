// The order and the words of trace steps that an outside reader checked against the kernel
// (issue 16, section 5): where try_to_unmap_one() calls .invalidate_page in each release, what
// the lazyfree discard does to the PTE, and that do_wp_page() drops the mmap lock once.
import { describe, expect, it } from 'vitest';
import type { Era } from '../src/contract/era.js';
import type { TraceStep } from '../src/contract/output.js';
import { runScenario } from '../src/runner/run.js';
import { catalogNames, loadScenario } from '../src/scenario/catalog.js';
import { ERAS, registry } from './registry.js';

/** A run in its release's words: the patterns below accept the names of every release. */
const trace = (name: string, era: Era): TraceStep[] => runScenario(loadScenario(name), era).trace;
const RMAP = /\b(folio_remove_rmap_pte|page_remove_rmap)\(\)/;
const UNLOCK = /mmap_(read|write)_unlock\(\)|up_(read|write)\(&mm->mmap_sem\)/;
const UNMAP_FNS = ['try_to_unmap_one', 'try_to_migrate_one'];

/**
 * The steps of one try_to_unmap_one() (or try_to_migrate_one()) call in a trace, as labels in
 * trace order: `clear` (ptep_clear_flush()), `page` (.invalidate_page delivered to KVM), `rmap`
 * (the swap or migration entry, folio_remove_rmap_pte(), put_page()), `unlock`
 * (pte_unmap_unlock()). A step may carry two.
 */
function unmapOrder(t: TraceStep[]): string[] {
  const first = t.findIndex((s) => UNMAP_FNS.includes(s.fn) && /^ptep_clear_flush(_notify)?\(\)/.test(s.does));
  expect(first, 'a try_to_unmap_one() step').toBeGreaterThanOrEqual(0);
  const out: string[] = [];
  for (const s of t.slice(first)) {
    if (s.thread !== t[first]!.thread) continue;
    if (s.callback === 'invalidate_page') out.push('page');
    if (!UNMAP_FNS.includes(s.fn)) {
      if (out.includes('unlock') && out.includes('page')) break;
      continue;
    }
    if (/^ptep_clear_flush(_notify)?\(\)/.test(s.does)) out.push('clear');
    if (RMAP.test(s.does)) out.push('rmap');
    if (s.does.includes('pte_unmap_unlock()')) out.push('unlock');
    if (out.includes('unlock') && out.includes('page')) break;
  }
  return out;
}

describe('try_to_unmap_one(): where .invalidate_page goes, release by release', () => {
  const at = (v: string) => unmapOrder(trace('reclaim-dirty-guest-page', registry.forKernel(v)));

  it('v2.6.32 (ptep_clear_flush_notify()): right after the flush, before page_remove_rmap()', () => {
    // v2.6.32 mm/rmap.c: pteval = ptep_clear_flush_notify(vma, address, pte); ... page_remove_rmap(page);
    // page_cache_release(page); out_unmap: pte_unmap_unlock(pte, ptl);
    expect(at('v2.6.32')).toEqual(['clear', 'page', 'rmap', 'unlock']);
    expect(at('v3.6')).toEqual(['clear', 'page', 'rmap', 'unlock']);
  });

  it('v3.7..v4.10 (2ec74c3ef2d8): after pte_unmap_unlock()', () => {
    expect(at('v3.7')).toEqual(['clear', 'rmap', 'unlock', 'page']);
    expect(at('v4.10')).toEqual(['clear', 'rmap', 'unlock', 'page']);
  });

  it('v4.11..v4.12 (c7ab0d2fdc84, page_vma_mapped_walk()): after page_remove_rmap() and put_page(), before the PTL is dropped', () => {
    // v4.11 and v4.12 mm/rmap.c: discard: page_remove_rmap(subpage, PageHuge(page)); put_page(page);
    // mmu_notifier_invalidate_page(mm, address); } — the PTL is dropped by page_vma_mapped_walk().
    expect(at('v4.11')).toEqual(['clear', 'rmap', 'page', 'unlock']);
    expect(at('v4.12')).toEqual(['clear', 'rmap', 'page', 'unlock']);
  });

  it('migration (try_to_unmap_one() with TTU_MIGRATION until v5.14) in the same order: the migration entry after .invalidate_page until v3.6, before it in v4.11..v4.12', () => {
    const m = (v: string) => unmapOrder(trace('migrate-guest-page', registry.forKernel(v)));
    expect(m('v2.6.32')).toEqual(['clear', 'page', 'rmap', 'unlock']);
    expect(m('v3.7')).toEqual(['clear', 'rmap', 'unlock', 'page']);
    expect(m('v4.11')).toEqual(['clear', 'rmap', 'page', 'unlock']);
    const t = trace('migrate-guest-page', registry.forKernel('v2.6.32'));
    const entry = t.find((s) => UNMAP_FNS.includes(s.fn) && s.does.includes('migration entry'))!;
    expect(t.indexOf(entry)).toBeGreaterThan(t.findIndex((s) => s.callback === 'invalidate_page'));
  });

  it('v4.13 on (369ea8242c0f): no .invalidate_page, a range bracket', () => {
    const t = trace('reclaim-dirty-guest-page', registry.forKernel('v4.13'));
    expect(t.some((s) => s.callback === 'invalidate_page')).toBe(false);
    expect(t.some((s) => s.callback === 'invalidate_range_start' && s.thread === t.find((x) => x.fn === 'try_to_unmap_one')!.thread)).toBe(true);
  });
});

describe('the lazyfree (MADV_FREE) discard', () => {
  it.each(['v4.5', 'v4.11', 'v4.12', 'v4.13', 'v6.13'])('%s: sets no swap entry; the step says so', (v) => {
    const t = trace('madv-free-guest-untouched', registry.forKernel(v));
    const discard = t.findIndex((s) => s.notes.some((n) => /^clean lazyfree (folio|page): discard$/.test(n)));
    expect(discard).toBeGreaterThanOrEqual(0);
    const rmap = t.find((s, i) => i > discard && RMAP.test(s.does))!;
    expect(rmap.does).not.toMatch(/^set the swap entry/);
    expect(rmap.notes.some((n) => /^discarded lazyfree (folio|page): no swap entry, the PTE stays clear$/.test(n))).toBe(true);
    // No step of the walk writes a swap entry into the PTE.
    expect(t.flatMap((s) => s.changes).filter((c) => c.slot.includes('pte') && /swap/.test(c.to))).toEqual([]);
  });

  it('a reclaimed swap-backed page does get its swap entry', () => {
    const t = trace('reclaim-dirty-guest-page', registry.forKernel('v6.13'));
    expect(t.flatMap((s) => s.changes).some((c) => c.slot.includes('pte') && /swap/.test(c.to))).toBe(true);
  });
});

describe('the mmap lock is dropped once', () => {
  const unlocks = (s: TraceStep) => (s.does.match(new RegExp(UNLOCK.source, 'g')) ?? []).length;

  it('do_wp_page(): one mmap_read_unlock(), at the end (ksm-merge, the COW break after the merge)', () => {
    for (const era of ERAS) {
      const t = trace('ksm-merge', era).filter((s) => s.thread === 'vcpu0');
      const cow = t.filter((s) => s.fn === 'wp_page_copy' || s.fn === 'do_wp_page');
      if (!cow.length) continue;
      // The last step of the COW break, do_wp_page()'s own put_page(), drops it; no other does.
      expect(cow.filter(unlocks).map((s) => s.does), era.id).toEqual([cow.at(-1)!.does]);
      expect(cow.at(-1)!.does).toMatch(/^put_page\(old\) for do_wp_page's reference/);
      expect(cow.find((s) => s.does.startsWith("put_page(old) for the mapping's reference"))!.does).not.toMatch(UNLOCK);
    }
  });

  it.each(catalogNames())('%s: no two steps in a row of one thread both drop an mmap lock', (name) => {
    for (const era of ERAS) {
      const t = trace(name, era);
      const last = new Map<string, boolean>();
      for (const s of t) {
        const u = unlocks(s) > 0;
        expect(u && last.get(s.thread), `${era.id} step ${s.n} ${s.thread} ${s.fn}: ${s.does}`).not.toBe(true);
        last.set(s.thread, u);
      }
    }
  });
});
