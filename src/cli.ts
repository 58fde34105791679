#!/usr/bin/env node
// The mmutt command line. Exit codes: 0 ok; 1 a difference or a failed expectation was found
// (diff, check --judge); 2 bad input (a clear message, never a stack trace); 3 an exploration
// stopped at a limit (its output says so); 70 a bug in mmutt; 130 interrupted (SIGINT).
import { availableParallelism } from 'node:os';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { catalogNames, loadScenario, parseWhere } from './scenario/catalog.js';
import { wrapScenario } from './scenario/wrap.js';
import { UserError } from './errors.js';
import { EraRegistry } from './era/registry.js';
import type { Era } from './contract/era.js';
import { verdict, type ExploreRun } from './contract/output.js';
import { TIER_TEXT, diffExplored, diffJson, diffRuns, diffText, exploreDiffJson, exploreDiffText, exploreTierOf, tierOf, type Tier } from './report/diff.js';
import { explainText } from './report/explain.js';
import { matrixMarkdown, runsMarkdown } from './report/markdown.js';
import { htmlReport } from './report/html.js';
import { citeText } from './report/cite.js';
import { bisectText } from './report/bisect.js';
import { runJson, toJson } from './report/json.js';
import { matrixText, releaseMatrixText } from './report/matrix.js';
import { failedWhere, pathCounts, plural, releaseRange, releasesOf, runsText, toolOf, wrap } from './report/text.js';
import { diffEras, runScenario } from './runner/run.js';
import { bisectReleases, releaseRows } from './runner/releases.js';
import { exploreAll, newStopFlag } from './runner/jobs.js';
import { ModelError } from './engine/run.js';
import { DEFAULT_LIMITS, type Limits } from './explore/explore.js';
import { exploreJson, exploreMatrixMarkdown, exploreMatrixText, exploresText, observationLine } from './report/explore.js';
import { fmtCond } from './report/cond.js';
import { isDirectory, quote } from './input.js';
import type { Scenario } from './contract/scenario.js';
import { VERSION } from './version.js';

const FORMATS = ['text', 'json', 'markdown', 'html'] as const;
type Format = (typeof FORMATS)[number];

let exitCode = 0;
const print = (s: string) => process.stdout.write(s);
/** A note on stderr: which scenario ran when a name could mean two. */
const note = (m: string) => process.stderr.write(`mmutt: note: ${m}\n`);

/** Every era module in eras/ and eras/proposals/, and those loaded with --era-file in this run (set first thing in main). */
let registry: EraRegistry;
let ERAS: readonly Era[];
const getEra = (id: string) => registry.get(id);
/** A scenario by catalog name or path; its expect and result lines name released eras or mainline releases. */
const load = (arg: string) => loadScenario(arg, { eras: [...ERAS.map((e) => e.id), ...registry.releases], note });

function selectEras(era: string | undefined, kernel: string | undefined): Era[] {
  if (era !== undefined && kernel !== undefined) throw new UserError('give --era or --kernel, not both');
  if (kernel !== undefined) return [registry.forKernel(kernel)];
  if (era === undefined || era === 'all') return [...ERAS];
  return [getEra(era)];
}

/**
 * A numeric option checked on the way in: a whole number (or any number of seconds) within
 * its range, else exit 2 saying the range. yargs hands over NaN for `abc`.
 */
function numeric(name: string, min: number, max: number, whole: boolean) {
  return (v: unknown) => {
    const n = typeof v === 'number' ? v : Number(v);
    if (Array.isArray(v)) throw new UserError(`--${name} is given more than once`);
    if (!Number.isFinite(n) || n < min || n > max || (whole && !Number.isInteger(n))) {
      throw new UserError(`--${name} takes ${whole ? 'a whole number' : 'a number'} from ${min} to ${max}, not \`${quote(String(v))}\``);
    }
    return n;
  };
}

/** The default --jobs: one worker per core (up to 8); the output does not depend on it. */
const DEFAULT_JOBS = Math.max(1, Math.min(8, availableParallelism()));

const formatOption = <T>(y: Argv<T>, choices: readonly Format[] = FORMATS) =>
  y.option('format', { choices, default: 'text' as Format, describe: 'output format' });

/** The exploration options; `via` names the option that makes the command explore. */
const exploreOptions = <T>(y: Argv<T>, via: 'explore' | 'judge' = 'explore') =>
  y
    .option('explore', { type: 'boolean', default: false, describe: 'explore every interleaving of the threads (docs/explore.md)' })
    .option('witness', { type: 'boolean', default: false, describe: 'with --explore: a shortest schedule for every outcome, harm and window' })
    .option('max-states', { requiresArg: true, default: DEFAULT_LIMITS.maxStates, coerce: numeric('max-states', 1, 4_000_000_000, true), describe: 'with --explore: stop after this many states (exit 3); 1 to 4e9' })
    .option('timeout', { requiresArg: true, default: DEFAULT_LIMITS.timeoutMs / 1000, coerce: numeric('timeout', 0.001, 604_800, false), describe: 'with --explore: stop after this many seconds (exit 3); up to a week' })
    .option('max-memory', { requiresArg: true, default: DEFAULT_LIMITS.maxMemoryBytes / 1048576, coerce: numeric('max-memory', 1, 1_048_576, true), describe: 'with --explore: stop when the visited set passes this many MiB (exit 3)' })
    .option('reduce', { type: 'boolean', default: false, describe: 'with --explore: partial-order reduction (sleep sets): every outcome, harm and window, fewer transitions, no path counts' })
    .option('stats', { type: 'boolean', default: false, describe: 'with --explore: print time, memory and states/s (not deterministic)' })
    .option('jobs', { requiresArg: true, default: DEFAULT_JOBS, coerce: numeric('jobs', 1, 64, true), describe: 'with --explore: explorations at once, in worker threads (1 to 64; default: the cores, up to 8); the output is the same for any number' })
    .check((a) => {
      // An option that only shapes an exploration, given without one, would be silently
      // dropped: the reader of a pasted command would think it had effect. (--jobs is not
      // here: scripts pass it to every command.)
      const given = [
        a.witness && '--witness',
        a.reduce && '--reduce',
        a.stats && '--stats',
        a.maxStates !== DEFAULT_LIMITS.maxStates && '--max-states',
        a.timeout !== DEFAULT_LIMITS.timeoutMs / 1000 && '--timeout',
        a.maxMemory !== DEFAULT_LIMITS.maxMemoryBytes / 1048576 && '--max-memory',
      ].filter(Boolean);
      if (!a[via] && given.length) throw new UserError(`${given.join(', ')}: only with --${via}`);
      return true;
    });

interface ExploreArgs {
  explore: boolean;
  witness: boolean;
  maxStates: number;
  timeout: number;
  maxMemory: number;
  stats: boolean;
  jobs: number;
  reduce: boolean;
}

const limitsOf = (a: ExploreArgs): Limits => ({ maxStates: a.maxStates, timeoutMs: a.timeout * 1000, maxMemoryBytes: a.maxMemory * 1048576, ...(a.reduce ? { reduce: true } : {}) });

/** The options that shaped an explored result, as a command line gives them (for cite's Reproduce). */
function exploreFlags(a: ExploreArgs): string[] {
  if (!a.explore) return [];
  const out = ['--explore'];
  if (a.reduce) out.push('--reduce');
  if (a.maxStates !== DEFAULT_LIMITS.maxStates) out.push(`--max-states ${a.maxStates}`);
  if (a.timeout !== DEFAULT_LIMITS.timeoutMs / 1000) out.push(`--timeout ${a.timeout}`);
  if (a.maxMemory !== DEFAULT_LIMITS.maxMemoryBytes / 1048576) out.push(`--max-memory ${a.maxMemory}`);
  return out;
}

/**
 * Explore (scenario, era) pairs in workers while this thread shows progress (on a terminal)
 * and listens for SIGINT: the first stops every exploration where it is, and the partial
 * results are printed with an Interrupted verdict and exit 130; a second ends at once.
 */
async function explorePairs(pairs: { scenario: Scenario; era: Era }[], a: ExploreArgs, witnesses: boolean): Promise<ExploreRun[]> {
  const stop = newStopFlag();
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    Atomics.store(stop, 0, 1);
  };
  process.on('SIGINT', onSigint);
  const t0 = performance.now();
  const tty = process.stderr.isTTY;
  // At most five lines a second: a terminal that redraws on every report slows the run.
  let shown = -Infinity;
  let shownDone = -1;
  const progress = tty
    ? (states: number, done: number, total: number) => {
        const now = performance.now();
        if (now - shown < 200 && done === shownDone) return;
        shown = now;
        shownDone = done;
        const secs = (now - t0) / 1000;
        const rate = secs > 0 ? `, ${Math.round(states / secs).toLocaleString('en-US')} states/s` : '';
        process.stderr.write(`\r\x1b[Kexploring: ${states.toLocaleString('en-US')} states, ${secs.toFixed(1)}s${rate}${total > 1 ? `, ${done} of ${total} runs done` : ''}`);
      }
    : undefined;
  try {
    const runs = await exploreAll(pairs, limitsOf(a), witnesses, a.jobs, { stop, ...(progress ? { progress } : {}) });
    if (interrupted) exitCode = 130;
    else if (runs.some((r) => r.exploration && !r.exploration.complete)) exitCode = 3;
    return runs;
  } finally {
    if (tty) process.stderr.write('\r\x1b[K');
    process.off('SIGINT', onSigint);
  }
}

/** list --releases: every mainline release, the named era it falls in, and what changes there. */
function listReleases() {
  const t = registry.timeline;
  const out = [`Releases (${t.releases.length}, ${t.releases[0]}..${t.releases[t.releases.length - 1]}):`, ...wrap(`${t.newest}.`, '  ', '  ')];
  out.push('', `  ${'release'.padEnd(8)} ${'era'.padEnd(24)} what changes in it (+: a feature arrives)`);
  for (const r of t.releases) {
    const e = registry.forKernel(r);
    const changes = r === t.releases[0] ? ['where every rule starts'] : [...e.changed, ...t.features.filter((f) => f.release === r).map((f) => `+${f.name}`)];
    const head = `  ${r.padEnd(8)} ${(e.era ?? '-').padEnd(24)} `;
    out.push(...(changes.length ? wrap(changes.join(', '), head, ''.padEnd(head.length)) : [head.trimEnd()]));
  }
  out.push('', "Era '-': before the first named era. `mmutt run SCENARIO --kernel vX.Y` runs a release; docs/timeline.md has every entry.");
  print(`${out.join('\n')}\n`);
}

function cmdList(a: { releases: boolean }) {
  if (a.releases) return listReleases();
  const out = ['Eras (oldest first):'];
  for (const e of ERAS) {
    out.push(`  ${e.id.padEnd(25)} ${releasesOf(e)}`);
    out.push(...wrap(e.title, '      '));
    for (const c of e.commits) out.push(`      ${c}`);
    out.push(...wrap(`runs ${e.release}; ${e.base ? `rules that change since ${e.base}` : 'every rule'}: ${e.changed.join(', ')}`, '      '));
  }
  out.push('', 'Proposals (eras/proposals/, not in --era all):');
  for (const e of [...registry.proposals, ...registry.fromFiles]) {
    out.push(`  ${e.id}  ${releasesOf(e)}`);
    out.push(...wrap(e.title, '      '));
    if (e.proposal?.date) out.push(...wrap(`posted ${e.proposal.date}: "${e.proposal.subject}"`, '      ', '        '));
  }
  out.push('', 'Scenarios (scenarios/):');
  for (const n of catalogNames()) {
    const s = load(n);
    out.push(`  ${n}`);
    out.push(...wrap(s.description, '      '));
  }
  print(`${out.join('\n')}\n`);
}

async function cmdRun(a: { scenario: string; era?: string; kernel?: string; format: Format; trace: boolean; replay?: string } & ExploreArgs) {
  const s = load(a.scenario);
  const eras = selectEras(a.era, a.kernel);
  const single = (a.era !== undefined && a.era !== 'all') || a.kernel !== undefined;
  if (a.explore) {
    if (a.replay !== undefined) throw new UserError('--replay runs one schedule: give it without --explore');
    const runs = await explorePairs(eras.map((era) => ({ scenario: s, era })), a, a.witness);
    if (a.format === 'json') print(toJson(single ? exploreJson(runs[0]!, a) : runs.map((r) => exploreJson(r, a))));
    else if (a.format === 'markdown') print(exploreMatrixMarkdown(eras, [runs]));
    else if (a.format === 'html') print(htmlReport([eras.map((e) => runScenario(s, e))], [runs]));
    else print(exploresText(runs, a));
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
    print(runsText(results, { trace: a.trace }));
  }
}

async function cmdDiff(a: { args: string[]; all: boolean; format: 'text' | 'json' } & ExploreArgs) {
  const tiers: Tier[] = [];
  const pairDiff = async (s: Scenario, a0: Era, b0: Era) => {
    // A proposal against its base: the base at the proposal's release.
    const [ea, eb] = diffEras(a0, b0);
    if (!a.explore) {
      const d = diffRuns(runScenario(s, ea), runScenario(s, eb));
      tiers.push(tierOf(d));
      return { d, text: () => diffText(d), json: () => diffJson(d), tier: tierOf(d) };
    }
    const [xa, xb] = await explorePairs([{ scenario: s, era: ea }, { scenario: s, era: eb }], a, true);
    const d = diffExplored(xa!, xb!);
    tiers.push(exploreTierOf(d));
    return { d, text: () => exploreDiffText(d), json: () => exploreDiffJson(d), tier: exploreTierOf(d) };
  };
  if (a.all) {
    if (a.args.length !== 2) throw new UserError('diff --all takes two eras: mmutt diff --all ERA_A ERA_B');
    const [ea, eb] = a.args.map(getEra) as [Era, Era];
    const diffs = [];
    for (const n of catalogNames()) diffs.push({ name: n, ...(await pairDiff(load(n), ea, eb)) });
    if (a.format === 'json') print(toJson(diffs.map((d) => d.json())));
    else {
      const out = [`mmutt ${toolOf([ea, eb])}`, `diff --all${a.explore ? ' --explore' : ''}  A = ${ea.id}  B = ${eb.id}`, `(${diffs.length} scenarios)`, ''];
      for (const d of diffs) out.push(`${TIER_TEXT[d.tier].padEnd(26)} ${d.name}`);
      out.push('');
      for (const t of Object.keys(TIER_TEXT) as Tier[]) {
        const n = diffs.filter((d) => d.tier === t).length;
        if (n) out.push(`${TIER_TEXT[t]}: ${n}`);
      }
      print(`${out.join('\n')}\n`);
    }
  } else {
    if (a.args.length !== 3) throw new UserError('diff takes a scenario and two eras: mmutt diff SCENARIO ERA_A ERA_B (or diff --all ERA_A ERA_B)');
    const d = await pairDiff(load(a.args[0]!), getEra(a.args[1]!), getEra(a.args[2]!));
    print(a.format === 'json' ? toJson(d.json()) : d.text());
  }
  // As tools/memory-model's cmplitmushist.sh: exit 1 when a result changed.
  if (exitCode === 0 && tiers.some((t) => t === 'changed' || t === 'timeout')) exitCode = 1;
}

function cmdExplain(a: { scenario: string; era?: string; kernel?: string; replay?: string }) {
  if ((a.era === undefined || a.era === 'all') && a.kernel === undefined) throw new UserError('explain needs one era: give --era ID or --kernel vX.Y');
  const era = selectEras(a.era, a.kernel)[0]!;
  const r = runScenario(load(a.scenario), era, a.replay);
  print(explainText(r, a.replay ? `The schedule of replay token ${a.replay}` : 'The canonical schedule'));
}

/** Eras that came from --era-file among these (and their bases), in load order. */
function fromEraFiles(eras: Era[]): Era[] {
  const need = new Set<string>();
  const add = (e: Era | undefined) => {
    if (!e || !registry.fromFiles.includes(e) || need.has(e.id)) return;
    need.add(e.id);
    add(registry.fromFiles.find((x) => x.id === e.base));
  };
  eras.forEach(add);
  return registry.fromFiles.filter((e) => need.has(e.id));
}

async function cmdCite(a: { scenario: string; era?: string[]; inline: boolean } & ExploreArgs) {
  const eras = (a.era ?? []).flatMap((id) => (id === 'all' ? [...ERAS] : [getEra(id)]));
  if (!eras.length) throw new UserError('cite needs at least one --era (or --era all)');
  const s = load(a.scenario);
  const runs = eras.map((e) => runScenario(s, e));
  const explored = a.explore ? await explorePairs(eras.map((era) => ({ scenario: s, era })), a, true) : null;
  print(citeText(runs, explored, { inline: a.inline, options: exploreFlags(a), eraFiles: fromEraFiles(eras), scenarioText: wrapScenario(s.text, 70) }));
}

async function cmdBisect(a: { scenario: string; where: string; between?: string[]; format: 'text' | 'json' } & ExploreArgs) {
  const s = load(a.scenario);
  const cond = parseWhere(s, a.where);
  if (a.between !== undefined && a.between.length !== 2) throw new UserError('--between takes two releases: --between vA vB');
  const b = await bisectReleases(s, cond, registry.timeline, ERAS, {
    ...(a.between ? { between: [a.between[0]!, a.between[1]!] as [string, string] } : {}),
    ...(a.explore ? { exploreMany: (pairs: { scenario: Scenario; era: Era }[]) => explorePairs(pairs, a, false) } : {}),
  });
  print(a.format === 'json' ? toJson({ schema: 'mmutt/bisect@1', tool: { version: VERSION, history: b.history }, scenario: { name: s.name, sha256: s.sha256 }, where: fmtCond(cond), ...b }) : bisectText(s, cond, b));
}

/** Scenario files named on the command line; a folder stands for the .mmu files in it. */
function scenarioFiles(args: string[]): string[] {
  return args.flatMap((f) => {
    if (!isDirectory(f)) return [f];
    const files = readdirSync(f).filter((n) => n.endsWith('.mmu')).sort();
    if (!files.length) throw new UserError(`${quote(f)}: no .mmu files in this folder`);
    return files.map((n) => join(f, n));
  });
}

async function cmdMatrix(a: { dir?: string; format: Format; releases: boolean } & ExploreArgs) {
  const scenarios = a.dir === undefined ? catalogNames().map(load) : scenarioFiles([a.dir]).map(load);
  if (a.releases) {
    if (a.explore) throw new UserError('matrix --releases runs the canonical schedule: for one scenario, `mmutt bisect SCENARIO --where COND --explore` walks the releases exploring');
    if (a.format !== 'text') throw new UserError('matrix --releases prints text: use `mmutt bisect --format json` for data');
    const t = registry.timeline;
    const { rows, ruleSets } = releaseRows(scenarios, t, ERAS);
    print(releaseMatrixText(rows, ruleSets, t.releases.length));
    return;
  }
  if (a.explore) {
    const flat = await explorePairs(scenarios.flatMap((scenario) => ERAS.map((era) => ({ scenario, era }))), a, false);
    const rows = scenarios.map((_, i) => flat.slice(i * ERAS.length, (i + 1) * ERAS.length));
    if (a.format === 'json') print(toJson(flat.map((r) => exploreJson(r, a))));
    else if (a.format === 'markdown') print(exploreMatrixMarkdown(ERAS, rows));
    else if (a.format === 'html') print(htmlReport(scenarios.map((s) => ERAS.map((e) => runScenario(s, e))), rows));
    else print(exploreMatrixText(ERAS, rows));
    return;
  }
  const rows = scenarios.map((s) => ERAS.map((e) => runScenario(s, e)));
  if (a.format === 'json') print(toJson(rows.flat().map(runJson)));
  else if (a.format === 'markdown') print(matrixMarkdown(ERAS, rows));
  else if (a.format === 'html') print(htmlReport(rows));
  else print(matrixText(ERAS, rows));
}

async function cmdCheck(a: { files: string[]; judge: boolean } & ExploreArgs) {
  const files = scenarioFiles(a.files);
  const scenarios = files.map((f) => ({ f, s: load(f) }));
  if (!a.judge) {
    print(`${scenarios.map(({ f, s }) => `${f}: ok (${s.name})`).join('\n')}\n`);
    return;
  }
  // `result` lines need every interleaving: explore them all at once, in the workers.
  const pairs = scenarios.flatMap(({ s }) => s.results.map((x) => ({ scenario: s, era: getEra(x.era) })));
  const explored = pairs.length ? await explorePairs(pairs, a, false) : [];
  const out: string[] = [];
  const paths = pathCounts();
  let judged = 0;
  let failed = 0;
  let k = 0;
  for (const { f, s } of scenarios) {
    const bad: string[] = [];
    for (const x of s.expect) {
      const r = runScenario(s, getEra(x.era));
      const got = r.expectations.find((y) => y.expect === x);
      judged++;
      if (!got?.holds) bad.push(`${f}:${x.pos.line}:${x.pos.col}: expect ${x.era}: ${fmtCond(x.cond)}: FAILED ${r.unavailable ? `(${r.unavailable})` : failedWhere(got!)}`);
    }
    for (const x of s.results) {
      const r = explored[k++]!;
      const v = r.exploration ? verdict(r.exploration) : null;
      judged++;
      // A result of an era holds where every release of it that can run the scenario finds it.
      const elsewhere = (r.bands ?? []).filter((b) => b.release !== r.run.era.release && b.exploration && verdict(b.exploration)?.verdict !== x.verdict);
      const saw = (e: ExploreRun) => observationLine(e, paths.fmt).split(' ').slice(2).join(' ');
      if (v?.verdict !== x.verdict || elsewhere.length) {
        const where = [...(v?.verdict !== x.verdict ? [`saw ${saw(r)}`] : []), ...elsewhere.map((b) => `in ${releaseRange(b)} saw ${saw({ ...r, exploration: b.exploration })}`)];
        bad.push(`${f}:${x.pos.line}:${x.pos.col}: result ${x.era}: ${x.verdict}: FAILED (${r.run.unavailable ?? where.join('; ')})`);
      }
    }
    failed += bad.length;
    const counts = [plural(s.expect.length, 'expectation'), ...(s.results.length ? [plural(s.results.length, 'result')] : [])].join(' and ');
    out.push(...(bad.length ? bad : [`${f}: ok (${counts} ${s.expect.length + s.results.length === 1 ? 'holds' : 'hold'})`]));
  }
  out.push(`judged ${judged} in ${plural(files.length, 'file')}: ${failed ? `${failed} FAILED` : 'all hold'}`, ...paths.note());
  print(`${out.join('\n')}\n`);
  if (failed && exitCode === 0) exitCode = 1;
}

async function main() {
  registry = await EraRegistry.discover();
  ERAS = registry.released;
  const argv = hideBin(process.argv);
  await yargs(argv)
    .scriptName('mmutt')
    .usage('$0 <command>: MMU-notifier and KVM x86 semantics across kernel history')
    .version(VERSION)
    .strict()
    .demandCommand(1, 'expected a command: list, run, diff, explain, cite, bisect, matrix or check')
    .command('list', 'list the eras and the catalog scenarios (--releases: every mainline release and its era)', (y) => y.option('releases', { type: 'boolean', default: false, describe: 'every mainline release, the era it falls in, and what changes in it' }), (a) => cmdList(a as never))
    .command(
      'run <scenario>',
      'run a scenario (a catalog name or a path) under one era or all',
      (y) =>
        exploreOptions(formatOption(y))
          .positional('scenario', { type: 'string', demandOption: true, describe: 'catalog name or path to a .mmu file' })
          .option('era', { type: 'string', describe: 'era id, or all (default)' })
          .option('kernel', { type: 'string', describe: 'a mainline release (vX.Y or vX.Y.Z): its own rules, in its own names' })
          .option('trace', { type: 'boolean', default: true, describe: 'print the step trace (--no-trace to omit)' })
          .option('replay', { type: 'string', describe: 'run the schedule of a replay token (from --explore --witness)' }),
      (a) => cmdRun(a as never),
    )
    .command(
      'diff <args..>',
      'diff SCENARIO ERA_A ERA_B: what differs, its tier, and the first step where the traces diverge (with --explore: outcomes, verdicts, windows); diff --all ERA_A ERA_B: the tier of every catalog scenario (exit 1 if a result changed)',
      ((y: Argv) =>
        exploreOptions(formatOption(y, ['text', 'json']))
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
          .option('kernel', { type: 'string', describe: 'a mainline release (vX.Y): its own rules, in its own names' })
          .option('replay', { type: 'string', describe: 'explain the schedule of a replay token instead' }),
      (a) => cmdExplain(a as never),
    )
    .command(
      'cite <scenario>',
      'a block to paste into a review mail (72 columns): version, scenario hash, eras and commits, results (with --explore: verdicts, windows, harms, replay commands), the command to reproduce it',
      (y) =>
        exploreOptions(y)
          .positional('scenario', { type: 'string', demandOption: true })
          .option('era', { type: 'string', array: true, describe: 'an era to cite (repeat), or all: every released era' })
          .option('inline', { type: 'boolean', default: false, describe: 'add the catalog scenario text too (a scenario of your own is always added)' }),
      (a) => cmdCite(a as never),
    )
    .command(
      'bisect <scenario>',
      'walk the mainline releases and name the first where a condition flips (the canonical run, or with --explore the verdict over every interleaving), with the commits of that release',
      (y) =>
        exploreOptions(formatOption(y, ['text', 'json']))
          .positional('scenario', { type: 'string', demandOption: true })
          .option('where', { type: 'string', demandOption: true, describe: "a condition, for example 'kvm.spte_change > 0'" })
          .option('between', { type: 'string', array: true, nargs: 2, describe: 'only the releases from vA to vB: --between vA vB' }),
      (a) => cmdBisect(a as never),
    )
    .command(
      'matrix [dir]',
      'every catalog scenario (or every .mmu file in DIR) under every era, in one table; with --releases, at every mainline release, in ranges of identical results',
      (y) =>
        exploreOptions(formatOption(y))
          .positional('dir', { type: 'string', describe: 'a folder of your own scenarios (default: the catalog)' })
          .option('releases', { type: 'boolean', default: false, describe: 'every mainline release instead of the named eras (canonical schedule)' }),
      (a) => cmdMatrix(a as never),
    )
    .command(
      'check <files..>',
      'validate scenario files (or folders of them); with --judge, check every `expect` line (canonical run) and `result` line (every interleaving) against its era (exit 1 if one fails)',
      (y) =>
        exploreOptions(y, 'judge')
          .positional('files', { type: 'string', array: true, demandOption: true })
          .option('judge', { type: 'boolean', default: false, describe: 'run the expectations and results' }),
      (a) => cmdCheck(a as never),
    )
    .option('era-file', {
      type: 'string',
      array: true,
      describe: 'load an era of your own (a proposal overlay) from a .mjs/.js/.ts module. This runs its code: scenario files never are',
    })
    .middleware(async (a) => {
      for (const f of (a['era-file'] as string[] | undefined) ?? []) await registry.loadFile(f);
    })
    .fail((msg, err) => {
      // A bad option value (a coerce that threw) comes wrapped by yargs: it is still bad input.
      if (err && (err instanceof UserError || err.name !== 'YError')) throw err;
      // yargs quotes what it did not accept: cut any long word of it, as mmutt does its own.
      throw new UserError((err?.message ?? msg).replace(/\S{81,}/g, (w) => quote(w)));
    })
    .help()
    .parseAsync();
}

/** A message for one line on stderr: user text in it is already cut to ~80 characters; a yargs message may not be. */
const oneLine = (m: string) => {
  const flat = m.replace(/\s*\n\s*/g, ' ');
  return flat.length > 400 ? `${flat.slice(0, 397)}...` : flat;
};

// Exit by setting process.exitCode, never process.exit(): that would cut off output still
// being written to a pipe.
main().then(
  () => {
    process.exitCode = exitCode;
  },
  (e: unknown) => {
    if (e instanceof UserError) {
      process.stderr.write(`mmutt: ${oneLine(e.message)}\n`);
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

