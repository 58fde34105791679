#!/usr/bin/env node
// The mmutt command line. Exit codes: 0 ok; 1 a difference or a failed expectation was found
// (diff, check --judge); 2 bad input (a clear message, never a stack trace); 3 an exploration
// stopped at a limit (its output says so); 70 a bug in mmutt.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { catalogNames, loadScenario, parseWhere } from './catalog.js';
import { UserError } from './errors.js';
import { ERAS, PROPOSALS, eraForKernel, getEra, loadEraFile } from './eras.js';
import type { Era } from './era.js';
import { TIER_TEXT, diffJson, diffRuns, diffText, tierOf, type Tier } from './report/diff.js';
import { explainText } from './report/explain.js';
import { matrixMarkdown, runsMarkdown } from './report/markdown.js';
import { htmlReport } from './report/html.js';
import { citeText } from './report/cite.js';
import { bisect, bisectText } from './report/bisect.js';
import { runJson, toJson } from './report/json.js';
import { matrixText } from './report/matrix.js';
import { releasesOf, runText, wrap } from './report/text.js';
import { runScenario } from './runner.js';
import { exploreAll } from './explore/jobs.js';
import { ModelError } from './engine/run.js';
import { DEFAULT_LIMITS, type Limits } from './explore/explore.js';
import { exploreJson, exploreMatrixText, exploreText } from './report/explore.js';
import { fmtCond } from './engine/observe.js';
import { VERSION } from './version.js';

const FORMATS = ['text', 'json', 'markdown', 'html'] as const;
type Format = (typeof FORMATS)[number];

let exitCode = 0;
const print = (s: string) => process.stdout.write(s);

function selectEras(era: string | undefined, kernel: string | undefined): Era[] {
  if (era !== undefined && kernel !== undefined) throw new UserError('give --era or --kernel, not both');
  if (kernel !== undefined) return [eraForKernel(kernel)];
  if (era === undefined || era === 'all') return [...ERAS];
  return [getEra(era)];
}

const formatOption = <T>(y: Argv<T>) =>
  y.option('format', { choices: FORMATS, default: 'text' as Format, describe: 'output format' });

const exploreOptions = <T>(y: Argv<T>) =>
  y
    .option('explore', { type: 'boolean', default: false, describe: 'explore every interleaving of the threads (docs/explore.md)' })
    .option('witness', { type: 'boolean', default: false, describe: 'with --explore: a shortest schedule for every outcome, harm and window' })
    .option('max-states', { type: 'number', default: DEFAULT_LIMITS.maxStates, describe: 'with --explore: stop after this many states (exit 3)' })
    .option('timeout', { type: 'number', default: DEFAULT_LIMITS.timeoutMs / 1000, describe: 'with --explore: stop after this many seconds (exit 3)' })
    .option('max-memory', { type: 'number', default: DEFAULT_LIMITS.maxMemoryBytes / 1048576, describe: 'with --explore: stop when the visited set passes this many MiB (exit 3)' })
    .option('stats', { type: 'boolean', default: false, describe: 'with --explore: print time, memory and states/s (not deterministic)' })
    .option('jobs', { type: 'number', default: 1, describe: 'with --explore: explore this many (scenario, era) pairs at once, in worker threads; the output is the same for any number' });

function cmdList() {
  const out = ['Eras (oldest first):'];
  for (const e of ERAS) {
    out.push(`  ${e.id.padEnd(25)} ${releasesOf(e)}`);
    out.push(...wrap(e.title, '      '));
    for (const c of e.commits) out.push(...wrap(c, '      '));
    out.push(...wrap(`rules set here: ${e.changed.join(', ')}`, '      '));
  }
  out.push('', 'Proposals (eras/proposals/, not in --era all):');
  for (const e of PROPOSALS) {
    out.push(`  ${e.id}  on ${e.base}`);
    out.push(...wrap(e.title, '      '));
  }
  out.push('', 'Scenarios (scenarios/):');
  for (const n of catalogNames()) {
    const s = loadScenario(n);
    out.push(`  ${n}`);
    out.push(...wrap(s.description, '      '));
  }
  print(`${out.join('\n')}\n`);
}

interface ExploreArgs {
  explore: boolean;
  witness: boolean;
  maxStates: number;
  timeout: number;
  maxMemory: number;
  stats: boolean;
  jobs: number;
}

/** A progress line on stderr while exploring, on a terminal only (never in a pipe or a file). */
const progress = process.stderr.isTTY
  ? (states: number, ms: number) => process.stderr.write(`\r\x1b[Kexploring: ${states} states, ${(ms / 1000).toFixed(1)}s`)
  : undefined;

const limitsOf = (a: ExploreArgs): Limits => ({
  maxStates: a.maxStates,
  timeoutMs: a.timeout * 1000,
  maxMemoryBytes: a.maxMemory * 1048576,
  ...(progress ? { progress } : {}),
});

async function cmdRun(a: { scenario: string; era?: string; kernel?: string; format: Format; trace: boolean; replay?: string } & ExploreArgs) {
  const s = loadScenario(a.scenario);
  const eras = selectEras(a.era, a.kernel);
  const single = (a.era !== undefined && a.era !== 'all') || a.kernel !== undefined;
  if (a.explore) {
    if (a.format === 'markdown' || a.format === 'html') throw new UserError('--explore prints text or json');
    const runs = await exploreAll(eras.map((era) => ({ scenario: s, era })), limitsOf(a), a.witness, a.jobs);
    if (progress) process.stderr.write('\r\x1b[K');
    if (runs.some((r) => r.exploration && !r.exploration.complete)) exitCode = 3;
    if (a.format === 'json') print(toJson(single ? exploreJson(runs[0]!, a) : runs.map((r) => exploreJson(r, a))));
    else print(runs.map((r) => exploreText(r, a)).join('\n'));
    return;
  }
  if (a.replay !== undefined && !single) throw new UserError('--replay needs one era: give --era ID or --kernel vX.Y');
  const results = eras.map((e) => runScenario(s, e, a.replay));
  if (a.format === 'json') {
    const docs = results.map(runJson);
    print(toJson(single ? docs[0] : docs));
  } else if (a.format === 'markdown') {
    print(runsMarkdown(results));
  } else if (a.format === 'html') {
    print(htmlReport([results]));
  } else {
    print(results.map((r) => runText(r, { trace: a.trace })).join('\n'));
  }
}

function cmdDiff(a: { args: string[]; all: boolean; format: Format }) {
  if (a.all) {
    if (a.args.length !== 2) throw new UserError('diff --all takes two eras: mmutt diff --all ERA_A ERA_B');
    const [ea, eb] = a.args.map(getEra) as [Era, Era];
    const diffs = catalogNames().map((n) => {
      const s = loadScenario(n);
      return diffRuns(runScenario(s, ea), runScenario(s, eb));
    });
    if (diffs.some((d) => tierOf(d) === 'changed' || tierOf(d) === 'timeout')) exitCode = 1;
    if (a.format === 'json') {
      print(toJson(diffs.map(diffJson)));
      return;
    }
    const out = [`mmutt diff --all  A = ${ea.id}  B = ${eb.id}  (${diffs.length} scenarios)`, ''];
    for (const d of diffs) out.push(`${TIER_TEXT[tierOf(d)].padEnd(26)} ${d.a.scenario.name}`);
    out.push('');
    for (const t of Object.keys(TIER_TEXT) as Tier[]) {
      const n = diffs.filter((d) => tierOf(d) === t).length;
      if (n) out.push(`${TIER_TEXT[t]}: ${n}`);
    }
    print(`${out.join('\n')}\n`);
    return;
  }
  if (a.args.length !== 3) throw new UserError('diff takes a scenario and two eras: mmutt diff SCENARIO ERA_A ERA_B (or diff --all ERA_A ERA_B)');
  if (a.format === 'markdown' || a.format === 'html') throw new UserError('diff prints text or json');
  const s = loadScenario(a.args[0]!);
  const d = diffRuns(runScenario(s, getEra(a.args[1]!)), runScenario(s, getEra(a.args[2]!)));
  print(a.format === 'json' ? toJson(diffJson(d)) : diffText(d));
  // As with --all: exit 1 when the result changed (tools/memory-model's "!!! Result changed").
  if (tierOf(d) === 'changed' || tierOf(d) === 'timeout') exitCode = 1;
}

function cmdExplain(a: { scenario: string; era?: string; kernel?: string; replay?: string }) {
  if ((a.era === undefined || a.era === 'all') && a.kernel === undefined) throw new UserError('explain needs one era: give --era ID or --kernel vX.Y');
  const era = selectEras(a.era, a.kernel)[0]!;
  const r = runScenario(loadScenario(a.scenario), era, a.replay);
  print(explainText(r, a.replay ? `The schedule of replay token ${a.replay}` : 'The canonical schedule'));
}

function cmdCite(a: { scenario: string; era: string[]; inline: boolean }) {
  const eras = (a.era ?? []).map(getEra);
  if (!eras.length) throw new UserError('cite needs at least one --era');
  const s = loadScenario(a.scenario);
  const cmd = ['mmutt cite', a.scenario, ...eras.map((e) => `--era ${e.id}`), ...(a.inline ? ['--inline'] : [])].join(' ');
  print(citeText(eras.map((e) => runScenario(s, e)), cmd, a.inline));
}

function cmdBisect(a: { scenario: string; where: string }) {
  const s = loadScenario(a.scenario);
  const cond = parseWhere(s, a.where);
  print(bisectText(s, cond, bisect(s, ERAS, cond)));
}

async function cmdMatrix(a: { format: Format } & ExploreArgs) {
  if (a.explore) {
    if (a.format === 'markdown' || a.format === 'html') throw new UserError('--explore prints text or json');
    const scenarios = catalogNames().map(loadScenario);
    const flat = await exploreAll(scenarios.flatMap((scenario) => ERAS.map((era) => ({ scenario, era }))), limitsOf(a), false, a.jobs);
    const rows = scenarios.map((_, i) => flat.slice(i * ERAS.length, (i + 1) * ERAS.length));
    if (rows.flat().some((r) => r.exploration && !r.exploration.complete)) exitCode = 3;
    print(a.format === 'json' ? toJson(rows.flat().map((r) => exploreJson(r, a))) : exploreMatrixText(ERAS, rows));
    return;
  }
  const rows = catalogNames().map((n) => {
    const s = loadScenario(n);
    return ERAS.map((e) => runScenario(s, e));
  });
  if (a.format === 'json') print(toJson(rows.flat().map(runJson)));
  else if (a.format === 'markdown') print(matrixMarkdown(ERAS, rows));
  else if (a.format === 'html') print(htmlReport(rows));
  else print(matrixText(ERAS, rows));
}

/** Scenario files named on the command line; a folder stands for the .mmu files in it. */
function scenarioFiles(args: string[]): string[] {
  return args.flatMap((f) => {
    let dir = false;
    try {
      dir = statSync(f).isDirectory();
    } catch {
      // not a folder: loadScenario reports what is wrong with it
    }
    if (!dir) return [f];
    const files = readdirSync(f).filter((n) => n.endsWith('.mmu')).sort();
    if (!files.length) throw new UserError(`${f}: no .mmu files in this folder`);
    return files.map((n) => join(f, n));
  });
}

function cmdCheck(a: { files: string[]; judge: boolean }) {
  const out: string[] = [];
  let failed = 0;
  for (const f of scenarioFiles(a.files)) {
    const s = loadScenario(f);
    if (!a.judge) {
      out.push(`${f}: ok (${s.name})`);
      continue;
    }
    const bad: string[] = [];
    for (const x of s.expect) {
      const r = runScenario(s, getEra(x.era));
      const holds = r.expectations.find((y) => y.expect === x)?.holds ?? false;
      if (!holds) bad.push(`${f}:${x.pos.line}:${x.pos.col}: expect ${x.era}: ${fmtCond(x.cond)}: FAILED${r.unavailable ? ` (${r.unavailable})` : ''}`);
    }
    failed += bad.length;
    out.push(bad.length ? bad.join('\n') : `${f}: ok (${s.expect.length} expectations hold)`);
  }
  print(`${out.join('\n')}\n`);
  if (failed) exitCode = 1;
}

async function main() {
  const argv = hideBin(process.argv);
  await yargs(argv)
    .scriptName('mmutt')
    .usage('$0 <command>: MMU-notifier and KVM x86 semantics across kernel history')
    .version(VERSION)
    .strict()
    .demandCommand(1, 'expected a command: list, run, diff, explain, cite, bisect, matrix or check')
    .command('list', 'list the eras and the catalog scenarios', {}, cmdList)
    .command(
      'run <scenario>',
      'run a scenario (a catalog name or a path) under one era or all',
      (y) =>
        exploreOptions(formatOption(y))
          .positional('scenario', { type: 'string', demandOption: true, describe: 'catalog name or path to a .mmu file' })
          .option('era', { type: 'string', describe: 'era id, or all (default)' })
          .option('kernel', { type: 'string', describe: 'a kernel release (vX.Y or vX.Y.Z): run its era' })
          .option('trace', { type: 'boolean', default: true, describe: 'print the step trace (--no-trace to omit)' })
          .option('replay', { type: 'string', describe: 'run the schedule of a replay token (from --explore --witness)' }),
      (a) => cmdRun(a as never),
    )
    .command(
      'diff <args..>',
      'diff SCENARIO ERA_A ERA_B: what differs, its tier, and the first step where the traces diverge; diff --all ERA_A ERA_B: the tier of every catalog scenario (exit 1 if a result changed)',
      ((y: Argv) =>
        formatOption(y)
          .positional('args', { type: 'string', array: true, demandOption: true, describe: 'SCENARIO ERA_A ERA_B, or with --all ERA_A ERA_B' })
          .option('all', { type: 'boolean', default: false, describe: 'compare two eras over the whole catalog' })) as never,
      (a) => cmdDiff(a as never),
    )
    .command(
      'explain <scenario>',
      'the trace step by step in kernel terms: what each step changed, and the era rule that fired with its source',
      (y) =>
        y
          .positional('scenario', { type: 'string', demandOption: true })
          .option('era', { type: 'string', describe: 'era id' })
          .option('kernel', { type: 'string', describe: 'a kernel release (vX.Y): explain its era' })
          .option('replay', { type: 'string', describe: 'explain the schedule of a replay token instead' }),
      (a) => cmdExplain(a as never),
    )
    .command(
      'cite <scenario>',
      'a block to paste into a review mail (72 columns): version, scenario hash, eras and commits, results, the command to reproduce it',
      (y) =>
        y
          .positional('scenario', { type: 'string', demandOption: true })
          .option('era', { type: 'string', array: true, describe: 'an era to cite (repeat)' })
          .option('inline', { type: 'boolean', default: false, describe: 'add the scenario text so a reader can rerun it from the mail' }),
      (a) => cmdCite(a as never),
    )
    .command(
      'bisect <scenario>',
      'walk the released eras in order and name the first where a condition (on the canonical run) flips',
      (y) =>
        y
          .positional('scenario', { type: 'string', demandOption: true })
          .option('where', { type: 'string', demandOption: true, describe: "a condition, for example 'kvm.spte_change > 0'" }),
      (a) => cmdBisect(a as never),
    )
    .command('matrix', 'every catalog scenario under every era, in one table', (y) => exploreOptions(formatOption(y)), (a) => cmdMatrix(a as never))
    .command(
      'check <files..>',
      'validate scenario files; with --judge, check every `expect` line against its era (exit 1 if one fails)',
      (y) =>
        y
          .positional('files', { type: 'string', array: true, demandOption: true })
          .option('judge', { type: 'boolean', default: false, describe: 'run the expectations' }),
      (a) => cmdCheck(a as never),
    )
    .option('era-file', {
      type: 'string',
      array: true,
      describe: 'load an era of your own (a proposal overlay) from a .mjs/.js/.ts module. This runs its code: scenario files never are',
    })
    .middleware(async (a) => {
      for (const f of (a['era-file'] as string[] | undefined) ?? []) await loadEraFile(f);
    })
    .fail((msg, err) => {
      throw err ?? new UserError(msg);
    })
    .help()
    .parseAsync();
}

// Exit by setting process.exitCode, never process.exit(): that would cut off output still
// being written to a pipe.
main().then(
  () => {
    process.exitCode = exitCode;
  },
  (e: unknown) => {
    if (e instanceof UserError) {
      process.stderr.write(`mmutt: ${e.message}\n`);
      process.exitCode = 2;
      return;
    }
    const err = e as Error;
    process.stderr.write(`mmutt: internal error: ${err?.message ?? String(e)}\n`);
    if (e instanceof ModelError) {
      process.stderr.write('the last steps before it:\n');
      for (const t of e.trace.slice(-12)) process.stderr.write(`  ${t.n} ${t.thread} ${t.fn}: ${t.does}${t.notes.length ? ` [${t.notes.join('; ')}]` : ''}\n`);
    }
    if (process.env.MMUTT_DEBUG) process.stderr.write(`${err?.stack ?? ''}\n`);
    process.exitCode = 70;
  },
);
