// The timeline (eras/timeline/) is well-formed history, and every entry is observable or says
// why not: for each observable entry, bisect over its releases lands on the entry's release,
// and undoing the entry alone there gives the old result again.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULE_NAMES, type RuleEntry } from '../src/contract/era.js';
import type { Era } from '../src/contract/era.js';
import { checkRuleValue } from '../src/era/registry.js';
import { releaseKey } from '../src/era/release.js';
import { DEFAULT_LIMITS } from '../src/contract/output.js';
import { bisectReleases } from '../src/runner/releases.js';
import { exploreScenario, runScenario } from '../src/runner/run.js';
import { catalogNames, loadScenario, parseWhere } from '../src/scenario/catalog.js';
import type { Scenario } from '../src/contract/scenario.js';
import { ERAS, registry } from './registry.js';
import { bisectGolden, unhashed } from './golden-names.js';
import { bisectOutput } from '../src/report/bisect.js';

const t = registry.timeline;
const COMMIT = /^[0-9a-f]{12} \(".+"\)$/;
const at = (r: string) => t.releases.indexOf(r);

describe('the timeline', () => {
  it(`${t.releases.length} releases, v2.6.27 first, each once, in order`, () => {
    expect(t.releases[0]).toBe('v2.6.27');
    expect(new Set(t.releases).size).toBe(t.releases.length);
    for (let i = 1; i < t.releases.length; i++) expect(releaseKey(t.releases[i]!)).toBeGreaterThan(releaseKey(t.releases[i - 1]!));
  });

  it('every rule has entries, oldest first, at known releases, each a new value of the rule\'s type', () => {
    for (const name of RULE_NAMES) {
      const es = t.rules.filter((e) => e.rule === name);
      expect(es.length, name).toBeGreaterThan(0);
      for (let i = 0; i < es.length; i++) {
        const e = es[i]!;
        expect(at(e.release), `${name} ${e.release}`).toBeGreaterThanOrEqual(0);
        expect(checkRuleValue(name, e.value), `${name} ${e.release}`).toBeNull();
        if (i > 0) {
          expect(at(e.release), `${name}: entries in release order`).toBeGreaterThan(at(es[i - 1]!.release));
          expect(JSON.stringify(e.value), `${name} ${e.release}: a change`).not.toBe(JSON.stringify(es[i - 1]!.value));
        }
      }
    }
  });

  it('every entry cites a file and a function, names its commit in kernel form or says it was not identified, and says how its release is known', () => {
    for (const e of [...t.rules, ...t.features]) {
      const id = 'rule' in e ? `${e.rule} ${e.release}` : `${e.feature}`;
      expect(e.why.trim(), id).not.toBe('');
      expect(e.pinned.trim(), id).not.toBe('');
      expect(e.cite.length, id).toBeGreaterThan(0);
      for (const c of e.cite) {
        expect(c.file && c.fn, id).toBeTruthy();
        if (c.commit) expect(c.commit, id).toMatch(COMMIT);
      }
      if (e.commit) expect(e.commit, id).toMatch(COMMIT);
      // No commit: the entry says the id was looked for and not found.
      else expect([e.pinned, ...e.cite.map((c) => c.note ?? '')].join(' '), `${id}: says the commit was not found`).toMatch(/not (found|identified)/);
    }
  });

  it('the vocabulary: each word\'s names are in release order, at known releases', () => {
    for (const w of t.words) {
      expect(w.since.length, w.word).toBeGreaterThan(0);
      for (let i = 0; i < w.since.length; i++) {
        expect(at(w.since[i]!.release), w.word).toBeGreaterThanOrEqual(0);
        if (i > 0) expect(at(w.since[i]!.release), w.word).toBeGreaterThanOrEqual(at(w.since[i - 1]!.release));
        if (w.since[i]!.commit) expect(w.since[i]!.commit, w.word).toMatch(COMMIT);
      }
      const last = w.since[w.since.length - 1]!.name;
      expect(last === w.word || last === null, `${w.word}: the engine spells a word as the newest kernel does`).toBe(true);
    }
  });

  it('a rule whose history starts after v2.6.27 is read by no step before its first entry', () => {
    const late = RULE_NAMES.map((r) => t.rules.find((e) => e.rule === r)!).filter((e) => e.release !== t.releases[0]);
    const before = t.releases.filter((r) => late.some((e) => releaseKey(r) < releaseKey(e.release)));
    const bad: string[] = [];
    for (const release of before) {
      const era = registry.forKernel(release);
      for (const name of catalogNames()) {
        const r = runScenario(loadScenario(name), era);
        for (const e of late) if (releaseKey(release) < releaseKey(e.release) && r.trace.some((x) => x.rules.includes(e.rule))) bad.push(`${release} ${name}: ${e.rule}`);
      }
    }
    expect(late.length).toBeGreaterThan(0);
    expect(bad).toEqual([]);
  });

  it('the named eras keep their ids and opening releases', () => {
    const opening: [string, string][] = [
      ['pre-6bdb913f0a70', 'v2.6.32'],
      ['post-6bdb913f0a70', 'v3.7'],
      ['post-369ea8242c0f', 'v4.13'],
      ['post-change-pte-removal', 'v6.10'],
      ['post-aa85986e7150', 'v6.13'],
    ];
    for (const [id, first] of opening) expect(ERAS.find((e) => e.id === id)?.release, id).toBe(first);
  });
});

/** A scenario named by an observable entry: a catalog name, or a file of test/timeline/. */
const scenarioOf = (name: string): Scenario => loadScenario(name.startsWith('test/') ? join(__dirname, '..', name) : name);
const limits = { ...DEFAULT_LIMITS, maxStates: 2_000_000 };
const exploreMany = async (pairs: { scenario: Scenario; era: Era }[]) => pairs.map((p) => exploreScenario(p.scenario, p.era, limits, false));

const observable = t.rules.filter((e): e is RuleEntry & { observable: { scenario: string; where: string; between: [string, string] } } => 'scenario' in e.observable);
const unobservable = t.rules.filter((e) => 'unobservable' in e.observable);

describe('every timeline entry is observable, or says why not', () => {
  it(`${observable.length} entries name a scenario and a condition; ${unobservable.length} say why no run shows them`, () => {
    expect(observable.length + unobservable.length).toBe(t.rules.length);
    for (const e of unobservable) expect((e.observable as { unobservable: string }).unobservable.length, `${e.rule} ${e.release}`).toBeGreaterThan(20);
  });

  it.each(observable.map((e) => [`${e.rule} = ${JSON.stringify(e.value)} (${e.release})`, e] as const))('%s: bisect lands on its release, and undoing it alone undoes the flip', async (_, e) => {
    const o = e.observable as { scenario: string; where: string; explore?: boolean; between: [string, string] };
    const s = scenarioOf(o.scenario);
    const b = await bisectReleases(s, parseWhere(s, o.where), t, ERAS, { between: o.between, ...(o.explore ? { exploreMany } : {}) });
    const flip = b.flips.find((f) => f.release === e.release);
    expect(flip, `flips at ${b.flips.map((f) => f.release).join(', ') || 'no release'}`).toBeDefined();
    expect(flip!.decisive).toContain(e);
    // Every flip of the condition, reviewed: an entry moved to another release is a diff here.
    await expect(unhashed(bisectOutput(s, parseWhere(s, o.where), b, 'text'))).toMatchFileSnapshot(`golden/${bisectGolden(e)!}`);
  });
});
