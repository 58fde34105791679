// Every mainline release mmutt models, oldest first: from v2.6.27 (cddb8a5c14aa
// "mmu-notifiers: core" and KVM's first notifier, e930bffe95e1) to the newest release the
// kernel sources available here show.
const range = (prefix: string, from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);

export const RELEASES: readonly string[] = [
  ...range('v2.6.', 27, 39),
  ...range('v3.', 0, 19),
  ...range('v4.', 0, 20),
  ...range('v5.', 0, 19),
  ...range('v6.', 0, 19),
  'v7.0',
];

/**
 * v7.0 is the newest: a stored 7.0.1 -> 7.0.2 stable diff of the top-level Makefile
 * (VERSION = 7, PATCHLEVEL = 0) exists, so v7.0 was released. For v7.1 only news pages about
 * its -rc releases and one blog were found: it is not modelled until its source is seen.
 */
export const NEWEST = 'v7.0 is the newest release whose kernel source is here (a 7.0.1 -> 7.0.2 stable diff of the Makefile); no source of v7.1 was found';
