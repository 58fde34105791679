// v3.7 – v4.12: every set_pte_at_notify() is bracketed by invalidate_range_start/end. KVM zaps
// the sPTE in range_start, so its .change_pte() never finds one again.
import { cutPoint } from '../src/era/derive.js';
import before from './pre-6bdb913f0a70.js';
import timeline from './timeline/index.js';

export default cutPoint(timeline, before, {
  id: 'post-6bdb913f0a70',
  title: 'change_pte bracketed by invalidate_range_start/end: it finds no sPTE',
  releases: { first: 'v3.7', last: 'v4.12' },
  commits: [
    '6bdb913f0a70 ("mm: wrap calls to set_pte_at_notify with invalidate_range_start and invalidate_range_end")',
    '2ec74c3ef2d8 ("mm: move all mmu notifier invocations to be done outside the PT lock")',
  ],
});
