// The history states only what was read: every rule, feature and name entry of eras/timeline/
// is verified against the code of its release, or bounded by the code of two releases, and
// says where it was read (repository, commit or snapshot, file, function, what it shows). A
// quoted result names the history it came from (its hash), and docs/timeline.md carries the
// hash so that `git log -S` finds the commit.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Read } from '../src/contract/era.js';
import { releaseKey } from '../src/era/release.js';
import { historyHash } from '../src/era/timeline.js';
import { runText } from '../src/report/text.js';
import { runScenario } from '../src/runner/run.js';
import { loadScenario } from '../src/scenario/catalog.js';
import { ERAS, registry } from './registry.js';
import timeline from '../eras/timeline/index.js';

type Entry = { what: string; release: string; status: string; read: readonly Read[]; between?: [string, string] };

const entries: Entry[] = [
  ...timeline.rules.map((e) => ({ what: `rule ${e.rule} = ${JSON.stringify(e.value)}`, ...e })),
  ...timeline.features.map((e) => ({ what: `feature ${e.feature}`, ...e })),
  ...timeline.words.flatMap((w) => w.since.map((s) => ({ what: `name ${w.word} = ${s.name}`, ...s }))),
];

/** A read names a repository, a commit or release snapshot in it, a file, a function, and what the code shows. */
function wellFormed(r: Read): boolean {
  return /^[\w.-]+\/[\w.-]+$/.test(r.repo) && (/^[0-9a-f]{12,40}$/.test(r.at) || /^v\d+\.\d+(\.\d+)?(-rc\d+)?$/.test(r.at)) && r.path.length > 0 && r.fn.length > 0 && r.saw.length > 0;
}

describe('every history entry says what was read', () => {
  it.each(entries.map((e) => [e.what, e] as const))('%s', (_, e) => {
    expect(['verified', 'between']).toContain(e.status);
    expect(e.read.length, 'at least one read of kernel code').toBeGreaterThan(0);
    for (const r of e.read) expect(wellFormed(r), JSON.stringify(r)).toBe(true);
    if (e.status === 'between') {
      const [a, b] = e.between!;
      // The modelled release lies in (a, b]: after the release that lacks it, by the one that has it.
      expect(releaseKey(a)).toBeLessThan(releaseKey(e.release));
      expect(releaseKey(e.release)).toBeLessThanOrEqual(releaseKey(b));
    } else expect(e.between).toBeUndefined();
  });

  it('no file of the history says an entry is recalled', () => {
    for (const f of ['rules.ts', 'features.ts', 'words.ts']) {
      expect(readFileSync(join(__dirname, '..', 'eras', 'timeline', f), 'utf8')).not.toMatch(/status: 'recalled'|'recalled'[,)]/);
    }
  });
});

describe('the history has a version', () => {
  const h = historyHash(registry.timeline);
  it('every era carries the hash of the history it came from', () => {
    for (const e of ERAS) expect(e.history).toBe(h);
    expect(registry.forKernel('v4.12').history).toBe(h);
  });
  it('a report header prints it, and docs/timeline.md holds it for git log -S', () => {
    expect(runText(runScenario(loadScenario('ksm-merge'), ERAS[0]!), { trace: false }).split('\n')[0]).toBe(`mmutt 0.1.0 (history ${h})`);
    expect(readFileSync(join(__dirname, '..', 'docs', 'timeline.md'), 'utf8')).toContain(`History hash: \`${h}\``);
  });
  it('changes when an entry changes', () => {
    const edited = { ...timeline, rules: timeline.rules.map((e, i) => (i === 0 ? { ...e, release: 'v2.6.28' } : e)) };
    expect(historyHash(edited)).not.toBe(h);
  });
});
