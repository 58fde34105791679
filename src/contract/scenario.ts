// A parsed scenario: plain data, never code. See docs/scenario-language.md.

/** Where a token came from, for error messages and for `explain`. */
export interface Pos {
  line: number;
  col: number;
}

export interface VmaDecl {
  start: number; // first address (page aligned)
  pages: number;
  /** false: file-backed (page-cache pages with a backing file block each). */
  anon: boolean;
  shared: boolean;
  writable: boolean;
  mergeable: boolean;
  pos: Pos;
}

export interface ProcDecl {
  name: string;
  vmas: VmaDecl[];
  /** `proc child: child of parent`: no memory until the parent's fork() copies its vmas. */
  childOf?: string;
  pos: Pos;
}

/** `proc:addr`, a user virtual address in one process. */
export interface HostAddr {
  proc: string;
  addr: number;
  pos: Pos;
}

export interface MemInit {
  at: HostAddr;
  value: number;
}

export interface SlotDecl {
  name: string;
  gfn: number;
  pages: number;
  target: HostAddr; // hva of the slot's first page
  pos: Pos;
}

/** An access made before the threads start: a vCPU's to a gfn, or a device's (`devN`) to an address of its process. */
export interface TouchDecl {
  /** Who made it: a vCPU (vcpu0, ...) or a device (dev0, ...). */
  by: string;
  kind: 'read' | 'write';
  /** A vCPU's: the gfn. */
  gfn?: number;
  /** A device's: the address (its process's). */
  at?: HostAddr;
  value?: number; // for write
  pos: Pos;
}

export interface Options {
  /**
   * EPT accessed/dirty bits (enable_ept_ad_bits): asked for, refused, or (default) what KVM did
   * at the release on hardware that has them: used from the release that added them (the
   * `ept_ad` feature), absent before. The runner settles `default` before the engine runs.
   */
  eptAd: 'default' | 'on' | 'off';
  /** KVM's x86 MMU: the era's default, the TDP MMU (v5.10+) or the shadow/rmap MMU. */
  mmu: 'default' | 'tdp' | 'shadow';
  /**
   * The CPU architecture (x86 by default). It decides what a device's IOMMU is (an x86 IOMMU,
   * or an arm64 SMMUv3 with SVA from v5.11) and whether a permission upgrade is flushed from
   * the CPU TLB (arm64 does). KVM is modelled on x86 only.
   */
  arch: 'x86' | 'arm64';
  /** An arm64 SMMU's broadcast TLB maintenance: it snoops the CPU's TLB invalidations (required for SVA until v5.12). */
  btm: 'on' | 'off';
  /**
   * How a device's IOMMU driver waits for its invalidation to complete: by spinning, as every
   * in-tree registrant does (docs/evidence/iommu-callback-context.md), or by sleeping, as a
   * driver of our own might: then a callback delivered under the PTL is a harm (sleep-in-atomic).
   */
  deviceWait: 'spin' | 'sleep';
}

export type Advice = 'MADV_FREE' | 'MADV_DONTNEED';

/** One operation in a thread block. */
export type Op =
  | { kind: 'guest-read'; gfn: number; reg: string; pos: Pos }
  | { kind: 'guest-write'; gfn: number; value: number; pos: Pos }
  | { kind: 'host-read'; at: HostAddr; reg: string; pos: Pos }
  | { kind: 'host-write'; at: HostAddr; value: number; pos: Pos }
  | { kind: 'swap-in'; at: HostAddr; pos: Pos }
  | { kind: 'ksm-merge'; keep: HostAddr; replace: HostAddr; pos: Pos }
  | { kind: 'fork'; child: string; pos: Pos }
  | { kind: 'exit'; pos: Pos }
  | { kind: 'reclaim'; at: HostAddr; pos: Pos }
  | { kind: 'migrate'; at: HostAddr; pos: Pos }
  | { kind: 'writeback'; at: HostAddr; pos: Pos }
  | { kind: 'madvise'; at: HostAddr; pages: number; advice: Advice; pos: Pos }
  | { kind: 'munmap'; at: HostAddr; pages: number; pos: Pos }
  | { kind: 'mprotect'; at: HostAddr; pages: number; writable: boolean; pos: Pos }
  | { kind: 'numa-hint'; at: HostAddr; pages: number; pos: Pos }
  /** The OOM reaper unmapping a victim's anonymous and private memory (mm/oom_kill.c, v4.6+). */
  | { kind: 'oom-reap'; proc: string; pos: Pos }
  | { kind: 'age' | 'idle-age' | 'test-young'; at: HostAddr; reg?: string; pos: Pos };

/** A `device` thread is a device's DMA through an IOMMU bound to its process (`dev0(qemu) { ... }`). */
export type ThreadKind = 'vcpu' | 'user' | 'kernel' | 'device';

export interface ThreadDecl {
  name: string;
  kind: ThreadKind;
  /** The process a user thread runs in; the process a device is bound to (its mm, by PASID). */
  proc?: string;
  /** Threads that must have finished before this one starts (`NAME after A, B { ... }`). */
  after: string[];
  ops: Op[];
  pos: Pos;
}

/** Something a condition or the report can look at. */
export type Observable =
  | { kind: 'reg'; thread: string; reg: string }
  | { kind: 'mem'; at: HostAddr }
  | { kind: 'disk'; at: HostAddr }
  | { kind: 'gfn'; gfn: number }
  | { kind: 'folio'; at: HostAddr; flag: FolioFlagName }
  | { kind: 'spte'; gfn: number; field: SpteField }
  | { kind: 'counter'; name: string }
  | { kind: 'violation'; name: string };

export const FOLIO_FLAGS = ['dirty', 'referenced', 'lazyfree', 'ksm', 'free'] as const;
export type FolioFlagName = (typeof FOLIO_FLAGS)[number];

export const SPTE_FIELDS = ['present', 'writable', 'dirty', 'accessed', 'pfn'] as const;
export type SpteField = (typeof SPTE_FIELDS)[number];

export type CmpOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Cond =
  | { kind: 'cmp'; left: Observable; op: CmpOp; right: number; pos: Pos }
  | { kind: 'and' | 'or'; left: Cond; right: Cond }
  | { kind: 'not'; arg: Cond }
  | { kind: 'true' };

export type Quantifier = 'exists' | '~exists' | 'forall';

export interface Condition {
  quantifier: Quantifier;
  cond: Cond;
  pos: Pos;
}

export interface Expectation {
  era: string;
  cond: Cond;
  pos: Pos;
  /** Where the era id is written. */
  eraPos: Pos;
}

/** Verdicts of an exploration, as herd7 prints them for a litmus test's condition. */
export const VERDICTS = ['Never', 'Sometimes', 'Always'] as const;
export type ResultVerdict = (typeof VERDICTS)[number];

/** `result ERA: Never|Sometimes|Always`: the reviewed verdict of the condition over every interleaving. */
export interface ResultLine {
  era: string;
  verdict: ResultVerdict;
  pos: Pos;
  eraPos: Pos;
}

export interface Scenario {
  name: string;
  description: string;
  /** The file name used in messages (a path or `<catalog>/name.mmu`). */
  file: string;
  /** The scenario text exactly as read. */
  text: string;
  /** Its identity: the sha256 of its tokens (scenarioHash), hex. */
  sha256: string;
  /** Where it came from, when it was loaded by name or path: the catalog, or a file of the user's. */
  origin?: { catalog: string } | { path: string };
  procs: ProcDecl[];
  mem: MemInit[];
  slots: SlotDecl[];
  touched: TouchDecl[];
  options: Options;
  threads: ThreadDecl[];
  observe: { obs: Observable; label: string; pos: Pos }[];
  /** The litmus-style final condition: `exists`, `~exists` or `forall`. */
  condition?: Condition;
  expect: Expectation[];
  /** Litmus-style `result` lines: the verdict of the condition when every interleaving is explored. */
  results: ResultLine[];
}
