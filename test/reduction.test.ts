// The partial-order reduction (--reduce, persistent and sleep sets; docs/explore.md) keeps
// everything an exploration reports but the path counts and the state count: the same
// outcomes with their harms, condition and least counters, the same windows with the step and
// thread that open them; and it never takes more states or transitions. Checked on the whole catalog in every era and
// release-pinned proposal, and on generated scenarios.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Exploration } from '../src/contract/output.js';
import { DEFAULT_LIMITS } from '../src/contract/output.js';
import { exploreScenario } from '../src/runner/run.js';
import { catalogNames, loadScenario, parseText } from '../src/scenario/catalog.js';
import type { Scenario } from '../src/contract/scenario.js';
import type { Era } from '../src/contract/era.js';
import { scenario } from './generated.js';
import { ERAS, PROPOSALS } from './registry.js';

/** What a reduced exploration must keep. */
const kept = (x: Exploration) => ({
  complete: x.complete,
  outcomes: x.outcomes.map((o) => ({ key: o.key, counters: o.counters, violations: o.violations, condition: o.condition, deadlock: o.deadlock })),
  windows: x.windows,
});

function compare(s: Scenario, era: Era, limits = DEFAULT_LIMITS): { full: number; reduced: number; fullStates: number; reducedStates: number } | null {
  const full = exploreScenario(s, era, limits, false).exploration;
  const reduced = exploreScenario(s, era, { ...limits, reduce: true }, false).exploration;
  if (!full || !reduced) {
    expect(reduced).toBe(full);
    return null;
  }
  if (!full.complete) return null; // a stopped search finds what it met first: nothing to compare
  expect(reduced.reduced).toBe(true);
  expect(kept(reduced), `${s.name} @ ${era.id}`).toEqual(kept(full));
  expect(reduced.transitions).toBeLessThanOrEqual(full.transitions);
  expect(reduced.states).toBeLessThanOrEqual(full.states);
  return { full: full.transitions, reduced: reduced.transitions, fullStates: full.states, reducedStates: reduced.states };
}

describe('partial-order reduction', () => {
  it(`the catalog x ${ERAS.length} eras and ${PROPOSALS.length} proposals: reduced finds what full finds, in fewer transitions`, () => {
    let full = 0;
    let reduced = 0;
    let fullStates = 0;
    let reducedStates = 0;
    for (const name of catalogNames()) {
      const s = loadScenario(name);
      for (const era of [...ERAS, ...PROPOSALS]) {
        const r = compare(s, era);
        if (r) {
          full += r.full;
          reduced += r.reduced;
          fullStates += r.fullStates;
          reducedStates += r.reducedStates;
        }
      }
    }
    expect(full).toBeGreaterThan(100_000);
    expect(reduced).toBeLessThan(full * 0.95);
    // Persistent sets store fewer states.
    expect(reducedStates).toBeLessThan(fullStates * 0.9);
  });

  it(`40 generated scenarios x ${ERAS.length} eras: reduced finds what full finds`, () => {
    let compared = 0;
    fc.assert(
      fc.property(scenario, (text) => {
        const s = parseText('generated.mmu', text);
        for (const era of ERAS) if (compare(s, era, { ...DEFAULT_LIMITS, maxStates: 20_000 })) compared++;
      }),
      { numRuns: 40, seed: 919191 },
    );
    expect(compared).toBeGreaterThan(40 * ERAS.length * 0.5);
  });

  it('a race of three threads (399,243 states): the same outcomes and windows, in no more states', () => {
    expect(compare(loadScenario(new URL('fixtures/race-split.mmu', import.meta.url).pathname), ERAS.at(-1)!)).not.toBeNull();
  });
});
