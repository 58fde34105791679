// docs/timeline.md, generated from the timeline (eras/timeline/) so that the audit of where
// each rule and name comes from cannot drift from what runs (test/docs.test.ts keeps it
// current). Releases x rules with each cell's commit; every entry with how it is known and
// where a run shows it; features; the vocabulary by release; the simplifications left.
import { RULE_NAMES, type Cite, type Era, type Read, type RuleEntry, type Timeline } from '../contract/era.js';

const cite = (c: Cite) => `\`${c.file}\` ${c.fn}${c.commit ? `, ${c.commit}` : ''} (${c.status}${c.note ? `; ${c.note}` : ''})`;
const short = (e: RuleEntry) => (e.commit ? e.commit.slice(0, 7) : '?');
const md = (s: string) => s.replace(/\|/g, '\\|');

/** Spans of consecutive releases with the same entries in force, and those entries. */
function spansOf(t: Timeline, releases: readonly Era[]): { first: string; last: string; era: Era }[] {
  const out: { first: string; last: string; era: Era; key: string }[] = [];
  for (const era of releases) {
    const key = RULE_NAMES.map((r) => t.rules.indexOf(era.entries[r]!)).join(',');
    const last = out[out.length - 1];
    if (last && last.key === key) last.last = era.release;
    else out.push({ first: era.release, last: era.release, era, key });
  }
  return out;
}

/** `releases`: every release as an era (registry.forKernel), oldest first. */
export function timelineDoc(t: Timeline, releases: readonly Era[]): string {
  const count = (xs: { status: string }[]) =>
    `${xs.length} (${xs.filter((x) => x.status === 'verified').length} verified, ${xs.filter((x) => x.status === 'between').length} between two releases, 0 recalled)`;
  const changes = t.words.flatMap((w) => w.since.slice(1));
  const out = [
    '# The timeline',
    '',
    'Generated from `eras/timeline/` by `npm run docs`; `npm test` fails when this file is stale.',
    `mmutt models ${t.releases.length} mainline releases, ${t.releases[0]}..${t.releases[t.releases.length - 1]} (${t.newest}).`,
    'The rules of a release are the entries below applied up to it (`src/era/timeline.ts`); the named',
    'eras of `docs/eras.md` are cut points that run their opening release. An entry is *verified*',
    'when the code of its release was read (and, for a change, the code of the release before, or',
    'the change itself with its first release); each entry lists what was read: repository, commit',
    'or release snapshot, file, function, and what the code shows. *between vA and vB*: only the',
    'code of two releases bounds it (absent in vA, present in vB); the entry sits at the release',
    'the model uses, and a run that depends on it says so in its legend. No entry is *recalled*',
    '(stated from memory): the type has no such status, and test/history.test.ts checks the reads.',
    '',
    `History hash: \`${releases[0]?.history ?? 'none'}\`. Every report header prints it (\`mmutt 0.1.0 (history ...)\`);`,
    'the first commit `git log --reverse -S HASH -- docs/timeline.md` lists is the one a quoted result came from.',
    '',
    `- rule entries: ${count([...t.rules])}`,
    `- feature entries: ${count([...t.features])}`,
    `- name changes in the vocabulary: ${count(changes)}; words: ${t.words.length}`,
    `- simplifications left: ${t.simplifications.length}`,
    '',
    '## Releases x rules',
    '',
    'Each row is a run of releases with the same rule set (one run decides them all in `matrix',
    '--releases` and `bisect`); each cell is the 7-hex commit of the entry in force, `?` where none',
    'was identified, `—` where the rule\'s mechanism has not arrived yet. The rules, by column:',
    '',
    ...RULE_NAMES.map((r, i) => `${i + 1}. \`${r}\``),
    '',
    `| releases | ${RULE_NAMES.map((_, i) => i + 1).join(' | ')} |`,
    `|---|${RULE_NAMES.map(() => '---').join('|')}|`,
  ];
  for (const sp of spansOf(t, releases)) {
    // A rule whose first entry is later (KSM's, .change_pte's) has nothing in force yet: `—`.
    const cell = (e: RuleEntry) => (t.releases.indexOf(e.release) > t.releases.indexOf(sp.first) ? '—' : short(e));
    out.push(`| ${sp.first === sp.last ? sp.first : `${sp.first}..${sp.last}`} | ${RULE_NAMES.map((r) => cell(sp.era.entries[r]!)).join(' | ')} |`);
  }
  out.push('', '## Rule entries', '');
  for (const r of RULE_NAMES) {
    out.push(`### \`${r}\``, '');
    for (const e of t.rules.filter((x) => x.rule === r)) {
      out.push(`- **${e.release}**: \`${JSON.stringify(e.value)}\`, ${e.commit ?? 'commit not identified'}. ${e.why}`);
      for (const c of e.cite) out.push(`  - ${cite(c)}`);
      out.push(`  - release (${status(e)}): ${e.pinned}`);
      for (const x of reads(e.read)) out.push(`  - read: ${x}`);
      const o = e.observable;
      out.push('unobservable' in o ? `  - not observable: ${o.unobservable}` : `  - observed: \`${o.scenario}\`, where \`${o.where}\`${o.explore ? ' (explored verdict)' : ''}, bisected ${o.between[0]}..${o.between[1]}`);
    }
    out.push('');
  }
  out.push('## Features', '', '| feature | release | commit | status | how the release is known | read |', '|---|---|---|---|---|---|');
  for (const f of t.features) out.push(`| ${md(f.name)} | ${f.release} | ${md(f.commit ?? 'not identified')} | ${status(f)} | ${md(f.pinned)} | ${md(reads(f.read).join('; '))} |`);
  out.push('', '## Vocabulary', '', 'What a trace prints for each of the engine\'s words, from each release on (`—`: the release has no such thing).', '');
  out.push('| word | release | name | status | commit, what was read |', '|---|---|---|---|---|');
  for (const w of t.words) {
    for (const s of w.since) out.push(`| \`${md(w.word)}\` | ${s.release} | ${s.name === null ? '—' : `\`${md(s.name)}\``} | ${status(s)} | ${md([s.commit, ...reads(s.read), s.note].filter(Boolean).join('; '))} |`);
  }
  out.push('', '## Simplifications left', '');
  for (const s of t.simplifications) out.push(`- ${s.from}..${s.to ?? ''}: ${s.text} Searched: ${s.searched ?? 'not searched'}.`);
  out.push('');
  return out.join('\n');
}

/** An entry's status as the doc prints it: `between vA and vB` names its bounds. */
const status = (e: { status: string; between?: [string, string] }) => (e.status === 'between' && e.between ? `between ${e.between[0]} and ${e.between[1]}` : e.status);

/** What was read, one line each: `repo@at path fn: what it shows`. */
const reads = (r: readonly Read[]): string[] => r.map((x) => `${x.repo}@${x.at} \`${x.path}\` ${x.fn}: ${x.saw}`);
