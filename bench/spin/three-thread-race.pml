/*
 * three-thread-race.pml: mmutt's bench/scenarios/three-thread-race.mmu, era post-aa85986e7150
 * (v6.13..: TDP MMU, EPT A/D bits on, kvm_release_faultin_page() under mmu_lock, range-based
 * retry, with the pre-get_user_pages() retry of d02c357e5bfa (v6.8), wp_page_copy() bracketed
 * by invalidate_range_start/end, no .change_pte), hand-ported
 * step for step from mmutt's src/engine/ so that the state machine is the same:
 *
 *   - every mmutt atomic step is one d_step here, guarded by the thread's pc (an explicit
 *     variable, as in mmutt's state array) and the step's own `enabled` condition;
 *   - the shared variables are mmutt's state slots that this scenario can change (KVM's lock,
 *     seq, in-progress count and range, the violation bits, the counters, the 27 frames, the
 *     PTEs, sPTEs, guest TLBs, mmap_lock, the PTL, registers, the threads' locals);
 *     slots this scenario never changes (the other counters, rmap under the TDP MMU, the
 *     swap slots, the vma and mm state, the finished prologue threads) are left out: they are
 *     constant, so they change no state count;
 *   - branches mmutt has but this scenario cannot reach (swap, NUMA, file pages, SIGSEGV,
 *     fast_page_fault, wp_page_reuse) are assert(false): the search checks that claim.
 *
 * The pc values are mmutt's (node dist/cli.js explain, or the dump in run.sh), so a state
 * here and a state there can be matched slot by slot. mmutt explores 6,268,220 states for
 * this scenario and era; `pan` here must store the same number with -DNOREDUCE.
 *
 * Not modelled: mmutt's per-transition window check (staleMask) and its path counting; this
 * model only explores, with assertions on refcounts and in_progress as mmutt's throws.
 */

#define NF     27      /* frames 0x10 .. 0x2a; 0x10 is the zero page */
#define FIRST  16
#define FR(p)  ((p) - FIRST)

/* folio flags (src/engine/state.ts PG) */
#define PG_FREE   1
#define PG_DIRTY  2
#define PG_REF    4
#define PG_KSM    8
#define PG_ZERO   16
#define PG_SWAPB  64
#define PG_FILE   256
#define PG_GWROTE 512

/* owners of a lock: mmutt thread index + 1 (two prologue threads come first) */
#define OWN_VCPU0 3
#define OWN_VCPU1 4
#define OWN_QEMU  5

/* KVM (layout slots 0..5) */
byte  mmu_lock;
byte  seq;
byte  in_progress;
short range_start, range_end;
byte  violations;
/* the counters of the output contract that this scenario can change */
byte  c_irs, c_ire, c_zap, c_fault, c_retry, c_retry_ip, c_flush, c_dirty, c_accessed, c_gread, c_gwrite;
/* frames; the initial values are the state after mmutt's `touched` prologue */
byte  content[NF] = { 0, 170, 187, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
byte  refcnt[NF] = { 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
byte  mapcnt[NF] = { 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
short flags[NF] = { 16, 70, 70, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 };
/* the qemu mm */
short mmap_lock;       /* 0 free, -n: n readers */
byte  ptl;
short pte[2] = { 4367, 4623 };       /* pfn << 8 | P=1 W=2 D=4 A=8 */
/* KVM and the guest */
short spte[2] = { 4383, 4639 };      /* pfn << 8 | P=1 W=2 D=4 A=8 HW=16 */
short tlb[4] = { 4355, 0, 0, 4611 };       /* vcpu*2 + gfn index: pfn << 8 | P=1 W=2 */
byte  r[5];            /* vcpu0:r0 r1, vcpu1:r2 r3, qemu:r4 */

/* scratch: not part of the state vector */
hidden byte  tpfn, tprim, ti;
hidden short tpte;
hidden byte  tz;

#define ANY_PTE_DIRTY(p) \
  (((pte[0] & 5) == 5 && (pte[0] >> 8) == (p)) || ((pte[1] & 5) == 5 && (pte[1] >> 8) == (p)))

#define SECONDARY_MAPS(p) \
  (((spte[0] & 33) && (spte[0] >> 8) == (p)) || ((spte[1] & 33) && (spte[1] >> 8) == (p)) || \
   ((tlb[0] & 1) && (tlb[0] >> 8) == (p)) || ((tlb[1] & 1) && (tlb[1] >> 8) == (p)) || \
   ((tlb[2] & 1) && (tlb[2] >> 8) == (p)) || ((tlb[3] & 1) && (tlb[3] >> 8) == (p)))

#define RETRY_BLOCKED(GFN) (in_progress != 0 && (GFN) >= range_start && (GFN) < range_end)

/* put_page(): the last reference frees the frame */
inline put_page(p) {
  assert(refcnt[FR(p)] > 0);
  refcnt[FR(p)]--;
  if
  :: refcnt[FR(p)] == 0 && !(flags[FR(p)] & PG_ZERO) ->
     flags[FR(p)] = PG_FREE;
     if :: SECONDARY_MAPS(p) -> violations = violations | 1 :: else fi
  :: else
  fi
}

/* alloc_page(): the lowest free frame */
inline alloc_page(ret) {
  ti = 0;
  do
  :: ti >= NF -> assert(false); break
  :: ti < NF && (flags[ti] & PG_FREE) -> break
  :: ti < NF && !(flags[ti] & PG_FREE) -> ti++
  od;
  flags[ti] = 0; refcnt[ti] = 1; mapcnt[ti] = 0; content[ti] = 0;
  ret = ti + FIRST
}

/* guest.ts checkGuestAccess() */
inline check_guest_access(p, PAGE, W) {
  tprim = ((pte[PAGE] & 1) -> (pte[PAGE] >> 8) : 0);
  if
  :: flags[FR(p)] & PG_FREE -> violations = violations | 1
  :: else ->
     if :: W && ((flags[FR(p)] & (PG_KSM | PG_ZERO)) || mapcnt[FR(p)] > 1) -> violations = violations | 4 :: else fi;
     if
     :: tprim != 0 && tprim != p ->
        if
        :: W -> violations = violations | 2
        :: else -> if :: content[FR(p)] != content[FR(tprim)] -> violations = violations | 8 :: else fi
        fi
     :: else
     fi
  fi
}

/* kvm_mmu_notifier_invalidate_range_start(), first step: in_progress++, range, zap */
inline range_add(LO, HI) {
  c_irs++;
  in_progress++;
  if
  :: in_progress == 1 || range_start == range_end -> range_start = LO; range_end = HI
  :: else ->
     range_start = (range_start < LO -> range_start : LO);
     range_end = (range_end > HI -> range_end : HI)
  fi
}
inline zap_spte(GI) {
  if :: spte[GI] & 33 -> spte[GI] = 0; c_zap++; tz = 1 :: else fi
}
inline flush_tlbs() {
  tlb[0] = 0; tlb[1] = 0; tlb[2] = 0; tlb[3] = 0; c_flush++
}
inline range_end_() {
  c_ire++; seq++;
  assert(in_progress > 0);
  in_progress--
}
#define CLEAR_MM_LOCALS  newpte = 0; oldpfn = 0; newpfn = 0; origpte = 0
#define CLEAR_FAULT_LOCALS lseq = 0; lpfn = 0; mapw = 0

/*
 * handle_mm_fault() for page PAGE (gfn index GI, gfn GFN) at pc H, W a write; BACK the pc to
 * retry from (the access, or hva_to_pfn). do_anonymous_page at H+1, wp_page_copy at H+7..H+17.
 */
#define MM_FAULT(H, PAGE, GI, GFN, W, BACK, OWN) \
  :: d_step { pc == H && mmap_lock <= 0 && ptl == 0 && !(pte[PAGE] & 32) -> \
       mmap_lock--; origpte = pte[PAGE]; \
       if \
       :: origpte == 0 -> pc = H + 1 \
       :: else -> \
          assert(!(origpte & (16 | 64))); \
          if \
          :: W && !(origpte & 2) -> \
             tpfn = origpte >> 8; \
             if \
             :: (flags[FR(tpfn)] & (PG_KSM | PG_ZERO | PG_FILE)) || refcnt[FR(tpfn)] != 1 -> \
                if :: !(flags[FR(tpfn)] & PG_ZERO) -> refcnt[FR(tpfn)]++ :: else fi; \
                oldpfn = tpfn; pc = H + 7 \
             :: else -> assert(false) \
             fi \
          :: else -> mmap_lock++; CLEAR_MM_LOCALS; pc = BACK \
          fi \
       fi } \
  :: d_step { pc == H + 1 && ptl == 0 -> \
       if \
       :: pte[PAGE] == origpte -> \
          if \
          :: !W -> pte[PAGE] = (FIRST << 8) | 9 \
          :: else -> alloc_page(tpfn); mapcnt[FR(tpfn)] = 1; flags[FR(tpfn)] = PG_SWAPB; pte[PAGE] = (tpfn << 8) | 15 \
          fi \
       :: else \
       fi; \
       mmap_lock++; CLEAR_MM_LOCALS; pc = BACK } \
  :: d_step { pc == H + 7 -> \
       alloc_page(tpfn); content[FR(tpfn)] = content[FR(oldpfn)]; flags[FR(tpfn)] = PG_SWAPB; newpfn = tpfn; pc = H + 8 } \
  :: d_step { pc == H + 8 && mmu_lock == 0 -> \
       range_add(GFN, GFN + 1); tz = 0; zap_spte(GI); \
       if :: tz -> mmu_lock = OWN; pc = H + 9 :: else -> pc = H + 10 fi } \
  :: d_step { pc == H + 9 -> flush_tlbs(); mmu_lock = 0; pc = H + 10 } \
  :: d_step { pc == H + 10 && ptl == 0 -> \
       if \
       :: pte[PAGE] != origpte -> pc = H + 15 \
       :: else -> ptl = OWN; pte[PAGE] = 0; mapcnt[FR(newpfn)] = 1; newpte = (newpfn << 8) | 15; pc = H + 11 \
       fi } \
  :: d_step { pc == H + 11 -> pte[PAGE] = newpte; pc = H + 12 } \
  :: d_step { pc == H + 12 -> \
       if :: !(flags[FR(oldpfn)] & PG_ZERO) -> mapcnt[FR(oldpfn)]-- :: else fi; ptl = 0; pc = H + 13 } \
  :: d_step { pc == H + 13 && mmu_lock == 0 -> range_end_(); pc = H + 14 } \
  :: d_step { pc == H + 14 -> \
       if :: !(flags[FR(oldpfn)] & PG_ZERO) -> put_page(oldpfn) :: else fi; pc = H + 17 } \
  :: d_step { pc == H + 15 -> put_page(newpfn); pc = H + 16 } \
  :: d_step { pc == H + 16 && mmu_lock == 0 -> range_end_(); pc = H + 17 } \
  :: d_step { pc == H + 17 -> \
       if :: !(flags[FR(oldpfn)] & PG_ZERO) -> put_page(oldpfn) :: else fi; \
       mmap_lock++; CLEAR_MM_LOCALS; pc = BACK }

/*
 * A vCPU's guest access at pc B (24 steps): vcpu V, gfn index GI (page GI, gfn 0x100 + GI),
 * W a write of VAL, else a read into r[REG]. Access at B, hva_to_pfn at B+2, handle_mm_fault
 * at B+3.., kvm_tdp_mmu_map at B+21, the retry wait at B+22.
 */
#define GUEST_ACCESS(B, V, GI, W, VAL, REG, OWN) \
  :: d_step { pc == B -> \
       tpfn = 0; \
       if \
       :: (tlb[V * 2 + GI] & 1) && (!W || (tlb[V * 2 + GI] & 2)) -> tpfn = tlb[V * 2 + GI] >> 8 \
       :: else -> \
          if \
          :: (spte[GI] & 1) && (!W || (spte[GI] & 2)) -> \
             tpfn = spte[GI] >> 8; \
             tlb[V * 2 + GI] = (tpfn << 8) | 1 | ((spte[GI] & 2) -> 2 : 0); \
             spte[GI] = spte[GI] | 8 | (W -> 4 : 0) \
          :: else \
          fi \
       fi; \
       if \
       :: tpfn == 0 -> c_fault++; lseq = seq; assert(!(spte[GI] & 32)); \
          if \
          :: RETRY_BLOCKED(256 + GI) -> /* d02c357e5bfa: retry before get_user_pages() */ \
             c_retry++; c_retry_ip++; CLEAR_FAULT_LOCALS; pc = B + 22 \
          :: else -> pc = B + 2 \
          fi \
       :: else -> \
          check_guest_access(tpfn, GI, W); \
          if \
          :: W -> content[FR(tpfn)] = VAL; \
                  if :: !(flags[FR(tpfn)] & PG_DIRTY) && !ANY_PTE_DIRTY(tpfn) -> flags[FR(tpfn)] = flags[FR(tpfn)] | PG_GWROTE :: else fi; \
                  c_gwrite++ \
          :: else -> r[REG] = content[FR(tpfn)]; c_gread++ \
          fi; \
          CLEAR_FAULT_LOCALS; pc = B + 24 \
       fi } \
  :: d_step { pc == B + 2 -> \
       if \
       :: (pte[GI] & 1) && !(pte[GI] & 64) && (!W || (pte[GI] & 2)) -> \
          tpfn = pte[GI] >> 8; refcnt[FR(tpfn)]++; lpfn = tpfn; mapw = ((pte[GI] & 2) -> 1 : 0); pc = B + 21 \
       :: else -> pc = B + 3 \
       fi } \
  MM_FAULT(B + 3, GI, GI, 256 + GI, W, B + 2, OWN) \
  :: d_step { pc == B + 21 && mmu_lock == 0 -> \
       tpfn = lpfn; \
       if \
       :: RETRY_BLOCKED(256 + GI) || seq != lseq -> \
          c_retry++; if :: RETRY_BLOCKED(256 + GI) -> c_retry_ip++ :: else fi; \
          put_page(tpfn); CLEAR_FAULT_LOCALS; pc = B + 22 \
       :: else -> \
          spte[GI] = (tpfn << 8) | 1 | (mapw -> 18 : 0) | (mapw -> 12 : 8); \
          if :: mapw -> flags[FR(tpfn)] = (flags[FR(tpfn)] | PG_DIRTY) & ~PG_GWROTE; c_dirty++ :: else fi; \
          flags[FR(tpfn)] = flags[FR(tpfn)] | PG_REF; c_accessed++; \
          put_page(tpfn); \
          CLEAR_FAULT_LOCALS; pc = B \
       fi } \
  :: d_step { pc == B + 22 && !RETRY_BLOCKED(256 + GI) -> pc = B }

#define VCPU_LOCALS byte pc; byte lseq, lpfn, oldpfn, newpfn; bit mapw; short newpte, origpte

/* How many of each thread's operations to run (all by default; fewer for cross-checks with
 * mmutt scenarios cut the same way: spin -DV0N=1 -DV1N=0 -DQN=1 -a ...). A thread with 0
 * operations still exists but has nothing to do, as in mmutt. */
#ifndef V0N
#define V0N 3
#endif
#ifndef V1N
#define V1N 3
#endif
#ifndef QN
#define QN 3
#endif

/* vcpu0 { r0 = read(gfn 0x100); write(gfn 0x101, 0x11); r1 = read(gfn 0x101) } */
active proctype vcpu0() {
  VCPU_LOCALS;
end:
  do
#if V0N >= 1
  GUEST_ACCESS(0, 0, 0, 0, 0, 0, OWN_VCPU0)
#endif
#if V0N >= 2
  GUEST_ACCESS(24, 0, 1, 1, 17, 0, OWN_VCPU0)
#endif
#if V0N >= 3
  GUEST_ACCESS(48, 0, 1, 0, 0, 1, OWN_VCPU0)
#endif
  :: d_step { pc == 255 -> skip }
  od
}

/* vcpu1 { r2 = read(gfn 0x101); write(gfn 0x100, 0x21); r3 = read(gfn 0x100) } */
active proctype vcpu1() {
  VCPU_LOCALS;
end:
  do
#if V1N >= 1
  GUEST_ACCESS(0, 1, 1, 0, 0, 2, OWN_VCPU1)
#endif
#if V1N >= 2
  GUEST_ACCESS(24, 1, 0, 1, 33, 0, OWN_VCPU1)
#endif
#if V1N >= 3
  GUEST_ACCESS(48, 1, 0, 0, 0, 3, OWN_VCPU1)
#endif
  :: d_step { pc == 255 -> skip }
  od
}

inline zap_pte(P) {
  tpte = pte[P]; pte[P] = 0;
  assert(!(tpte & 16));
  if
  :: tpte & 1 ->
     tpfn = tpte >> 8;
     if :: !(flags[FR(tpfn)] & PG_ZERO) -> mapcnt[FR(tpfn)]--; put_page(tpfn) :: else fi
  :: else
  fi
}

/* qemu { madvise(0x7f0000000000, 2, MADV_DONTNEED); write(0x7f0000000000, 0x31); r4 = read(0x7f0000001000) } */
active proctype qemu() {
  byte pc; byte lseq, lpfn, oldpfn, newpfn; bit mapw; short newpte, origpte;
end:
  do
  :: d_step { pc == 255 -> skip }
#if QN >= 1
  /* madvise_dontneed_single_vma: mmap_read_lock() */
  :: d_step { pc == 0 && mmap_lock <= 0 -> mmap_lock--; pc = 1 }
  /* kvm_mmu_notifier_invalidate_range_start for gfns 0x100, 0x101 */
  :: d_step { pc == 1 && mmu_lock == 0 ->
       range_add(256, 258); tz = 0; zap_spte(0); zap_spte(1);
       if :: tz -> mmu_lock = OWN_QEMU; pc = 2 :: else -> pc = 3 fi }
  :: d_step { pc == 2 -> flush_tlbs(); mmu_lock = 0; pc = 3 }
  /* zap_pte_range, under the PTL */
  :: d_step { pc == 3 && ptl == 0 -> zap_pte(0); zap_pte(1); pc = 4 }
  :: d_step { pc == 4 && mmu_lock == 0 -> range_end_(); pc = 5 }
  /* zap_page_range_single: tlb_finish_mmu(); mmap_read_unlock() */
  :: d_step { pc == 5 -> mmap_lock++; oldpfn = 0; newpfn = 0; newpte = 0; pc = 6 }
#endif
#if QN >= 2
  /* user store 0x31 to page 0 */
  :: d_step { pc == 6 ->
       tpte = pte[0];
       if
       :: !(tpte & 1) || (tpte & 64) || !(tpte & 2) -> pc = 7
       :: else ->
          tpfn = tpte >> 8; content[FR(tpfn)] = 49; flags[FR(tpfn)] = flags[FR(tpfn)] & ~PG_GWROTE;
          pte[0] = tpte | 12; pc = 26
       fi }
  MM_FAULT(7, 0, 0, 256, 1, 6, OWN_QEMU)
#endif
#if QN >= 3
  /* user load of page 1 into r4 */
  :: d_step { pc == 26 ->
       tpte = pte[1];
       if
       :: !(tpte & 1) || (tpte & 64) -> pc = 27
       :: else -> r[4] = content[FR(tpte >> 8)]; pte[1] = tpte | 8; pc = 46
       fi }
  MM_FAULT(27, 1, 1, 257, 0, 26, OWN_QEMU)
#endif
  od
}
