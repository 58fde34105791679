// mmutt cite: a plain-text block to paste in a review mail, that anyone can reproduce: every
// line at most 72 columns (a commit reference stands whole on its own line), the tool
// version, the scenario and its hash, each era with its commits in the kernel's form (a
// proposal with its posting), the results (canonical, or explored: herd7's verdict line,
// windows, harms and a replay command per witness), and the command that prints the same block
// again. Nothing local leaks in: a scenario that is not in the catalog, and an era loaded with
// --era-file, are printed in the block for the reader to save, under names the command uses.
import type { Era, Rule } from '../contract/era.js';
import type { ExploreRun, RunResult } from '../contract/output.js';
import type { Cond } from '../contract/scenario.js';
import { exploredSummary } from './explore.js';
import { COUNTER_NAMES } from '../contract/output.js';
import { MAIL_WIDTH, bandLines, eraRefs, heldFor, pathCounts, releasesOf, sideBySide, wrap, toolOf } from './text.js';
import { exploreBandLines } from './explore.js';

const W = MAIL_WIDTH;

export interface CiteOptions {
  inline: boolean;
  /** Options that shaped the result, as they go on the command line (`--explore`, limits). */
  options: string[];
  /** Eras among the cited ones (and their bases) that came from --era-file. */
  eraFiles: Era[];
  /** The scenario's text re-wrapped to 70 columns without changing a token (scenario/wrap.ts), to print in the block. */
  scenarioText: string;
}

const label = (i: number) => String.fromCharCode(65 + i);

/** The file name the block tells the reader to save a non-catalog scenario as. */
const scenarioFile = (r: RunResult) => `${r.scenario.name}.mmu`;
/** How the command names the scenario: its catalog name, or the file the block carries. */
const scenarioArg = (r: RunResult) => (r.scenario.origin && 'catalog' in r.scenario.origin ? r.scenario.origin.catalog : scenarioFile(r));
const eraFileArgs = (o: CiteOptions) => o.eraFiles.map((e) => `--era-file ${e.id}.mjs`);

/** The counters a condition names. */
const countersIn = (c: Cond): string[] => {
  switch (c.kind) {
    case 'cmp':
      return c.left.kind === 'counter' ? [c.left.name] : [];
    case 'and':
    case 'or':
      return [...countersIn(c.left), ...countersIn(c.right)];
    case 'not':
      return countersIn(c.arg);
    case 'true':
      return [];
  }
};

/**
 * The rows an argument rests on, kept even where every era agrees: each notifier callback
 * that was delivered (a callback that fires and does nothing is the point of a thread), and
 * every counter the scenario's condition or an `expect` line names.
 */
function restsOn(runs: RunResult[]): string[] {
  const s = runs[0]!.scenario;
  const delivered = COUNTER_NAMES.filter((c) => c.startsWith('notifier.') && runs.some((r) => r.outcome && r.outcome.counters[c] !== 0));
  return [...new Set([...delivered, ...(s.condition ? countersIn(s.condition.cond) : []), ...s.expect.flatMap((x) => countersIn(x.cond))])];
}

export function citeText(runs: RunResult[], explored: ExploreRun[] | null, o: CiteOptions): string {
  const first = runs[0]!;
  const s = first.scenario;
  const inCatalog = scenarioArg(first) !== scenarioFile(first);
  const out = [`mmutt ${toolOf(runs.map((r) => r.era))}`, ...wrap(`scenario ${s.name} (sha256 ${first.sha256.slice(0, 12)})`, '', '  ', W)];
  out.push(...wrap(s.description, '  ', '  ', W));
  out.push('');
  runs.forEach((r, i) => {
    const x = explored?.[i];
    const bands = explored ? x?.bands : r.bands;
    const held = heldFor({ era: r.era, ...(bands ? { bands } : {}) });
    // A proposal's base runs at the release the proposal applies to (runner/run.ts citeRuns).
    const proposal = runs.find((p) => p.era.proposal && p.era.base === r.era.id && !r.era.proposal && r.era.release !== r.era.releases.first);
    const at = proposal ? `, the rules of ${r.era.release}, the release ${proposal.era.id} applies to` : '';
    out.push(...wrap(`${label(i)} = ${r.era.id}, ${releasesOf(r.era)}${held !== releasesOf(r.era) || at ? ` (the result shown: ${held}${at})` : ''}:`, '', '    ', W));
    out.push(...eraRefs(r.era, '    ', W));
  });
  out.push('');
  if (explored) {
    out.push(explored.every((x) => !x.exploration || x.exploration.complete) ? 'Every interleaving explored:' : 'Interleavings explored (a search was stopped: see its summary):');
    const counts = pathCounts();
    explored.forEach((x, i) => {
      out.push(`${label(i)}:`, ...exploredSummary(x, W, '  ', counts));
      for (const w of x.witnesses.filter((y) => !y.outcomeKey)) {
        out.push(...wrap(`${w.shown ?? w.target}, replay:`, '  ', '    ', W));
        out.push(...wrapCommand(['mmutt run', scenarioArg(x.run), `--era ${x.run.era.id}`, `--replay ${w.token}`, ...eraFileArgs(o)].join(' '), '    '));
      }
    });
    explored.forEach((x, i) => {
      if (x.bands) out.push('', `${label(i)} = ${x.run.era.id}:`, ...exploreBandLines(x, W, counts));
    });
    const note = counts.note(W);
    if (note.length) out.push('', ...note);
  } else {
    out.push(...sideBySide(runs, W, restsOn(runs)));
    runs.forEach((r, i) => {
      if (r.bands) out.push('', `${label(i)} = ${r.era.id}:`, ...bandLines(r.bands, r.era.release, W));
    });
  }
  const command = ['mmutt cite', scenarioArg(first), ...runs.map((r) => `--era ${r.era.id}`), ...o.options, ...eraFileArgs(o), ...(o.inline ? ['--inline'] : [])].join(' ');
  const saves = [...(inCatalog ? [] : [scenarioFile(first)]), ...o.eraFiles.map((e) => `${e.id}.mjs`)];
  out.push('', ...(saves.length ? wrap(`Reproduce (save ${saves.join(' and ')} from below first):`, '', '', W) : ['Reproduce:']));
  out.push(...wrapCommand(command, '  '));
  const h = runs.find((r) => r.era.history)?.era.history;
  // The history the block came from: its commit in mmutt's repository carries the hash.
  if (h) out.push(`  with mmutt ${toolOf(runs.map((r) => r.era))}: its commit is the first of`, `  git log --reverse -S ${h} -- docs/timeline.md`);
  if (!inCatalog || o.inline) {
    out.push('', inCatalog ? `Scenario (the catalog's ${s.name}):` : `Scenario (save as ${scenarioFile(first)}):`);
    for (const line of o.scenarioText.replace(/\n$/, '').split('\n')) out.push(`  ${line}`.trimEnd());
  }
  for (const e of o.eraFiles) {
    out.push('', `Era file (save as ${e.id}.mjs):`);
    out.push(...eraModule(e).map((l) => `  ${l}`.trimEnd()));
  }
  return `${out.join('\n')}\n`;
}

/** A shell command broken at spaces with `\` continuations, each line at most 72 columns. */
function wrapCommand(cmd: string, indent: string): string[] {
  const out: string[] = [];
  let line = `${indent}$`;
  for (const w of cmd.split(' ')) {
    if (line.length + 1 + w.length > W - 2) {
      out.push(`${line} \\`);
      line = `${indent}    ${w}`;
    } else line = `${line} ${w}`;
  }
  out.push(line);
  return out;
}

/** A JavaScript string literal, split at spaces into `'...' +` pieces that fit the width. */
function jsString(text: string, indent: string, width: number): string[] {
  const esc = (t: string) => `'${t.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (indent.length + esc(text).length + 1 <= width) return [`${indent}${esc(text)}`];
  const words = text.split(' ');
  const pieces: string[] = [];
  let cur = '';
  for (const [i, w] of words.entries()) {
    const next = cur + w + (i < words.length - 1 ? ' ' : '');
    if (cur && indent.length + esc(next).length + 3 > width) {
      pieces.push(cur);
      cur = w + (i < words.length - 1 ? ' ' : '');
    } else cur = next;
  }
  if (cur) pieces.push(cur);
  return pieces.map((p, i) => `${indent}${esc(p)}${i < pieces.length - 1 ? ' +' : ''}`);
}

/**
 * The era as an --era-file module: what mmutt loaded, written back as data (its base by id and
 * the rules it sets), so that the reader runs exactly these rules.
 */
export function eraModule(e: Era): string[] {
  const w = W - 2;
  const field = (ind: string, key: string, text: string) => {
    const one = `${ind}${key}: ${jsString(text, '', 1e9)[0]},`;
    return one.length <= w ? [one] : [`${ind}${key}:`, ...jsString(text, `${ind}  `, w - 1).map((l, i, a) => (i === a.length - 1 ? `${l},` : l))];
  };
  const out = [...wrap(`${e.id}, as mmutt loaded it (an overlay on ${e.base}).`, '// ', '// ', w), 'export default ({ deriveEra, getEra }) =>', `  deriveEra(getEra('${e.base}'), {`];
  out.push(...field('    ', 'id', e.id), ...field('    ', 'title', e.title));
  if (e.proposal) {
    out.push('    proposal: {', ...field('      ', 'subject', e.proposal.subject));
    if (e.proposal.date) out.push(...field('      ', 'date', e.proposal.date));
    if (e.proposal.messageId) out.push(...field('      ', 'messageId', e.proposal.messageId));
    out.push('    },');
  }
  out.push(e.commits.length ? '    commits: [' : '    commits: [],');
  if (e.commits.length) out.push(...e.commits.flatMap((c) => jsString(c, '      ', 1e9).map((l) => `${l},`)), '    ],');
  out.push('    rules: {');
  for (const name of e.changed) {
    const r = e.rules[name] as Rule<unknown>;
    const value = `        value: ${JSON.stringify(r.value).replace(/"/g, "'")},`;
    const values = value.length <= w || !Array.isArray(r.value) ? [value] : ['        value: [', ...r.value.map((v) => `          '${String(v)}',`), '        ],'];
    out.push(`      '${name}': {`, ...values, ...field('        ', 'why', r.why), '        cite: [');
    for (const c of r.cite) {
      out.push('          {');
      for (const k of ['file', 'fn', 'commit', 'status', 'note'] as const) if (c[k] !== undefined) out.push(...field('            ', k, c[k]!));
      out.push('          },');
    }
    out.push('        ],', '      },');
  }
  out.push('    },');
  if (e.simplifications.length) {
    out.push('    simplifications: [');
    for (const x of e.simplifications) out.push(...jsString(x, '      ', w - 1).map((l, i, a) => (i === a.length - 1 ? `${l},` : l)));
    out.push('    ],');
  }
  out.push('  });');
  return out;
}

