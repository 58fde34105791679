import { ScenarioError } from '../errors.js';
import type { Pos } from '../contract/scenario.js';

export type TokKind = 'ident' | 'num' | 'str' | 'punct' | 'eof';

export interface Tok {
  kind: TokKind;
  text: string;
  num?: number;
  pos: Pos;
}

// Longest first, so `->` wins over `-` and `<=` over `<`.
const PUNCT = ['/\\', '\\/', '->', '!=', '<=', '>=', '{', '}', '(', ')', ':', ';', ',', '=', '<', '>', '+', '~', '.', '@'];

/** Names (processes, threads, registers, era ids) are short; a longer one is a paste gone wrong. */
const MAX_NAME = 64;

/** Values in a scenario are small: page contents, addresses, gfns. Anything past 2^48 is a typo. */
const MAX_NUMBER = 2 ** 48;

/** text[i] is the second half of a surrogate pair (a character outside the BMP, an emoji say). */
const isLowSurrogateAfterHigh = (text: string, i: number) => {
  const u = text.charCodeAt(i);
  const h = i > 0 ? text.charCodeAt(i - 1) : 0;
  return u >= 0xdc00 && u <= 0xdfff && h >= 0xd800 && h <= 0xdbff;
};

/**
 * Split scenario text into tokens. Comments are `// to end of line` and `(* ... *)` as in the
 * kernel's litmus tests. Identifiers may contain `-` and `.` (era ids, counter names).
 */
export function lex(file: string, text: string): Tok[] {
  return new Lexer(file, text).tokens();
}

/** One pass over a scenario's text: a method per kind of token. */
class Lexer {
  private readonly toks: Tok[] = [];
  private i = 0;
  private line = 1;
  private col = 1;
  constructor(
    private readonly file: string,
    private readonly text: string,
  ) {}

  tokens(): Tok[] {
    const text = this.text;
    while (this.i < text.length) {
      const c = text[this.i]!;
      if (this.skipped(c)) continue;
      const pos = this.here();
      if (c === '"') this.string(pos);
      else if (c >= '0' && c <= '9') this.number(pos);
      else if (/[A-Za-z_]/.test(c)) this.name(pos);
      else this.punct(c, pos);
    }
    this.toks.push({ kind: 'eof', text: '<end of file>', pos: this.here() });
    return this.toks;
  }

  private here(): Pos {
    return { line: this.line, col: this.col };
  }

  private fail(pos: Pos, msg: string): never {
    throw new ScenarioError(this.file, pos, msg);
  }

  private advance(n: number): void {
    const text = this.text;
    for (let k = 0; k < n; k++) {
      if (text[this.i] === '\n') {
        this.line++;
        this.col = 1;
      } else if (!isLowSurrogateAfterHigh(text, this.i)) {
        // Columns count characters (code points): the second half of a surrogate pair is not one.
        this.col++;
      }
      this.i++;
    }
  }

  /** White space or a comment at c, passed over (true), or a token starts there (false). */
  private skipped(c: string): boolean {
    const text = this.text;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      this.advance(1);
      return true;
    }
    if (c === '/' && text[this.i + 1] === '/') {
      while (this.i < text.length && text[this.i] !== '\n') this.advance(1);
      return true;
    }
    if (c === '(' && text[this.i + 1] === '*') {
      const start = this.here();
      this.advance(2);
      while (this.i < text.length && !(text[this.i] === '*' && text[this.i + 1] === ')')) this.advance(1);
      if (this.i >= text.length) this.fail(start, 'unterminated comment: expected `*)` before the end of the file');
      this.advance(2);
      return true;
    }
    return false;
  }

  private string(pos: Pos): void {
    const text = this.text;
    this.advance(1);
    let s = '';
    while (this.i < text.length && text[this.i] !== '"') {
      s += text[this.i];
      this.advance(1);
    }
    if (this.i >= text.length) this.fail(pos, 'unterminated string: expected a closing `"` before the end of the file');
    this.advance(1);
    // A description may span lines; its white space is folded.
    this.toks.push({ kind: 'str', text: s.replace(/\s+/g, ' ').trim(), pos });
  }

  private number(pos: Pos): void {
    const text = this.text;
    const raw = /^(0[xX][0-9a-fA-F_]+|[0-9][0-9_]*)/.exec(text.slice(this.i, this.i + 40))![0];
    // A number glued to letters (`12ab`, `0x1g`) is a typo, not two tokens.
    const after = text[this.i + raw.length];
    if (after !== undefined && /[A-Za-z_]/.test(after)) {
      this.fail(pos, `bad number \`${raw}${after}...\`: expected a decimal or 0x-prefixed hex number`);
    }
    const value = Number(raw.replace(/_/g, ''));
    if (!Number.isSafeInteger(value) || value >= MAX_NUMBER) {
      this.fail(pos, `number ${raw} is out of range: expected a value below 2^48`);
    }
    this.toks.push({ kind: 'num', text: raw, num: value, pos });
    this.advance(raw.length);
  }

  private name(pos: Pos): void {
    const { text, i } = this;
    let j = i + 1;
    while (j < text.length && /[A-Za-z0-9_.-]/.test(text[j]!)) {
      if (text[j] === '-' && text[j + 1] === '>') break;
      j++;
    }
    // A trailing `.` belongs to the punctuation that follows, not to the name.
    while (text[j - 1] === '.' || text[j - 1] === '-') j--;
    if (j - i > MAX_NAME) this.fail(pos, `name \`${text.slice(i, i + 40)}...\` is ${j - i} characters long: expected at most ${MAX_NAME}`);
    this.toks.push({ kind: 'ident', text: text.slice(i, j), pos });
    this.advance(j - i);
  }

  private punct(c: string, pos: Pos): void {
    const p = PUNCT.find((q) => this.text.startsWith(q, this.i));
    if (!p) {
      const shown = c.charCodeAt(0) < 32 || c.charCodeAt(0) > 126 ? `U+${this.text.codePointAt(this.i)!.toString(16).toUpperCase().padStart(4, '0')}` : `\`${c}\``;
      this.fail(pos, `unexpected character ${shown}`);
    }
    this.toks.push({ kind: 'punct', text: p, pos });
    this.advance(p.length);
  }
}
