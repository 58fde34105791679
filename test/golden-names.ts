// Where the goldens of other test files live, so that test/golden.test.ts knows every golden
// some test writes and fails on one that nothing writes any more.
import type { RuleEntry } from '../src/contract/era.js';

/** The history hash as the goldens hold it: it changes with any edit of eras/timeline/, not with behaviour. */
export const unhashed = (text: string) =>
  text.replace(/history [0-9a-f]{12}/g, 'history HASH').replace(/"history": "[0-9a-f]{12}"/g, '"history": "HASH"').replace(/git log --reverse -S [0-9a-f]{12}/g, 'git log --reverse -S HASH');

/** The golden of the bisect that shows an observable timeline entry (test/timeline.test.ts), by its scenario and condition. */
export function bisectGolden(e: RuleEntry): string | null {
  if (!('scenario' in e.observable)) return null;
  const o = e.observable;
  const slug = (x: string) => x.replace(/^test\/timeline\//, '').replace(/\.mmu$/, '').replace(/[^\w.-]+/g, '_').replace(/^_|_$/g, '');
  return `bisect/${slug(o.scenario)}--${slug(o.where)}${o.explore ? '--explore' : ''}--${o.between.join('-')}.txt`;
}
