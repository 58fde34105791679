import { PAGE_SIZE } from '../contract/output.js';
import { ScenarioError } from '../errors.js';
import type { Cond, HostAddr, Observable, Pos, Scenario, ThreadDecl } from '../contract/scenario.js';

/** Page contents live in 32-bit state slots. */
export const MAX_CONTENT = 0x7fffffff;

/** Limits that keep the machine state small enough to explore (docs/scenario-language.md). */
export const LIMITS = { pages: 64, threads: 8, opsPerThread: 64, procs: 8, vcpus: 4 };

/** Semantic checks after parsing: every name resolves, every address is mapped. */
export function validate(s: Scenario): void {
  const fail = (pos: Pos, msg: string): never => {
    throw new ScenarioError(s.file, pos, msg);
  };

  const procs = new Map<string, Scenario['procs'][number]>();
  let totalPages = 0;
  for (const p of s.procs) {
    if (procs.has(p.name)) fail(p.pos, `process \`${p.name}\` is declared twice`);
    if (procs.size >= LIMITS.procs) fail(p.pos, `too many processes: at most ${LIMITS.procs}`);
    procs.set(p.name, p);
    const sorted = [...p.vmas].sort((a, b) => a.start - b.start);
    for (const v of p.vmas) {
      if (v.start % PAGE_SIZE !== 0) fail(v.pos, `vma start 0x${v.start.toString(16)} is not page aligned: expected a multiple of 0x${PAGE_SIZE.toString(16)}`);
      if (v.pages < 1) fail(v.pos, 'vma size must be at least 1 page');
      totalPages += v.pages;
      if (totalPages > LIMITS.pages) fail(v.pos, `too many pages: at most ${LIMITS.pages} pages in all vmas`);
    }
    for (let k = 1; k < sorted.length; k++) {
      const a = sorted[k - 1]!;
      const b = sorted[k]!;
      if (a.start + a.pages * PAGE_SIZE > b.start) fail(b.pos, `vma at 0x${b.start.toString(16)} overlaps the vma at 0x${a.start.toString(16)}`);
    }
  }

  for (const p of s.procs) {
    if (p.childOf === undefined) continue;
    const parent = procs.get(p.childOf);
    if (!parent) fail(p.pos, `undefined parent process \`${p.childOf}\``);
    if (parent!.childOf !== undefined) fail(p.pos, `\`${p.childOf}\` is itself a fork child: one generation is modelled`);
    totalPages += parent!.vmas.reduce((n, v) => n + v.pages, 0);
    if (totalPages > LIMITS.pages) fail(p.pos, `too many pages: at most ${LIMITS.pages} pages in all vmas`);
  }
  const vmasOf = (p: Scenario['procs'][number]) => (p.childOf !== undefined ? procs.get(p.childOf)!.vmas : p.vmas);
  const vmaOf = (at: HostAddr) => {
    const p = procs.get(at.proc);
    if (!p) fail(at.pos, `undefined process \`${at.proc}\`: expected one of ${[...procs.keys()].join(', ') || '(none declared)'}`);
    const v = vmasOf(p!).find((m) => at.addr >= m.start && at.addr < m.start + m.pages * PAGE_SIZE);
    if (!v) fail(at.pos, `address 0x${at.addr.toString(16)} is not in any vma of \`${at.proc}\``);
    if (at.addr % PAGE_SIZE !== 0) fail(at.pos, `address 0x${at.addr.toString(16)} is not page aligned: mmutt models whole pages`);
    return v!;
  };

  const seenMem = new Set<string>();
  for (const m of s.mem) {
    vmaOf(m.at);
    if (procs.get(m.at.proc)!.childOf !== undefined) fail(m.at.pos, `\`${m.at.proc}\` is a fork child: its memory comes from fork()`);
    const key = `${m.at.proc}:${m.at.addr}`;
    if (seenMem.has(key)) fail(m.at.pos, `the content of ${m.at.proc}:0x${m.at.addr.toString(16)} is given twice`);
    seenMem.add(key);
    if (m.value === 0) fail(m.at.pos, 'content 0 means "never written" (the zero page): expected a non-zero value');
    if (m.value > MAX_CONTENT) fail(m.at.pos, `page content 0x${m.value.toString(16)} is too large: expected at most 0x7fffffff`);
  }

  // One VM, owned by one process (kvm->mm); its memslots must not overlap.
  let vmProc: string | undefined;
  const slots = [...s.slots].sort((a, b) => a.gfn - b.gfn);
  for (const sl of s.slots) {
    vmaOf(sl.target);
    if (sl.pages < 1) fail(sl.pos, 'memslot size must be at least 1 page');
    const last: HostAddr = { ...sl.target, addr: sl.target.addr + (sl.pages - 1) * PAGE_SIZE };
    const v0 = vmaOf(sl.target);
    if (vmaOf(last) !== v0) fail(sl.pos, 'a memslot must map pages of a single vma');
    if (procs.get(sl.target.proc)!.childOf !== undefined) fail(sl.target.pos, 'a memslot maps memory of a process that exists from the start, not a fork child');
    if (vmProc === undefined) vmProc = sl.target.proc;
    else if (vmProc !== sl.target.proc) fail(sl.target.pos, `all memslots belong to one VM, whose memory is in \`${vmProc}\`: expected \`${vmProc}:...\``);
  }
  for (let k = 1; k < slots.length; k++) {
    const a = slots[k - 1]!;
    const b = slots[k]!;
    if (a.gfn + a.pages > b.gfn) fail(b.pos, `memslot \`${b.name}\` overlaps memslot \`${a.name}\``);
  }
  const slotOf = (gfn: number, pos: Pos) => {
    const sl = s.slots.find((m) => gfn >= m.gfn && gfn < m.gfn + m.pages);
    if (!sl) fail(pos, `gfn 0x${gfn.toString(16)} is outside every memslot`);
    return sl!;
  };

  for (const t of s.touched) {
    if (!/^vcpu[0-9]+$/.test(t.vcpu)) fail(t.pos, `\`${t.vcpu}\` is not a vCPU: expected vcpu0, vcpu1, ...`);
    if ((t.value ?? 0) > MAX_CONTENT) fail(t.pos, 'the value written is too large: expected at most 0x7fffffff');
    slotOf(t.gfn, t.pos);
  }

  const threads = new Map<string, ThreadDecl>();
  const forked = new Set<string>();
  const vcpus = new Set<string>(s.touched.map((t) => t.vcpu));
  for (const t of s.threads) {
    if (threads.has(t.name)) fail(t.pos, `thread \`${t.name}\` is declared twice`);
    if (threads.size >= LIMITS.threads) fail(t.pos, `too many threads: at most ${LIMITS.threads}`);
    threads.set(t.name, t);
    if (t.ops.length > LIMITS.opsPerThread) fail(t.ops[LIMITS.opsPerThread]!.pos, `too many operations in thread \`${t.name}\`: at most ${LIMITS.opsPerThread}`);
    if (/^vcpu[0-9]+$/.test(t.name)) {
      t.kind = 'vcpu';
      if (t.proc !== undefined) fail(t.pos, 'a vCPU runs in the VM: expected no `(proc)` after a vCPU name');
      if (s.slots.length === 0) fail(t.pos, `vCPU thread \`${t.name}\` needs a VM: expected a \`vm\` memslot in the initial state`);
      vcpus.add(t.name);
    } else if (t.proc !== undefined || procs.has(t.name)) {
      t.kind = 'user';
      t.proc ??= t.name;
      if (!procs.has(t.proc)) fail(t.pos, `undefined process \`${t.proc}\` for thread \`${t.name}\``);
    } else {
      t.kind = 'kernel';
    }
    const own = (at: HostAddr, what: string) => {
      if (t.kind !== 'user') fail(at.pos, `${what} is done by a process on itself: expected it in a thread of a process (\`${t.name}\` is a ${t.kind === 'vcpu' ? 'vCPU' : 'kernel thread'})`);
      if (at.proc === '') at.proc = t.proc!;
      else if (at.proc !== t.proc) fail(at.pos, `thread \`${t.name}\` runs in \`${t.proc}\`: expected an address of \`${t.proc}\``);
      return vmaOf(at);
    };
    const kernel = (at: HostAddr, what: string, pos: Pos) => {
      if (t.kind !== 'kernel') fail(pos, `${what} is done by a kernel thread: expected it in one (for example \`kswapd { ... }\`), not in \`${t.name}\``);
      if (at.proc === '') fail(at.pos, `a kernel thread names the process: expected \`proc:address\``);
      return vmaOf(at);
    };
    const wholeRange = (at: HostAddr, n: number, whole: boolean) => {
      const v = vmaOf(at);
      if (n < 1) fail(at.pos, 'the range must be at least 1 page');
      if (at.addr + n * PAGE_SIZE > v.start + v.pages * PAGE_SIZE) fail(at.pos, 'the range runs past the end of the vma');
      if (whole && (at.addr !== v.start || n !== v.pages)) fail(at.pos, `only whole vmas are modelled here: expected ${at.proc}:0x${v.start.toString(16)} and ${v.pages} pages`);
    };
    for (const op of t.ops) {
      switch (op.kind) {
        case 'guest-read':
        case 'guest-write':
          if (op.kind === 'guest-write' && op.value > MAX_CONTENT) fail(op.pos, 'the value written is too large: expected at most 0x7fffffff');
          if (t.kind !== 'vcpu') fail(op.pos, `\`gfn\` accesses are guest accesses: expected them in a vCPU thread, not in \`${t.name}\``);
          slotOf(op.gfn, op.pos);
          break;
        case 'host-read':
        case 'host-write':
          if (op.kind === 'host-write' && op.value > MAX_CONTENT) fail(op.pos, 'the value written is too large: expected at most 0x7fffffff');
          if (t.kind === 'vcpu') fail(op.pos, 'a vCPU accesses guest memory: expected `gfn N`');
          own(op.at, 'a user access');
          break;
        case 'swap-in':
          own(op.at, 'swap_in (a user access that faults the page in)');
          break;
        case 'ksm-merge': {
          for (const at of [op.keep, op.replace]) {
            kernel(at, 'ksm_merge', op.pos);
            if (!vmaOf(at).mergeable) fail(at.pos, `${at.proc}:0x${at.addr.toString(16)} is not in a \`mergeable\` vma (madvise(MADV_MERGEABLE))`);
          }
          if (op.keep.proc === op.replace.proc && op.keep.addr === op.replace.addr) fail(op.replace.pos, 'ksm_merge needs two different pages');
          break;
        }
        case 'fork': {
          if (t.kind !== 'user') fail(op.pos, 'fork is done by a process: expected it in a thread of a process');
          const c = procs.get(op.child);
          if (!c || c.childOf !== t.proc) fail(op.pos, `fork needs a child declared as \`proc ${op.child}: child of ${t.proc}\``);
          if (forked.has(op.child)) fail(op.pos, `\`${op.child}\` is forked twice`);
          forked.add(op.child);
          break;
        }
        case 'exit':
          if (t.kind !== 'user') fail(op.pos, 'exit is done by a process: expected it in a thread of a process');
          break;
        case 'reclaim':
        case 'migrate':
          kernel(op.at, op.kind, op.pos);
          break;
        case 'writeback':
          if (kernel(op.at, 'writeback', op.pos).anon) fail(op.at.pos, 'writeback writes page-cache pages: expected an address in a `file` vma');
          break;
        case 'age':
        case 'idle-age':
        case 'test-young':
          kernel(op.at, op.kind.replace('-', '_'), op.pos);
          break;
        case 'madvise':
          own(op.at, 'madvise');
          wholeRange(op.at, op.pages, false);
          break;
        case 'munmap':
        case 'mprotect':
          own(op.at, op.kind);
          wholeRange(op.at, op.pages, true);
          break;
        case 'numa-hint':
          own(op.at, 'numa_hint (task_numa_work runs in the task)');
          wholeRange(op.at, op.pages, false);
          break;
      }
    }
  }
  // A fork child's threads run once its parent has forked it (docs/scenario-language.md).
  const forker = new Map<string, string>();
  for (const t of s.threads) for (const op of t.ops) if (op.kind === 'fork') forker.set(op.child, t.name);
  for (const t of s.threads) {
    const p = t.proc === undefined ? undefined : procs.get(t.proc);
    if (p?.childOf !== undefined && !forker.has(p.name)) {
      fail(t.pos, `thread \`${t.name}\` runs in \`${p.name}\`, a fork child that no thread forks: expected \`fork(${p.name})\` in a thread of \`${p.childOf}\``);
    }
    const exit = t.ops.findIndex((o) => o.kind === 'exit');
    if (exit >= 0 && exit !== t.ops.length - 1) fail(t.ops[exit + 1]!.pos, `exit() ends thread \`${t.name}\`: expected nothing after it`);
  }
  /** What a thread waits for before it starts: the threads it names with `after`, and the thread that forks its process. */
  const waitsFor = (t: ThreadDecl) => [...t.after, ...(t.proc !== undefined && forker.has(t.proc) ? [forker.get(t.proc)!] : [])];
  for (const t of s.threads) {
    for (const a of t.after) {
      if (!threads.has(a)) fail(t.pos, `thread \`${t.name}\` starts after \`${a}\`, which is not a thread`);
      if (a === t.name) fail(t.pos, `thread \`${t.name}\` cannot start after itself`);
    }
  }
  // `after` must not close a cycle: every thread could never start.
  const order = new Map<string, number>();
  const visit = (name: string, depth: number): number => {
    if (depth > s.threads.length) fail(threads.get(name)!.pos, `\`after\` makes a cycle through thread \`${name}\` (a fork child's threads also wait for the thread that forks it)`);
    if (order.has(name)) return order.get(name)!;
    const d = Math.max(0, ...waitsFor(threads.get(name)!).filter((a) => a !== name).map((a) => visit(a, depth + 1) + 1));
    order.set(name, d);
    return d;
  };
  for (const t of s.threads) visit(t.name, 0);
  if (vcpus.size > LIMITS.vcpus) fail(s.threads[0]?.pos ?? { line: 1, col: 1 }, `too many vCPUs: at most ${LIMITS.vcpus}`);

  const regsOf = (thread: string) => new Set((threads.get(thread)?.ops ?? []).flatMap((o) => ('reg' in o && o.reg !== undefined ? [o.reg] : [])));
  const checkObs = (o: Observable, pos: Pos) => {
    switch (o.kind) {
      case 'reg':
        if (!threads.has(o.thread)) fail(pos, `undefined thread \`${o.thread}\`: expected one of ${[...threads.keys()].join(', ')}`);
        if (!regsOf(o.thread).has(o.reg)) fail(pos, `thread \`${o.thread}\` never sets register \`${o.reg}\``);
        break;
      case 'mem':
      case 'folio':
      case 'disk':
        vmaOf(o.at);
        break;
      case 'gfn':
      case 'spte':
        slotOf(o.gfn, pos);
        break;
      case 'counter':
      case 'violation':
        break;
    }
  };
  const checkCond = (c: Cond) => {
    if (c.kind === 'cmp') checkObs(c.left, c.pos);
    else if (c.kind === 'and' || c.kind === 'or') {
      checkCond(c.left);
      checkCond(c.right);
    } else if (c.kind === 'not') checkCond(c.arg);
  };
  for (const o of s.observe) checkObs(o.obs, o.pos);
  if (s.condition) checkCond(s.condition.cond);
  for (const e of s.expect) checkCond(e.cond);
  for (const r of s.results) {
    if (!s.condition) fail(r.pos, 'a `result` line is the verdict of the condition: expected an `exists`, `~exists` or `forall` line');
    if (s.results.some((x) => x !== r && x.era === r.era)) fail(r.eraPos, `two \`result\` lines for era \`${r.era}\``);
  }
}
