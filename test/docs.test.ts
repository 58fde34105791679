// Documentation that is generated from code stays current; the version strings agree.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERAS, registry } from './registry.js';
import { timelineDoc } from '../src/report/timeline-doc.js';
import { eraDoc } from '../src/report/era-doc.js';
import { catalogDoc } from '../src/report/catalog-doc.js';
import { catalogNames, loadScenario } from '../src/scenario/catalog.js';
import { runScenario } from '../src/runner/run.js';
import { showSteps } from '../src/runner/steps.js';
import { stepsDoc } from '../src/report/steps-doc.js';
import { compileMachine } from '../src/runner/machines.js';
import { settled, unavailable } from '../src/era/features.js';
import { VERSION } from '../src/version.js';

describe('docs', () => {
  it('docs/eras.md is generated from the era modules (npm run docs)', async () => {
    await expect(eraDoc(ERAS)).toMatchFileSnapshot('../docs/eras.md');
  });
  it('docs/timeline.md is generated from the timeline (npm run docs)', async () => {
    await expect(timelineDoc(registry.timeline, registry.releases.map((r) => registry.forKernel(r)))).toMatchFileSnapshot('../docs/timeline.md');
  });
  it('docs/catalog.md is generated from engine runs of the catalog (npm run docs)', async () => {
    const rows = catalogNames().map((n) => {
      const sc = loadScenario(n);
      return ERAS.map((e) => runScenario(sc, e));
    });
    await expect(catalogDoc(ERAS, rows)).toMatchFileSnapshot('../docs/catalog.md');
  });
  it('docs/steps.md is generated from the steps as data of the catalog at the newest era (npm run docs)', async () => {
    const era = ERAS.at(-1)!;
    const scenarios = catalogNames().map((n) => loadScenario(n));
    const fns = new Set<string>();
    for (const s of scenarios) if (!unavailable(s, era)) for (const p of compileMachine(settled(s, era).scenario, era.rules).programs) for (const st of p) fns.add(st.fn);
    const shown = [...fns].sort().map((fn) => showSteps(fn, scenarios, era));
    expect(shown.every((x) => x.steps.length > 0)).toBe(true);
    await expect(stepsDoc(shown)).toMatchFileSnapshot('../docs/steps.md');
  });
  it('the version printed in reports is package.json\'s', () => {
    expect(JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')).version).toBe(VERSION);
  });
});
