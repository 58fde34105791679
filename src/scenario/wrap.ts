// Scenario text re-wrapped to a width, for a mail (cite --inline). Line breaks and spaces are
// insignificant in the language (docs/scenario-language.md), and a string's white space is
// folded, so re-wrapping keeps every token: the scenario's identity (scenarioHash, over its
// tokens) is unchanged. A string that does not fit is re-wrapped as a paragraph; a long line of
// code breaks at a space; a `//` comment continues with `//`.
import { lex } from './lex.js';
import { scenarioHash } from './parse.js';

type Mode = 'code' | 'string' | 'block' | 'line';

/** Wrap every line longer than `width`; the result has the same tokens as `text`. */
export function wrapScenario(text: string, width: number): string {
  const body = text.replace(/\n$/, '');
  const wrapped = `${breakLines(wrapStrings(body, width), width).join('\n')}\n`;
  // The whole point is that nothing but white space moved: check it, and keep the text if not.
  return sameTokens(text, wrapped) ? wrapped : text;
}

/** Walk the text as the lexer does; `visit` sees each character with the mode it is in. */
function scan(text: string, visit: (i: number, mode: Mode) => void): void {
  let mode: Mode = 'code';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (mode === 'line' && c === '\n') mode = 'code';
    visit(i, mode);
    if (mode === 'code') {
      if (c === '/' && text[i + 1] === '/') mode = 'line';
      else if (c === '(' && text[i + 1] === '*') mode = 'block';
      else if (c === '"') mode = 'string';
    } else if (mode === 'string' && c === '"') mode = 'code';
    else if (mode === 'block' && c === ')' && text[i - 1] === '*') mode = 'code';
  }
}

/** Re-wrap, as a paragraph, every string literal that spans lines or overflows its line. */
function wrapStrings(text: string, width: number): string {
  const spans: [number, number][] = [];
  let open = -1;
  scan(text, (i, mode) => {
    if (text[i] !== '"') return;
    if (mode === 'code') open = i;
    else if (mode === 'string' && open >= 0) spans.push([open, i]);
  });
  let out = '';
  let at = 0;
  for (const [i, j] of spans) {
    const lineStart = text.lastIndexOf('\n', i) + 1;
    const lineEnd = text.indexOf('\n', j) < 0 ? text.length : text.indexOf('\n', j);
    const content = text.slice(i + 1, j);
    if (!content.includes('\n') && lineEnd - lineStart <= width) continue;
    const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
    const lines: string[] = [];
    let cur = '"';
    let col = i - lineStart;
    for (const w of content.split(/\s+/).filter(Boolean)) {
      if (cur !== '"' && col + cur.length + 1 + w.length > width) {
        lines.push(cur);
        cur = w;
        col = indent.length;
      } else cur = cur === '"' ? `"${w}` : `${cur} ${w}`;
    }
    lines.push(`${cur}"`);
    out += text.slice(at, i) + lines.join(`\n${indent}`);
    at = j + 1;
  }
  return out + text.slice(at);
}

/** Break each remaining long line at a space outside strings; a `//` comment continues with `//`. */
function breakLines(text: string, width: number): string[] {
  const modes: Mode[] = [];
  scan(text, (i, mode) => (modes[i] = mode));
  const out: string[] = [];
  let offset = 0;
  for (const line of text.split('\n')) {
    const breaks: { at: number; mode: Mode }[] = [];
    for (let k = 0; k < line.length; k++) {
      const m = modes[offset + k]!;
      if ((line[k] === ' ' || line[k] === '\t') && m !== 'string' && line.slice(0, k).trim() !== '') breaks.push({ at: k, mode: m });
    }
    offset += line.length + 1;
    out.push(...breakLine(line, breaks, width));
  }
  return out;
}

function breakLine(line: string, breaks: { at: number; mode: Mode }[], width: number): string[] {
  if (line.length <= width) return [line];
  const indent = `${/^\s*/.exec(line)![0]}  `;
  const out: string[] = [];
  let start = 0;
  let prefix = '';
  for (;;) {
    if (prefix.length + line.length - start <= width) break;
    // The last break that keeps this piece within the width, else the first one after it.
    const fit = breaks.filter((b) => b.at > start && prefix.length + b.at - start <= width);
    const b = fit[fit.length - 1] ?? breaks.find((x) => x.at > start);
    if (!b) break; // one word longer than the width: it stays whole
    out.push((prefix + line.slice(start, b.at)).trimEnd());
    start = b.at + 1;
    while (line[start] === ' ' || line[start] === '\t') start++;
    prefix = b.mode === 'line' ? `${indent}// ` : indent;
  }
  out.push(prefix + line.slice(start));
  return out;
}

function sameTokens(a: string, b: string): boolean {
  try {
    return scenarioHash(lex('', a)) === scenarioHash(lex('', b));
  } catch {
    return false;
  }
}
