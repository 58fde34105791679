// v2.6.32 – v3.6: KSM and the COW fault call .change_pte() through set_pte_at_notify() with no
// invalidate_range_start/end around it, so KVM repoints a present sPTE in place. The rules are
// the timeline's at v2.6.32 (eras/timeline/); this module names the cut point.
import { cutPoint } from '../src/era/derive.js';
import timeline from './timeline/index.js';

export default cutPoint(timeline, undefined, {
  id: 'pre-6bdb913f0a70',
  title: 'change_pte unbracketed: KVM repoints the sPTE in place',
  releases: { first: 'v2.6.32', last: 'v3.6' },
  commits: ['828502d30073 ("ksm: add mmu_notifier set_pte_at_notify()")'],
});
