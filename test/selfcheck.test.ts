// Model self-checks: generated valid scenarios run in every era, canonically (the engine's
// invariants are checked after every step) and explored (checked on every state). The
// invariants (src/engine/sanity.ts, docs/engine.md) say what makes a state one the kernel can
// be in: refcounts and mapcounts add up, the rmap matches the sPTEs, no sPTE or TLB entry
// reaches a free page unless a harm was reported, nothing runs in a process before its fork()
// has completed or after its exit_mmap(), locks are held only by running threads.
import fc from 'fast-check';
import { scenario } from './generated.js';
import { describe, expect, it } from 'vitest';
import { parseText } from '../src/scenario/catalog.js';
import { ERAS } from './registry.js';
import { DEFAULT_LIMITS } from '../src/contract/output.js';
import { exploreScenario, runScenario } from '../src/runner/run.js';

describe('model self-checks', () => {
  it(`150 generated scenarios x ${ERAS.length} eras: canonical runs keep every invariant after every step`, () => {
    let runs = 0;
    fc.assert(
      fc.property(scenario, (text) => {
        const s = parseText('generated.mmu', text);
        for (const era of ERAS) {
          const r = runScenario(s, era); // throws on a broken invariant
          if (r.outcome) runs++;
        }
      }),
      { numRuns: 150, seed: 424242 },
    );
    expect(runs).toBeGreaterThan(150 * ERAS.length * 0.8);
  });

  it(`60 generated scenarios x ${ERAS.length} eras: every explored state keeps every invariant`, () => {
    let states = 0;
    fc.assert(
      fc.property(scenario, (text) => {
        const s = parseText('generated.mmu', text);
        for (const era of ERAS) {
          const x = exploreScenario(s, era, { ...DEFAULT_LIMITS, maxStates: 20_000, sanity: true }, false).exploration;
          states += x?.states ?? 0;
        }
      }),
      { numRuns: 60, seed: 171717 },
    );
    expect(states).toBeGreaterThan(1000);
  });
});
