import { PAGE_SIZE } from '../contract/output.js';
import { ScenarioError } from '../errors.js';
import type { Cond, HostAddr, Observable, Pos, Scenario, ThreadDecl } from '../contract/scenario.js';

/** Page contents live in 32-bit state slots. */
export const MAX_CONTENT = 0x7fffffff;

/** Limits that keep the machine state small enough to explore (docs/scenario-language.md). */
export const LIMITS = { pages: 64, threads: 8, opsPerThread: 64, procs: 8, vcpus: 4 };

/** Semantic checks after parsing: every name resolves, every address is mapped. The first problem found is thrown, at its place. */
export function validate(s: Scenario): void {
  new Checks(s).all();
}

type Proc = Scenario['procs'][number];

/** The checks, in the order they run; what an earlier one learnt (the processes, the threads) later ones use. */
class Checks {
  private readonly procs = new Map<string, Proc>();
  private readonly threads = new Map<string, ThreadDecl>();
  private readonly vcpus: Set<string>;
  /** Children a `fork` has named so far. */
  private readonly forked = new Set<string>();
  private totalPages = 0;

  constructor(private readonly s: Scenario) {
    this.vcpus = new Set<string>(s.touched.flatMap((t) => (t.gfn !== undefined ? [t.by] : [])));
  }

  all(): void {
    this.processes();
    this.forkChildren();
    this.memory();
    this.memslots();
    this.touched();
    for (const t of this.s.threads) this.thread(t);
    this.startOrder();
    this.observations();
  }

  private fail(pos: Pos, msg: string): never {
    throw new ScenarioError(this.s.file, pos, msg);
  }

  /** Each process once, within the limits; its vmas page aligned, within the page limit, not overlapping. */
  private processes(): void {
    for (const p of this.s.procs) {
      if (this.procs.has(p.name)) this.fail(p.pos, `process \`${p.name}\` is declared twice`);
      if (this.procs.size >= LIMITS.procs) this.fail(p.pos, `too many processes: at most ${LIMITS.procs}`);
      this.procs.set(p.name, p);
      for (const v of p.vmas) {
        if (v.start % PAGE_SIZE !== 0) this.fail(v.pos, `vma start 0x${v.start.toString(16)} is not page aligned: expected a multiple of 0x${PAGE_SIZE.toString(16)}`);
        if (v.pages < 1) this.fail(v.pos, 'vma size must be at least 1 page');
        this.totalPages += v.pages;
        if (this.totalPages > LIMITS.pages) this.fail(v.pos, `too many pages: at most ${LIMITS.pages} pages in all vmas`);
      }
      const sorted = [...p.vmas].sort((a, b) => a.start - b.start);
      for (let k = 1; k < sorted.length; k++) {
        const a = sorted[k - 1]!;
        const b = sorted[k]!;
        if (a.start + a.pages * PAGE_SIZE > b.start) this.fail(b.pos, `vma at 0x${b.start.toString(16)} overlaps the vma at 0x${a.start.toString(16)}`);
      }
    }
  }

  /** A fork child's parent exists and is no child itself; the child's copy of its vmas counts in the page limit. */
  private forkChildren(): void {
    for (const p of this.s.procs) {
      if (p.childOf === undefined) continue;
      const parent = this.procs.get(p.childOf);
      if (!parent) this.fail(p.pos, `undefined parent process \`${p.childOf}\``);
      if (parent.childOf !== undefined) this.fail(p.pos, `\`${p.childOf}\` is itself a fork child: one generation is modelled`);
      this.totalPages += parent.vmas.reduce((n, v) => n + v.pages, 0);
      if (this.totalPages > LIMITS.pages) this.fail(p.pos, `too many pages: at most ${LIMITS.pages} pages in all vmas`);
    }
  }

  /** The vma of a process that holds a page-aligned address. */
  private vmaOf(at: HostAddr): Proc['vmas'][number] {
    const p = this.procs.get(at.proc);
    if (!p) this.fail(at.pos, `undefined process \`${at.proc}\`: expected one of ${[...this.procs.keys()].join(', ') || '(none declared)'}`);
    const vmas = p.childOf !== undefined ? this.procs.get(p.childOf)!.vmas : p.vmas;
    const v = vmas.find((m) => at.addr >= m.start && at.addr < m.start + m.pages * PAGE_SIZE);
    if (!v) this.fail(at.pos, `address 0x${at.addr.toString(16)} is not in any vma of \`${at.proc}\``);
    if (at.addr % PAGE_SIZE !== 0) this.fail(at.pos, `address 0x${at.addr.toString(16)} is not page aligned: mmutt models whole pages`);
    return v;
  }

  /** The memslot that holds a gfn. */
  private slotOf(gfn: number, pos: Pos): Scenario['slots'][number] {
    const sl = this.s.slots.find((m) => gfn >= m.gfn && gfn < m.gfn + m.pages);
    if (!sl) this.fail(pos, `gfn 0x${gfn.toString(16)} is outside every memslot`);
    return sl;
  }

  /** The initial contents: mapped, of a process that exists from the start, once each, non-zero and in range. */
  private memory(): void {
    const seen = new Set<string>();
    for (const m of this.s.mem) {
      this.vmaOf(m.at);
      if (this.procs.get(m.at.proc)!.childOf !== undefined) this.fail(m.at.pos, `\`${m.at.proc}\` is a fork child: its memory comes from fork()`);
      const key = `${m.at.proc}:${m.at.addr}`;
      if (seen.has(key)) this.fail(m.at.pos, `the content of ${m.at.proc}:0x${m.at.addr.toString(16)} is given twice`);
      seen.add(key);
      if (m.value === 0) this.fail(m.at.pos, 'content 0 means "never written" (the zero page): expected a non-zero value');
      if (m.value > MAX_CONTENT) this.fail(m.at.pos, `page content 0x${m.value.toString(16)} is too large: expected at most 0x7fffffff`);
    }
  }

  /** One VM, owned by one process (kvm->mm); each memslot maps pages of one vma; memslots do not overlap. */
  private memslots(): void {
    let vmProc: string | undefined;
    for (const sl of this.s.slots) {
      if (this.s.options.arch === 'arm64') this.fail(sl.pos, 'KVM is modelled on x86 (Intel EPT) only: a scenario with `arch = arm64` has no `vm`');
      this.vmaOf(sl.target);
      if (sl.pages < 1) this.fail(sl.pos, 'memslot size must be at least 1 page');
      const last: HostAddr = { ...sl.target, addr: sl.target.addr + (sl.pages - 1) * PAGE_SIZE };
      if (this.vmaOf(last) !== this.vmaOf(sl.target)) this.fail(sl.pos, 'a memslot must map pages of a single vma');
      if (this.procs.get(sl.target.proc)!.childOf !== undefined) this.fail(sl.target.pos, 'a memslot maps memory of a process that exists from the start, not a fork child');
      if (vmProc === undefined) vmProc = sl.target.proc;
      else if (vmProc !== sl.target.proc) this.fail(sl.target.pos, `all memslots belong to one VM, whose memory is in \`${vmProc}\`: expected \`${vmProc}:...\``);
    }
    const slots = [...this.s.slots].sort((a, b) => a.gfn - b.gfn);
    for (let k = 1; k < slots.length; k++) {
      const a = slots[k - 1]!;
      const b = slots[k]!;
      if (a.gfn + a.pages > b.gfn) this.fail(b.pos, `memslot \`${b.name}\` overlaps memslot \`${a.name}\``);
    }
  }

  /** The accesses before the threads start: a vCPU's to a gfn of a memslot, a device's to an address of the process it is bound to. */
  private touched(): void {
    for (const t of this.s.touched) {
      if ((t.value ?? 0) > MAX_CONTENT) this.fail(t.pos, 'the value written is too large: expected at most 0x7fffffff');
      if (/^dev[0-9]+$/.test(t.by)) {
        const dev = this.s.threads.find((x) => x.name === t.by);
        if (!dev || dev.proc === undefined) this.fail(t.pos, `device \`${t.by}\` needs a thread that binds it: expected \`${t.by}(proc) { ... }\``);
        if (t.at === undefined) this.fail(t.pos, 'a device accesses an address of its process: expected `proc:address`, not a gfn');
        if (t.at!.proc === '') t.at!.proc = dev!.proc!;
        else if (t.at!.proc !== dev!.proc) this.fail(t.at!.pos, `device \`${t.by}\` is bound to \`${dev!.proc}\`: expected an address of \`${dev!.proc}\``);
        this.vmaOf(t.at!);
        continue;
      }
      if (!/^vcpu[0-9]+$/.test(t.by)) this.fail(t.pos, `\`${t.by}\` is neither a vCPU nor a device: expected vcpu0, vcpu1, ... or dev0, dev1, ...`);
      if (t.gfn === undefined) this.fail(t.pos, 'a vCPU accesses guest memory: expected `gfn N`');
      this.slotOf(t.gfn!, t.pos);
    }
  }

  /** A thread: declared once, within the limits, of its kind (vCPU, device, process thread or kernel thread); each operation where that kind may do it. */
  private thread(t: ThreadDecl): void {
    if (this.threads.has(t.name)) this.fail(t.pos, `thread \`${t.name}\` is declared twice`);
    if (this.threads.size >= LIMITS.threads) this.fail(t.pos, `too many threads: at most ${LIMITS.threads}`);
    this.threads.set(t.name, t);
    if (t.ops.length > LIMITS.opsPerThread) this.fail(t.ops[LIMITS.opsPerThread]!.pos, `too many operations in thread \`${t.name}\`: at most ${LIMITS.opsPerThread}`);
    if (/^vcpu[0-9]+$/.test(t.name)) {
      t.kind = 'vcpu';
      if (t.proc !== undefined) this.fail(t.pos, 'a vCPU runs in the VM: expected no `(proc)` after a vCPU name');
      if (this.s.slots.length === 0) this.fail(t.pos, `vCPU thread \`${t.name}\` needs a VM: expected a \`vm\` memslot in the initial state`);
      this.vcpus.add(t.name);
    } else if (/^dev[0-9]+$/.test(t.name)) {
      // A device bound to a process's mm (SVA: its IOMMU translates the process's addresses).
      t.kind = 'device';
      if (t.proc === undefined) this.fail(t.pos, `a device is bound to a process: expected \`${t.name}(proc)\``);
      if (!this.procs.has(t.proc)) this.fail(t.pos, `undefined process \`${t.proc}\` for device \`${t.name}\``);
      if (this.procs.get(t.proc)!.childOf !== undefined) this.fail(t.pos, `a device is bound to a process the scenario starts with: \`${t.proc}\` is a fork child`);
    } else if (t.proc !== undefined || this.procs.has(t.name)) {
      t.kind = 'user';
      t.proc ??= t.name;
      if (!this.procs.has(t.proc)) this.fail(t.pos, `undefined process \`${t.proc}\` for thread \`${t.name}\``);
    } else {
      t.kind = 'kernel';
    }
    for (const op of t.ops) this.op(t, op);
  }

  /** An address a process thread's operation names: its own process's (the process may be left out). */
  private own(t: ThreadDecl, at: HostAddr, what: string): Proc['vmas'][number] {
    if (t.kind !== 'user') this.fail(at.pos, `${what} is done by a process on itself: expected it in a thread of a process (\`${t.name}\` is a ${{ vcpu: 'vCPU', device: 'device', kernel: 'kernel thread', user: 'process thread' }[t.kind]})`);
    if (at.proc === '') at.proc = t.proc!;
    else if (at.proc !== t.proc) this.fail(at.pos, `thread \`${t.name}\` runs in \`${t.proc}\`: expected an address of \`${t.proc}\``);
    return this.vmaOf(at);
  }

  /** An address a kernel thread's operation names: with its process. */
  private kernel(t: ThreadDecl, at: HostAddr, what: string, pos: Pos): Proc['vmas'][number] {
    if (t.kind !== 'kernel') this.fail(pos, `${what} is done by a kernel thread: expected it in one (for example \`kswapd { ... }\`), not in \`${t.name}\``);
    if (at.proc === '') this.fail(at.pos, `a kernel thread names the process: expected \`proc:address\``);
    return this.vmaOf(at);
  }

  /** A range of pages from an address: inside its vma; `whole`: the whole vma (munmap, mprotect). */
  private range(at: HostAddr, n: number, whole: boolean): void {
    const v = this.vmaOf(at);
    if (n < 1) this.fail(at.pos, 'the range must be at least 1 page');
    if (at.addr + n * PAGE_SIZE > v.start + v.pages * PAGE_SIZE) this.fail(at.pos, 'the range runs past the end of the vma');
    if (whole && (at.addr !== v.start || n !== v.pages)) this.fail(at.pos, `only whole vmas are modelled here: expected ${at.proc}:0x${v.start.toString(16)} and ${v.pages} pages`);
  }

  private op(t: ThreadDecl, op: ThreadDecl['ops'][number]): void {
    switch (op.kind) {
      case 'guest-read':
      case 'guest-write':
        if (op.kind === 'guest-write' && op.value > MAX_CONTENT) this.fail(op.pos, 'the value written is too large: expected at most 0x7fffffff');
        if (t.kind !== 'vcpu') this.fail(op.pos, `\`gfn\` accesses are guest accesses: expected them in a vCPU thread, not in \`${t.name}\``);
        this.slotOf(op.gfn, op.pos);
        return;
      case 'host-read':
      case 'host-write':
        if (op.kind === 'host-write' && op.value > MAX_CONTENT) this.fail(op.pos, 'the value written is too large: expected at most 0x7fffffff');
        if (t.kind === 'vcpu') this.fail(op.pos, 'a vCPU accesses guest memory: expected `gfn N`');
        if (t.kind === 'device') {
          if (op.at.proc === '') op.at.proc = t.proc!;
          else if (op.at.proc !== t.proc) this.fail(op.at.pos, `device \`${t.name}\` is bound to \`${t.proc}\`: expected an address of \`${t.proc}\``);
          this.vmaOf(op.at);
          return;
        }
        this.own(t, op.at, 'a user access');
        return;
      case 'swap-in':
        this.own(t, op.at, 'swap_in (a user access that faults the page in)');
        return;
      case 'ksm-merge':
        for (const at of [op.keep, op.replace]) {
          this.kernel(t, at, 'ksm_merge', op.pos);
          if (!this.vmaOf(at).mergeable) this.fail(at.pos, `${at.proc}:0x${at.addr.toString(16)} is not in a \`mergeable\` vma (madvise(MADV_MERGEABLE))`);
        }
        if (op.keep.proc === op.replace.proc && op.keep.addr === op.replace.addr) this.fail(op.replace.pos, 'ksm_merge needs two different pages');
        return;
      case 'fork': {
        if (t.kind !== 'user') this.fail(op.pos, 'fork is done by a process: expected it in a thread of a process');
        const c = this.procs.get(op.child);
        if (!c || c.childOf !== t.proc) this.fail(op.pos, `fork needs a child declared as \`proc ${op.child}: child of ${t.proc}\``);
        if (this.forked.has(op.child)) this.fail(op.pos, `\`${op.child}\` is forked twice`);
        this.forked.add(op.child);
        return;
      }
      case 'exit':
        if (t.kind !== 'user') this.fail(op.pos, 'exit is done by a process: expected it in a thread of a process');
        return;
      case 'reclaim':
      case 'migrate':
        this.kernel(t, op.at, op.kind, op.pos);
        return;
      case 'writeback':
        if (this.kernel(t, op.at, 'writeback', op.pos).anon) this.fail(op.at.pos, 'writeback writes page-cache pages: expected an address in a `file` vma');
        return;
      case 'age':
      case 'idle-age':
      case 'test-young':
        this.kernel(t, op.at, op.kind.replace('-', '_'), op.pos);
        return;
      case 'madvise':
        this.own(t, op.at, 'madvise');
        this.range(op.at, op.pages, false);
        return;
      case 'munmap':
      case 'mprotect':
        this.own(t, op.at, op.kind);
        this.range(op.at, op.pages, true);
        return;
      case 'numa-hint':
        this.own(t, op.at, 'numa_hint (task_numa_work runs in the task)');
        this.range(op.at, op.pages, false);
        return;
      case 'oom-reap': {
        if (t.kind !== 'kernel') this.fail(op.pos, `oom_reap is done by a kernel thread: expected it in one (for example \`oom_reaper { ... }\`), not in \`${t.name}\``);
        const p = this.procs.get(op.proc);
        if (!p) this.fail(op.pos, `undefined process \`${op.proc}\` for oom_reap`);
        if (p!.childOf !== undefined) this.fail(op.pos, 'oom_reap reaps a process the scenario starts with, not a fork child');
        return;
      }
    }
  }

  /**
   * When threads may start: a fork child's threads once its parent has forked it
   * (docs/scenario-language.md), after the threads they name with `after`, never in a cycle;
   * exit() ends a thread.
   */
  private startOrder(): void {
    const { s, threads } = this;
    const forker = new Map<string, string>();
    for (const t of s.threads) for (const op of t.ops) if (op.kind === 'fork') forker.set(op.child, t.name);
    for (const t of s.threads) {
      const p = t.proc === undefined ? undefined : this.procs.get(t.proc);
      if (p?.childOf !== undefined && !forker.has(p.name)) {
        this.fail(t.pos, `thread \`${t.name}\` runs in \`${p.name}\`, a fork child that no thread forks: expected \`fork(${p.name})\` in a thread of \`${p.childOf}\``);
      }
      const exit = t.ops.findIndex((o) => o.kind === 'exit');
      if (exit >= 0 && exit !== t.ops.length - 1) this.fail(t.ops[exit + 1]!.pos, `exit() ends thread \`${t.name}\`: expected nothing after it`);
    }
    /** What a thread waits for before it starts: the threads it names with `after`, and the thread that forks its process. */
    const waitsFor = (t: ThreadDecl) => [...t.after, ...(t.proc !== undefined && forker.has(t.proc) ? [forker.get(t.proc)!] : [])];
    for (const t of s.threads) {
      for (const a of t.after) {
        if (!threads.has(a)) this.fail(t.pos, `thread \`${t.name}\` starts after \`${a}\`, which is not a thread`);
        if (a === t.name) this.fail(t.pos, `thread \`${t.name}\` cannot start after itself`);
      }
    }
    // `after` must not close a cycle: every thread could never start.
    const order = new Map<string, number>();
    const visit = (name: string, depth: number): number => {
      if (depth > s.threads.length) this.fail(threads.get(name)!.pos, `\`after\` makes a cycle through thread \`${name}\` (a fork child's threads also wait for the thread that forks it)`);
      if (order.has(name)) return order.get(name)!;
      const d = Math.max(0, ...waitsFor(threads.get(name)!).filter((a) => a !== name).map((a) => visit(a, depth + 1) + 1));
      order.set(name, d);
      return d;
    };
    for (const t of s.threads) visit(t.name, 0);
    if (this.vcpus.size > LIMITS.vcpus) this.fail(s.threads[0]?.pos ?? { line: 1, col: 1 }, `too many vCPUs: at most ${LIMITS.vcpus}`);
  }

  /** What the scenario observes, its condition, expect and result lines: every name resolves. */
  private observations(): void {
    const { s } = this;
    for (const o of s.observe) this.observable(o.obs, o.pos);
    if (s.condition) this.cond(s.condition.cond);
    for (const e of s.expect) this.cond(e.cond);
    for (const r of s.results) {
      if (!s.condition) this.fail(r.pos, 'a `result` line is the verdict of the condition: expected an `exists`, `~exists` or `forall` line');
      if (s.results.some((x) => x !== r && x.era === r.era)) this.fail(r.eraPos, `two \`result\` lines for era \`${r.era}\``);
    }
  }

  private observable(o: Observable, pos: Pos): void {
    switch (o.kind) {
      case 'reg': {
        if (!this.threads.has(o.thread)) this.fail(pos, `undefined thread \`${o.thread}\`: expected one of ${[...this.threads.keys()].join(', ')}`);
        const regs = new Set(this.threads.get(o.thread)!.ops.flatMap((x) => ('reg' in x && x.reg !== undefined ? [x.reg] : [])));
        if (!regs.has(o.reg)) this.fail(pos, `thread \`${o.thread}\` never sets register \`${o.reg}\``);
        return;
      }
      case 'mem':
      case 'folio':
      case 'disk':
        this.vmaOf(o.at);
        return;
      case 'gfn':
      case 'spte':
        this.slotOf(o.gfn, pos);
        return;
      case 'counter':
      case 'violation':
        return;
    }
  }

  private cond(c: Cond): void {
    if (c.kind === 'cmp') this.observable(c.left, c.pos);
    else if (c.kind === 'and' || c.kind === 'or') {
      this.cond(c.left);
      this.cond(c.right);
    } else if (c.kind === 'not') this.cond(c.arg);
  }
}
