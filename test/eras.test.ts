// The era registry: ids, release order, derivation, and --kernel resolution.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERAS, getEra, registry } from './registry.js';
import { releaseKey } from '../src/era/release.js';
import { UserError } from '../src/errors.js';

describe('eras', () => {
  it('are found by file in eras/, in release order: each derived from the one before, the named cut points among them', () => {
    const files = readdirSync(join(__dirname, '..', 'eras')).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3));
    expect(ERAS.map((e) => e.id).sort()).toEqual(files.sort());
    for (const id of ['pre-6bdb913f0a70', 'post-6bdb913f0a70', 'post-369ea8242c0f', 'post-change-pte-removal', 'post-aa85986e7150']) expect(ERAS.map((e) => e.id)).toContain(id);
    expect(ERAS[0]!.base).toBeUndefined();
    for (let i = 1; i < ERAS.length; i++) {
      expect(ERAS[i]!.base).toBe(ERAS[i - 1]!.id);
      expect(releaseKey(ERAS[i]!.releases.first)).toBeGreaterThan(releaseKey(ERAS[i - 1]!.releases.last!));
    }
  });
  it('are cut points of the timeline: each runs its opening release, and only the rules whose entries land since the one before differ', () => {
    for (let i = 1; i < ERAS.length; i++) {
      const [a, b] = [ERAS[i - 1]!, ERAS[i]!];
      expect(b.release).toBe(b.releases.first);
      expect(b.rules).toEqual(registry.forKernel(b.releases.first).rules);
      for (const name of Object.keys(a.rules) as (keyof typeof a.rules)[]) {
        if (!b.changed.includes(name)) expect(b.rules[name]).toEqual(a.rules[name]);
      }
      expect(b.changed.length).toBeGreaterThan(0);
    }
  });
  it('cite every rule with a file and a function, commits in kernel form', () => {
    for (const e of ERAS) {
      for (const c of e.commits) expect(c).toMatch(/^[0-9a-f]{12} \(".+"\)$/);
      for (const [name, rule] of Object.entries(e.rules)) {
        expect(rule.cite.length, name).toBeGreaterThan(0);
        for (const c of rule.cite) {
          expect(c.file, name).not.toBe('');
          expect(c.fn, name).not.toBe('');
          if (c.commit) expect(c.commit, name).toMatch(/^[0-9a-f]{12} \(".+"\)$/);
        }
      }
    }
  });
  it('resolve every mainline release to its own rules, and name its era', () => {
    const cases: [string, string, string | undefined][] = [
      ['v2.6.27', 'v2.6.27', undefined],
      ['v2.6.31', 'v2.6.31', undefined],
      ['v2.6.32', 'v2.6.32', 'pre-6bdb913f0a70'],
      ['v3.7', 'v3.7', 'post-6bdb913f0a70'],
      ['v4.12', 'v4.12', 'post-6bdb913f0a70'],
      ['v4.19', 'v4.19', 'post-369ea8242c0f'],
      ['v6.9', 'v6.9', 'post-369ea8242c0f'],
      ['v6.10', 'v6.10', 'post-change-pte-removal'],
      ['v6.12', 'v6.12', 'post-change-pte-removal'],
      ['v6.13', 'v6.13', 'post-aa85986e7150'],
      ['v7.0', 'v7.0', 'post-aa85986e7150'],
    ];
    for (const [v, id, era] of cases) {
      const e = registry.forKernel(v);
      expect([e.id, e.release, e.era], v).toEqual([id, id, era]);
    }
    expect(registry.releases.length).toBe(registry.timeline.releases.length);
    expect(registry.forKernel('v5.12').rules['kvm.fault.retry'].value).toBe('in-range-or-seq');
    expect(registry.forKernel('v5.11').rules['kvm.fault.retry'].value).toBe('in-progress-or-seq');
  });
  it('refuse what they cannot resolve, saying why', () => {
    expect(() => registry.forKernel('v2.6.26')).toThrow(/older than mmutt's history: the MMU notifier and KVM's first notifier arrived in v2.6.27/);
    expect(() => registry.forKernel('v7.1')).toThrow(/newer than mmutt's history, which ends at v7.0/);
    expect(() => registry.forKernel('v3.40')).toThrow(/not a mainline release/);
    expect(() => registry.forKernel('banana')).toThrow(/bad kernel version `banana`: expected vX.Y or vX.Y.Z/);
    expect(() => getEra('nope')).toThrow(/unknown era `nope`: expected one of pre-6bdb913f0a70/);
    expect(() => registry.forKernel('v3.40')).toThrow(UserError);
  });
  it('refuse a stable release or an -rc, naming the mainline release (stable backports can differ)', () => {
    expect(() => registry.forKernel('v3.7.10')).toThrow(/^v3.7.10 is a stable release: mmutt models mainline releases .*its mainline release is v3.7$/);
    expect(() => registry.forKernel('v2.6.32.1')).toThrow(/^v2.6.32.1 is a stable release: .* v2.6.32$/);
    expect(() => registry.forKernel('v3.7-rc1')).toThrow(/^v3.7-rc1 is a release candidate: .* v3.7 is the release it led to$/);
    expect(() => registry.forKernel('v2.6.32-rc3')).toThrow(/release candidate/);
    expect(registry.forKernel('v2.6.32').release).toBe('v2.6.32');
  });
});
