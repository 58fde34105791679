// Reviewed outputs of every catalog scenario under every era. A change in an era's behaviour
// shows up as a diff of these files; refresh them with `npx vitest run -u` and review the diff.
import { describe, expect, it } from 'vitest';
import { catalogNames, loadScenario } from '../src/catalog.js';
import { ERAS } from '../src/eras.js';
import { runJson, toJson } from '../src/report/json.js';
import { runText } from '../src/report/text.js';
import { runScenario } from '../src/runner.js';

describe.each(catalogNames())('golden %s', (name) => {
  const s = loadScenario(name);
  it.each(ERAS.map((e) => [e.id, e] as const))('%s', async (id, era) => {
    const r = runScenario(s, era);
    await expect(runText(r, { trace: true })).toMatchFileSnapshot(`golden/${name}/${id}.txt`);
    await expect(toJson(runJson(r))).toMatchFileSnapshot(`golden/${name}/${id}.json`);
  });
});
