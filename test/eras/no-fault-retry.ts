// A test-only era, not shipped: today's KVM without the fault path's retry check
// (is_page_fault_stale() never says stale). The explorer must find the harm this allows.
import { deriveEra } from '../../src/era/derive.js';
import { getEra } from '../registry.js';

export default deriveEra(getEra('post-aa85986e7150'), {
  id: 'test-no-fault-retry',
  title: 'TEST ONLY: the fault path never retries',
  releases: { first: 'v6.13' },
  commits: [],
  rules: {
    'kvm.fault.retry': {
      value: 'never',
      why: 'Not a kernel: KVM installs the sPTE whatever raced with the fault.',
      cite: [{ file: 'arch/x86/kvm/mmu/mmu.c', fn: 'is_page_fault_stale', status: 'verified', note: 'the check this era removes' }],
    },
  },
});
