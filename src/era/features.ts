// Kernel features a scenario may use that did not exist in every release. An era that ends
// before a feature arrived cannot run a scenario that uses it; one that spans its arrival runs
// it and says from which release the result applies (docs/catalog.md).
import type { Era } from '../contract/era.js';
import type { Op, Scenario } from '../contract/scenario.js';
import { releaseKey } from './release.js';

export interface Feature {
  name: string;
  since: string;
  /** How it arrived, in kernel form where the commit is verified; a description otherwise. */
  by: string;
}

const MADV_FREE: Feature = { name: 'MADV_FREE', since: 'v4.5', by: '854e9ed09ded ("mm: support madvise(MADV_FREE)")' };
const CLEAR_YOUNG: Feature = { name: '.clear_young (idle page tracking)', since: 'v4.3', by: 'the "mmu-notifier: add clear_young callback" series (commit not identified)' };
const NUMA: Feature = { name: 'automatic NUMA balancing (change_prot_numa)', since: 'v3.8', by: 'the automatic NUMA balancing merge (commit not identified)' };
const TDP_MMU: Feature = { name: 'the TDP MMU', since: 'v5.10', by: 'arch/x86/kvm/mmu/tdp_mmu.c (commit not identified)' };

function opFeature(op: Op): Feature | null {
  if (op.kind === 'madvise' && op.advice === 'MADV_FREE') return MADV_FREE;
  if (op.kind === 'idle-age') return CLEAR_YOUNG;
  if (op.kind === 'numa-hint') return NUMA;
  return null;
}

export function featuresUsed(s: Scenario): Feature[] {
  const out = new Set<Feature>();
  for (const t of s.threads) for (const op of t.ops) {
    const f = opFeature(op);
    if (f) out.add(f);
  }
  if (s.options.mmu === 'tdp') out.add(TDP_MMU);
  return [...out];
}

/** Why the era cannot run the scenario (`not in this era: ...`), or null. */
export function unavailable(s: Scenario, era: Era): string | null {
  for (const f of featuresUsed(s)) {
    if (era.releases.last !== undefined && releaseKey(era.releases.last) < releaseKey(f.since)) {
      return `not in this era: ${f.name} arrived in ${f.since} (${f.by})`;
    }
  }
  return null;
}

/** Features that arrived inside the era: the result holds from their release on. */
export function partial(s: Scenario, era: Era): string[] {
  return featuresUsed(s)
    .filter((f) => releaseKey(era.releases.first) < releaseKey(f.since))
    .map((f) => `${f.name} exists in this era from ${f.since} (${f.by}); the result applies to ${f.since}..${era.releases.last ?? ''}`);
}
