// v4.13 – v6.9: invalidate_page is gone; every invalidation is a range bracket.
import { cutPoint } from '../src/era/derive.js';
import before from './post-6bdb913f0a70.js';
import timeline from './timeline/index.js';

export default cutPoint(timeline, before, {
  id: 'post-369ea8242c0f',
  title: 'invalidate_page removed: every invalidation is bracketed',
  releases: { first: 'v4.13', last: 'v6.9' },
  commits: [
    '369ea8242c0f ("mm/rmap: update to new mmu_notifier semantic v2")',
    '5f32b265400d ("mm/mmu_notifier: kill invalidate_page")',
    'fb1522e099f0 ("KVM: update to new mmu_notifier semantic v2")',
  ],
});
