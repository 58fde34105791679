#!/usr/bin/env node
// The mmutt command line. Exit codes: 0 ok; 1 a difference or a failed expectation was found
// (diff, check --judge); 2 bad input (a clear message, never a stack trace); 3 an exploration
// stopped at a limit (its output says so); 70 a bug in mmutt.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { catalogNames, loadScenario } from './catalog.js';
import { UserError } from './errors.js';
import { ERAS, eraForKernel, getEra } from './eras.js';
import type { Era } from './era.js';
import { diffJson, diffRuns, diffText, sameOutcome } from './report/diff.js';
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

const FORMATS = ['text', 'json'] as const;
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

const limitsOf = (a: ExploreArgs): Limits => ({ maxStates: a.maxStates, timeoutMs: a.timeout * 1000, maxMemoryBytes: a.maxMemory * 1048576 });

async function cmdRun(a: { scenario: string; era?: string; kernel?: string; format: Format; trace: boolean; replay?: string } & ExploreArgs) {
  const s = loadScenario(a.scenario);
  const eras = selectEras(a.era, a.kernel);
  const single = (a.era !== undefined && a.era !== 'all') || a.kernel !== undefined;
  if (a.explore) {
    const runs = await exploreAll(eras.map((era) => ({ scenario: s, era })), limitsOf(a), a.witness, a.jobs);
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
  } else {
    print(results.map((r) => runText(r, { trace: a.trace })).join('\n'));
  }
}

function cmdDiff(a: { scenario: string; eraA: string; eraB: string; format: Format }) {
  const s = loadScenario(a.scenario);
  const d = diffRuns(runScenario(s, getEra(a.eraA)), runScenario(s, getEra(a.eraB)));
  print(a.format === 'json' ? toJson(diffJson(d)) : diffText(d));
  if (!sameOutcome(d)) exitCode = 1;
}

async function cmdMatrix(a: { format: Format } & ExploreArgs) {
  if (a.explore) {
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
  print(a.format === 'json' ? toJson(rows.flat().map(runJson)) : matrixText(ERAS, rows));
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
    .demandCommand(1, 'expected a command: list, run, diff, matrix or check')
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
      'diff <scenario> <eraA> <eraB>',
      'what differs between two eras on one scenario, and the first step where the traces diverge (exit 1 if the outcomes differ)',
      (y) =>
        formatOption(y)
          .positional('scenario', { type: 'string', demandOption: true })
          .positional('eraA', { type: 'string', demandOption: true })
          .positional('eraB', { type: 'string', demandOption: true }),
      (a) => cmdDiff(a as never),
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
