// Generated valid scenarios over every operation, for the self-checks (test/selfcheck.test.ts)
// and the reduction check (test/reduction.test.ts).
import fc from 'fast-check';

const Q = 'qemu:0x7f0000000000';
const Q2 = 'qemu:0x7f0000001000';
const guestOp = fc.constantFrom('r1 = read(gfn 0x100)', 'r2 = read(gfn 0x101)', 'write(gfn 0x100, 0x51)', 'write(gfn 0x101, 0x52)');
const qemuOp = fc.constantFrom(
  'write(0x7f0000000000, 0x61)',
  'r3 = read(0x7f0000001000)',
  'swap_in(0x7f0000000000)',
  'madvise(0x7f0000000000, 1, MADV_FREE)',
  'madvise(0x7f0000001000, 1, MADV_DONTNEED)',
  'numa_hint(0x7f0000000000, 2)',
  'mprotect(0x500000, 1, ro)',
  'write(0x500000, 0x62)',
  'fork(child)',
);
const kernelOp = fc.constantFrom(
  `ksm_merge(other:0x400000, ${Q})`,
  `reclaim(${Q})`,
  `reclaim(${Q2})`,
  `age(${Q})`,
  `migrate(${Q2})`,
  `idle_age(${Q})`,
  `test_young(${Q2})`,
  'writeback(qemu:0x500000)',
  'reclaim(child:0x7f0000000000)',
  'migrate(child:0x7f0000001000)',
);
const childOp = fc.constantFrom('r4 = read(0x7f0000000000)', 'write(0x7f0000001000, 0x71)', 'write(0x500000, 0x72)', 'madvise(0x7f0000000000, 2, MADV_DONTNEED)');

/**
 * Scenarios over every operation, with a fork child that has threads of its own and processes
 * that exit: the classes of state the invariants (src/engine/sanity.ts) are about.
 */
export const scenario = fc
  .record({
    ad: fc.boolean(),
    touched: fc.subarray(['vcpu0 read gfn 0x100', 'vcpu0 write gfn 0x101 = 0x41']),
    vcpu: fc.array(guestOp, { minLength: 1, maxLength: 2 }),
    qemu: fc.array(qemuOp, { maxLength: 2 }),
    qemuExits: fc.boolean(),
    kthread: fc.array(kernelOp, { maxLength: 2 }),
    child: fc.array(childOp, { maxLength: 2 }),
    childExits: fc.boolean(),
  })
  .map((g) => {
    const qemu: string[] = [...new Set(g.qemu)];
    const forks = qemu.includes('fork(child)');
    const child = forks ? [...new Set(g.child), ...(g.childExits ? ['exit()'] : [])] : [];
    if (g.qemuExits) qemu.push('exit()');
    return `mmutt generated "a generated scenario"
{
  proc qemu: vma 0x7f0000000000 +2 anon private rw mergeable, vma 0x500000 +1 file shared
  proc other: vma 0x400000 +1 anon private rw mergeable
  proc child: child of qemu
  mem qemu:0x7f0000000000 = 0xaa ; mem qemu:0x7f0000001000 = 0xbb ; mem other:0x400000 = 0xaa ; mem qemu:0x500000 = 0xcc
  vm slot0: gfn 0x100 +2 -> qemu:0x7f0000000000
  ${g.touched.length ? `touched: ${g.touched.join(', ')}` : ''}
  options: ept_ad = ${g.ad ? 'on' : 'off'}
}
vcpu0 { ${g.vcpu.join('; ')} }
${qemu.length ? `qemu { ${qemu.join('; ')} }` : ''}
${child.length ? `child { ${child.join('; ')} }` : ''}
${g.kthread.length ? `kswapd { ${g.kthread.join('; ')} }` : ''}
`;
  });
