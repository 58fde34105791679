// The machine state is one flat array of small integers (docs/engine.md). Flat, so that a
// copy is one slice(), a fingerprint is one loop, and a write names a single field.
// This file holds the encodings of the packed entries; layout.ts says where each one lives.

import { hex, type Violation } from '../contract/output.js';

/**
 * The machine state as steps see it: opaque. Every read goes through get() and every write
 * through put(), inc() or orBits(), so that the explorer can record what a step read and
 * changed: to undo it instead of comparing whole states, and to know which steps commute
 * (the partial-order reduction, docs/explore.md).
 */
export interface State {
  readonly length: number;
  /** Slots are read with get(), not by index. */
  readonly __slots?: never;
}
/** A state one may write directly: a plain array (traces), an Int32Array when exploring. */
export type MutableState = number[] | Int32Array;

/**
 * The write log: while the explorer steps a state it points this at a buffer, and put()
 * appends (slot, old value, new value) for every write that changes a slot. One explorer
 * runs per thread, so one log.
 */
let log: Int32Array | null = null;
let logN = 0;

/**
 * The footprint of the step being taken, as bit sets over the slots in one buffer, at three
 * offsets: what it read, what it wrote, and what it only updated in a way that commutes with
 * another such update (a counter bumped, a bit set). Null when nobody records.
 */
let fp: Int32Array | null = null;
let fpRead = 0;
let fpWrite = 0;
let fpCommute = 0;

/** Start recording footprints into `buf`: the bit sets of reads, writes and commuting updates start at r, w and c. */
export function recordFootprint(buf: Int32Array, r: number, w: number, c: number): void {
  fp = buf;
  fpRead = r;
  fpWrite = w;
  fpCommute = c;
}

export function stopFootprint(): void {
  fp = null;
}

/** Read a slot of the state (steps never index a state themselves). */
export function get(s: State, i: number): number {
  if (fp !== null) fp[fpRead + (i >> 5)]! |= 1 << (i & 31);
  return (s as unknown as MutableState)[i]!;
}

/** Write a slot of the state (steps never write `s[i] = v` themselves). */
export function put(s: State, i: number, v: number): void {
  // A write of the value already there is still a write: in another order it would not be.
  if (fp !== null) fp[fpWrite + (i >> 5)]! |= 1 << (i & 31);
  change(s, i, v);
}

/** Add to a slot that no step reads back (a counter): such updates commute with each other. */
export function inc(s: State, i: number, by = 1): void {
  if (fp !== null) fp[fpCommute + (i >> 5)]! |= 1 << (i & 31);
  change(s, i, (s as unknown as MutableState)[i]! + by);
}

/** Set bits in a slot that no step reads back (the harms seen): such updates commute with each other. */
export function orBits(s: State, i: number, bits: number): void {
  if (fp !== null) fp[fpCommute + (i >> 5)]! |= 1 << (i & 31);
  change(s, i, (s as unknown as MutableState)[i]! | bits);
}

function change(s: State, i: number, v: number): void {
  const old = (s as unknown as MutableState)[i]!;
  if (old === v) return;
  if (log !== null) {
    if (logN + 3 > log.length) {
      const next = new Int32Array(log.length * 2);
      next.set(log);
      log = next;
    }
    log[logN++] = i;
    log[logN++] = old;
    log[logN++] = v;
  }
  (s as MutableState)[i] = v;
}

/** Start recording writes into `buf` from index `from` (grown as needed; get it back with stopRecording()). */
export function recordWrites(buf: Int32Array, from = 0): void {
  log = buf;
  logN = from;
}

/** Stop recording: the log, (slot, old, new) triples, and where it ends. */
export function stopRecording(): { buf: Int32Array; n: number } {
  const out = { buf: log!, n: logN };
  log = null;
  logN = 0;
  return out;
}

/**
 * A host PTE: flag bits, pfn above them. 0 is pte_none(). A swap entry keeps its swap slot
 * (the page's store, see layout.ts) where the pfn would be; a migration entry keeps the pfn of
 * the page being migrated; a NUMA hinting PTE (PAGE_NONE) stays present to the kernel but
 * faults every access.
 */
export const PTE = {
  PRESENT: 1, // _PAGE_PRESENT
  WRITE: 2, // _PAGE_RW
  DIRTY: 4, // _PAGE_DIRTY
  YOUNG: 8, // _PAGE_ACCESSED
  SWAP: 16, // a swap entry (not present)
  MIGRATION: 32, // a migration entry (not present)
  PROTNONE: 64, // pte_protnone(): change_prot_numa()
  SHIFT: 8,
} as const;

/** Fields of a frame (struct page / folio), FRAME_STRIDE slots each. */
export const FRAME = {
  CONTENT: 0, // a small value standing for the page's bytes
  REFCOUNT: 1, // folio_ref_count()
  MAPCOUNT: 2, // folio_mapcount()
  FLAGS: 3,
  INDEX: 4, // the page's store: its swap slot in the swap cache, its file block in the page cache
} as const;
export const FRAME_STRIDE = 5;

/** Folio flags. */
export const PG = {
  FREE: 1, // on the buddy free lists
  DIRTY: 2, // PG_dirty
  REFERENCED: 4, // PG_referenced (folio_mark_accessed)
  KSM: 8, // a KSM stable page (PageKsm)
  ZERO: 16, // the shared zero page
  LOCKED: 32, // PG_locked (folio_lock / trylock_page)
  SWAPBACKED: 64, // PG_swapbacked: a normal anon page; cleared by MADV_FREE (lazyfree)
  SWAPCACHE: 128, // PG_swapcache
  FILE: 256, // a page-cache page
  // Not a kernel flag: the guest wrote this page since the primary MMU last accounted for its
  // content (a dirty PTE or PG_dirty). Discarding such a page loses the write.
  GUEST_WROTE: 512,
} as const;

/** Violation bits, kept in the state so that an outcome carries its harms. */
export const VIOLATION_BIT: Record<Violation, number> = {
  'freed-frame-access': 1,
  'lost-write': 2,
  'shared-frame-write': 4,
  'stale-read': 8,
  'device-fault-loop': 16,
  'sleep-in-atomic': 32,
};

export const ptePfn = (pte: number) => pte >>> PTE.SHIFT;

export function fmtPte(v: number): string {
  if (v === 0) return 'none';
  if (v & PTE.SWAP) return `swap entry ${hex(ptePfn(v))}`;
  if (v & PTE.MIGRATION) return `migration entry for pfn ${hex(ptePfn(v))}`;
  const f = (b: number, c: string) => (v & b ? c : '-');
  if (v & PTE.PROTNONE) return `pfn ${hex(ptePfn(v))} PROT_NONE (NUMA hint)`;
  return `pfn ${hex(ptePfn(v))} ${f(PTE.WRITE, 'W')}${f(PTE.DIRTY, 'D')}${f(PTE.YOUNG, 'A')}`;
}

export function fmtPg(v: number): string {
  const names: [number, string][] = [
    [PG.FREE, 'free'],
    [PG.DIRTY, 'dirty'],
    [PG.REFERENCED, 'referenced'],
    [PG.KSM, 'ksm'],
    [PG.ZERO, 'zero'],
    [PG.LOCKED, 'locked'],
    [PG.SWAPBACKED, 'swapbacked'],
    [PG.SWAPCACHE, 'swapcache'],
    [PG.FILE, 'file'],
    [PG.GUEST_WROTE, 'guest-wrote'],
  ];
  const on = names.filter(([b]) => v & b).map(([, n]) => n);
  return on.length ? on.join(',') : '-';
}
