// docs/eras.md, generated from the era modules so that the reference cannot drift from the
// rules the engine runs (test/docs.test.ts keeps the file current).
import type { Cite, Era } from '../contract/era.js';

const cite = (c: Cite) =>
  `\`${c.file}\` ${c.fn}${c.commit ? `, ${c.commit}` : ''} (${c.status}${c.note ? `; ${c.note}` : ''})`;

export function eraDoc(eras: readonly Era[]): string {
  const out = [
    '# Era reference',
    '',
    'Generated from `eras/*.ts` by `npm run docs`; `npm test` fails when this file is stale.',
    'Each era is a named cut point on the timeline (`docs/timeline.md`): it runs the rules of its',
    'opening release. Listed under it are the rules whose timeline entries land after the era',
    'before it opened, up to its own opening; every rule says what the kernel did and where that',
    'is written. *verified*: the source or commit text was read; *recalled*: not re-checked.',
    '`mmutt run --kernel vX.Y` runs any release with its own rules. See `docs/writing-an-era.md`',
    'for proposals and eras of your own.',
    '',
    '| era | releases | opened by |',
    '|---|---|---|',
    ...eras.map((e) => `| \`${e.id}\` | ${e.releases.first}–${e.releases.last ?? ''} | ${e.commits.map((c) => c.slice(0, 12)).join(', ')} |`),
    '',
  ];
  for (const e of eras) {
    out.push(`## \`${e.id}\`: ${e.title}`, '');
    out.push(`Releases ${e.releases.first}–${e.releases.last ?? '(open)'}; runs the rules of ${e.release}${e.base ? `; follows \`${e.base}\`` : ''}.`, '');
    out.push('Commits:', '', ...e.commits.map((c) => `- ${c}`), '');
    out.push(e.base ? `Rules that change since ${e.base} opened:` : 'Rules (the first era states them all):', '');
    for (const name of e.changed) {
      const r = e.rules[name];
      const at = e.entries[name];
      out.push(`- **${name}** = \`${JSON.stringify(r.value)}\`${at ? ` (from ${at.release})` : ''}. ${r.why}`);
      for (const c of r.cite) out.push(`  - ${cite(c)}`);
    }
    if (e.simplifications.length) {
      out.push('', `Simplifications at ${e.release}:`, '', ...e.simplifications.map((s) => `- ${s}`));
    }
    out.push('');
  }
  return out.join('\n');
}
