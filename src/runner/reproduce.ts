// mmutt reproduce: a cite block as it arrives in a mail (quoted with `>` at any depth, indented,
// with headers and other text around it) is found, read back into the command that made it
// (its `Reproduce:` line) and the scenario text it carries, to be compared (report/reproduce.ts)
// with the block this mmutt prints for the same command. Era files a block carries are code: they
// are compared, never run (the reader saves one and names it with --era-file).
import type { QuotedCite } from '../contract/output.js';
import type { Scenario } from '../contract/scenario.js';
import type { Session } from './session.js';
import { UserError, quote } from '../errors.js';
import { readInputFile, readStandardInput } from '../input.js';
import { quotingOf, unquoteLine } from '../scenario/unquote.js';

/** A saved mail (a regular file of at most 1 MiB), or `-`: the standard input, as much. */
export function readMail(path: string): string {
  return path === '-' ? readStandardInput('a mail to reproduce') : readInputFile(path, 'mail');
}

const HEAD = /^mmutt (\d+\.\d+\.\d+\S*)(?: \(history ([0-9a-f]{12})\))?\s*$/;
const SECTION = /^(Scenario \((?:save as (\S+)|the catalog's \S+)\):|Era file \(save as (\S+)\):)\s*$/;

/** Split a command line as a POSIX shell would (words, '…' and "…" quotes, backslashes). */
function shellWords(line: string): string[] {
  const out: string[] = [];
  let word: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === ' ' || c === '\t') {
      if (word !== null) out.push(word);
      word = null;
    } else if (c === "'") {
      const j = line.indexOf("'", i + 1);
      if (j < 0) throw new UserError(`the Reproduce line has an unclosed ' quote: ${quote(line)}`);
      word = (word ?? '') + line.slice(i + 1, j);
      i = j;
    } else if (c === '"') {
      let j = i + 1;
      let s = '';
      for (; j < line.length && line[j] !== '"'; j++) s += line[j] === '\\' && j + 1 < line.length ? line[++j] : line[j];
      if (j >= line.length) throw new UserError(`the Reproduce line has an unclosed " quote: ${quote(line)}`);
      word = (word ?? '') + s;
      i = j;
    } else if (c === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[++i];
    } else word = (word ?? '') + c;
  }
  if (word !== null) out.push(word);
  return out;
}

/** Where a mail client wraps lines: most at 72 columns, some at 76 or 78; a mail none of whose lines is that long was wrapped narrower. */
const FOLD_WIDTH = 72;

/**
 * Is `next` (a line's text, without its quoting) the tail of the mail line `line`, folded by a
 * mail client that wraps at `width`? Only if `line` was full: the first word of `next` would
 * have taken it past the width.
 */
function folded(line: string, next: string, width: number): boolean {
  const word = next.trim().split(/\s+/)[0] ?? '';
  // `fold -s` keeps the space it breaks at, which a client may strip: a column of slack.
  return word !== '' && line.trimEnd().length + 1 + word.length >= width;
}

/** Find and read the first cite block in a mail (or a file holding one). */
export function readCite(text: string, source: string): QuotedCite {
  const mail = text.replace(/\r\n?/g, '\n').split('\n');
  const start = mail.findIndex((l) => HEAD.test(quotingOf(l).rest));
  if (start < 0) throw new UserError(`${source}: no cite block: expected its first line, \`mmutt VERSION (history HASH)\` as \`mmutt cite\` prints it, quoted with \`>\` or indented or as it is`);
  const q = quotingOf(mail[start]!);
  const head = HEAD.exec(q.rest)!;
  const lines: string[] = [];
  /** The mail's line number (1-based) of each line of the block. */
  const lineAt: number[] = [];
  let reproduce = -1;
  let section = false;
  let unfolded = 0;
  // A block's commit subjects and descriptions fill 72 columns: a mail whose lines are all
  // shorter was wrapped at its longest.
  let width = 0;
  for (let n = start; n < mail.length && width < FOLD_WIDTH; n++) width = Math.max(width, mail[n]!.length);
  width = Math.min(width, FOLD_WIDTH);
  for (let n = start; n < mail.length; n++) {
    const u = unquoteLine(mail[n]!, q);
    // A mail client that wraps at about 72 columns folds a long quoted line at a space: its
    // tail comes on the next line, unquoted, or quoted but not indented as the block is, or
    // (a reply to a reply of a folded block) quoted one level less. It is read back onto its
    // line (the comparison says so) where the line before it was full.
    // Quoted one level less, it is a tail only inside the block (the next line quoted as the
    // block is): the reply's own "> Thanks," after it is not.
    const shallower = quotingOf(mail[n]!);
    const inside = shallower.depth > 0 && shallower.depth < q.depth && n + 1 < mail.length && unquoteLine(mail[n + 1]!, q) !== null;
    const text = u ? u.text : inside ? shallower.rest : mail[n]!;
    const tail = !u ? shallower.depth === 0 || inside : lines.length && u.text !== '' && !u.text.startsWith(' ') && (reproduce >= 0 || section) && !SECTION.test(u.text.trimEnd());
    if (tail && lines.length && folded(mail[n - 1]!, text, width)) {
      lines[lines.length - 1] = `${lines[lines.length - 1]} ${text.trim()}`;
      unfolded++;
      continue;
    }
    if (!u) break;
    const l = u.text.trimEnd();
    // Past `Reproduce:`, the block is its indented lines and the sections it carries; the first
    // other line is the mail again ("Thanks," after a quoted block that is not indented).
    if (reproduce >= 0 && l !== '' && !l.startsWith('  ') && !SECTION.test(l)) break;
    if (SECTION.test(l)) section = true;
    if (reproduce < 0 && /^Reproduce\b.*:$/.test(l)) reproduce = lines.length;
    lines.push(l);
    lineAt.push(n + 1);
  }
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  // The command, with its continuation lines (a long one is folded with ` \\` to fit 72 columns).
  const k = reproduce >= 0 ? lines.findIndex((l, i) => i > reproduce && /^\s+\$ mmutt /.test(l)) : -1;
  let command = k >= 0 ? lines[k] : undefined;
  for (let i = k + 1; command?.endsWith('\\') && i < lines.length; i++) command = `${command.slice(0, -1).trimEnd()} ${lines[i]!.trim()}`;
  if (!command) throw new UserError(`${source}:${start + 1}: the cite block has no \`Reproduce:\` section with its \`$ mmutt cite ...\` line: was the block cut?`);
  const words = shellWords(command.replace(/^\s+\$ mmutt /, ''));
  if (words[0] !== 'cite') throw new UserError(`${source}:${start + 1}: the block's Reproduce line runs \`mmutt ${quote(words.join(' '))}\`: expected \`mmutt cite ...\``);
  const carried = (i: number) => {
    const body: string[] = [];
    for (let k = i + 1; k < lines.length && !SECTION.test(lines[k]!); k++) body.push(lines[k]!.replace(/^ {2}/, ''));
    while (body.length && body[body.length - 1] === '') body.pop();
    return `${body.join('\n')}\n`;
  };
  let scenario: QuotedCite['scenario'];
  const eraFiles: QuotedCite['eraFiles'] = [];
  lines.forEach((l, i) => {
    const m = SECTION.exec(l);
    if (m?.[2]) scenario = { file: m[2], text: carried(i), at: lineAt[i + 1] ?? lineAt[i]! };
    if (m?.[3]) eraFiles.push({ file: m[3], text: carried(i) });
  });
  const sha = lines.map((l) => /^scenario \S+ \(sha256 ([0-9a-f]{12})\)$/.exec(l)?.[1]).find((h) => h);
  return { lines, at: start + 1, version: head[1]!, ...(head[2] ? { history: head[2] } : {}), ...(sha ? { sha256: sha } : {}), argv: words.slice(1), ...(scenario ? { scenario } : {}), eraFiles, unfolded };
}

/**
 * The scenario a quoted block carries, read as the file it names. It must be the one the
 * block's Reproduce line cites (`cited`), with the sha256 the block names: a block cut short,
 * or edited, is not reproduced from something else, nor from a local file in its place.
 * Undefined for a catalog scenario the block does not carry.
 */
export function carriedScenario(S: Session, q: QuotedCite, cited: string, source: string): Scenario | undefined {
  let s: Scenario | undefined;
  try {
    s = q.scenario ? S.scenarioFromText(q.scenario.file, q.scenario.text) : undefined;
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    throw new UserError(`${source}:${q.scenario!.at}: the scenario text the block carries does not read (as ${e.message}): was it cut or edited on the way?`);
  }
  if (s && cited !== q.scenario!.file) throw new UserError(`${source}:${q.at}: the block carries ${q.scenario!.file} but its Reproduce line cites ${quote(cited)}`);
  if (s && q.sha256 && !s.sha256.startsWith(q.sha256)) throw new UserError(`${source}:${q.at}: the scenario text the block carries has sha256 ${s.sha256.slice(0, 12)}, not the ${q.sha256} the block names: it was cut or edited on the way`);
  if (!s && (cited.includes('/') || cited.endsWith('.mmu'))) throw new UserError(`${source}:${q.at}: the block cites ${quote(cited)} but carries no scenario text for it (was it cut?); mmutt does not read a local file in its place`);
  return s;
}
