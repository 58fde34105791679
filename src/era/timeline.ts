// The timeline (eras/timeline/) resolved at a release: the rule set of any mainline release
// is every rule change up to it; its names are its vocabulary's; its simplifications are those
// that cover it. Named eras are cut points on it, a --kernel release is one point of it.
import { RULE_NAMES, type Era, type EraRules, type FeatureEntry, type RuleEntry, type RuleName, type Timeline, type Word } from '../contract/era.js';
import { UserError, quote } from '../errors.js';
import { closest } from '../input.js';
import { createHash } from 'node:crypto';
import { notMainline, releaseKey } from './release.js';

const hashes = new WeakMap<Timeline, string>();
/**
 * A short hash of the history data: every report header carries it, and docs/timeline.md
 * prints it, so `git log -S HASH -- docs/timeline.md` finds the mmutt commit of a quoted result.
 */
export function historyHash(t: Timeline): string {
  let h = hashes.get(t);
  if (!h) {
    h = createHash('sha256').update(JSON.stringify(t)).digest('hex').slice(0, 12);
    hashes.set(t, h);
  }
  return h;
}

/** The entry in force for each rule at a release: the last one at or before it (before a rule's first entry, its first one: no step reads it there). */
export function entriesAt(t: Timeline, release: string): Record<RuleName, RuleEntry> {
  const k = releaseKey(release);
  const out = {} as Record<RuleName, RuleEntry>;
  for (const e of t.rules) {
    const cur = out[e.rule];
    if (!cur || releaseKey(e.release) <= k) out[e.rule] = e;
  }
  for (const name of RULE_NAMES) if (!out[name]) throw new Error(`internal: the timeline has no entry for rule ${name}`);
  return out;
}

/** The rules of a release, from its entries. */
export function rulesOf(entries: Record<RuleName, RuleEntry>): EraRules {
  const rules = {} as Record<RuleName, unknown>;
  for (const name of RULE_NAMES) {
    const e = entries[name];
    rules[name] = { value: e.value, why: e.why, cite: e.cite };
  }
  return rules as EraRules;
}

/** How a name whose change only two releases bound is listed (Era.unpinned). */
const unpinnedBound = (release: string, between: readonly [string, string]) => `printed from ${release}; only the code of ${between[0]} (without it) and ${between[1]} (with it) bound the change`;

export function simplificationsAt(t: Timeline, release: string): string[] {
  const k = releaseKey(release);
  return t.simplifications.filter((s) => releaseKey(s.from) <= k && (s.to === undefined || k <= releaseKey(s.to))).map((s) => s.text);
}

/** The commits of a release's timeline entries, once each, in timeline order. */
export function commitsOf(t: Timeline, release: string): string[] {
  const out: string[] = [];
  for (const e of [...t.rules, ...t.features]) if (e.release === release && e.commit && !out.includes(e.commit)) out.push(e.commit);
  return out;
}

/** The rules whose entry lands in (after, upto]: what a cut point or a release changes. */
export function changedIn(t: Timeline, after: string | undefined, upto: string): RuleName[] {
  const lo = after === undefined ? -1 : releaseKey(after);
  const hi = releaseKey(upto);
  return RULE_NAMES.filter((r) => t.rules.some((e) => e.rule === r && releaseKey(e.release) > lo && releaseKey(e.release) <= hi));
}

/**
 * A mainline release name as the timeline knows it (vX.Y; v2.6.X). A stable release or an -rc
 * is refused with its mainline release named, and so is anything before the first or after the
 * newest, saying why.
 */
export function resolveRelease(t: Timeline, v: string): string {
  const k = releaseKey(v);
  const stable = notMainline(v);
  if (stable) throw new UserError(stable);
  const first = t.releases[0]!;
  const newest = t.releases[t.releases.length - 1]!;
  if (k < releaseKey(first)) throw new UserError(`${quote(v)} is older than mmutt's history: the MMU notifier and KVM's first notifier arrived in ${first} (cddb8a5c14aa ("mmu-notifiers: core"))`);
  if (k > releaseKey(newest)) throw new UserError(`${quote(v)} is newer than mmutt's history, which ends at ${newest}: ${t.newest}`);
  const r = t.releases.find((x) => releaseKey(x) === k);
  if (!r) {
    const near = closest(v, t.releases);
    throw new UserError(`${quote(v)} is not a mainline release${near ? `: did you mean ${near}?` : ''} (mmutt list --releases)`);
  }
  return r;
}

/** The named era a release falls in, if any. */
export function eraOfRelease(named: readonly Era[], release: string): Era | undefined {
  const k = releaseKey(release);
  return named.find((e) => releaseKey(e.releases.first) <= k && (e.releases.last === undefined || k <= releaseKey(e.releases.last)));
}

type History = Pick<Era, 'release' | 'rules' | 'entries' | 'words' | 'simplifications' | 'timeline' | 'history' | 'unpinned'>;
const histories = new WeakMap<Timeline, Map<string, History>>();

/**
 * What an era takes from the timeline at the release it runs: rules with their entries, words,
 * simplifications. Resolved for every release in one pass, oldest first, the first time any is
 * asked (every era's bands ask for each of its releases), and shared: an era is data nobody
 * changes (eraAt copies the entries it drops an overlay's rules from). A release where no entry
 * lands keeps the objects of the release before it, so rules shared by identity let a rule
 * set's key be computed once (ruleSetKey) and what is derived from a release's words
 * (vocabulary.ts) be derived once.
 */
function historyAt(t: Timeline, release: string): History {
  let byRelease = histories.get(t);
  if (!byRelease) histories.set(t, (byRelease = resolveReleases(t)));
  const h = byRelease.get(release);
  if (!h) throw new Error(`internal: ${release} is not a release of the timeline`);
  return h;
}

/**
 * Where the timeline's entries land: for each release, the rules whose entry takes effect there
 * (in rule order) and whether a name does. An entry takes effect at the first modelled release
 * at or after its own.
 */
function landings(t: Timeline): { rules: Map<string, RuleName[]>; words: Map<string, Word[]> } {
  let known = landingsOf.get(t);
  if (known) return known;
  const keys = t.releases.map(releaseKey);
  const at = (release: string) => t.releases[keys.findIndex((k) => k >= releaseKey(release))];
  const rules = new Map<string, Set<RuleName>>();
  for (const e of t.rules) {
    const r = at(e.release);
    if (r !== undefined) rules.set(r, (rules.get(r) ?? new Set()).add(e.rule));
  }
  const words = new Map<string, Word[]>();
  for (const w of t.words) for (const x of w.since) {
    const r = at(x.release);
    if (r !== undefined && !words.get(r)?.includes(w)) words.set(r, [...(words.get(r) ?? []), w]);
  }
  known = { rules: new Map([...rules].map(([r, names]) => [r, RULE_NAMES.filter((n) => names.has(n))])), words };
  landingsOf.set(t, known);
  return known;
}
const landingsOf = new WeakMap<Timeline, ReturnType<typeof landings>>();

function resolveReleases(t: Timeline): Map<string, History> {
  const out = new Map<string, History>();
  const land = landings(t);
  // Releases that name everything alike share one words object, even far apart.
  const wordsByKey = new Map<string, History['words']>();
  const history = historyHash(t);
  let prev: History | undefined;
  let entries = {} as Record<RuleName, RuleEntry>;
  // Each word's name in force (null where the release has none), from the last entry of its
  // history at or before the release; an entry in force that only two releases' code bounds is
  // listed (Era.unpinned).
  let named: Record<string, string | null> = {};
  const inForce = new Map<Word, Word['since'][number]>();
  for (const release of t.releases) {
    const rulesMove = !prev || land.rules.has(release);
    if (rulesMove) entries = entriesAt(t, release);
    let words = prev?.words;
    let unpinned = prev?.unpinned;
    const landed = prev ? land.words.get(release) : t.words;
    if (landed) {
      const k = releaseKey(release);
      named = { ...named };
      for (const w of landed) {
        const x = w.since.filter((s) => releaseKey(s.release) <= k).at(-1);
        named[w.word] = x?.name ?? null;
        if (x) inForce.set(w, x);
      }
      const key = JSON.stringify(named);
      if (!wordsByKey.has(key)) wordsByKey.set(key, named);
      words = wordsByKey.get(key)!;
      unpinned = t.words.flatMap((w) => {
        const x = inForce.get(w);
        return x?.name && x.status === 'between' && x.between ? [{ name: x.name, bound: unpinnedBound(x.release, x.between) }] : [];
      });
    }
    const simplifications = simplificationsAt(t, release);
    const h: History = {
      release,
      rules: prev && !rulesMove ? prev.rules : rulesOf(entries),
      entries,
      words: words!,
      simplifications: prev && simplifications.join('\n') === prev.simplifications.join('\n') ? prev.simplifications : simplifications,
      timeline: t,
      history,
      unpinned: unpinned!,
    };
    out.set(release, h);
    prev = h;
  }
  return out;
}

const ruleSetKeys = new WeakMap<EraRules, string>();
const valueKeys = new WeakMap<EraRules, Map<RuleName, string>>();
/** One rule's value as a string (JSON), once per rules object. */
export function ruleValueKey(rules: EraRules, name: RuleName): string {
  let m = valueKeys.get(rules);
  if (!m) valueKeys.set(rules, (m = new Map()));
  let v = m.get(name);
  if (v === undefined) m.set(name, (v = JSON.stringify(rules[name].value)));
  return v;
}
/** The values of every rule, as one string: equal keys, equal rule sets. Once per rules object. */
export function ruleSetKey(rules: EraRules): string {
  let k = ruleSetKeys.get(rules);
  if (k === undefined) ruleSetKeys.set(rules, (k = RULE_NAMES.map((n) => ruleValueKey(rules, n)).join(';')));
  return k;
}

/** One mainline release as an era: its rules, its words, its commits. */
export function releaseEra(t: Timeline, release: string, named: readonly Era[]): Era {
  const i = t.releases.indexOf(release);
  const inEra = eraOfRelease(named, release);
  const changed = i > 0 ? (landings(t).rules.get(release) ?? []) : changedIn(t, undefined, release);
  const era: Era = {
    id: release,
    title: `Linux ${release}: ${[...(changed.length ? [`${changed.join(', ')} changed here`] : []), ...t.features.filter((f) => f.release === release).map((f) => `${f.name} arrives`)].join('; ') || 'no modelled rule changes here'}`,
    releases: { first: release, last: release },
    commits: commitsOf(t, release),
    changed,
    ...historyAt(t, release),
  };
  if (inEra) {
    era.era = inEra.id;
    era.eraCommits = inEra.commits;
  }
  return era;
}

/** A named era: a cut point, which runs the rules of its opening release. */
export function cutPoint(t: Timeline, before: Era | undefined, cut: { id: string; title: string; releases: { first: string; last?: string }; commits: string[] }): Era {
  const release = resolveRelease(t, cut.releases.first);
  const era: Era = { ...cut, changed: changedIn(t, before?.release, release), ...historyAt(t, release) };
  if (before) era.base = before.id;
  return era;
}

/**
 * A named era as it stood at a later release of its own (a proposal posted against that
 * release applies there): the same era, the rules, words and simplifications of `release`.
 */
export function atRelease(t: Timeline, era: Era, release: string): Era {
  const r = resolveRelease(t, release);
  const k = releaseKey(r);
  if (k < releaseKey(era.releases.first) || (era.releases.last !== undefined && k > releaseKey(era.releases.last))) {
    throw new Error(`internal: ${r} is not a release of era ${era.id}`);
  }
  return { ...era, ...historyAt(t, r) };
}

/**
 * What a proposal is compared with: its base era at the release the proposal applies to (a
 * diff of the two otherwise folds in every change between the base's opening release and that
 * one). Any other pair is compared as given.
 */
export function baseFor(a: Era, b: Era): Era {
  if (!b.proposal || b.base !== a.id || a.release === b.release || !a.timeline) return a;
  return { ...atRelease(a.timeline, a, b.release), title: `${a.title} (at ${b.release}, the release ${b.id} applies to)` };
}

/** The features a release has not got yet, among these. */
export const missingAt = (features: readonly FeatureEntry[], release: string) => features.filter((f) => releaseKey(f.release) > releaseKey(release));

/**
 * A named era (or a proposal on one) as it stands at one of its own releases: the rules,
 * words and simplifications of that release, with the overlay (a proposal's own rules) applied
 * again on top.
 */
export function eraAt(era: Era, release: string): Era {
  const t = era.timeline;
  if (!t) throw new Error(`internal: era ${era.id} has no timeline`);
  const at = historyAt(t, release);
  if (!era.overlay) return { ...era, ...at };
  const entries = { ...at.entries };
  for (const r of Object.keys(era.overlay) as RuleName[]) delete entries[r];
  return { ...era, ...at, entries, rules: { ...at.rules, ...era.overlay } as EraRules };
}

/** A named era (or a proposal) as a run of one of its releases. */
export const oneRelease = (era: Era, release: string): Era => ({ ...eraAt(era, release), releases: { first: release, last: release } });

/** Every mainline release an era covers, oldest first (a proposal: those of its base). */
export function releasesIn(t: Timeline, era: Era): string[] {
  const first = t.releases.indexOf(era.releases.first);
  const last = era.releases.last === undefined ? t.releases.length - 1 : t.releases.indexOf(era.releases.last);
  if (first < 0 || last < 0) throw new Error(`internal: era ${era.id} covers releases the timeline does not have`);
  return t.releases.slice(first, last + 1);
}

/**
 * The era to run a scenario under when a feature it uses arrives inside the era (after the
 * release whose rules the era runs): the same era at the feature's release. Null when the
 * era's release has them all.
 */
export function atFeatureRelease(era: Era, features: readonly FeatureEntry[]): Era | null {
  if (!era.timeline) return null;
  const late = missingAt(features, era.release);
  if (!late.length) return null;
  return eraAt(era, late.map((f) => f.release).sort((a, b) => releaseKey(b) - releaseKey(a))[0]!);
}

/**
 * `--at COMMIT`: the first release that has a commit the timeline names (a rule change, a
 * feature, a name, or a named era's cut), from at least 7 hex digits of its id.
 */
export function releaseOfCommit(t: Timeline, named: readonly Era[], commit: string): string {
  const known = new Map<string, string>();
  const add = (ref: string | undefined, release: string) => {
    const id = ref?.slice(0, 12).toLowerCase();
    if (id && /^[0-9a-f]{12}$/.test(id) && !known.has(id)) known.set(id, release);
  };
  for (const e of [...t.rules, ...t.features]) add(e.commit, e.release);
  for (const w of t.words) for (const s of w.since) add(s.commit, s.release);
  // An era opens with its commits (`mmutt list` prints them): they are in its first release.
  for (const e of named) for (const c of [/[0-9a-f]{12}$/.exec(e.id)?.[0], ...e.commits]) add(c, e.releases.first);
  const want = commit.toLowerCase();
  if (!/^[0-9a-f]{7,40}$/.test(want)) throw new UserError(`--at takes a commit id of 7 to 40 hex digits, not \`${quote(commit)}\``);
  const hits = [...known].filter(([id]) => id.startsWith(want.slice(0, 12)) && (want.length <= 12 || want.startsWith(id)));
  if (hits.length > 1 && new Set(hits.map((h) => h[1])).size > 1) throw new UserError(`commit \`${quote(commit)}\` is ambiguous in the timeline: ${hits.map(([id, r]) => `${id} (${r})`).join(', ')}; give more digits`);
  if (!hits.length) throw new UserError(`commit \`${quote(commit)}\` is not one the timeline names: --at takes a commit of a rule change, a feature, a name or an era cut (docs/timeline.md; mmutt list --rules --kernel vX.Y); for another commit, give the release it is in with --kernel`);
  return hits[0]![1];
}
