// mmutt list: the eras and proposals with their commits and the rules they set, the catalog;
// --releases: every mainline release, its era, what changes in it; --rules: every rule's value
// at one release with the timeline entry it comes from and the code read for it.
import type { Era, Timeline } from '../contract/era.js';
import type { Scenario } from '../contract/scenario.js';
import { entryLines, fmtRuleValue, releasesOf, toolOf, wrap } from './text.js';

export function erasText(released: readonly Era[], proposals: readonly Era[], scenarios: readonly Scenario[]): string {
  const out = ['Eras (oldest first):'];
  for (const e of released) {
    out.push(`  ${e.id.padEnd(25)} ${releasesOf(e)}`);
    out.push(...wrap(e.title, '      '));
    for (const c of e.commits) out.push(`      ${c}`);
    out.push(...wrap(`runs ${e.release}; ${e.base ? `rules that change since ${e.base}` : `rules with a history entry by ${e.release} (the others arrive later)`}: ${e.changed.join(', ')}`, '      '));
  }
  out.push('', 'Proposals (eras/proposals/, not in --era all):');
  for (const e of proposals) {
    out.push(`  ${e.id}  ${releasesOf(e)}`);
    out.push(...wrap(e.title, '      '));
    if (e.proposal?.date) out.push(...wrap(`posted ${e.proposal.date}: "${e.proposal.subject}"`, '      ', '        '));
  }
  out.push('', 'Scenarios (scenarios/):');
  for (const s of scenarios) {
    out.push(`  ${s.name}`);
    out.push(...wrap(s.description, '      '));
  }
  return `${out.join('\n')}\n`;
}

/** Every release (each as its own era): the named era it falls in and what changes there. */
export function releasesText(t: Timeline, releases: readonly Era[]): string {
  const out = [`Releases (${t.releases.length}, ${t.releases[0]}..${t.releases[t.releases.length - 1]}):`, ...wrap(`${t.newest}.`, '  ', '  ')];
  out.push('', `  ${'release'.padEnd(8)} ${'era'.padEnd(24)} what changes in it (+: a feature arrives)`);
  releases.forEach((e, i) => {
    const r = e.release;
    const changes = i === 0 ? ['where every rule starts'] : [...e.changed, ...t.features.filter((f) => f.release === r).map((f) => `+${f.name}`)];
    const head = `  ${r.padEnd(8)} ${(e.era ?? '-').padEnd(24)} `;
    out.push(...(changes.length ? wrap(changes.join(', '), head, ''.padEnd(head.length)) : [head.trimEnd()]));
  });
  out.push('', ...wrap("Era '-': before the first named era. `mmutt list --rules --kernel vX.Y` shows every rule at a release, with its source; docs/timeline.md has every entry.", ''));
  return `${out.join('\n')}\n`;
}

/** list --rules: every rule at one release, with the entry that set it, its commit, and what was read. */
export function rulesText(era: Era): string {
  const t = era.timeline!;
  const out = [`mmutt ${toolOf([era])}`, `Rules at ${era.release}${era.era ? `, in ${era.era}` : ', before the named eras'} (${era.entries ? Object.keys(era.entries).length : 0} rules):`];
  for (const [name, e] of Object.entries(era.entries ?? {})) {
    out.push('', ...wrap(`${name} = ${fmtRuleValue(e.value)}`, '  ', '      '));
    out.push(...entryLines(e, t.releases[0]!, '    '));
  }
  const has = (release: string) => t.releases.indexOf(release) <= t.releases.indexOf(era.release);
  out.push('', ...wrap(`Features: ${t.features.map((f) => `${f.name} ${has(f.release) ? `(since ${f.release}${f.commit ? `, ${f.commit.slice(0, 12)}` : ''})` : `(not yet: ${f.release})`}`).join(', ')}`, '', '  '));
  out.push('', ...wrap('docs/timeline.md has every entry; `mmutt list --releases` shows where each rule changes.', ''));
  return `${out.join('\n')}\n`;
}
