// mmutt reproduce, the report: whether a quoted cite block is what this mmutt prints for the
// same command, and where it is not, the lines that differ (- as quoted, + as printed now).
import type { QuotedCite } from '../contract/output.js';
import { wrap } from './text.js';

/** One line of a comparison: in both, only in the quoted block (-), or only in this mmutt's (+). */
type DiffLine = { op: ' ' | '-' | '+'; text: string };

/** The quoted block against the fresh one, line by line (longest common subsequence). */
function diffLines(quoted: readonly string[], fresh: readonly string[]): DiffLine[] {
  const a = quoted;
  const b = fresh;
  const n = a.length;
  const m = b.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      out.push({ op: ' ', text: a[i++]! });
      j++;
    } else if (i < n && (j >= m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) out.push({ op: '-', text: a[i++]! });
    else out.push({ op: '+', text: b[j++]! });
  }
  return out;
}

/** Where a mail client wraps a line it sends (72 columns; some 76 or 78). */
const MAIL_WIDTH = 72;
const words = (l: string) => l.trim().split(/\s+/).join(' ');

/**
 * The quoted block with the lines a mail client folded read back as one: a line this mmutt
 * prints past 72 columns (a commit reference stands whole on its line, as checkpatch allows),
 * or one the quoting took past the client's width, arrives as two or more, split at spaces,
 * each quoted again. A quoted line that is not a line of the fresh block is unfolded only
 * where it and the lines after it hold the words of one fresh line, in order: any other
 * difference in the lines stays one.
 */
function unfold(quoted: readonly string[], fresh: readonly string[]): { lines: string[]; folded: number } {
  const printed = new Set(fresh);
  const freshWords = fresh.map(words);
  const out: string[] = [];
  let folded = 0;
  for (let i = 0; i < quoted.length; i++) {
    // The fresh line whose words this quoted line and the next ones hold, and the last of them.
    let whole = -1;
    let last = i;
    const start = words(quoted[i]!);
    if (start && !printed.has(quoted[i]!)) {
      for (let f = 0; f < fresh.length && whole < 0; f++) {
        const w = freshWords[f]!;
        if (!w.startsWith(`${start} `)) continue;
        let joined = start;
        for (let k = i + 1; k < quoted.length && joined.length < w.length; k++) {
          joined = `${joined} ${words(quoted[k]!)}`;
          if (joined === w) {
            whole = f;
            last = k;
            break;
          }
        }
      }
    }
    if (whole < 0) {
      out.push(quoted[i]!);
      continue;
    }
    out.push(fresh[whole]!);
    folded++;
    i = last;
  }
  return { lines: out, folded };
}

/** A block without the body of its `Scenario (...)` section: that text is compared by its sha256. */
function withoutScenarioText(lines: readonly string[]): string[] {
  const out: string[] = [];
  let skipping = false;
  for (const l of lines) {
    if (/^(Scenario|Era file) \(.*\):$/.test(l)) {
      skipping = l.startsWith('Scenario');
      out.push(l);
    } else if (!skipping) out.push(l);
  }
  return out;
}

/**
 * The verdict on a quoted block. The history hash is set aside where it appears (the header and
 * the Reproduce lines), and said: a block made with another history can differ where the
 * history was corrected since, and the reader is told how to get that version.
 */
export function reproduceText(q: QuotedCite, fresh: string, o: { source: string; version: string }): { text: string; same: boolean } {
  const now = fresh.replace(/\n$/, '').split('\n').map((l) => l.trimEnd());
  const nowHistory = /\(history ([0-9a-f]{12})\)/.exec(now[0] ?? '')?.[1];
  const neutral = (lines: readonly string[], h: string | undefined) => (h ? lines.map((l) => l.split(h).join('HISTORY')) : [...lines]);
  // The scenario text is compared by its tokens (its sha256, on the block's second line), not
  // by lines: a mail client may re-wrap it, and a re-wrapped scenario is the same scenario.
  const printed = withoutScenarioText(neutral(now, nowHistory));
  const quoted = unfold(withoutScenarioText(neutral(q.lines, q.history)), printed);
  const d = diffLines(quoted.lines, printed);
  const changed = d.filter((x) => x.op !== ' ').length;
  const made = `mmutt ${q.version}${q.history ? ` (history ${q.history})` : ''}`;
  const thisOne = `mmutt ${o.version}${nowHistory ? ` (history ${nowHistory})` : ''}`;
  const out = [`${thisOne}`, ...wrap(`reproduce: the block at ${o.source}:${q.at}, made by ${made}`, '', '  '), ...wrap(`reran: mmutt cite ${q.argv.join(' ')}`, '', '  ')];
  if (made !== thisOne) {
    out.push(...wrap(`note: this is ${thisOne}, not the ${made} that made the block`, '', '  '));
    if (q.history && q.history !== nowHistory) out.push(...wrap(`lines can differ where the history was corrected since; that history: git log --reverse -S ${q.history} -- docs/timeline.md`, '  ', '  '));
  }
  if (q.scenario) out.push('the scenario text it carries has the sha256 it names (by tokens)');
  const joined = quoted.folded + q.unfolded;
  if (joined) out.push(...wrap(`${joined} ${joined === 1 ? 'line' : 'lines'} arrived folded by the mail client (a commit reference longer than ${MAIL_WIDTH} columns, or a line the quoting took past them): read as one`, '', '  '));
  if (!changed) {
    out.push(`reproduces: all ${d.length} lines are the same`);
    return { text: `${out.join('\n')}\n`, same: true };
  }
  const gone = d.filter((x) => x.op === '-').length;
  const come = d.filter((x) => x.op === '+').length;
  out.push(...wrap(`differs: ${gone} ${gone === 1 ? 'line' : 'lines'} as quoted, ${come} as printed now (- as quoted, + now; line numbers of the quoted block)`, '', '  '));
  let n = 0;
  let lastShown = -2;
  d.forEach((x, i) => {
    if (x.op !== '+') n++;
    if (x.op === ' ') return;
    if (i !== lastShown + 1) out.push(`@@ line ${x.op === '-' ? n : n + 1}`);
    // The history hash was set aside to compare: each side prints its own.
    const h = x.op === '-' ? q.history : nowHistory;
    out.push(`${x.op} ${h ? x.text.split('HISTORY').join(h) : x.text}`);
    lastShown = i;
  });
  return { text: `${out.join('\n')}\n`, same: false };
}
