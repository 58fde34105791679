// Reviewed outputs of every catalog scenario under every era, of every scenario's bands of
// releases (`matrix --releases`), and of every scenario's cite block. A change in behaviour
// shows up as a diff of these files; refresh them with `npx vitest run -u` and review the diff.
// The legend of simplifications is the same for every scenario: it has one golden of its own,
// not a copy in each file. A missing golden fails the run (vitest.config.ts: update 'none'),
// so a deleted file cannot be silently re-created; `-u` writes it. A golden left for a
// scenario or era that no longer exists fails too.
//
// The history hash every header prints changes with any edit of eras/timeline/, not with
// behaviour: the goldens hold `history HASH`, and test/history-hash.test.ts checks the hash.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogNames, loadScenario } from '../src/scenario/catalog.js';
import { ERAS, registry } from './registry.js';
import { RULE_NAMES } from '../src/contract/era.js';
import { citeText } from '../src/report/cite.js';
import { runJson, toJson } from '../src/report/json.js';
import { releaseMatrixText } from '../src/report/matrix.js';
import { legend, runText } from '../src/report/text.js';
import { releaseRows } from '../src/runner/releases.js';
import { exportPromela, runScenario } from '../src/runner/run.js';
import { wrapScenario } from '../src/scenario/wrap.js';
import { bisectGolden, unhashed } from './golden-names.js';


const GOLDEN = join(__dirname, 'golden');
/** Models `export --promela` writes, as reviewed text (test/export.test.ts checks every one with SPIN). */
const EXPORTS = [
  ['age-guest-cold', 'v6.13'],
  ['madv-free-no-ad-bits', 'v4.12'],
] as const;

/** Every golden this file writes, relative to test/golden/. */
const expected = new Set([
  'legend.txt',
  'releases.txt',
  ...registry.timeline.rules.flatMap((e) => bisectGolden(e) ?? []),
  ...catalogNames().flatMap((n) => [`cite/${n}.txt`, ...ERAS.flatMap((e) => [`${n}/${e.id}.txt`, `${n}/${e.id}.json`])]),
  ...EXPORTS.map(([n, release]) => `export/${n}-${release}.pml`),
]);

describe('golden legend', () => {
  it('the simplifications of the engine and of every era', async () => {
    await expect(`${legend(ERAS.map((era) => ({ era, rulesRead: RULE_NAMES }))).join('\n')}\n`).toMatchFileSnapshot('golden/legend.txt');
  });
});

describe.each(catalogNames())('golden %s', (name) => {
  const s = loadScenario(name);
  it.each(ERAS.map((e) => [e.id, e] as const))('%s', async (id, era) => {
    const r = runScenario(s, era);
    await expect(unhashed(runText(r, { trace: true, legend: false }))).toMatchFileSnapshot(`golden/${name}/${id}.txt`);
    await expect(unhashed(toJson(runJson(r)))).toMatchFileSnapshot(`golden/${name}/${id}.json`);
  });
  it('cite under every era', async () => {
    const block = citeText(
      ERAS.map((e) => runScenario(s, e)),
      null,
      { inline: false, options: [], eraFiles: [], scenarioText: wrapScenario(s.text, 70) },
    );
    await expect(unhashed(block)).toMatchFileSnapshot(`golden/cite/${name}.txt`);
  });
});

describe('golden Promela exports', () => {
  it.each(EXPORTS)('%s at %s', async (name, release) => {
    const text = exportPromela(loadScenario(name), registry.forKernel(release), { version: 'VERSION', scenario: name, era: `--kernel ${release}` });
    await expect(text).toMatchFileSnapshot(`golden/export/${name}-${release}.pml`);
  });
});

describe('golden bands of releases', () => {
  it('every catalog scenario at every release (matrix --releases)', async () => {
    const t = registry.timeline;
    const { rows, ruleSets } = releaseRows(catalogNames().map((n) => loadScenario(n)), t, ERAS);
    await expect(unhashed(releaseMatrixText(rows, ruleSets, t.releases.length))).toMatchFileSnapshot('golden/releases.txt');
  });
});

describe('golden files', () => {
  it('none is left for a scenario, an era or an output that no longer exists', () => {
    const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? files(join(dir, d.name)) : [relative(GOLDEN, join(dir, d.name))]));
    const stale = files(GOLDEN).filter((f) => !expected.has(f.split('\\').join('/')));
    expect(stale, 'goldens nothing writes any more: delete them').toEqual([]);
  });
});
