// The output contract (docs/output.md): what a run produces and every report reads. The
// engine and the explorer fill it in; the report reads it and nothing else of them, and never
// runs anything. Types and names only, plus the few conventions every room prints the same
// way (page size, hex, the value of a refused access).
import type { Era, FeatureEntry, NotifierCallback, RuleEntry, RuleName } from './era.js';
import type { Expectation, Observable, ResultLine, Scenario } from './scenario.js';

/** mmutt models whole 4 KiB pages. */
export const PAGE_SIZE = 0x1000;

/** Counters of what happened during the scenario's threads (not the `touched` prologue). All are always reported. */
export const COUNTER_NAMES = [
  // Callbacks the notifier chain delivered to KVM.
  'notifier.invalidate_range_start',
  'notifier.invalidate_range_end',
  'notifier.invalidate_page',
  'notifier.change_pte',
  'notifier.clear_flush_young',
  'notifier.clear_young',
  'notifier.test_young',
  'notifier.release',
  // What KVM did.
  'kvm.spte_zap',
  'kvm.spte_change',
  'kvm.fault',
  'kvm.fault_retry',
  // Of those, the retries an invalidation in progress decided (the seq alone would not have):
  // any invalidation before 4a42d848db95, one covering the fault's address after.
  'kvm.fault_retry_in_progress',
  'kvm.tlb_flush',
  'kvm.folio_mark_dirty',
  'kvm.folio_mark_accessed',
  // What the guest did.
  'guest.read',
  'guest.write',
  // Callbacks the notifier chain delivered to a device's IOMMU driver (src/iommu/), by the
  // callback's slot: `iommu.invalidate_range` counts .arch_invalidate_secondary_tlbs from v6.6.
  'iommu.invalidate_range',
  'iommu.invalidate_page',
  'iommu.invalidate_range_start',
  'iommu.change_pte',
  'iommu.clear_flush_young',
  'iommu.release',
  // What the IOMMU did: device TLB (ATC) entries dropped, ATS translations, PRI page requests.
  'iommu.atc_flush',
  'iommu.ats',
  'iommu.pri',
  // What the device did.
  'device.read',
  'device.write',
] as const;
export type CounterName = (typeof COUNTER_NAMES)[number];

/** Harms (docs/output.md): recorded at the moment the guest touches a frame, or a frame is freed. */
export const VIOLATIONS = ['freed-frame-access', 'lost-write', 'shared-frame-write', 'stale-read', 'device-fault-loop', 'sleep-in-atomic'] as const;
export type Violation = (typeof VIOLATIONS)[number];

/**
 * What an access gets when the kernel refuses it: SIGSEGV for a user access, -EFAULT from KVM
 * (an exit to the VMM) for a guest access. The model completes the access with this value.
 */
export const EFAULT_VALUE = 0xbad;

/** Page contents, addresses and pfns are printed in hex; a litmus reader expects `0xaa`. */
export const hex = (n: number) => `0x${n.toString(16)}`;

/** One slot of the machine state that a step changed, in kernel terms. */
export interface Change {
  slot: string;
  from: string;
  to: string;
}

/** One atomic step of a traced run. */
export interface TraceStep {
  n: number;
  thread: string;
  /** The kernel function the step models. */
  fn: string;
  /** What it does, in kernel terms. */
  does: string;
  /** The era rules whose values decided this step (its presence, its order, or what it did), in the order read. */
  rules: RuleName[];
  /** The notifier callback this step delivered to a secondary MMU (one step per delivery: its handler's first). */
  callback?: NotifierCallback;
  /** The secondary MMU whose notifier handler the step is part of: `KVM`, or a device (`dev0`). */
  handler?: string;
  /** The callback's name in the release's words where it is not `callback` (`.invalidate_range` is `.arch_invalidate_secondary_tlbs` from v6.6). */
  callbackAs?: string;
  notes: string[];
  changes: Change[];
  /** The stale secondary mappings outside any invalidation bracket after this step (windows), by name. */
  windows: string[];
}

/** What a final state shows: the scenario's observations, the counters, the harms. */
export interface Outcome {
  /** Observation label -> value (numbers; page contents are small values). */
  observations: Record<string, number>;
  counters: Record<CounterName, number>;
  violations: Violation[];
}

export interface ExploredOutcome {
  key: string;
  observations: Record<string, number>;
  violations: Violation[];
  /** The least counters (in COUNTER_NAMES order) of the paths to this outcome: they may differ between paths. */
  counters: Outcome['counters'];
  /** The scenario's condition holds in this outcome. */
  condition?: boolean;
  /** No thread could run but some had not finished. */
  deadlock: boolean;
  paths: number;
}

/** A stale secondary mapping outside any invalidation bracket: an sPTE or a TLB entry. */
export interface ExploredWindow {
  key: string;
  mapping: string;
  gfn: number;
  /** Where the mapping is when it is not a gfn's (a device TLB entry: `qemu:0x7f0000000000`). */
  where?: string;
  openedBy: { thread: string; fn: string };
}

export interface Exploration {
  complete: boolean;
  stopped?: 'max-states' | 'timeout' | 'memory' | 'interrupted';
  states: number;
  transitions: number;
  /** Edges that closed a cycle in the state graph (left out of path counts). */
  cycles: number;
  outcomes: ExploredOutcome[];
  windows: ExploredWindow[];
  /** Some path count passed 2^53 and is approximate. */
  approximate: boolean;
  /** Bytes in the visited set and the path-count vectors. */
  bytes: number;
  elapsedMs: number;
  /** Workers the search was split between (1: one search). Like bytes and time, shown with --stats only. */
  workers: number;
  /** Explored with partial-order reduction (--reduce): every outcome, harm and window, but paths are not counted. */
  reduced?: boolean;
}

/** Whether an exploration's path counts mean anything: it finished, and without reduction. */
export const pathsCounted = (x: Exploration) => x.complete && !x.reduced;

/** A shortest schedule to an outcome, a harm or a window, with its replay token and trace. */
export interface Witness {
  /** `outcome N`, `harm lost-write`, or `window <key>` (the key in the engine's words: the same window at every release). */
  target: string;
  /** The target in the words of the release that ran, for a reader (`... opened by do_wp_page` at v3.6). */
  shown?: string;
  outcomeKey?: string;
  /** Thread numbers (0 = the first thread of the scenario), one per step. */
  schedule: number[];
  token: string;
  trace: TraceStep[];
  /** For a window: how many consecutive steps it stays open on this schedule. */
  windowSteps?: number;
}

/** One scenario under one era: a traced schedule (canonical or replayed) and its outcome. */
export interface RunResult {
  scenario: Scenario;
  sha256: string;
  era: Era;
  /** Why this era cannot run the scenario ("not in this era: ..."); then there is no outcome. */
  unavailable?: string;
  /** Features that arrived inside the era: from which release the result applies. */
  notes: string[];
  /** The replay token whose schedule ran, when it was not the canonical one. */
  replayed?: string;
  trace: TraceStep[];
  outcome: Outcome | null;
  /** Whether the scenario's condition (exists / ~exists / forall) holds, when it has one. */
  condition?: boolean;
  /**
   * This era's `expect` lines, whether each holds, and the values its observables had. An
   * expectation of an era holds only where every release of the era that can run the scenario
   * gives it: `failedIn` lists the bands of releases where it does not (the run's own among
   * them), with what they saw; absent for one release.
   */
  expectations: { expect: Expectation; holds: boolean; seen: { obs: Observable; value: number }[]; failedIn?: { first: string; last: string; seen: { obs: Observable; value: number }[] }[] }[];
  /** The era rules the run depends on: those its steps name (a traced run), or its programs may read (explored). */
  rulesRead: RuleName[];
  /** Observation labels as the release would name them (`page(qemu:0x...).dirty` before folios), where they differ from the scenario's. */
  labels?: Record<string, string>;
  /**
   * For an era of more than one release, when its releases do not all give this result: every
   * release, in bands of equal results (runner/bands.ts). Absent when every release of the era
   * gives this run's result, for one release, and for a replayed schedule.
   */
  bands?: Band[];
}

/** Releases first..last of an era: every one of them gives this result. */
export interface Band {
  first: string;
  last: string;
  /** The release whose rules ran for the band. */
  release: string;
  /** Why these releases cannot run the scenario ("not in this release: ..."); then no outcome. */
  unavailable?: string;
  outcome: Outcome | null;
  condition?: boolean;
}

/** Releases first..last of an era whose explorations found the same. */
export interface ExploreBand {
  first: string;
  last: string;
  release: string;
  unavailable?: string;
  exploration: Exploration | null;
}

/** Why a search stopped, as the option that stopped it. */
export const stoppedBy = (x: Exploration) => (x.stopped === 'interrupted' ? 'interrupted (SIGINT)' : `stopped by --${x.stopped === 'memory' ? 'max-memory' : x.stopped}`);

/**
 * What a reader sees of an exploration (not its time or memory, nor the release's names for the
 * steps that opened its windows): equal keys, the same findings.
 */
export const foundKey = (unavailable: string | undefined, x: Exploration | null) =>
  JSON.stringify([unavailable, x && [x.complete, x.stopped, x.states, x.transitions, x.cycles, x.outcomes, x.windows.map((w) => [w.key, w.mapping, w.gfn, w.openedBy.thread]), x.approximate]]);


/** An explored run: the run's facts (scenario, era, availability), the exploration, and witnesses. */
export interface ExploreRun {
  run: RunResult;
  exploration: Exploration | null;
  witnesses: Witness[];
  /** As RunResult.bands, for the exploration: absent when every release of the era finds the same. */
  bands?: ExploreBand[];
}

/**
 * What `diff` compares: one scenario under two eras (a proposal against its base at its
 * release), run canonically, or explored.
 */
export type Compared = { explored: false; a: RunResult; b: RunResult } | { explored: true; a: ExploreRun; b: ExploreRun };

/** herd7's verdicts, and ours for an exploration that did not finish. */
export type Verdict = 'Never' | 'Sometimes' | 'Always' | 'Timeout' | 'Interrupted';

/**
 * herd7's verdict for an exploration's condition: Never, Sometimes or Always, with the paths
 * that satisfy it and those that do not (outcomes, for a reduced exploration); ours for one
 * that did not finish. Null when no outcome has a condition.
 */
export function verdict(x: Exploration): { verdict: Verdict; positive: number; negative: number } | null {
  const withCond = x.outcomes.filter((o) => o.condition !== undefined);
  if (!withCond.length && x.complete) return null;
  // A reduced exploration counts outcomes, not paths: the verdict is the same. So does one a
  // limit stopped: a state's paths are counted when the search has finished it, and there
  // the outcomes found are all that is known (0 paths would claim none).
  const weight = (o: ExploredOutcome) => (x.reduced || !x.complete ? 1 : o.paths);
  const positive = withCond.filter((o) => o.condition).reduce((n, o) => n + weight(o), 0);
  const negative = withCond.filter((o) => !o.condition).reduce((n, o) => n + weight(o), 0);
  if (!x.complete) return { verdict: x.stopped === 'interrupted' ? 'Interrupted' : 'Timeout', positive, negative };
  return { verdict: positive === 0 ? 'Never' : negative === 0 ? 'Always' : 'Sometimes', positive, negative };
}

/** A stretch of consecutive releases where a condition has one value (one run decides them all). */
export interface BisectRange {
  first: string;
  last: string;
  /** The condition on the canonical run, or the explored verdict; null where the releases cannot run the scenario. */
  value: boolean | Verdict | null;
  why?: string;
}

/** A release where the value changes from the one before it, and the history that lands there. */
export interface BisectFlip {
  release: string;
  from: boolean | Verdict;
  to: boolean | Verdict;
  /** The timeline entries of that release. */
  entries: RuleEntry[];
  /** Of those, the ones that undone alone (the rule back at its previous value) give the old value again. */
  decisive: RuleEntry[];
  /** The features that arrive in that release (a flip with no rule entry comes from one of them). */
  features: FeatureEntry[];
  /** The named era the release is in, if any. */
  era?: string;
}

/** mmutt bisect: a condition over releases, the first release where it flips, and every flip. */
export interface Bisection {
  explore: boolean;
  between: [string, string];
  ranges: BisectRange[];
  /** The first flip (also flips[0]); null when the condition does not change. */
  flip: BisectFlip | null;
  flips: BisectFlip[];
  /** Runs made: one per group of releases that meet the same values of the rules the scenario reads (and the same features). */
  runs: number;
  /** The short hash of the history data the releases came from (report headers print it). */
  history: string;
}

/** How far an exploration may go before it stops and says so (exit 3). */
export interface Limits {
  maxStates: number;
  timeoutMs: number;
  maxMemoryBytes: number;
  /** Called now and then with the states explored so far (a progress bar on a TTY). */
  progress?: (states: number, elapsedMs: number) => void;
  /** Check the engine's own invariants on every new state (self-check tests; slower). */
  sanity?: boolean;
  /** A shared flag (SIGINT): when element 0 is set, stop as `interrupted`. */
  stop?: Int32Array;
  /** Partial-order reduction (persistent and sleep sets): every outcome, harm and window; fewer states; no path counts. */
  reduce?: boolean;
}

export const DEFAULT_LIMITS: Limits = { maxStates: 100_000_000, timeoutMs: 600_000, maxMemoryBytes: 1 << 30 };

/** A bug in the model met while tracing a run; carries the steps taken so far for the report. */
export class ModelError extends Error {
  constructor(
    message: string,
    readonly trace: TraceStep[],
  ) {
    super(message);
  }
}

/** mmutt check --judge: one scenario file, each `expect` line's run and each `result` line's exploration. */
export interface CheckedFile {
  file: string;
  scenario: Scenario;
  expects: { expect: Expectation; run: RunResult; holds: boolean }[];
  /** `elsewhere`: the bands of the era whose verdict differs from the line's. */
  results: { result: ResultLine; run: ExploreRun; holds: boolean; elsewhere: ExploreBand[] }[];
}

/** mmutt reproduce: a cite block read out of a mail (runner/reproduce.ts). */
export interface QuotedCite {
  /** The block's lines without their quoting, from the `mmutt VERSION` line to its last section. */
  lines: string[];
  /** 1-based line in the mail where the block starts. */
  at: number;
  version: string;
  history?: string;
  /** The scenario the block names on its second line, `scenario NAME (sha256 HASH)`: the first 12 hex digits. */
  sha256?: string;
  /** The arguments of the `$ mmutt cite ...` line, without `cite`. */
  argv: string[];
  /** A scenario the block carries ("Scenario (save as F):"): the file name and its text. */
  /** How many lines of the block were read back onto the line a mail client folded them off. */
  unfolded: number;
  scenario?: { file: string; text: string; at: number };
  /** Era files the block carries ("Era file (save as F):"). */
  eraFiles: { file: string; text: string }[];
}

/** matrix --releases: what a release changes for a scenario, at a boundary of its rule sets: a rule's new value or a feature (`+MADV_FREE`), with its commit. */
export type ReleaseChange = ({ rule: RuleName; value: unknown } | { feature: string }) & { commit?: string };

/**
 * explain --step: a kernel function's steps as the model builds them at a release, in the
 * machine of one catalog scenario (or one the user names).
 */
export interface StepsShown {
  era: Era;
  /** The function asked for, as typed. */
  asked: string;
  /** The scenario whose machine is shown; null when no scenario searched has the step here. */
  scenario: string | null;
  /** With no scenario: the release has no such function (since when), if the history says so. */
  absent?: string;
  /** Other scenarios searched whose machines have the step too. */
  alsoIn: string[];
  steps: ShownStep[];
  /** Steps of that name that are code, not data (a registrant's): shown by name only. */
  code: number;
  /** The release's word for a folio (`page` before folios): how the steps name a frame's fields. */
  folio: string;
  /** The programs of the threads that have the step, as pc and function (in the release's words) and the rules that put each step there: where it falls, and the notifier calls around it (a bracket's steps name the rule that opened it). */
  programs: { thread: string; steps: { pc: number; fn: string; shown: boolean; rules: RuleName[] }[] }[];
}

export interface ShownStep {
  /** The kernel function and what the step does, in the release's words. */
  fn: string;
  does: string;
  /** Where the step is: the threads whose programs have it (the same text) and its pc in each. */
  at: { thread: string; pc: number }[];
  callback?: NotifierCallback;
  /** When it may run (null: always), and what it does, one statement a line (engine/step-data.ts printStep). */
  guard: string | null;
  effect: string[];
  /** The rules that put the step here or shape it (read while built), then those it reads as it runs; each with its timeline entry at the release, if the history has one. */
  rules: { name: RuleName; read: 'built' | 'runs'; value: unknown; entry?: RuleEntry }[];
  /**
   * Slots the step reads or writes that the release has no field for (its words name none:
   * a trace leaves their changes out), shown `[model only: NAME]`; with the release that
   * first has such a field, and its name there, if one does.
   */
  modelOnly?: { slot: string; from?: { release: string; name: string } }[];
}
