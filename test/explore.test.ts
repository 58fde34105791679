// The explorer: every interleaving, outcomes with path counts, harms and their witnesses,
// windows, limits, and replay tokens that turn a witness back into its trace.
import { describe, expect, it } from 'vitest';
import { loadScenario, parseText } from '../src/scenario/catalog.js';
import { ERAS, getEra } from './registry.js';
import { compileMachine } from '../src/runner/machines.js';
import { settled } from '../src/era/features.js';
import { explore } from '../src/explore/explore.js';
import { DEFAULT_LIMITS } from '../src/contract/output.js';
import { decodeToken, encodeToken } from '../src/explore/witness.js';
import { exploreJson, exploreText } from '../src/report/explore.js';
import { verdict } from '../src/contract/output.js';
import { fmtCount, plural, runText } from '../src/report/text.js';
import { exploreScenario, runScenario } from '../src/runner/run.js';
import noRetry from './eras/no-fault-retry.js';

const harms = (id: string, name: string) => {
  const r = exploreScenario(loadScenario(name), id === noRetry.id ? noRetry : getEra(id), DEFAULT_LIMITS, false);
  return [...new Set(r.exploration!.outcomes.flatMap((o) => o.violations))].sort();
};

describe('explore', () => {
  it.each(ERAS.map((e) => e.id))('fault-races-invalidation in %s: no harm in any interleaving', (id) => {
    const r = exploreScenario(loadScenario('fault-races-invalidation'), getEra(id), DEFAULT_LIMITS, false);
    expect(r.exploration!.complete).toBe(true);
    expect(r.exploration!.outcomes.flatMap((o) => o.violations)).toEqual([]);
    expect(r.exploration!.outcomes.length).toBeGreaterThan(1); // the race does have several outcomes
  });

  it('a KVM that skips the retry check lets a racing fault map a page the host freed: the explorer finds it and its witness', () => {
    const r = exploreScenario(loadScenario('fault-races-invalidation'), noRetry, DEFAULT_LIMITS, true);
    const found = [...new Set(r.exploration!.outcomes.flatMap((o) => o.violations))];
    expect(found.some((v) => v === 'stale-read' || v === 'freed-frame-access')).toBe(true);
    const harm = r.witnesses.find((w) => w.target === `harm ${found[0]}`)!;
    expect(harm).toBeDefined();
    // The witness trace shows the fault installing an sPTE after the zap, and the harm.
    expect(harm.trace.some((t) => t.notes.some((n) => n.startsWith('VIOLATION')))).toBe(true);
    // Its token replays to exactly that trace.
    const replayed = runScenario(loadScenario('fault-races-invalidation'), noRetry, harm.token);
    expect(replayed.trace.map((t) => [t.thread, t.fn, t.notes])).toEqual(harm.trace.map((t) => [t.thread, t.fn, t.notes]));
    expect(replayed.outcome!.violations.length).toBeGreaterThan(0);
  });

  it('a guest write racing reclaim: a window between the PTE clear and .invalidate_page before 369ea8242c0f, none after; harm only where the write is really lost', () => {
    for (const name of ['madv-free-then-guest-write', 'reclaim-dirty-guest-page']) {
      const old = exploreScenario(loadScenario(name), getEra('post-6bdb913f0a70'), DEFAULT_LIMITS, true);
      expect(old.exploration!.windows.some((w) => w.mapping === 'spte' && w.openedBy.fn === 'try_to_unmap_one'), name).toBe(true);
      const wit = old.witnesses.find((w) => w.target.startsWith('window spte'))!;
      expect(wit.windowSteps).toBeGreaterThan(0);
      for (const id of ['post-369ea8242c0f', 'post-change-pte-removal', 'post-aa85986e7150']) {
        const x = exploreScenario(loadScenario(name), getEra(id), DEFAULT_LIMITS, false).exploration!;
        expect(x.windows, `${name} ${id}`).toEqual([]);
        expect(x.outcomes.flatMap((o) => o.violations), `${name} ${id}`).toEqual([]);
      }
    }
    expect(harms('post-6bdb913f0a70', 'madv-free-then-guest-write')).toContain('lost-write');
    expect(harms('post-6bdb913f0a70', 'reclaim-dirty-guest-page')).toEqual([]);
  });

  it('counts paths exactly: two independent single-step threads have 2 interleavings', () => {
    const s = parseText(
      't.mmu',
      `mmutt t "two user writes"
{ proc a: vma 0x1000 +1 ; proc b: vma 0x2000 +1 ; mem a:0x1000 = 1 ; mem b:0x2000 = 2 }
a { write(0x1000, 5) }
b { write(0x2000, 6) }
observe mem a:0x1000, mem b:0x2000
forall (mem a:0x1000 = 5 /\\ mem b:0x2000 = 6)
`,
    );
    const x = explore(compileMachine(settled(s, getEra('post-aa85986e7150')).scenario, getEra('post-aa85986e7150').rules));
    expect(x.outcomes.map((o) => o.paths)).toEqual([2]);
    expect(x.states).toBe(4);
    expect(verdict(x)).toEqual({ verdict: 'Always', positive: 2, negative: 0 });
  });

  it('stops at --max-states with an explicit incomplete verdict', () => {
    const r = exploreScenario(loadScenario('ksm-merge'), getEra('post-369ea8242c0f'), { ...DEFAULT_LIMITS, maxStates: 1000 }, false);
    expect(r.exploration!.complete).toBe(false);
    expect(r.exploration!.stopped).toBe('max-states');
    expect(r.exploration!.states).toBeLessThan(1000 * 1.1);
    const text = exploreText(r, { stats: false });
    expect(text).toMatch(/^Observation ksm-merge Timeout \d+ \d+$/m);
    expect(exploreJson(r, { stats: false }).complete).toBe(false);
  });

  it.each(ERAS.map((e) => e.id))('host-cow-after-fork in %s: the child never runs before its fork() has completed', (id) => {
    const x = exploreScenario(loadScenario('host-cow-after-fork'), getEra(id), DEFAULT_LIMITS, false).exploration!;
    expect(x.complete).toBe(true);
    // Forked before or after the guest's write: the child sees one of them, never the zero
    // page of a half-copied mm (0x0) or a SIGSEGV for an mm that does not exist yet (0xbad).
    expect([...new Set(x.outcomes.map((o) => o.observations['helper:r1']))].sort()).toEqual([0xaa, 0xbb]);
  });

  it('windows are checked on every mapping: a TLB entry of the fourth vCPU on the eighth gfn (the 40th mapping) is watched too', () => {
    const s = parseText(
      'wide.mmu',
      `mmutt wide "four vCPUs, eight gfns; KSM merges the last page under the guest"
{
  proc qemu: vma 0x7f0000000000 +8 anon private rw mergeable
  proc other: vma 0x400000 +1 anon private rw mergeable
  mem qemu:0x7f0000007000 = 0xaa ; mem other:0x400000 = 0xaa
  vm slot0: gfn 0x100 +8 -> qemu:0x7f0000000000
  touched: vcpu0 read gfn 0x100, vcpu1 read gfn 0x100, vcpu2 read gfn 0x100, vcpu3 read gfn 0x107
}
ksmd { ksm_merge(other:0x400000, qemu:0x7f0000007000) }
vcpu3 { r0 = read(gfn 0x107) }
`,
    );
    const x = explore(compileMachine(settled(s, getEra('pre-6bdb913f0a70')).scenario, getEra('pre-6bdb913f0a70').rules));
    expect(x.windows.map((w) => `${w.mapping} gfn ${w.gfn.toString(16)}`)).toContain('vcpu3 tlb gfn 107');
  });

  it('path counts print exactly below 2^53, else as ~1.5e34, said to be approximate', () => {
    expect(fmtCount(2 ** 53 - 1)).toBe('9007199254740991');
    expect(fmtCount(1.5e34)).toBe('~1.5e34');
    const x = exploreScenario(loadScenario('ksm-merge'), getEra('post-369ea8242c0f'), DEFAULT_LIMITS, false);
    const big = { ...x, exploration: { ...x.exploration!, approximate: true, outcomes: x.exploration!.outcomes.map((o) => ({ ...o, paths: 1.5e34 })) } };
    const text = exploreText(big, { stats: false });
    expect(text).toMatch(/^ {2}~1\.5e34 paths: vcpu0:r0=/m);
    expect(text).toMatch(/^Observation ksm-merge Always ~4\.5e34 0$/m); // three outcomes of ~1.5e34 paths
    expect(text).toContain('Path counts shown with ~ passed 2^53 and are approximate.');
  });

  it('a replayed trace is labelled as the replayed schedule, and counts read "1 step"', () => {
    const x = exploreScenario(loadScenario('madv-free-then-guest-write'), getEra('post-6bdb913f0a70'), DEFAULT_LIMITS, true);
    const w = x.witnesses.find((y) => y.target.startsWith('harm'))!;
    const r = runScenario(loadScenario('madv-free-then-guest-write'), getEra('post-6bdb913f0a70'), w.token);
    expect(runText(r, { trace: true })).toContain(`Trace (the schedule of replay token ${w.token}):`);
    expect(runText(runScenario(loadScenario('ksm-merge'), getEra('post-369ea8242c0f')), { trace: true })).toContain('Trace (canonical schedule):');
    expect(plural(1, 'step')).toBe('1 step');
    expect(plural(2, 'step')).toBe('2 steps');
  });

  it('replay tokens round-trip and refuse what does not fit', () => {
    const sha = 'a'.repeat(64);
    const t = encodeToken(sha, [0, 0, 0, 1, 2, 2]);
    expect(t).toBe('aaaaaaaa:0*3.1.2*2');
    expect(decodeToken(sha, t, 3)).toEqual([0, 0, 0, 1, 2, 2]);
    expect(() => decodeToken('b'.repeat(64), t, 3)).toThrow(/for another scenario text/);
    expect(() => decodeToken(sha, 'aaaaaaaa:7', 3)).toThrow(/names thread 7/);
    expect(() => decodeToken(sha, 'nonsense', 3)).toThrow(/bad replay token/);
  });
});
