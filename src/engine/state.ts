// The machine state is one flat array of small integers (docs/engine.md). Flat, so that a
// copy is one slice(), a fingerprint is one loop, and immer patches name single fields.
// This file holds the encodings of the packed entries; layout.ts says where each one lives.

export type State = number[];

/** A host PTE: flag bits, pfn above them. 0 is pte_none(). */
export const PTE = {
  PRESENT: 1, // _PAGE_PRESENT
  WRITE: 2, // _PAGE_RW
  DIRTY: 4, // _PAGE_DIRTY
  YOUNG: 8, // _PAGE_ACCESSED
  SHIFT: 8,
} as const;

/** A KVM leaf sPTE (EPT entry). 0 is not present. */
export const SPTE = {
  PRESENT: 1,
  WRITABLE: 2, // PT_WRITABLE_MASK
  DIRTY: 4, // shadow_dirty_mask (EPT D bit)
  ACCESSED: 8, // shadow_accessed_mask (EPT A bit)
  HOST_WRITABLE: 16, // SPTE_HOST_WRITEABLE / shadow_host_writable_mask
  SHIFT: 8,
} as const;

/** A guest TLB entry (gfn -> pfn) cached by a vCPU. */
export const TLB = {
  PRESENT: 1,
  WRITABLE: 2,
  SHIFT: 8,
} as const;

/** Fields of a frame (struct page / folio), FRAME_STRIDE slots each. */
export const FRAME = {
  CONTENT: 0, // a small value standing for the page's bytes
  REFCOUNT: 1, // folio_ref_count()
  MAPCOUNT: 2, // folio_mapcount()
  FLAGS: 3,
} as const;
export const FRAME_STRIDE = 4;

/** Folio flags. */
export const PG = {
  FREE: 1, // on the buddy free lists
  DIRTY: 2, // PG_dirty
  REFERENCED: 4, // PG_referenced (folio_mark_accessed)
  KSM: 8, // a KSM stable page (PageKsm)
  ZERO: 16, // the shared zero page
  LOCKED: 32, // PG_locked (folio_lock / trylock_page)
} as const;

/** Violation bits, kept in the state so that an outcome carries its harms. */
export const VIOLATIONS = ['freed-frame-access', 'lost-write', 'shared-frame-write', 'stale-read'] as const;
export type Violation = (typeof VIOLATIONS)[number];
export const VIOLATION_BIT: Record<Violation, number> = {
  'freed-frame-access': 1,
  'lost-write': 2,
  'shared-frame-write': 4,
  'stale-read': 8,
};

export const ptePfn = (pte: number) => pte >>> PTE.SHIFT;
export const sptePfn = (spte: number) => spte >>> SPTE.SHIFT;
export const tlbPfn = (t: number) => t >>> TLB.SHIFT;

/** Page contents are printed in hex, like addresses; a litmus reader expects `0xaa`. */
export const hex = (n: number) => `0x${n.toString(16)}`;

export function fmtPte(v: number): string {
  if (v === 0) return 'none';
  const f = (b: number, c: string) => (v & b ? c : '-');
  return `pfn ${hex(ptePfn(v))} ${f(PTE.WRITE, 'W')}${f(PTE.DIRTY, 'D')}${f(PTE.YOUNG, 'A')}`;
}

export function fmtSpte(v: number): string {
  if (!(v & SPTE.PRESENT)) return 'none';
  const f = (b: number, c: string) => (v & b ? c : '-');
  return `pfn ${hex(sptePfn(v))} ${f(SPTE.WRITABLE, 'W')}${f(SPTE.DIRTY, 'D')}${f(SPTE.ACCESSED, 'A')}${f(SPTE.HOST_WRITABLE, 'h')}`;
}

export function fmtTlb(v: number): string {
  if (!(v & TLB.PRESENT)) return 'none';
  return `pfn ${hex(tlbPfn(v))} ${v & TLB.WRITABLE ? 'W' : 'R'}`;
}

export function fmtPg(v: number): string {
  const names: [number, string][] = [
    [PG.FREE, 'free'],
    [PG.DIRTY, 'dirty'],
    [PG.REFERENCED, 'referenced'],
    [PG.KSM, 'ksm'],
    [PG.ZERO, 'zero'],
    [PG.LOCKED, 'locked'],
  ];
  const on = names.filter(([b]) => v & b).map(([, n]) => n);
  return on.length ? on.join(',') : '-';
}
