// A secondary MMU: a registrant on the mmu_notifier chain with state of its own (KVM's sPTEs
// and its vCPUs' TLBs: src/kvm/). The engine names none: the runner hands compile the list,
// and each brings what the engine asks of it here. Its state is a part of the layout, kept
// by its name (Layout.parts); its steps are data built by its own builders (step-data.ts).
import type { EraRules, RuleName } from '../contract/era.js';
import type { Observable, Op, Scenario } from '../contract/scenario.js';
import type { Emit } from './emit.js';
import type { Layout, PageSlot } from './layout.js';
import type { MmuNotifierOps } from './notifier.js';
import type { State } from './state.js';
import type { Expr, Stmt } from './step-data.js';
import type { Watcher } from './windows.js';

/** What a registrant's layout may take: slots after the primary MMU's (its pages exist by then). */
export interface LayoutBuilder {
  /** A new slot, with its name for traces and its kind (a kind of the registrant's own is printed by its `formats`). */
  slot(name: string, kind: string): number;
  pages: readonly PageSlot[];
  /** The vCPU names of the scenario (its `vcpu` threads and the vCPUs of `touched`), sorted: ThreadSlot.vcpu indexes them. */
  vcpus: readonly string[];
  /** The index of the next slot `slot` gives. */
  readonly next: number;
}

export interface SecondaryMmu {
  /** Its name, and the key of its layout part and machine part. */
  name: string;
  /** Its state in the layout of a scenario: the part it reads back from Layout.parts. */
  layout(s: Scenario, b: LayoutBuilder): unknown;
  /** How a value of a slot kind of its own reads in a trace (`pfn 0x11 W-DAh`). */
  formats: Readonly<Record<string, (v: number) => string>>;
  /** The callbacks it registers (struct mmu_notifier_ops). */
  ops: MmuNotifierOps;
  /** Emit a scenario operation it owns (a vCPU's guest access); false when the operation is not its. */
  emitOp(e: Emit, op: Op): boolean;
  /**
   * What a machine of it fixes once compiled (KVM: the MMU it uses), from the rules as they
   * are; a step that depends on it reads the rule through Emit.rule as it is built.
   */
  machine(l: Layout, peek: <K extends RuleName>(name: K) => EraRules[K]['value']): unknown;
  /** Does a thread (by index) run in this process's mm besides the process's own threads (KVM's vCPUs run in the VM's)? */
  usesMm(l: Layout, tid: number, proc: number): boolean;
  /**
   * Does one of its mappings reach frame `pfn` (put_page()'s harm check: a freed frame still
   * mapped)? With what those mappings are called in the harm's note (`an sPTE or a guest TLB entry`).
   */
  mapsFrame(l: Layout, pfn: Expr): { maps: Expr; mappings: string };
  /** Its mappings that can go stale (windows.ts). */
  watchers(l: Layout): Watcher[];
  /** An observable of its state as an expression; undefined for one it does not own. */
  observe(l: Layout, o: Observable): Expr | undefined;
  /**
   * The CPU's TLB invalidation of these pages was broadcast (a flush the mm code makes): a
   * secondary TLB that snoops such invalidations (an arm64 SMMU with BTM) emits the steps that
   * drop its entries. Absent: it hears only its notifier callbacks.
   */
  tlbiSnooped?(e: Emit, pages: number[]): void;
  /**
   * The step that changes these pages' PTEs leaves the CPU TLB flush for later (the
   * mmu_gather's, fork's flush_tlb_mm()): `pending` true; the step after that flush: false.
   * What it keeps of the time between (a device's ATC entry still used then orders before the
   * change, as a CPU's stale TLB entry would), as statements added to those steps; absent:
   * nothing.
   */
  flushPending?(l: Layout, pages: number[], pending: boolean): Stmt[];
  /** Its own invariants in a state (sanity.ts): a message, or null. `part`: what it fixed for the machine (`machine`). */
  sanity(l: Layout, part: unknown, s: State): string | null;
}
