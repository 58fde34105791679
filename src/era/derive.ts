// How an overlay (eras/proposals/, --era-file, a test's era) builds an era: a named era or a
// release, plus the rules it changes. Named eras themselves are cut points on the timeline
// (cutPoint in timeline.ts).
import type { Era, EraDelta, EraRules, RuleName } from '../contract/era.js';

export { atRelease, cutPoint } from './timeline.js';

/** An era is its base plus the differences. Nothing is copied by hand. */
export function deriveEra(base: Era, delta: EraDelta): Era {
  const changed = Object.keys(delta.rules) as RuleName[];
  const entries = { ...base.entries };
  for (const r of changed) delete entries[r];
  const era: Era = {
    id: delta.id,
    title: delta.title,
    releases: delta.releases ?? base.releases,
    release: base.release,
    commits: delta.commits,
    base: base.id,
    rules: { ...base.rules, ...delta.rules } as EraRules,
    changed,
    overlay: { ...(base.overlay ?? {}), ...delta.rules },
    entries,
    words: base.words,
    simplifications: [...new Set([...base.simplifications, ...(delta.simplifications ?? [])])],
  };
  if (base.timeline) era.timeline = base.timeline;
  if (base.history) era.history = base.history;
  if (base.unpinned) era.unpinned = base.unpinned;
  if (delta.proposal) era.proposal = delta.proposal;
  return era;
}
