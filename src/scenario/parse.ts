import { COUNTER_NAMES, VIOLATIONS } from '../contract/output.js';
import { createHash } from 'node:crypto';
import { ScenarioError, quote } from '../errors.js';
import { lex, type Tok } from './lex.js';
import type {
  Advice,
  CmpOp,
  Cond,
  Expectation,
  FolioFlagName,
  HostAddr,
  MemInit,
  Observable,
  Op,
  Options,
  Pos,
  ProcDecl,
  Quantifier,
  Scenario,
  SlotDecl,
  SpteField,
  ThreadDecl,
  TouchDecl,
  VmaDecl,
} from '../contract/scenario.js';
import { FOLIO_FLAGS, SPTE_FIELDS, VERDICTS, type ResultLine } from '../contract/scenario.js';
import { validate } from './validate.js';
import { closest } from '../input.js';




/** The words that end the threads and open the scenario's closing lines. */
const SECTION_WORDS = ['observe', 'exists', 'forall', 'expect', 'result'];

/** A description is a paragraph: at most this many characters, of words at most MAX_WORD long. */
const MAX_DESCRIPTION = 4000;
const MAX_WORD = 100;
/**
 * The scenario's identity in every report and replay token: the sha256 of its tokens, one
 * space apart (strings quoted, their white space folded), as herd7 hashes a litmus test's
 * content rather than its bytes. Comments, indentation and line breaks do not change it, so
 * a scenario re-wrapped to fit a mail (cite --inline) is the same scenario.
 */
export function scenarioHash(toks: readonly Tok[]): string {
  const canonical = toks
    .filter((t) => t.kind !== 'eof')
    .map((t) => (t.kind === 'str' ? `"${t.text}"` : t.text))
    .join(' ');
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/**
 * Parse and validate a scenario. Throws ScenarioError (file:line:col, what was expected) on
 * any problem; never evaluates anything from the text.
 */
export function parseScenario(file: string, text: string): Scenario {
  const toks = lex(file, text);
  const p = new Parser(file, toks);
  const s = p.scenario(text, scenarioHash(toks));
  validate(s);
  return s;
}

type ArgKind = 'loc' | 'addr' | 'num' | 'proc' | { words: string[] };
interface Arg {
  pos: Pos;
  num?: number;
  word?: string;
  gfn?: number;
  at?: HostAddr;
}
interface OpSig {
  args: ArgKind[];
  reg: 'required' | 'optional' | 'none';
  build(a: Arg[], reg: string | undefined, pos: Pos): Op;
}

/** Every operation a thread can run: its arguments and whether it gives a register a value. */
const OPS: Record<string, OpSig> = {
  read: {
    args: ['loc'],
    reg: 'required',
    build: ([l], reg, pos) => (l!.gfn !== undefined ? { kind: 'guest-read', gfn: l!.gfn, reg: reg!, pos } : { kind: 'host-read', at: l!.at!, reg: reg!, pos }),
  },
  write: {
    args: ['loc', 'num'],
    reg: 'none',
    build: ([l, v], _r, pos) =>
      l!.gfn !== undefined ? { kind: 'guest-write', gfn: l!.gfn, value: v!.num!, pos } : { kind: 'host-write', at: l!.at!, value: v!.num!, pos },
  },
  swap_in: { args: ['addr'], reg: 'none', build: ([a], _r, pos) => ({ kind: 'swap-in', at: a!.at!, pos }) },
  ksm_merge: { args: ['addr', 'addr'], reg: 'none', build: ([k, r], _r, pos) => ({ kind: 'ksm-merge', keep: k!.at!, replace: r!.at!, pos }) },
  fork: { args: ['proc'], reg: 'none', build: ([c], _r, pos) => ({ kind: 'fork', child: c!.word!, pos }) },
  exit: { args: [], reg: 'none', build: (_a, _r, pos) => ({ kind: 'exit', pos }) },
  reclaim: { args: ['addr'], reg: 'none', build: ([a], _r, pos) => ({ kind: 'reclaim', at: a!.at!, pos }) },
  migrate: { args: ['addr'], reg: 'none', build: ([a], _r, pos) => ({ kind: 'migrate', at: a!.at!, pos }) },
  writeback: { args: ['addr'], reg: 'none', build: ([a], _r, pos) => ({ kind: 'writeback', at: a!.at!, pos }) },
  madvise: {
    args: ['addr', 'num', { words: ['MADV_FREE', 'MADV_DONTNEED'] }],
    reg: 'none',
    build: ([a, n, w], _r, pos) => ({ kind: 'madvise', at: a!.at!, pages: n!.num!, advice: w!.word as Advice, pos }),
  },
  munmap: { args: ['addr', 'num'], reg: 'none', build: ([a, n], _r, pos) => ({ kind: 'munmap', at: a!.at!, pages: n!.num!, pos }) },
  mprotect: {
    args: ['addr', 'num', { words: ['ro', 'rw'] }],
    reg: 'none',
    build: ([a, n, w], _r, pos) => ({ kind: 'mprotect', at: a!.at!, pages: n!.num!, writable: w!.word === 'rw', pos }),
  },
  numa_hint: { args: ['addr', 'num'], reg: 'none', build: ([a, n], _r, pos) => ({ kind: 'numa-hint', at: a!.at!, pages: n!.num!, pos }) },
  oom_reap: { args: ['proc'], reg: 'none', build: ([p], _r, pos) => ({ kind: 'oom-reap', proc: p!.word!, pos }) },
  age: { args: ['addr'], reg: 'optional', build: ([a], reg, pos) => withReg({ kind: 'age', at: a!.at!, pos }, reg) },
  idle_age: { args: ['addr'], reg: 'optional', build: ([a], reg, pos) => withReg({ kind: 'idle-age', at: a!.at!, pos }, reg) },
  test_young: { args: ['addr'], reg: 'optional', build: ([a], reg, pos) => withReg({ kind: 'test-young', at: a!.at!, pos }, reg) },
};

function withReg(op: Extract<Op, { kind: 'age' | 'idle-age' | 'test-young' }>, reg: string | undefined): Op {
  if (reg !== undefined) op.reg = reg;
  return op;
}

/** A condition on its own (bisect --where), checked against the scenario's names. */
export function parseCondition(s: Scenario, file: string, text: string): Cond {
  const p = new Parser(file, lex(file, text));
  const c = p.cond();
  p.end();
  validate({ ...s, file, condition: { quantifier: 'exists', cond: c, pos: { line: 1, col: 1 } }, observe: [], expect: [] });
  return c;
}

class Parser {
  private i = 0;
  constructor(
    private readonly file: string,
    private readonly toks: Tok[],
  ) {}

  /** Nothing may follow. */
  end(): void {
    if (this.t.kind !== 'eof') this.expected('the end of the condition');
  }
  private get t(): Tok {
    return this.toks[this.i]!;
  }
  /** The current token's kind, read afresh (a getter's type would stay narrowed by an earlier check). */
  private kind(): Tok['kind'] {
    return this.toks[this.i]!.kind;
  }
  private peek(k = 1): Tok {
    return this.toks[Math.min(this.i + k, this.toks.length - 1)]!;
  }
  private fail(pos: Pos, msg: string): never {
    throw new ScenarioError(this.file, pos, msg);
  }
  private shown(t: Tok): string {
    return t.kind === 'eof' ? 'the end of the file' : t.kind === 'str' ? `"${quote(t.text)}"` : `\`${quote(t.text)}\``;
  }
  private expected(what: string): never {
    this.fail(this.t.pos, `expected ${what}, found ${this.shown(this.t)}`);
  }
  private isPunct(p: string): boolean {
    return this.t.kind === 'punct' && this.t.text === p;
  }
  private isWord(w: string): boolean {
    return this.t.kind === 'ident' && this.t.text === w;
  }
  private punct(p: string): Tok {
    if (!this.isPunct(p)) this.expected(`\`${p}\``);
    return this.toks[this.i++]!;
  }
  private word(w: string): Tok {
    if (!this.isWord(w)) this.expected(`\`${w}\``);
    return this.toks[this.i++]!;
  }
  private ident(what: string): Tok {
    if (this.t.kind !== 'ident') this.expected(what);
    return this.toks[this.i++]!;
  }
  private num(what = 'a number'): number {
    if (this.t.kind !== 'num') this.expected(what);
    return this.toks[this.i++]!.num!;
  }
  private eatSemis() {
    while (this.isPunct(';')) this.i++;
  }

  scenario(text: string, sha256: string): Scenario {
    if (this.t.kind === 'eof') this.fail(this.t.pos, 'empty scenario: expected `mmutt <name>` on the first line');
    this.word('mmutt');
    const name = this.ident('the scenario name after `mmutt`').text;
    if (this.t.kind !== 'str') this.expected('a quoted description after the scenario name');
    const descTok = this.toks[this.i++]!;
    const description = descTok.text;
    // The description goes into every report and, wrapped, into a 72-column mail: it is a
    // paragraph of words that wrap (a URL fits; anything longer could not).
    const long = description.split(/\s+/).find((w) => w.length > MAX_WORD);
    if (long) this.fail(descTok.pos, `the description has a word of ${long.length} characters: expected words of at most ${MAX_WORD}, which wrap in a mail`);
    if (description.length > MAX_DESCRIPTION) this.fail(descTok.pos, `the description is ${description.length} characters: expected at most ${MAX_DESCRIPTION} (a paragraph; say more in // comments)`);

    const s: Scenario = {
      name,
      description,
      file: this.file,
      text,
      sha256,
      procs: [],
      mem: [],
      slots: [],
      touched: [],
      options: { eptAd: 'default', mmu: 'default', arch: 'x86', btm: 'on', deviceWait: 'spin' },
      threads: [],
      observe: [],
      expect: [],
      results: [],
    };
    this.initBlock(s);
    while (this.kind() === 'ident' && !SECTION_WORDS.includes(this.t.text)) {
      s.threads.push(this.thread());
    }
    if (this.deviceWaitAt && !s.threads.some((t) => /^dev[0-9]+$/.test(t.name))) this.fail(this.deviceWaitAt, 'device_wait is how a device\'s IOMMU driver waits for its invalidation: expected a device thread (`dev0(PROC) { ... }`)');
    while (this.kind() !== 'eof') {
      if (this.isWord('observe')) this.observeLine(s);
      else if (this.isWord('exists') || this.isWord('forall') || (this.isPunct('~') && this.peek().text === 'exists')) {
        const pos = this.t.pos;
        const quantifier: Quantifier = this.isPunct('~') ? '~exists' : (this.t.text as Quantifier);
        this.i += quantifier === '~exists' ? 2 : 1;
        if (s.condition) this.fail(pos, 'a scenario has at most one condition (`exists`, `~exists` or `forall`)');
        s.condition = { quantifier, cond: this.cond(), pos };
      } else if (this.isWord('expect')) s.expect.push(this.expectLine());
      else if (this.isWord('result')) s.results.push(this.resultLine());
      else {
        // `~exsits`: the word after the `~`.
        const w = this.isPunct('~') && this.peek().kind === 'ident' ? this.peek() : this.t;
        const typo = w.kind === 'ident' ? closest(w.text, SECTION_WORDS) : undefined;
        if (typo) this.fail(w.pos, `unknown keyword \`${quote(w.text)}\`: did you mean \`${typo}\`?`);
        this.expected('`observe`, `exists`, `~exists`, `forall`, `expect`, `result` or the end of the file');
      }
      this.eatSemis();
    }
    return s;
  }

  private initBlock(s: Scenario) {
    this.punct('{');
    for (;;) {
      this.eatSemis();
      if (this.isPunct('}')) break;
      const kw = this.t;
      if (this.isWord('proc')) s.procs.push(this.procDecl());
      else if (this.isWord('mem')) s.mem.push(this.memDecl());
      else if (this.isWord('vm')) s.slots.push(this.slotDecl());
      else if (this.isWord('touched')) this.touchedDecl(s.touched);
      else if (this.isWord('options')) this.optionsDecl(s.options);
      else if (kw.kind === 'eof') this.fail(kw.pos, 'unexpected end of file: expected `}` to close the initial state');
      else this.expected('`proc`, `mem`, `vm`, `touched`, `options` or `}` in the initial state');
    }
    this.punct('}');
  }

  private procDecl(): ProcDecl {
    const pos = this.word('proc').pos;
    const name = this.ident('a process name after `proc`').text;
    this.punct(':');
    if (this.isWord('child')) {
      this.i++;
      this.word('of');
      const parent = this.ident('the parent process after `child of`').text;
      return { name, vmas: [], childOf: parent, pos };
    }
    const vmas: VmaDecl[] = [this.vma()];
    while (this.isPunct(',')) {
      this.i++;
      vmas.push(this.vma());
    }
    return { name, vmas, pos };
  }

  private vma(): VmaDecl {
    const pos = this.word('vma').pos;
    const start = this.num('the start address of the vma');
    this.punct('+');
    const pages = this.num('the vma size in pages after `+`');
    const v: VmaDecl = { start, pages, anon: true, shared: false, writable: true, mergeable: false, pos };
    const seen = new Map<string, Tok>();
    const opposite: Record<string, string> = { anon: 'file', file: 'anon', private: 'shared', shared: 'private', rw: 'ro', ro: 'rw' };
    while (this.t.kind === 'ident' && ['anon', 'file', 'private', 'shared', 'rw', 'ro', 'mergeable'].includes(this.t.text)) {
      const a = this.toks[this.i++]!;
      if (seen.has(a.text)) this.fail(a.pos, `vma attribute \`${a.text}\` given twice`);
      const other = opposite[a.text];
      if (other && seen.has(other)) this.fail(a.pos, `a vma is \`${other}\` or \`${a.text}\`, not both`);
      seen.set(a.text, a);
      if (a.text === 'anon') v.anon = true;
      else if (a.text === 'file') v.anon = false;
      else if (a.text === 'private') v.shared = false;
      else if (a.text === 'shared') v.shared = true;
      else if (a.text === 'rw') v.writable = true;
      else if (a.text === 'ro') v.writable = false;
      else v.mergeable = true;
    }
    if (v.anon && v.shared) this.fail(seen.get('shared')!.pos, 'shared anonymous memory (shmem) is not modelled: expected `file shared` or `anon private`');
    if (v.mergeable && !(v.anon && !v.shared)) this.fail(seen.get('mergeable')!.pos, 'KSM merges private anonymous memory only: `mergeable` needs `anon private`');
    return v;
  }

  hostAddr(what: string): HostAddr {
    const pos = this.t.pos;
    const proc = this.ident(what).text;
    this.punct(':');
    const addr = this.num('an address after `:`');
    return { proc, addr, pos };
  }

  private memDecl(): MemInit {
    this.word('mem');
    const at = this.hostAddr('`proc:address` after `mem`');
    this.punct('=');
    const value = this.num('the page content (a number)');
    return { at, value };
  }

  private slotDecl(): SlotDecl {
    const pos = this.word('vm').pos;
    const name = this.ident('a memslot name after `vm`').text;
    this.punct(':');
    this.word('gfn');
    const gfn = this.num('the first gfn of the memslot');
    this.punct('+');
    const pages = this.num('the memslot size in pages after `+`');
    this.punct('->');
    const target = this.hostAddr('`proc:hva` after `->`');
    return { name, gfn, pages, target, pos };
  }

  private touchedDecl(out: TouchDecl[]) {
    this.word('touched');
    this.punct(':');
    for (;;) {
      const pos = this.t.pos;
      const by = this.ident('a vCPU or a device (vcpu0, dev0, ...)').text;
      const kw = this.t;
      if (!this.isWord('read') && !this.isWord('write')) this.expected('`read` or `write`');
      this.i++;
      const d: TouchDecl = { by, kind: kw.text as 'read' | 'write', pos };
      if (this.isWord('gfn')) {
        this.i++;
        d.gfn = this.num('a gfn');
      } else d.at = this.hostAddr('`gfn N` (a vCPU) or `proc:address` (a device)');
      if (d.kind === 'write') {
        this.punct('=');
        d.value = this.num('the value written');
      }
      out.push(d);
      if (!this.isPunct(',')) break;
      this.i++;
    }
  }

  /** Where `device_wait` was set: it needs a device thread, which comes later in the file. */
  private deviceWaitAt: Pos | undefined;
  /** Where each option was set: an option is set once (two values would contradict). */
  private optionsSet = new Map<string, Pos>();

  private optionsDecl(o: Options) {
    this.word('options');
    this.punct(':');
    let btmAt: Pos | undefined;
    for (;;) {
      const key = this.ident('an option name (ept_ad, mmu, arch, btm, device_wait)');
      const all: Record<string, string[]> = { ept_ad: ['on', 'off'], mmu: ['tdp', 'shadow'], arch: ['x86', 'arm64'], btm: ['on', 'off'], device_wait: ['spin', 'sleep'] };
      const choices = all[key.text];
      if (!choices) this.fail(key.pos, `unknown option \`${key.text}\`: expected ept_ad, mmu, arch, btm or device_wait`);
      const before = this.optionsSet.get(key.text);
      if (before) this.fail(key.pos, `option \`${key.text}\` is set twice (first at ${before.line}:${before.col}): give it once`);
      this.optionsSet.set(key.text, key.pos);
      this.punct('=');
      const v = this.ident(choices.map((c) => `\`${c}\``).join(' or '));
      if (!choices.includes(v.text)) this.fail(v.pos, `expected ${choices.map((c) => `\`${c}\``).join(' or ')}, found \`${v.text}\``);
      if (key.text === 'ept_ad') o.eptAd = v.text as Options['eptAd'];
      else if (key.text === 'mmu') o.mmu = v.text as Options['mmu'];
      else if (key.text === 'arch') o.arch = v.text as Options['arch'];
      else if (key.text === 'device_wait') {
        o.deviceWait = v.text as Options['deviceWait'];
        this.deviceWaitAt = v.pos;
      }
      else {
        o.btm = v.text as Options['btm'];
        btmAt = v.pos;
      }
      if (!this.isPunct(',')) break;
      this.i++;
    }
    if (btmAt && o.arch !== 'arm64') this.fail(btmAt, 'btm is an arm64 SMMU\'s broadcast TLB maintenance: expected `arch = arm64` in the same options');
  }

  private thread(): ThreadDecl {
    // A mistyped closing keyword (`obsrve qemu:r0`, `exsits (vcpu0:r0 = 1)`) reads as a
    // thread's name: a thread is `NAME {` or `NAME(PROC) {`; anything else after a name close
    // to a keyword is that keyword.
    const typo = this.t.kind === 'ident' ? closest(this.t.text, SECTION_WORDS) : undefined;
    const header = this.peek().text === '{' || this.peek().text === 'after' || (this.peek().text === '(' && this.peek(2).kind === 'ident' && this.peek(3).text === ')');
    if (typo && !header) this.fail(this.t.pos, `unknown keyword \`${quote(this.t.text)}\`: did you mean \`${typo}\`? (a thread is \`NAME { ... }\`)`);
    const nameTok = this.ident('a thread name');
    const name = nameTok.text;
    let proc: string | undefined;
    if (this.isPunct('(')) {
      this.i++;
      proc = this.ident('the process this thread runs in').text;
      this.punct(')');
    }
    const kind = /^vcpu[0-9]+$/.test(name) ? 'vcpu' : 'user'; // refined by validate()
    const after: string[] = [];
    const afterPos = this.t.pos;
    if (this.isWord('after')) {
      this.i++;
      after.push(this.ident('a thread name after `after`').text);
      while (this.isPunct(',')) {
        this.i++;
        after.push(this.ident('a thread name').text);
      }
    }
    this.punct('{');
    const ops: Op[] = [];
    for (;;) {
      this.eatSemis();
      if (this.isPunct('}')) break;
      if (this.t.kind === 'eof') this.fail(this.t.pos, `unexpected end of file: expected \`}\` to close thread ${name}`);
      ops.push(this.op());
    }
    this.punct('}');
    const t: ThreadDecl = { name, kind, ops, after, pos: after.length ? afterPos : nameTok.pos };
    if (proc !== undefined) t.proc = proc;
    return t;
  }

  private op(): Op {
    const pos = this.t.pos;
    let reg: string | undefined;
    if (this.t.kind === 'ident' && this.peek().kind === 'punct' && this.peek().text === '=') {
      reg = this.ident('a register').text;
      this.punct('=');
    }
    const w = this.ident('an operation');
    const sig = OPS[w.text];
    if (!sig) this.fail(w.pos, `unknown operation \`${w.text}\`: expected one of ${Object.keys(OPS).join(', ')}`);
    if (sig!.reg === 'required' && reg === undefined) this.fail(w.pos, `${w.text} gives a value: expected \`rN = ${w.text}(...)\``);
    if (sig!.reg === 'none' && reg !== undefined) this.fail(pos, `${w.text} gives no value: expected \`${w.text}(...)\` without \`${reg} =\``);
    this.punct('(');
    const args: Arg[] = [];
    sig!.args.forEach((kind, k) => {
      if (k > 0) this.punct(',');
      args.push(this.arg(kind, w.text));
    });
    this.punct(')');
    return sig!.build(args, reg, pos);
  }

  private arg(kind: ArgKind, op: string): Arg {
    const pos = this.t.pos;
    if (kind === 'num') return { num: this.num(`a number (argument of ${op})`), pos };
    if (kind === 'proc') return { word: this.ident(`a process name (argument of ${op})`).text, pos };
    if (kind === 'loc' || kind === 'addr') {
      const loc = this.loc();
      if (kind === 'addr' && loc.kind === 'gfn') this.fail(pos, `${op} acts on host memory: expected \`proc:address\` or an address, not a gfn`);
      return loc.kind === 'gfn' ? { gfn: loc.gfn, pos } : { at: loc.at, pos };
    }
    const t = this.ident(`one of ${kind.words.join(', ')}`);
    if (!kind.words.includes(t.text)) this.fail(t.pos, `expected one of ${kind.words.join(', ')}, found \`${t.text}\``);
    return { word: t.text, pos };
  }

  /** `gfn N`, `proc:addr`, or a bare address in the thread's own process (proc filled by validate). */
  private loc(): { kind: 'gfn'; gfn: number } | { kind: 'host'; at: HostAddr } {
    if (this.isWord('gfn')) {
      this.i++;
      return { kind: 'gfn', gfn: this.num('a gfn after `gfn`') };
    }
    if (this.t.kind === 'num') {
      const pos = this.t.pos;
      return { kind: 'host', at: { proc: '', addr: this.num(), pos } };
    }
    return { kind: 'host', at: this.hostAddr('`gfn N`, `proc:address` or an address') };
  }

  private observeLine(s: Scenario) {
    this.word('observe');
    for (;;) {
      const pos = this.t.pos;
      const start = this.i;
      const obs = this.observable();
      const label = this.toks
        .slice(start, this.i)
        .map((t) => t.text)
        .join(' ')
        .replace(/ ?([:.()]) ?/g, '$1');
      s.observe.push({ obs, label, pos });
      if (!this.isPunct(',')) break;
      this.i++;
    }
  }

  private observable(): Observable {
    const t = this.t;
    if (t.kind !== 'ident') this.expected('something to observe (`thread:reg`, `mem p:addr`, `gfn N`, `folio(p:addr).flag`, `spte(gfn N).field`, or a counter)');
    if (t.text === 'mem') {
      this.i++;
      return { kind: 'mem', at: this.hostAddr('`proc:address` after `mem`') };
    }
    if (t.text === 'gfn') {
      this.i++;
      return { kind: 'gfn', gfn: this.num('a gfn') };
    }
    if (t.text === 'disk') {
      this.i++;
      return { kind: 'disk', at: this.hostAddr('`proc:address` after `disk`') };
    }
    if (t.text === 'folio') {
      this.i++;
      this.punct('(');
      const at = this.hostAddr('`proc:address` inside `folio(...)`');
      this.punct(')');
      this.punct('.');
      const f = this.ident(`a folio flag (${FOLIO_FLAGS.join(', ')})`);
      if (!(FOLIO_FLAGS as readonly string[]).includes(f.text)) this.fail(f.pos, `unknown folio flag \`${f.text}\`: expected one of ${FOLIO_FLAGS.join(', ')}`);
      return { kind: 'folio', at, flag: f.text as FolioFlagName };
    }
    if (t.text === 'spte') {
      this.i++;
      this.punct('(');
      this.word('gfn');
      const gfn = this.num('a gfn');
      this.punct(')');
      this.punct('.');
      const f = this.ident(`an spte field (${SPTE_FIELDS.join(', ')})`);
      if (!(SPTE_FIELDS as readonly string[]).includes(f.text)) this.fail(f.pos, `unknown spte field \`${f.text}\`: expected one of ${SPTE_FIELDS.join(', ')}`);
      return { kind: 'spte', gfn, field: f.text as SpteField };
    }
    if (this.peek().kind === 'punct' && this.peek().text === ':') {
      this.i++;
      this.i++;
      const reg = this.ident('a register name after `thread:`').text;
      return { kind: 'reg', thread: t.text, reg };
    }
    if ((COUNTER_NAMES as readonly string[]).includes(t.text)) {
      this.i++;
      return { kind: 'counter', name: t.text };
    }
    if ((VIOLATIONS as readonly string[]).includes(t.text)) {
      this.i++;
      return { kind: 'violation', name: t.text };
    }
    this.fail(t.pos, `unknown observable \`${t.text}\`: expected \`thread:reg\`, \`mem\`, \`gfn\`, \`folio(...)\`, \`spte(...)\` a counter such as kvm.spte_zap, or a violation such as lost-write`);
  }

  private expectLine(): Expectation {
    const pos = this.word('expect').pos;
    const era = this.ident('an era id after `expect`');
    this.punct(':');
    return { era: era.text, cond: this.cond(), pos, eraPos: era.pos };
  }

  private resultLine(): ResultLine {
    const pos = this.word('result').pos;
    const era = this.ident('an era id after `result`');
    this.punct(':');
    const v = this.ident(`a verdict (${VERDICTS.join(', ')})`);
    if (!(VERDICTS as readonly string[]).includes(v.text)) this.fail(v.pos, `unknown verdict \`${quote(v.text)}\`: expected ${VERDICTS.join(', ')}`);
    return { era: era.text, verdict: v.text as ResultLine['verdict'], pos, eraPos: era.pos };
  }

  // cond := disj ; disj := conj ('\/' conj)* ; conj := unary ('/\' unary)*
  cond(): Cond {
    let left = this.conj();
    while (this.isPunct('\\/')) {
      this.i++;
      left = { kind: 'or', left, right: this.conj() };
    }
    return left;
  }
  private conj(): Cond {
    let left = this.unary();
    while (this.isPunct('/\\')) {
      this.i++;
      left = { kind: 'and', left, right: this.unary() };
    }
    return left;
  }
  private depth = 0;
  private unary(): Cond {
    if (++this.depth > 64) this.fail(this.t.pos, 'condition nested too deeply: at most 64 levels');
    try {
      if (this.isPunct('~')) {
        this.i++;
        return { kind: 'not', arg: this.unary() };
      }
      if (this.isPunct('(')) {
        this.i++;
        const c = this.cond();
        this.punct(')');
        return c;
      }
      if (this.isWord('true')) {
        this.i++;
        return { kind: 'true' };
      }
      const pos = this.t.pos;
      const left = this.observable();
      const opTok = this.t;
      const ops: CmpOp[] = ['=', '!=', '<', '<=', '>', '>='];
      if (opTok.kind !== 'punct' || !ops.includes(opTok.text as CmpOp)) this.expected('a comparison (`=`, `!=`, `<`, `<=`, `>`, `>=`)');
      this.i++;
      const right = this.num('a number to compare with');
      return { kind: 'cmp', left, op: opTok.text as CmpOp, right, pos };
    } finally {
      this.depth--;
    }
  }
}
