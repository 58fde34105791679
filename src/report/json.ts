// The machine-readable report: schema mmutt/run@1 (docs/output.md).
import type { Band, RunResult } from '../contract/output.js';
import { VERSION } from '../version.js';

/** The fields every mmutt/run@1 object opens with, canonical or explored. */
export function runHeader(r: RunResult, mode: 'canonical' | 'replay' | 'explore') {
  return {
    schema: 'mmutt/run@1',
    tool: { version: VERSION, ...(r.era.history ? { history: r.era.history } : {}) },
    scenario: { name: r.scenario.name, sha256: r.sha256 },
    // A proposal is in no release: it names its base and its posting instead.
    // `release` says whose rules ran when that is not the era's opening release (a single
    // release, or a feature that arrives inside the era); `in` names a release's era.
    era: r.era.proposal
      ? { id: r.era.id, proposal: { base: r.era.base, ...r.era.proposal }, commits: r.era.commits }
      : { id: r.era.id, releases: r.era.releases, ...(r.era.release !== r.era.releases.first || r.era.id === r.era.release ? { release: r.era.release } : {}), ...(r.era.era ? { in: r.era.era } : {}), commits: r.era.commits },
    mode,
    // The schedule that ran, when it was not the canonical one: `run --replay TOKEN` or `--trail FILE`.
    ...(mode === 'replay' ? { replay: { token: r.replayed } } : {}),
    ...(r.unavailable ? { unavailable: r.unavailable } : {}),
    ...(r.notes.length ? { notes: r.notes } : {}),
  };
}

/** Where an era's releases split (absent when every release gives the result). */
const bandJson = (b: Band) => ({
  first: b.first,
  last: b.last,
  release: b.release,
  ...(b.unavailable ? { unavailable: b.unavailable } : {}),
  outcomes: b.outcome ? [{ observations: b.outcome.observations, counters: b.outcome.counters, violations: b.outcome.violations }] : [],
  ...(b.condition === undefined ? {} : { condition: b.condition }),
});

export function runJson(r: RunResult) {
  return {
    ...runHeader(r, r.replayed === undefined ? 'canonical' : 'replay'),
    outcomes: r.outcome ? [{ observations: r.outcome.observations, counters: r.outcome.counters, violations: r.outcome.violations }] : [],
    ...(r.condition === undefined ? {} : { condition: { quantifier: r.scenario.condition!.quantifier, holds: r.condition } }),
    expectations: r.expectations.map((x) => ({ line: x.expect.pos.line, holds: x.holds })),
    ...(r.bands ? { bands: r.bands.map(bandJson) } : {}),
  };
}

export function toJson(v: unknown): string {
  return `${JSON.stringify(v, null, 2)}\n`;
}
