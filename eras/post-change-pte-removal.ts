// v6.10 – v6.12: .change_pte() and set_pte_at_notify() are removed.
import { cutPoint } from '../src/era/derive.js';
import before from './post-369ea8242c0f.js';
import timeline from './timeline/index.js';

export default cutPoint(timeline, before, {
  id: 'post-change-pte-removal',
  title: '.change_pte() and set_pte_at_notify() removed',
  releases: { first: 'v6.10', last: 'v6.12' },
  commits: [
    'f3b65bbaed7c ("KVM: delete .change_pte MMU notifier callback")',
    '997308f9ae72 ("mmu_notifier: remove the .change_pte() callback")',
    'f7842747d13d ("mm: replace set_pte_at_notify() with just set_pte_at()")',
  ],
});
