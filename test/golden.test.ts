// Reviewed outputs of every catalog scenario under every era. A change in an era's behaviour
// shows up as a diff of these files; refresh them with `npx vitest run -u` and review the diff.
// The legend of simplifications is the same for every scenario: it has one golden of its own,
// not a copy in each file. A missing golden fails the run (vitest.config.ts: update 'none'),
// so a deleted file cannot be silently re-created; `-u` writes it.
import { describe, expect, it } from 'vitest';
import { catalogNames, loadScenario } from '../src/scenario/catalog.js';
import { ERAS } from './registry.js';
import { RULE_NAMES } from '../src/contract/era.js';
import { runJson, toJson } from '../src/report/json.js';
import { legend, runText } from '../src/report/text.js';
import { runScenario } from '../src/runner/run.js';

describe('golden legend', () => {
  it('the simplifications of the engine and of every era', async () => {
    await expect(`${legend(ERAS.map((era) => ({ era, rulesRead: RULE_NAMES }))).join('\n')}\n`).toMatchFileSnapshot('golden/legend.txt');
  });
});

describe.each(catalogNames())('golden %s', (name) => {
  const s = loadScenario(name);
  it.each(ERAS.map((e) => [e.id, e] as const))('%s', async (id, era) => {
    const r = runScenario(s, era);
    await expect(runText(r, { trace: true, legend: false })).toMatchFileSnapshot(`golden/${name}/${id}.txt`);
    await expect(toJson(runJson(r))).toMatchFileSnapshot(`golden/${name}/${id}.json`);
  });
});
