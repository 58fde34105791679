// Witnesses: for each outcome, harm and window, one shortest schedule, found breadth-first, and
// the replay token that turns it back into that trace (`mmutt run --replay TOKEN`).
import { VIOLATIONS } from '../contract/output.js';
import type { Machine } from '../engine/compile.js';
import { enabledThreads, runTraced, schedulable, stepThread } from '../engine/run.js';
import { VIOLATION_BIT } from '../engine/state.js';
import { UserError } from '../errors.js';
import { FingerprintTable, fingerprint, fpHi, fpLo, storedLo } from './fingerprint.js';
import { outcomeKey, windowKey } from './keys.js';
import { staleSet, staleWords } from '../engine/windows.js';
import type { Exploration, Limits, Witness } from '../contract/output.js';

/** A replay token: the scenario's hash prefix, then the schedule as runs `thread` or `thread*count`. */
export function encodeToken(sha256: string, schedule: number[]): string {
  const runs: string[] = [];
  for (let i = 0; i < schedule.length; ) {
    let j = i;
    while (j < schedule.length && schedule[j] === schedule[i]) j++;
    runs.push(j - i > 1 ? `${schedule[i]}*${j - i}` : `${schedule[i]}`);
    i = j;
  }
  return `${sha256.slice(0, 8)}:${runs.join('.')}`;
}

export function decodeToken(sha256: string, token: string, threads: number): number[] {
  const m = /^([0-9a-f]{8}):((?:\d+(?:\*\d+)?)(?:\.\d+(?:\*\d+)?)*)$/.exec(token);
  if (!m) throw new UserError(`bad replay token \`${token}\`: expected HASH:RUNS, for example 95352395:0*3.1.2*2`);
  if (m[1] !== sha256.slice(0, 8)) throw new UserError(`replay token \`${token}\` is for another scenario text (hash ${m[1]}, this one ${sha256.slice(0, 8)})`);
  const out: number[] = [];
  for (const run of m[2]!.split('.')) {
    const [t, n] = run.split('*').map(Number) as [number, number | undefined];
    if (t >= threads) throw new UserError(`replay token names thread ${t}: the scenario has ${threads} threads`);
    for (let k = 0; k < (n ?? 1); k++) out.push(t);
  }
  return out;
}

/** Run a schedule (thread numbers), then finish canonically, traced. */
export function replay(m: Machine, schedule: number[]): ReturnType<typeof runTraced> {
  const among = schedulable(m);
  return runTraced(m, (enabled, n) => {
    if (n >= schedule.length) return enabled[0]!;
    const tid = among[schedule[n]!]!;
    if (!enabled.includes(tid)) throw new UserError(`replay: at step ${n + 1} thread ${m.layout.threads[tid]!.name} cannot run (the token does not fit this era or scenario)`);
    return tid;
  });
}

/** Finish a schedule prefix canonically (lowest thread first). */
function complete(m: Machine, prefix: number[]): number[] {
  const among = schedulable(m);
  const s = Int32Array.from(m.init);
  for (const t of prefix) stepThread(m, s, among[t]!, null);
  const out = [...prefix];
  for (;;) {
    const [tid] = enabledThreads(m, s, among);
    if (tid === undefined) return out;
    stepThread(m, s, tid, null);
    out.push(among.indexOf(tid));
  }
}

/** Shortest schedules to every outcome, harm and window the exploration found. */
export function findWitnesses(m: Machine, x: Exploration, sha256: string, limits: Limits): Witness[] {
  const l = m.layout;
  const among = schedulable(m);
  const ws = m.watchers;
  const W = staleWords(ws);
  const stale = (st: Int32Array) => {
    const out = new Int32Array(W);
    staleSet(ws, st, out);
    return out;
  };
  const wanted = wantedTargets(x);
  const watcherOf = new Map<string, number>(); // window target -> watcher index
  const byKey = new Map(x.outcomes.map((o, i) => [o.key, `outcome ${i + 1}`]));
  const found = new Map<string, number[]>();

  // Breadth-first over the same state graph; each node remembers its parent and the thread that led to it.
  const table = new FingerprintTable();
  const parent: number[] = [-1];
  const via: number[] = [-1];
  const root = Int32Array.from(m.init);
  fingerprint(root);
  table.set(fpHi, storedLo(fpLo), 0);
  let frontier: { node: number; s: Int32Array; stale: Int32Array }[] = [{ node: 0, s: root, stale: stale(root) }];
  const pathTo = (node: number, last?: number) => {
    const out: number[] = last === undefined ? [] : [last];
    for (let n = node; n > 0; n = parent[n]!) out.push(via[n]!);
    return out.reverse();
  };
  const note = (target: string, schedule: number[]) => {
    if (wanted.has(target) && !found.has(target)) found.set(target, schedule);
  };
  const t0 = performance.now();
  const stopped = () => (limits.stop !== undefined && Atomics.load(limits.stop, 0) !== 0) || performance.now() - t0 >= limits.timeoutMs;
  while (frontier.length && found.size < wanted.size && parent.length < limits.maxStates && !stopped()) {
    const next: typeof frontier = [];
    for (const f of frontier) {
      const enabled = enabledThreads(m, f.s, among);
      if (!enabled.length) {
        const finished = among.every((t) => f.s[l.threads[t]!.pc]! >= m.programs[t]!.length);
        const target = byKey.get(outcomeKey(m, f.s, !finished).key);
        if (target) note(target, pathTo(f.node));
        continue;
      }
      for (const tid of enabled) {
        const child = f.s.slice();
        const fn = m.programs[tid]![f.s[l.threads[tid]!.pc]!]!.fn;
        stepThread(m, child, tid, null);
        const t = among.indexOf(tid);
        const childStale = stale(child);
        for (let k = 0; k < ws.length; k++) {
          const bit = 1 << (k & 31);
          if (!(childStale[k >> 5]! & bit) || f.stale[k >> 5]! & bit) continue;
          const target = `window ${windowKey(ws[k]!, fn)}`;
          if (!found.has(target)) watcherOf.set(target, k);
          note(target, pathTo(f.node, t));
        }
        for (const v of VIOLATIONS) if (child[l.violations]! & VIOLATION_BIT[v] && !(f.s[l.violations]! & VIOLATION_BIT[v])) note(`harm ${v}`, pathTo(f.node, t));
        fingerprint(child);
        if (table.get(fpHi, storedLo(fpLo)) >= 0) continue;
        table.set(fpHi, storedLo(fpLo), parent.length);
        parent.push(f.node);
        via.push(t);
        next.push({ node: parent.length - 1, s: child, stale: childStale });
      }
    }
    frontier = next;
  }

  return [...wanted.entries()].filter(([target]) => found.has(target)).map(([target, meta]) => witness(m, sha256, target, meta.outcomeKey, found.get(target)!, watcherOf.get(target)));
}

/** What a witness is sought for: every outcome (by its key), every harm seen, every window. */
function wantedTargets(x: Exploration): Map<string, { outcomeKey?: string }> {
  const wanted = new Map<string, { outcomeKey?: string }>();
  x.outcomes.forEach((o, i) => wanted.set(`outcome ${i + 1}`, { outcomeKey: o.key }));
  for (const v of VIOLATIONS) if (x.outcomes.some((o) => o.violations.includes(v))) wanted.set(`harm ${v}`, {});
  for (const w of x.windows) wanted.set(`window ${w.key}`, {});
  return wanted;
}

/** The witness of a target from the shortest schedule that reaches it (`prefix`), finished canonically and replayed; `watcher`: a window's. */
function witness(m: Machine, sha256: string, target: string, outcomeKey: string | undefined, prefix: number[], watcher: number | undefined): Witness {
  const schedule = complete(m, prefix);
  const { trace } = replay(m, schedule);
  const w: Witness = { target, schedule, token: encodeToken(sha256, schedule), trace };
  if (outcomeKey) w.outcomeKey = outcomeKey;
  if (watcher !== undefined) w.windowSteps = windowLength(m, schedule, prefix.length, watcher);
  return w;
}

/** How many consecutive steps, from the one that opened it, the window stays open on this schedule. */
function windowLength(m: Machine, schedule: number[], openedAt: number, k: number): number {
  const among = schedulable(m);
  const s = Int32Array.from(m.init);
  const set = new Int32Array(staleWords(m.watchers));
  let steps = 0;
  for (let i = 0; i < schedule.length; i++) {
    stepThread(m, s, among[schedule[i]!]!, null);
    if (i + 1 < openedAt) continue;
    staleSet(m.watchers, s, set);
    if (!(set[k >> 5]! & (1 << (k & 31)))) break;
    steps++;
  }
  return steps;
}
