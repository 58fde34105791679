// Text as it arrives in a mail: quoted with `>` (at any depth, `> >` or `>>`), indented, or
// both. The quoting of one line (the first of a scenario, the head of a cite block) sets what
// every following line must carry; a line without it ends the quoted text.

/** How a line is quoted: how many `>` markers, and the white space after the last one. */
export interface Quoting {
  depth: number;
  indent: string;
}

/** The quoting of a line, and what is left of it. */
export function quotingOf(line: string): Quoting & { rest: string } {
  const m = /^((?:[ \t]*>)*)([ \t]*)(.*)$/s.exec(line)!;
  return { depth: (m[1]!.match(/>/g) ?? []).length, indent: m[2]!, rest: m[3]! };
}

/**
 * A line without the quoting `q`: its `depth` markers and at most the indent's width of white
 * space after them. Null when the line lacks the markers, or has text where the indent should
 * be (the quoted text has ended). A line of markers alone is an empty line: mail clients strip
 * the trailing space of `> `.
 */
export function unquoteLine(line: string, q: Quoting): { text: string; removed: number } | null {
  let i = 0;
  for (let d = 0; d < q.depth; d++) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (line[i] !== '>') return line.slice(i) === '' ? { text: '', removed: i } : null;
    i++;
  }
  let w = 0;
  while (w < q.indent.length && (line[i + w] === ' ' || line[i + w] === '\t')) w++;
  const text = line.slice(i + w);
  if (w < q.indent.length && text !== '') return null;
  return { text, removed: i + w };
}

/**
 * A scenario quoted in a mail, with its quoting turned into spaces, so that every column an
 * error names is the column in the file. The first non-blank line (the scenario's `mmutt NAME`
 * line, or a comment) sets the quoting; `undefined` when the text is not quoted; `badLine`, the
 * 1-based number of a line not quoted like the first.
 */
export function blankQuoting(text: string): { text: string } | { badLine: number } | undefined {
  const lines = text.split('\n');
  const first = lines.find((l) => l.trim() !== '');
  if (first === undefined) return undefined;
  const q = quotingOf(first);
  if ((q.depth === 0 && q.indent === '') || !/^(mmutt\b|\/\/|\(\*)/.test(q.rest)) return undefined;
  const out: string[] = [];
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    const u = line.trim() === '' ? { text: '', removed: line.length } : unquoteLine(line, q);
    if (!u) return { badLine: n + 1 };
    out.push(' '.repeat(u.removed) + u.text);
  }
  return { text: out.join('\n') };
}
