// An era is a range of releases: every number an era's output prints holds for every release
// in it, or the output says where the releases split (bands). Checked for every catalog
// scenario under every named era and proposal, canonically, and for a sample explored: each
// release, run on its own (--kernel), gives what the era's output says for that release.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Era } from '../src/contract/era.js';
import type { RunResult } from '../src/contract/output.js';
import { releaseKey } from '../src/era/release.js';
import { releasesIn } from '../src/era/timeline.js';
import { runScenario } from '../src/runner/run.js';
import { catalogNames, loadScenario } from '../src/scenario/catalog.js';
import { heldFor, runText } from '../src/report/text.js';
import { ERAS, PROPOSALS, registry } from './registry.js';

const inBand = (b: { first: string; last: string }, r: string) => releaseKey(b.first) <= releaseKey(r) && releaseKey(r) <= releaseKey(b.last);

/** What the era's output says a release gives: its band's result, or (no bands) the run's own. */
function saidFor(r: RunResult, release: string) {
  const b = r.bands?.find((x) => inBand(x, release));
  if (b) return { unavailable: !!b.unavailable, outcome: b.outcome, condition: b.condition };
  return { unavailable: !!r.unavailable, outcome: r.outcome, condition: r.condition };
}

const given = (r: RunResult) => ({ unavailable: !!r.unavailable, outcome: r.outcome, condition: r.condition });

describe.each(ERAS.map((e) => [e.id, e] as const))('era %s: every release gives what the era says', (_, era: Era) => {
  it.each(catalogNames())('%s', (name) => {
    const s = loadScenario(name);
    const r = runScenario(s, era);
    for (const release of releasesIn(registry.timeline, era)) {
      const one = runScenario(s, registry.forKernel(release));
      expect(given(one), `${name} at ${release}, as ${era.id} says it`).toEqual(saidFor(r, release));
    }
    // The header names the releases the printed numbers hold for: the band of the release that ran.
    if (r.bands) expect(runText(r, { trace: false })).toContain(`These results hold for ${heldFor(r)}`);
  });
});

describe.each(PROPOSALS.map((e) => [e.id, e] as const))('proposal %s: one release, its own', (_, era: Era) => {
  it.each(catalogNames())('%s: no bands; the result is that of its release with its rules', (name) => {
    const s = loadScenario(name);
    const r = runScenario(s, era);
    expect(r.bands).toBeUndefined();
    const at = registry.forKernel(era.release);
    expect(given(r)).toEqual(given(runScenario(s, { ...at, rules: { ...at.rules, ...era.overlay } })));
  });
});

describe('bands, explored', () => {
  // Two scenarios whose eras split: a feature that arrives inside the era (MADV_FREE in
  // post-6bdb913f0a70), and rules that change inside it (ksm-merge in pre-6bdb913f0a70). The
  // explorations run in the CLI's workers, as a reviewer runs them.
  const CLI = join(__dirname, '..', 'dist', 'cli.js');
  const json = (...args: string[]) => JSON.parse(spawnSync(process.execPath, [CLI, 'run', ...args, '--explore', '--format', 'json'], { encoding: 'utf8' }).stdout);
  /** What an exploration found, as the JSON of a run or of a band gives it. */
  const found = (x: { unavailable?: string; complete?: boolean; stats?: { states: number; transitions: number }; outcomes?: unknown; windows?: unknown; verdict?: string }) =>
    JSON.stringify(x.unavailable ? 'unavailable' : [x.complete, x.stats?.states, x.stats?.transitions, x.outcomes, x.windows, x.verdict]);
  const cases: [string, string][] = [
    ['madv-free-then-guest-write', 'post-6bdb913f0a70'],
    ['ksm-merge', 'pre-6bdb913f0a70'],
  ];
  it.each(cases)('%s under %s: every release explores to what the era says', (name, id) => {
    const era = json(name, '--era', id);
    expect(era.bands, 'this era splits for this scenario').toBeDefined();
    for (const rel of releasesIn(registry.timeline, registry.get(id))) {
      const band = era.bands.find((b: { first: string; last: string }) => inBand(b, rel));
      const { witness: _w, ...one } = json(name, '--kernel', rel);
      const strip = (o: { outcomes?: { witness?: string }[]; windows?: { witness?: string; steps?: number }[] }) => ({
        ...o,
        outcomes: o.outcomes?.map(({ witness: _, ...rest }) => rest),
        windows: o.windows?.map(({ witness: _, steps: __, ...rest }) => rest),
      });
      expect(found(strip(one)), `${name} at ${rel}`).toEqual(found(strip(band)));
    }
  });
});
