// Where the kernel's own record was read for the history entries (../shared/history/sources.md).
// `readAt(release, ...)` names the repository and commit (or snapshot) that holds the code of a
// release, so an entry's evidence says where it was read without repeating the table.
import type { Read } from '../../src/contract/era.js';

/** Full mainline history up to v2.6.36 (mainline from v2.6.12-rc2, vendor commits on top). */
export const HISTORY_2636 = 'allwinner/linux-2.6.36';
/** Full mainline history up to v2.6.39.3. */
export const HISTORY_26393 = 'gpl-releases/linux-2.6.39.3';

/** Release commits ("Linux 2.6.N" in the top-level Makefile), in both history repositories. */
export const RELEASE_COMMITS: Readonly<Record<string, string>> = {
  'v2.6.27': '3fa8749e584b',
  'v2.6.28': '4a6908a3a050',
  'v2.6.29': '8e0ee43bc2c3',
  'v2.6.30': '07a2039b8eb0',
  'v2.6.31': '74fca6a42863',
  'v2.6.32': '22763c5cf369',
  'v2.6.33': '60b341b778cc',
  'v2.6.34': 'e40152ee1e1c',
  'v2.6.35': '9fe6206f4006',
  'v2.6.36': 'f6f94e2ab1b3',
  'v2.6.37': '3c0eee3fe6a3',
  'v2.6.38': '521cb40b0c44',
  'v2.6.39': '61c4f2c81c61',
};

/** One-commit snapshots of later releases, by the release they are of (a stable x.y.z is "no later than"). */
export const SNAPSHOTS: Readonly<Record<string, string>> = {
  'v3.5': '12thmantec/linux-3.5',
  'v3.6': 'liulijun-dev/linux-3.6',
  'v3.7.2': 'robacklin/linux-3.7.2',
  'v3.8.3': 'ronny1996/linux-3.8.3',
  'v3.14.1': 'nadavitay/linux-3.14.1',
  'v3.17': 'lexi6725/linux-3.17.0',
  'v3.18.30': 'jockyw2001/linux-3.18',
  'v3.19': 'monkeygq/linux-3.19',
  'v4.0': 'AlecJY/linux-4.0',
  'v4.2.8': 'zfruc/linux-4.2.0',
  'v4.3': 'YoungjaeLee/linux-4.3-cxlbdev',
  'v4.4.1': 'zanpocc/linux-4.4.1',
  'v4.5': 'arthur-lucena/linux-4.5-hw-so',
  'v4.6.2': 'xing393939/linux-4.6.2',
  'v4.7.4': 'calebwilliamsd/linux-4.7.4-casio',
  'v4.8.15': 'squirrel20/linux-4.8.15',
  'v4.9': 'lxuxx/linux-4.9',
  'v4.10': 'latelee/linux-4.10',
  'v4.11': 'HCLS/linux-4.11',
  'v4.12': 'jason50123/linux-4.12',
  'v4.13.4': 'shizukanaskytree/linux-4.13.4',
  'v4.15': 'ThomasLucas61/linux-4.15',
  'v4.19': '0x88888888/Linux-4.19',
  'v4.20': 'a4913994/linux-4.20',
  'v5.2.1': 'wangliang-cs/linux-5.2.1',
  'v5.3.1': 'github-lvbing/linux-5.3.1',
  'v5.4': 'jashawnyu/linux-5.4',
  'v5.6.4': 'shmily1012/linux-5.6.4',
  'v5.7.14': 'a5221985/linux-5.7.14',
  'v5.8.1': 'semwett0301/linux-5.8.1',
  'v5.9.1': 'ach84/linux-5.9.1',
  'v5.10': 'wqhot/linux-5.10',
  'v5.11': 'CompressionDuck/linux-5.11',
  'v5.12.9': 'zhangyinjun/linux-5.12.9',
  'v5.14-rc5': 'lsk-legends/linux-5.14',
  'v5.15': 'sndrzt/linux-5.15',
  'v5.17': 'dunli/linux-5.17',
  'v5.19': 'yishangzhang/linux-5.19',
  'v6.0': 'Dima-diep/linux-6.0',
  'v6.1-rc7': 'krr-io/linux-6.1.0',
  'v6.1.15': 'TeddyNight/linux-6.1',
  'v6.5': 'sndrzt/linux-6.5',
  'v6.8.1': 'sndrzt/linux-6.8',
  'v6.9': 'ec-jt/linux-6.9.0',
  'v6.11.11': 'segzix/linux-6.11.11',
  'v6.12': 'shilei-massclouds/linux-6.12',
  'v6.13.2': 'vivo50kff/linux-6.13.2',
  'v6.18.2': 'gfunkmonk/linux-6.18.2',
};

/**
 * The code of `release` as read: in a history repository at the release commit, or in the
 * release's snapshot.
 */
export function readAt(release: string, path: string, fn: string, saw: string): Read {
  const commit = RELEASE_COMMITS[release];
  if (commit) return { repo: release === 'v2.6.37' || release === 'v2.6.38' || release === 'v2.6.39' ? HISTORY_26393 : HISTORY_2636, at: commit, path, fn, saw };
  const repo = SNAPSHOTS[release];
  if (repo) return { repo, at: release, path, fn, saw };
  throw new Error(`internal: no source of ${release} is listed in eras/timeline/sources.ts`);
}

/** A commit read in a repository (the change itself, or a release commit not in the table). */
export const readIn = (repo: string, at: string, path: string, fn: string, saw: string): Read => ({ repo, at, path, fn, saw });

/** amd_iommu_v2, the first driver to bind a device to a process's mm: absent in a 3.2.0 tree, present in 3.3.8 (a new driver, not a stable backport). */
export const AMD_IOMMU_V2_ARRIVES: readonly Read[] = [
  readIn('fastbot3d/linux-3.2.0', '66c53d143c26', 'drivers/iommu/', 'amd_iommu_v2.c', 'absent'),
  readIn('ciminaghi/linux-3.3.8', 'ac941d2648df', 'drivers/iommu/amd_iommu_v2.c', 'iommu_mn', 'static struct mmu_notifier_ops iommu_mn = { .clear_flush_young, .change_pte, .invalidate_page, .invalidate_range_start, .invalidate_range_end } (l.464)'),
];
