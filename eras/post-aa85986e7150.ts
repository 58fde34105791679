// v6.13 –: KVM marks the folio dirty when it creates a writable sPTE, not when it zaps one.
import { cutPoint } from '../src/era/derive.js';
import before from './post-change-pte-removal.js';
import timeline from './timeline/index.js';

export default cutPoint(timeline, before, {
  id: 'post-aa85986e7150',
  title: 'folio marked dirty at sPTE creation, not at zap',
  releases: { first: 'v6.13' },
  commits: [
    'aa85986e7150 ("KVM: x86/mmu: Mark folio dirty when creating SPTE, not when zapping/modifying")',
    '5f6a3badbb74 ("KVM: x86/mmu: Mark page/folio accessed only when zapping leaf SPTEs")',
  ],
});
