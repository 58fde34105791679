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
  const toks: Tok[] = [];
  let i = 0;
  let line = 1;
  let col = 1;
  const here = (): Pos => ({ line, col });
  const fail = (pos: Pos, msg: string): never => {
    throw new ScenarioError(file, pos, msg);
  };
  const advance = (n: number) => {
    for (let k = 0; k < n; k++) {
      if (text[i] === '\n') {
        line++;
        col = 1;
      } else if (!isLowSurrogateAfterHigh(text, i)) {
        // Columns count characters (code points): the second half of a surrogate pair is not one.
        col++;
      }
      i++;
    }
  };

  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      advance(1);
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') advance(1);
      continue;
    }
    if (c === '(' && text[i + 1] === '*') {
      const start = here();
      advance(2);
      while (i < text.length && !(text[i] === '*' && text[i + 1] === ')')) advance(1);
      if (i >= text.length) fail(start, 'unterminated comment: expected `*)` before the end of the file');
      advance(2);
      continue;
    }
    const pos = here();
    if (c === '"') {
      advance(1);
      let s = '';
      while (i < text.length && text[i] !== '"') {
        s += text[i];
        advance(1);
      }
      if (i >= text.length) fail(pos, 'unterminated string: expected a closing `"` before the end of the file');
      advance(1);
      // A description may span lines; its white space is folded.
      toks.push({ kind: 'str', text: s.replace(/\s+/g, ' ').trim(), pos });
      continue;
    }
    if (c >= '0' && c <= '9') {
      const m = /^(0[xX][0-9a-fA-F_]+|[0-9][0-9_]*)/.exec(text.slice(i, i + 40))!;
      let raw = m[0];
      // A number glued to letters (`12ab`, `0x1g`) is a typo, not two tokens.
      const after = text[i + raw.length];
      if (after !== undefined && /[A-Za-z_]/.test(after)) {
        fail(pos, `bad number \`${raw}${after}...\`: expected a decimal or 0x-prefixed hex number`);
      }
      const digits = raw.replace(/_/g, '');
      const value = Number(digits);
      if (!Number.isSafeInteger(value) || value >= MAX_NUMBER) {
        fail(pos, `number ${raw} is out of range: expected a value below 2^48`);
      }
      toks.push({ kind: 'num', text: raw, num: value, pos });
      advance(raw.length);
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < text.length && /[A-Za-z0-9_.-]/.test(text[j]!)) {
        if (text[j] === '-' && text[j + 1] === '>') break;
        j++;
      }
      // A trailing `.` belongs to the punctuation that follows, not to the name.
      while (text[j - 1] === '.' || text[j - 1] === '-') j--;
      if (j - i > MAX_NAME) fail(pos, `name \`${text.slice(i, i + 40)}...\` is ${j - i} characters long: expected at most ${MAX_NAME}`);
      toks.push({ kind: 'ident', text: text.slice(i, j), pos });
      advance(j - i);
      continue;
    }
    const p = PUNCT.find((q) => text.startsWith(q, i));
    if (!p) {
      const shown = c.charCodeAt(0) < 32 || c.charCodeAt(0) > 126 ? `U+${text.codePointAt(i)!.toString(16).toUpperCase().padStart(4, '0')}` : `\`${c}\``;
      fail(pos, `unexpected character ${shown}`);
    }
    toks.push({ kind: 'punct', text: p!, pos });
    advance(p!.length);
  }
  toks.push({ kind: 'eof', text: '<end of file>', pos: here() });
  return toks;
}
