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
    'Each era is its predecessor plus the rules listed under it ("set here"); every rule says',
    'what the kernel did and where that is written. *verified*: the source or commit text was',
    'read; *recalled*: not re-checked. See `docs/writing-an-era.md` for the contract.',
    '',
    '| era | releases | opened by |',
    '|---|---|---|',
    ...eras.map((e) => `| \`${e.id}\` | ${e.releases.first}–${e.releases.last ?? ''} | ${e.commits.map((c) => c.slice(0, 12)).join(', ')} |`),
    '',
  ];
  for (const e of eras) {
    out.push(`## \`${e.id}\`: ${e.title}`, '');
    out.push(`Releases ${e.releases.first}–${e.releases.last ?? '(open)'}${e.base ? `; derived from \`${e.base}\`` : ''}.`, '');
    out.push('Commits:', '', ...e.commits.map((c) => `- ${c}`), '');
    out.push(e.base ? 'Rules set here:' : 'Rules (the first era states them all):', '');
    for (const name of e.changed) {
      const r = e.rules[name];
      out.push(`- **${name}** = \`${JSON.stringify(r.value)}\`. ${r.why}`);
      for (const c of r.cite) out.push(`  - ${cite(c)}`);
    }
    if (e.simplifications.length) {
      out.push('', 'Simplifications in this era:', '', ...e.simplifications.map((s) => `- ${s}`));
    }
    out.push('');
  }
  return out.join('\n');
}
