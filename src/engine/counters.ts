// The counters of the output contract (docs/output.md). All are always reported, 0 when
// nothing happened. They live in the machine state, so two runs that differ in what the
// kernel did never look alike.

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
  'kvm.tlb_flush',
  'kvm.folio_mark_dirty',
  'kvm.folio_mark_accessed',
  // What the guest did.
  'guest.read',
  'guest.write',
] as const;

export type CounterName = (typeof COUNTER_NAMES)[number];
