// The era modules as the registry finds them by file (src/era/modules.ts): the timeline, every
// era in eras/, every proposal in eras/proposals/, as the source of one module that imports
// them all, for a bundle that carries them (the command line's: build/cli-bundle.mjs; the
// time-travel page's: build/site.mjs).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const ts = (root, dir) => readdirSync(join(root, dir)).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort().map((f) => join(root, dir, f));

/** `export default { timeline, eras, proposals }` of the modules under `root`. */
export function eraModulesSource(root) {
  const eras = ts(root, 'eras');
  const proposals = ts(root, 'eras/proposals');
  return [
    `import timeline from ${JSON.stringify(join(root, 'eras/timeline/index.ts'))};`,
    ...eras.map((f, i) => `import e${i} from ${JSON.stringify(f)};`),
    ...proposals.map((f, i) => `import p${i} from ${JSON.stringify(f)};`),
    `export default { timeline, eras: [${eras.map((_, i) => `e${i}`).join(', ')}], proposals: [${proposals.map((_, i) => `p${i}`).join(', ')}] };`,
  ].join('\n');
}
