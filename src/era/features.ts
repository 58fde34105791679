// Which kernel features a scenario uses (the facts about each are timeline data,
// eras/timeline/features.ts). A release before a feature cannot run a scenario that uses it; a
// named era whose opening release lacks it runs the scenario at the feature's release instead.
import type { Era, FeatureEntry, FeatureKey, Timeline } from '../contract/era.js';
import type { Op, Scenario } from '../contract/scenario.js';
import { releaseKey } from './release.js';
import { atFeatureRelease, missingAt } from './timeline.js';

function opFeature(op: Op): FeatureKey | null {
  if (op.kind === 'ksm-merge') return 'ksm';
  if (op.kind === 'test-young') return 'test_young';
  if (op.kind === 'madvise' && op.advice === 'MADV_FREE') return 'madv_free';
  if (op.kind === 'idle-age') return 'clear_young';
  if (op.kind === 'numa-hint') return 'numa';
  if (op.kind === 'oom-reap') return 'oom_reaper';
  return null;
}

/** The timeline's facts about the features a scenario uses (none for an era without a timeline); once per scenario and timeline (every era's bands ask at every release). */
export function featuresUsed(s: Scenario, era: Era): FeatureEntry[] {
  const t = era.timeline;
  if (!t) return [];
  let byTimeline = used.get(s);
  if (!byTimeline) used.set(s, (byTimeline = new WeakMap()));
  let out = byTimeline.get(t);
  if (!out) {
    const keys = featureKeys(s);
    byTimeline.set(t, (out = t.features.filter((f) => keys.has(f.feature))));
  }
  return out;
}
const used = new WeakMap<Scenario, WeakMap<Timeline, FeatureEntry[]>>();

/** The features a scenario's operations and options need. */
function featureKeys(s: Scenario): Set<FeatureKey> {
  const keys = new Set<FeatureKey>();
  for (const t of s.threads) for (const op of t.ops) {
    const f = opFeature(op);
    if (f) keys.add(f);
  }
  if (s.threads.some((t) => t.kind === 'device')) {
    keys.add('iommu_sva');
    if (s.options.arch === 'arm64') keys.add('arm_smmu_sva');
    if (s.options.btm === 'off') keys.add('smmu_sva_without_btm');
  }
  if (s.options.mmu === 'tdp') keys.add('tdp_mmu');
  if (s.options.eptAd === 'on') keys.add('ept_ad');
  return keys;
}

const by = (f: FeatureEntry) => (f.commit ? `${f.commit}` : 'commit not identified');

/** Why the era or release cannot run the scenario (`not in this release: ...`), or null. */
export function unavailable(s: Scenario, era: Era): string | null {
  const last = era.releases.last;
  if (last === undefined) return null;
  const late = missingAt(featuresUsed(s, era), last);
  if (!late.length) return null;
  const f = late[0]!;
  return `not in this ${era.releases.first === last ? 'release' : 'era'}: ${f.name} arrived in ${f.release} (${by(f)})`;
}

/**
 * The era as it runs this scenario: itself, or (a feature arrives inside the era) the era at the
 * feature's release, with a note that says so.
 */
export function eraForScenario(s: Scenario, era: Era): { era: Era; notes: string[] } {
  const used = featuresUsed(s, era);
  const at = atFeatureRelease(era, used);
  if (!at) return { era, notes: [] };
  const notes = missingAt(used, era.release)
    .sort((a, b) => releaseKey(a.release) - releaseKey(b.release))
    .map((f) => `${f.name} exists in this era from ${f.release} (${by(f)}): the rules of ${at.release} ran (mmutt matrix --releases shows every release)`);
  return { era: at, notes };
}

/**
 * The scenario as the engine runs it under this era: `ept_ad = default` settled to what KVM did
 * at the era's release on hardware that has the bits (used from the `ept_ad` feature's
 * release, absent before), and a note when that leaves them off.
 */
export function settled(s: Scenario, era: Era): { scenario: Scenario; notes: string[] } {
  if (s.options.eptAd !== 'default') return { scenario: s, notes: [] };
  const ad = era.timeline?.features.find((f) => f.feature === 'ept_ad');
  const absent = ad !== undefined && releaseKey(ad.release) > releaseKey(era.release);
  // A scenario without a VM is told nothing about KVM's bits.
  return { scenario: withEptAd(s, absent ? 'off' : 'on'), notes: absent && s.slots.length ? [`no EPT A/D bits at ${era.release}: KVM uses them from ${ad.release} (${by(ad)})`] : [] };
}

/** The scenario with its EPT A/D bits settled: one object per scenario and setting (an era's bands ask at every release). */
const settledCache = new WeakMap<Scenario, { on?: Scenario; off?: Scenario }>();
function withEptAd(s: Scenario, eptAd: 'on' | 'off'): Scenario {
  let c = settledCache.get(s);
  if (!c) settledCache.set(s, (c = {}));
  return (c[eptAd] ??= { ...s, options: { ...s.options, eptAd } } as Scenario);
}
