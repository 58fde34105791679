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
  it('derive from their predecessor: only the rules they set differ', () => {
    for (let i = 1; i < ERAS.length; i++) {
      const [a, b] = [ERAS[i - 1]!, ERAS[i]!];
      for (const name of Object.keys(a.rules) as (keyof typeof a.rules)[]) {
        if (!b.changed.includes(name)) expect(b.rules[name]).toBe(a.rules[name]);
      }
      expect(b.changed.length).toBeGreaterThan(0);
    }
  });
  it('cite every rule with a file and a function, commits in kernel form', () => {
    for (const e of ERAS) {
      for (const c of e.commits) expect(c).toMatch(/^[0-9a-f]{12} \("[^"]+"\)$/);
      for (const [name, rule] of Object.entries(e.rules)) {
        expect(rule.cite.length, name).toBeGreaterThan(0);
        for (const c of rule.cite) {
          expect(c.file, name).not.toBe('');
          expect(c.fn, name).not.toBe('');
          if (c.commit) expect(c.commit, name).toMatch(/^[0-9a-f]{12} \("[^"]+"\)$/);
        }
      }
    }
  });
  it('resolve kernel versions', () => {
    expect(registry.forKernel('v2.6.32').id).toBe('pre-6bdb913f0a70');
    expect(registry.forKernel('v3.6.11').id).toBe('pre-6bdb913f0a70');
    expect(registry.forKernel('v3.7').id).toBe('post-6bdb913f0a70');
    expect(registry.forKernel('v4.12').id).toBe('post-6bdb913f0a70');
    expect(registry.forKernel('v4.19').id).toBe('post-369ea8242c0f');
    expect(registry.forKernel('v6.9').id).toBe('post-369ea8242c0f');
    expect(registry.forKernel('v6.10-rc1').id).toBe('post-change-pte-removal');
    expect(registry.forKernel('v6.12.3').id).toBe('post-change-pte-removal');
    expect(registry.forKernel('v6.13').id).toBe('post-aa85986e7150');
    expect(registry.forKernel('v7.1').id).toBe('post-aa85986e7150');
  });
  it('refuse what they cannot resolve', () => {
    expect(() => registry.forKernel('v2.6.31')).toThrow(UserError);
    expect(() => registry.forKernel('banana')).toThrow(/bad kernel version `banana`: expected vX.Y or vX.Y.Z/);
    expect(() => getEra('nope')).toThrow(/unknown era `nope`: expected one of pre-6bdb913f0a70/);
  });
});
