// An era is a range of releases, and a number printed under it must hold for every release in
// it. The era's releases are grouped by what the scenario meets there (the rules, whether its
// features exist, the EPT A/D bits); each group runs once, and consecutive releases with the
// same result form one band (docs/output.md § Bands).
import type { Era } from '../contract/era.js';
import type { Scenario } from '../contract/scenario.js';
import { settled, unavailable } from '../era/features.js';
import { oneRelease, releasesIn, ruleSetKey, ruleValueKey } from '../era/timeline.js';
import { releaseKey } from '../era/release.js';
import { sharedMachine } from './machines.js';

/**
 * Consecutive releases where a scenario meets the same values of the rules its programs read,
 * the same features and the same EPT A/D bits: one run answers for all of them.
 */
export interface Span {
  first: string;
  last: string;
  /** The era at `first`, as a run of one release. */
  era: Era;
  /** Same key, same result. */
  key: string;
}

/**
 * Releases grouped into spans for a scenario, each release as `eraAt` gives it (a run of one
 * release). Only the rules the scenario's programs read decide its result: releases that
 * differ in others share a run (runner/machines.ts: they share the machine too).
 */
export function groupReleases(s: Scenario, releases: readonly string[], eraAt: (release: string) => Era): Span[] {
  const out: Span[] = [];
  // A rule set (and EPT A/D bits) met before has its key already.
  const keyOf = new Map<string, string>();
  for (const r of releases) {
    const one = eraAt(r);
    let key = unavailable(s, one);
    if (key === null) {
      const runs = settled(s, one).scenario;
      const all = `${ruleSetKey(one.rules)}|${runs.options.eptAd}`;
      key = keyOf.get(all) ?? null;
      if (key === null) {
        const read = [...sharedMachine(runs, one.rules).rulesRead];
        keyOf.set(all, (key = `${read.map((n) => `${n}=${ruleValueKey(one.rules, n)}`).join(';')}|${runs.options.eptAd}`));
      }
    }
    const last = out[out.length - 1];
    if (last && last.key === key) last.last = r;
    else out.push({ first: r, last: r, era: one, key });
  }
  return out;
}

/**
 * The spans of an era's releases for a scenario; null for an era of one release (a --kernel
 * run), one without a timeline, or when every release meets the same rules and features.
 */
export function eraSpans(s: Scenario, era: Era): Span[] | null {
  const t = era.timeline;
  // A proposal runs the one release it was posted against; its base's range is not its own.
  if (!t || era.proposal || era.releases.first === era.releases.last) return null;
  const one = (r: string) => oneRelease(era, r);
  const out = groupReleases(s, releasesIn(t, era), one);
  // The span that holds the release the era runs at is that release's: an era run at a later
  // release of its own (a proposal's base, at the release the proposal applies to) is its
  // span's result, and the span says so ("the result shown").
  const k = releaseKey(era.release);
  const at = out.findIndex((sp) => releaseKey(sp.first) <= k && k <= releaseKey(sp.last));
  if (at >= 0 && out[at]!.era.release !== era.release) out[at] = { ...out[at]!, era: one(era.release) };
  return out.length > 1 ? out : null;
}

/**
 * Spans merged into bands of equal results: `same(a, b)` compares two spans' results. Each
 * band keeps the result of its first span that could run the scenario.
 */
export function toBands<R>(spans: Span[], results: Map<string, R>, same: (a: R, b: R) => boolean, shown?: string): { first: string; last: string; release: string; result: R }[] {
  const out: { first: string; last: string; release: string; result: R }[] = [];
  for (const sp of spans) {
    const result = results.get(sp.key)!;
    const prev = out[out.length - 1];
    if (prev && same(prev.result, result)) {
      prev.last = sp.last;
      // The band of the release whose result is shown names that release.
      if (sp.era.release === shown) prev.release = shown;
    } else out.push({ first: sp.first, last: sp.last, release: sp.era.release, result });
  }
  return out;
}
