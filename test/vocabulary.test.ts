// Each release in its own words: the catalog at every mainline release prints only names the
// vocabulary (eras/timeline/words.ts) gives for that release. A kernel-style name (with an
// underscore, or a word of the vocabulary) that the release does not have fails the test,
// and so does one the vocabulary does not know at all: every name a step prints is data.
import { describe, expect, it } from 'vitest';
import { RULE_NAMES, type Era } from '../src/contract/era.js';
import type { Exploration, TraceStep } from '../src/contract/output.js';
import { explorationInWords, traceInWords } from '../src/era/vocabulary.js';
import { DEFAULT_LIMITS } from '../src/contract/output.js';
import { windowText } from '../src/report/explore.js';
import { runText, sideBySide } from '../src/report/text.js';
import { exploreScenario, runScenario } from '../src/runner/run.js';
import { catalogNames, loadScenario } from '../src/scenario/catalog.js';
import { registry } from './registry.js';

const t = registry.timeline;
const eras = t.releases.map((r) => registry.forKernel(r));
const tokens = (text: string) => [...text.matchAll(/(?<![\w.])[A-Za-z_][\w]*/g)].map((m) => m[0]);
/** Names a release has: every token of every name it gives a word. */
const valid = new Map(eras.map((e) => [e.release, new Set(Object.values(e.words).flatMap((n) => (n === null ? [] : tokens(n))))]));
/** Words whose name changed in history: printed untranslated, they are wrong somewhere. */
const vocabulary = new Set(t.words.flatMap((w) => [w.word, ...w.since.flatMap((s) => (s.name ? [s.name] : []))]).flatMap(tokens));
/** Words no release lacks (struct page, an mm, the kvm): a name made of them is checked as a whole. */
const EVERYWHERE = new Set(['page', 'pages', 'mm', 'kvm']);
const kernelish = (tok: string) => !EVERYWHERE.has(tok) && (tok.includes('_') || vocabulary.has(tok));

const texts = (step: TraceStep) => [step.fn, step.does, ...step.notes, ...step.changes.flatMap((c) => [c.slot, c.from, c.to]), ...step.windows];

describe('each release in its own words', () => {
  // One engine run per span of identical rules, in the engine's own words; then every
  // release's words on it (the words are all that differ inside a span).
  const raw = new Map<string, TraceStep[]>();
  const traceAt = (name: string, era: Era) => {
    const key = `${name}|${RULE_NAMES.map((r) => JSON.stringify(era.rules[r].value)).join(';')}`;
    if (!raw.has(key)) raw.set(key, runScenario(loadScenario(name), { ...era, words: {} }).trace);
    return traceInWords(era.words, raw.get(key)!);
  };

  it.each(catalogNames())('%s: at every release, only names that release has', (name) => {
    const bad = new Set<string>();
    for (const era of eras) {
      const ok = valid.get(era.release)!;
      for (const step of traceAt(name, era)) {
        for (const tok of texts(step).flatMap(tokens)) if (kernelish(tok) && !ok.has(tok)) bad.add(`${era.release} step ${step.n}: ${tok}`);
      }
    }
    expect([...bad].slice(0, 20)).toEqual([]);
  });

  it('a v2.6.32 trace says mmap_sem, page_check_address() and mmu_notifier_seq; a v6.1 one mmap_read_lock(), page_vma_mapped_walk() and mmu_invalidate_seq', () => {
    const text = (v: string) => runScenario(loadScenario('ksm-merge'), registry.forKernel(v)).trace.flatMap(texts).join('\n');
    const old = text('v2.6.32');
    expect(old).toContain('down_read(&mm->mmap_sem)');
    expect(old).toContain('page_check_address()');
    expect(old).not.toMatch(/\bfolio\b|mmap_read_lock|page_vma_mapped_walk|mmu_invalidate|shrink_folio_list|is_page_fault_stale/);
    const mid = text('v5.12');
    expect(mid).toContain('mmap_read_lock()');
    expect(mid).toContain('mmu_notifier_retry_hva()');
    expect(mid).not.toMatch(/\bfolio\b|mmu_invalidate/);
    const v61 = text('v6.1');
    expect(v61).toContain('page_vma_mapped_walk()');
    expect(v61).toMatch(/\bfolio\b/);
    expect(v61).toContain('is_page_fault_stale()');
  });

  it("KSM's try_to_merge_one_page() prints its own calls: the page calls until v6.13, though folio_* names exist from v5.16", () => {
    const ksm = (v: string) =>
      runScenario(loadScenario('ksm-merge'), registry.forKernel(v))
        .trace.filter((s) => s.fn === 'try_to_merge_one_page')
        .map((s) => s.does)
        .join('\n');
    const v61 = ksm('v6.1');
    expect(v61).toContain('trylock_page(page)');
    expect(v61).toContain('mark_page_accessed(page)');
    expect(v61).toContain('SetPageDirty(page)');
    expect(v61).toContain('unlock_page(page)');
    expect(v61).not.toMatch(/folio_trylock|folio_mark_accessed|folio_mark_dirty|folio_unlock/);
    const v612 = ksm('v6.12');
    expect(v612).toContain('trylock_page(page)');
    expect(v612).toContain('folio_set_stable_node()');
    const v613 = ksm('v6.13');
    expect(v613).toContain('folio_trylock(folio)');
    expect(v613).toContain('folio_mark_accessed(folio)');
    expect(v613).toContain('folio_mark_dirty(folio)');
    expect(v613).toContain('folio_unlock(folio)');
    expect(v613).not.toMatch(/trylock_page|mark_page_accessed|SetPageDirty|unlock_page/);
    // Before v4.5 try_to_merge_one_page() did not dirty the page: the trace names the flag the
    // model sets, not a call.
    expect(ksm('v4.4')).toContain('mark_page_accessed(page); PG_dirty so');
    expect(ksm('v4.4')).not.toContain('SetPageDirty');
    expect(ksm('v4.5')).toContain('SetPageDirty(page)');
  });

  it('a field a release does not have is not printed: no range of the invalidation before v5.12', () => {
    const r = runScenario(loadScenario('fault-races-invalidation'), registry.forKernel('v5.11'));
    expect(r.trace.flatMap((s) => s.changes.map((c) => c.slot)).filter((x) => /^kvm->.*range_(start|end)/.test(x))).toEqual([]);
    const later = runScenario(loadScenario('fault-races-invalidation'), registry.forKernel('v5.12'));
    expect(later.trace.flatMap((s) => s.changes.map((c) => c.slot)).some((x) => x.startsWith('kvm->mmu_notifier_range_start'))).toBe(true);
  });

  // Not only traces: what a report summarises (the windows an exploration found and the step
  // that opened each, the observation rows of a run and of a cite table) speaks the release's
  // words too. One exploration per span of identical rules, in the engine's words; then every
  // release's words on it.
  const explored = new Map<string, Exploration | null>();
  const windowsAt = (name: string, era: Era) => {
    const key = `${name}|${RULE_NAMES.map((r) => JSON.stringify(era.rules[r].value)).join(';')}`;
    if (!explored.has(key)) explored.set(key, exploreScenario(loadScenario(name), { ...era, words: {} }, { ...DEFAULT_LIMITS, maxStates: 200_000 }, false).exploration);
    const x = explored.get(key);
    return x ? explorationInWords(era.words, x).windows.map(windowText) : [];
  };

  it.each(catalogNames())('%s: windows, observation rows and cite tables, at every release, only in names that release has', (name) => {
    const bad = new Set<string>();
    for (const era of eras) {
      const ok = valid.get(era.release)!;
      const r = runScenario(loadScenario(name), era);
      // A release that cannot run the scenario says when its feature arrived: that names it, rightly.
      const shown = r.outcome ? [...windowsAt(name, era), ...runText(r, { trace: false, legend: false }).split('\n').filter((l) => /^ {2}\S+ = /.test(l)), ...sideBySide([r], 80)] : [];
      for (const tok of shown.flatMap(tokens)) if (kernelish(tok) && !ok.has(tok)) bad.add(`${era.release}: ${tok}`);
    }
    expect([...bad].slice(0, 20)).toEqual([]);
  });

  it('v2.6.32 names the folio of an observation a page, and the step that opened a window __direct_map', () => {
    const r = runScenario(loadScenario('ksm-merge'), registry.forKernel('v2.6.32'));
    expect(runText(r, { trace: false })).toMatch(/^ {2}page\(qemu:0x7f0000000000\)\.dirty = 0$/m);
    expect(windowsAt('madv-free-guest-untouched', registry.forKernel('v4.12')).join('\n')).toMatch(/opened by vcpu0 __direct_map/);
  });
});

