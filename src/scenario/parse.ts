import { createHash } from 'node:crypto';
import { ScenarioError } from '../errors.js';
import { COUNTER_NAMES } from '../engine/counters.js';
import { lex, type Tok } from './lex.js';
import type {
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
  Scenario,
  SlotDecl,
  SpteField,
  ThreadDecl,
  TouchDecl,
  VmaDecl,
} from './types.js';
import { FOLIO_FLAGS, SPTE_FIELDS } from './types.js';
import { validate } from './validate.js';



/** sha256 of the scenario text, hex: the scenario's identity in every report. */
export function scenarioHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * Parse and validate a scenario. Throws ScenarioError (file:line:col, what was expected) on
 * any problem; never evaluates anything from the text.
 */
export function parseScenario(file: string, text: string): Scenario {
  const p = new Parser(file, lex(file, text));
  const s = p.scenario(text);
  validate(s);
  return s;
}

class Parser {
  private i = 0;
  constructor(
    private readonly file: string,
    private readonly toks: Tok[],
  ) {}

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
    return t.kind === 'eof' ? 'the end of the file' : t.kind === 'str' ? `"${t.text}"` : `\`${t.text}\``;
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

  scenario(text: string): Scenario {
    if (this.t.kind === 'eof') this.fail(this.t.pos, 'empty scenario: expected `mmutt <name>` on the first line');
    this.word('mmutt');
    const name = this.ident('the scenario name after `mmutt`').text;
    if (this.t.kind !== 'str') this.expected('a quoted description after the scenario name');
    const description = this.toks[this.i++]!.text;

    const s: Scenario = {
      name,
      description,
      file: this.file,
      text,
      procs: [],
      mem: [],
      slots: [],
      touched: [],
      options: { eptAd: true },
      threads: [],
      observe: [],
      expect: [],
    };
    this.initBlock(s);
    while (this.kind() === 'ident' && !['observe', 'exists', 'expect'].includes(this.t.text)) {
      s.threads.push(this.thread());
    }
    while (this.kind() !== 'eof') {
      if (this.isWord('observe')) this.observeLine(s);
      else if (this.isWord('exists')) {
        const pos = this.t.pos;
        this.i++;
        if (s.exists) this.fail(pos, 'a scenario has at most one `exists` condition');
        s.exists = this.cond();
      } else if (this.isWord('expect')) s.expect.push(this.expectLine());
      else this.expected('`observe`, `exists`, `expect` or the end of the file');
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
    const seen = new Set<string>();
    while (this.t.kind === 'ident' && ['anon', 'file', 'private', 'shared', 'rw', 'ro', 'mergeable'].includes(this.t.text)) {
      const a = this.toks[this.i++]!;
      if (seen.has(a.text)) this.fail(a.pos, `vma attribute \`${a.text}\` given twice`);
      seen.add(a.text);
      if (a.text === 'anon') v.anon = true;
      else if (a.text === 'file') this.fail(a.pos, 'file-backed vmas are not supported yet: expected `anon`');
      else if (a.text === 'private') v.shared = false;
      else if (a.text === 'shared') this.fail(a.pos, 'shared vmas are not supported yet: expected `private`');
      else if (a.text === 'rw') v.writable = true;
      else if (a.text === 'ro') v.writable = false;
      else v.mergeable = true;
    }
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
      const vcpu = this.ident('a vCPU name (vcpu0, vcpu1, ...)').text;
      const kw = this.t;
      if (!this.isWord('read') && !this.isWord('write')) this.expected('`read` or `write`');
      this.i++;
      this.word('gfn');
      const gfn = this.num('a gfn');
      const d: TouchDecl = { vcpu, kind: kw.text as 'read' | 'write', gfn, pos };
      if (d.kind === 'write') {
        this.punct('=');
        d.value = this.num('the value written');
      }
      out.push(d);
      if (!this.isPunct(',')) break;
      this.i++;
    }
  }

  private optionsDecl(o: Options) {
    this.word('options');
    this.punct(':');
    for (;;) {
      const key = this.ident('an option name (ept_ad)');
      if (key.text !== 'ept_ad') this.fail(key.pos, `unknown option \`${key.text}\`: expected ept_ad`);
      this.punct('=');
      const v = this.ident('`on` or `off`');
      if (v.text !== 'on' && v.text !== 'off') this.fail(v.pos, `expected \`on\` or \`off\`, found \`${v.text}\``);
      o.eptAd = v.text === 'on';
      if (!this.isPunct(',')) break;
      this.i++;
    }
  }

  private thread(): ThreadDecl {
    const nameTok = this.ident('a thread name');
    const name = nameTok.text;
    let proc: string | undefined;
    if (this.isPunct('(')) {
      this.i++;
      proc = this.ident('the process this thread runs in').text;
      this.punct(')');
    }
    const kind = /^vcpu[0-9]+$/.test(name) ? 'vcpu' : 'user'; // refined by validate()
    this.punct('{');
    const ops: Op[] = [];
    for (;;) {
      this.eatSemis();
      if (this.isPunct('}')) break;
      if (this.t.kind === 'eof') this.fail(this.t.pos, `unexpected end of file: expected \`}\` to close thread ${name}`);
      ops.push(this.op());
    }
    this.punct('}');
    const t: ThreadDecl = { name, kind, ops, pos: nameTok.pos };
    if (proc !== undefined) t.proc = proc;
    return t;
  }

  private op(): Op {
    const pos = this.t.pos;
    // r0 = read(...)
    if (this.t.kind === 'ident' && this.peek().kind === 'punct' && this.peek().text === '=') {
      const reg = this.ident('a register').text;
      this.punct('=');
      this.word('read');
      this.punct('(');
      const loc = this.loc();
      this.punct(')');
      return loc.kind === 'gfn' ? { kind: 'guest-read', gfn: loc.gfn, reg, pos } : { kind: 'host-read', at: loc.at, reg, pos };
    }
    const w = this.ident('an operation (`rN = read(...)`, `write(...)`, `ksm_merge(...)`)');
    switch (w.text) {
      case 'write': {
        this.punct('(');
        const loc = this.loc();
        this.punct(',');
        const value = this.num('the value to write');
        this.punct(')');
        return loc.kind === 'gfn' ? { kind: 'guest-write', gfn: loc.gfn, value, pos } : { kind: 'host-write', at: loc.at, value, pos };
      }
      case 'ksm_merge': {
        this.punct('(');
        const keep = this.hostAddr('`proc:address` of the page ksmd keeps');
        this.punct(',');
        const replace = this.hostAddr('`proc:address` of the page ksmd replaces');
        this.punct(')');
        return { kind: 'ksm-merge', keep, replace, pos };
      }
      case 'read':
        this.fail(w.pos, 'a read needs a register: expected `rN = read(...)`');
      default:
        this.fail(w.pos, `unknown operation \`${w.text}\`: expected \`rN = read(...)\`, \`write(...)\` or \`ksm_merge(...)\``);
    }
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
        .replace(/ ?([:.()]) ?/g, '$1')
        .replace(/\(gfn/g, '(gfn ');
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
    this.fail(t.pos, `unknown observable \`${t.text}\`: expected \`thread:reg\`, \`mem\`, \`gfn\`, \`folio(...)\`, \`spte(...)\` or a counter such as kvm.spte_zap`);
  }

  private expectLine(): Expectation {
    const pos = this.word('expect').pos;
    const era = this.ident('an era id after `expect`');
    this.punct(':');
    return { era: era.text, cond: this.cond(), pos, eraPos: era.pos };
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
