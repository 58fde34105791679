// How era modules (eras/, eras/proposals/, --era-file) build an era: the first era states
// every rule; every later one is its predecessor plus the rules it changes.
import type { Era, EraDelta, RuleName } from '../contract/era.js';

/** An era is its predecessor plus the differences. Nothing is copied by hand. */
export function deriveEra(base: Era, delta: EraDelta): Era {
  const era: Era = {
    id: delta.id,
    title: delta.title,
    releases: delta.releases ?? base.releases,
    commits: delta.commits,
    base: base.id,
    rules: { ...base.rules, ...delta.rules },
    changed: Object.keys(delta.rules) as RuleName[],
    simplifications: delta.simplifications ?? [],
  };
  if (delta.proposal) era.proposal = delta.proposal;
  return era;
}

/** The first era, which states every rule. */
export function firstEra(e: Omit<Era, 'base' | 'changed'>): Era {
  return { ...e, changed: Object.keys(e.rules) as RuleName[] };
}
