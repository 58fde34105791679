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

const WHITE = /[ \t\r\n]+/y;
const NAME = /[A-Za-z_][A-Za-z0-9_.-]*/y;
const isNameStart = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;

/**
 * One pass over a scenario's text: a method per kind of token. Each token and each run of
 * white space or comment is found natively (a sticky regular expression, indexOf) and the
 * position moved past it in one step: a matrix lexes the whole catalog before it runs, and a
 * loop per character took most of its parse.
 */
class Lexer {
  private readonly toks: Tok[] = [];
  private i = 0;
  private line = 1;
  private col = 1;
  /** No surrogate pair in the text: a column is a UTF-16 unit. */
  private readonly bmp: boolean;
  constructor(
    private readonly file: string,
    private readonly text: string,
  ) {
    this.bmp = !/[\uD800-\uDFFF]/.test(text);
    // A byte order mark (some editors save UTF-8 with one) is not part of the text.
    if (text.charCodeAt(0) === 0xfeff) this.i = 1;
  }

  tokens(): Tok[] {
    const text = this.text;
    while (this.i < text.length) {
      const c = text.charCodeAt(this.i);
      if (this.skipped(c)) continue;
      const pos = this.here();
      if (c === 34) this.string(pos);
      else if (c >= 48 && c <= 57) this.number(pos);
      else if (isNameStart(c)) this.name(pos);
      else this.punct(text[this.i]!, pos);
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

  /** Move to text[j], counting the lines and columns passed over (each character once in all). */
  private moveTo(j: number): void {
    const text = this.text;
    let nl = -1;
    for (let k = this.i; k < j; k++) {
      if (text.charCodeAt(k) === 10) {
        this.line++;
        nl = k;
      }
    }
    if (nl >= 0) this.col = 1 + this.width(nl + 1, j);
    else this.col += this.width(this.i, j);
    this.i = j;
  }

  /** Columns from text[a] to text[b]: characters (code points), so the second half of a surrogate pair is not one. */
  private width(a: number, b: number): number {
    if (this.bmp) return b - a;
    let n = 0;
    for (let k = a; k < b; k++) if (!isLowSurrogateAfterHigh(this.text, k)) n++;
    return n;
  }

  /** White space or a comment at c, passed over (true), or a token starts there (false). */
  private skipped(c: number): boolean {
    const text = this.text;
    if (c === 32 || c === 9 || c === 13 || c === 10) {
      WHITE.lastIndex = this.i;
      WHITE.test(text);
      this.moveTo(WHITE.lastIndex);
      return true;
    }
    if (c === 47 && text.charCodeAt(this.i + 1) === 47) {
      const end = text.indexOf('\n', this.i);
      this.moveTo(end < 0 ? text.length : end);
      return true;
    }
    if (c === 40 && text.charCodeAt(this.i + 1) === 42) {
      const end = text.indexOf('*)', this.i + 2);
      if (end < 0) this.fail(this.here(), 'unterminated comment: expected `*)` before the end of the file');
      this.moveTo(end + 2);
      return true;
    }
    return false;
  }

  private string(pos: Pos): void {
    const text = this.text;
    const end = text.indexOf('"', this.i + 1);
    if (end < 0) this.fail(pos, 'unterminated string: expected a closing `"` before the end of the file');
    // A description may span lines; its white space is folded.
    this.toks.push({ kind: 'str', text: text.slice(this.i + 1, end).replace(/\s+/g, ' ').trim(), pos });
    this.moveTo(end + 1);
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
    this.moveTo(this.i + raw.length);
  }

  private name(pos: Pos): void {
    const { text, i } = this;
    NAME.lastIndex = i;
    NAME.test(text);
    let j = NAME.lastIndex;
    // A trailing `.` belongs to the punctuation that follows, not to the name; so does the `-`
    // of an arrow (`a->b`: '>' ends the name).
    while (text[j - 1] === '.' || text[j - 1] === '-') j--;
    if (j - i > MAX_NAME) this.fail(pos, `name \`${text.slice(i, i + 40)}...\` is ${j - i} characters long: expected at most ${MAX_NAME}`);
    this.toks.push({ kind: 'ident', text: text.slice(i, j), pos });
    this.moveTo(j);
  }

  private punct(c: string, pos: Pos): void {
    const p = PUNCT.find((q) => this.text.startsWith(q, this.i));
    if (!p) {
      const u = c.charCodeAt(0);
      const shown = u < 32 || u > 126 ? `U+${this.text.codePointAt(this.i)!.toString(16).toUpperCase().padStart(4, '0')}` : `\`${c}\``;
      // A control character is no typo: the file is not text.
      const control = u < 32 || u === 127;
      this.fail(pos, `unexpected ${control ? 'control ' : ''}character ${shown}: expected ${control ? 'text (is this a binary file?)' : 'a name, a number, a "string" or one of ' + PUNCT.map((p) => p).join(' ')}`);
    }
    this.toks.push({ kind: 'punct', text: p, pos });
    this.moveTo(this.i + p.length);
  }
}
