// The mmutt command line: it parses options and hands them over, to the runner (which loads
// scenarios, chooses eras and runs them) and to the reports (which print what came back).
// Each command evaluates only the modules it uses, so `--help` costs what yargs costs.
// Exit codes: 0 ok; 1 a difference or a failed expectation was found (diff, check --judge,
// reproduce); 2 bad input (a clear message, never a stack trace); 3 an exploration stopped at a
// limit (its output says so); 70 a bug in mmutt; 74 the output could not be written (a full
// disk); 130 interrupted (SIGINT); 141 the reader of the output went away (a closed pipe), as
// for a process killed by SIGPIPE (src/exit.ts).
import { availableParallelism } from 'node:os';
import type { Argv } from 'yargs';
import { UserError, quote, quotePath } from './errors.js';
import { DEFAULT_LIMITS, ModelError, type ExploreRun, type Limits } from './contract/output.js';
import type { Era } from './contract/era.js';
import type { Scenario } from './contract/scenario.js';
import type { EraChoice, Session } from './runner/session.js';
import { FORMATS, type Format } from './report/render.js';
import { VERSION } from './version.js';
import { endAfterOutput, guardOutput } from './exit.js';

// Ctrl-C at any moment once mmutt runs, even before the command is known, stops explorations
// where they are: their partial results print (verdict Interrupted) with exit 130. A command
// that does not explore has nothing partial to print and ends at once; a second Ctrl-C ends at
// once. One Ctrl-C often arrives twice: `timeout -s INT` signals the process and then its
// group, and `npm run` passes on the terminal's signal to a child that had it already; a
// second SIGINT within SAME_CTRL_C ms of the first is that same Ctrl-C. (Before this module
// runs, in Node's own start-up, a Ctrl-C ends the process as it ends any.)
const SAME_CTRL_C = 500;
const stop = new Int32Array(new SharedArrayBuffer(4));
let mode: 'not yet known' | 'explores' | 'runs' = 'not yet known';
let firstCtrlC = 0;
process.on('SIGINT', () => {
  if (mode === 'runs') process.exit(130);
  if (Atomics.load(stop, 0)) {
    if (performance.now() - firstCtrlC > SAME_CTRL_C) process.exit(130);
    return;
  }
  firstCtrlC = performance.now();
  Atomics.store(stop, 0, 1);
});

// A reader that went away ends the command quietly (141); a failed write says so (74).
guardOutput();

let exitCode = 0;
const print = (s: string) => {
  process.stdout.write(s);
};
/** A note on stderr: which scenario ran when a name could mean two. */
const note = (m: string) => process.stderr.write(`mmutt: note: ${m}\n`);

/** The runner's session for this command: the eras (with this run's --era-file modules) and the scenarios. */
async function session(a: { eraFile?: string[] }): Promise<Session> {
  const { Session } = await import('./runner/session.js');
  const s = await Session.open(a.eraFile ?? [], note);
  // An era file's code may leave a promise rejected and never handled: Node reports it (and
  // ends) at a turn of the event loop, and the command would end without one
  // (endAfterOutput): give it that turn now. mmutt's own work leaves none.
  if (a.eraFile?.length) await new Promise((r) => setImmediate(r));
  // From here a command that does not explore computes and prints without waiting, so a
  // handler would run only once it was done: Node ends it at once on a Ctrl-C (exit 130).
  if (mode === 'runs') process.removeAllListeners('SIGINT');
  return s;
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

const formatOption = <T>(y: Argv<T>, choices: readonly Format[] = FORMATS) => y.option('format', { choices, default: 'text' as Format, describe: 'output format' });

/** --era, --kernel and --at: which era or release runs (repeatable where the command takes several). */
const eraOptions = <T>(y: Argv<T>, many = false, one = false) =>
  y
    .option('era', { type: 'string', array: many, describe: many ? 'an era id, a release, or all (repeat for several)' : one ? 'an era id or a release (one is needed: --era, --kernel or --at)' : 'era id, a release, or all (default: every era)' })
    .option('kernel', { type: 'string', array: many, describe: 'a mainline release (vX.Y, v2.6.X): its own rules, in its own names' })
    .option('at', { type: 'string', array: many, describe: 'a commit the timeline names: the first release that has it (docs/timeline.md)' });

/** The exploration options; `via` names the option that makes the command explore. */
const exploreOptions = <T>(y: Argv<T>, via: 'explore' | 'judge' = 'explore') =>
  y
    .option('explore', { type: 'boolean', default: false, describe: 'explore every interleaving of the threads (docs/explore.md)' })
    .option('witness', { type: 'boolean', default: false, describe: 'with --explore: a shortest schedule for every outcome, harm and window' })
    .option('max-states', { requiresArg: true, default: DEFAULT_LIMITS.maxStates, coerce: numeric('max-states', 1, 4_000_000_000, true), describe: 'with --explore: stop once past this many states (exit 3; checked every 256 new states); 1 to 4e9' })
    .option('timeout', { requiresArg: true, default: DEFAULT_LIMITS.timeoutMs / 1000, coerce: numeric('timeout', 0.001, 604_800, false), describe: 'with --explore: stop after this many seconds (exit 3); up to a week' })
    .option('max-memory', { requiresArg: true, default: DEFAULT_LIMITS.maxMemoryBytes / 1048576, coerce: numeric('max-memory', 1, 1_048_576, true), describe: 'with --explore: stop when the visited set passes this many MiB (exit 3)' })
    .option('reduce', { type: 'boolean', default: false, describe: 'with --explore: partial-order reduction (persistent and sleep sets): every outcome, harm and window, fewer states and transitions, no path counts' })
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
type Common = { eraFile?: string[] };

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
 * Explore (scenario, era) pairs in workers while this thread shows progress (on a terminal).
 * A Ctrl-C stops every exploration where it is; the partial results come back with an
 * Interrupted verdict and the command exits 130.
 */
async function explorePairs(pairs: { scenario: Scenario; era: Era }[], a: ExploreArgs, witnesses: boolean): Promise<ExploreRun[]> {
  const { exploreAll } = await import('./runner/jobs.js');
  const t0 = performance.now();
  const tty = process.stderr.isTTY;
  // At most five lines a second: a terminal that redraws on every report slows the run.
  let shown = -Infinity;
  let shownDone = -1;
  const progress = tty
    ? (states: number, done: number, total: number, again?: boolean) => {
        const now = performance.now();
        if (now - shown < 200 && done === shownDone) return;
        shown = now;
        shownDone = done;
        const secs = (now - t0) / 1000;
        const rate = secs > 0 ? `, ${Math.round(states / secs).toLocaleString('en-US')} states/s` : '';
        process.stderr.write(`\r\x1b[Kexploring${again ? ' again on one thread (a split cannot give this answer: a limit or a cycle)' : ''}: ${states.toLocaleString('en-US')} states, ${secs.toFixed(1)}s${rate}${total > 1 ? `, ${done} of ${total} runs done` : ''}`);
      }
    : undefined;
  try {
    const runs = await exploreAll(pairs, limitsOf(a), witnesses, a.jobs, { stop, ...(progress ? { progress } : {}) });
    if (Atomics.load(stop, 0)) exitCode = 130;
    else if (runs.some((r) => r.exploration && !r.exploration.complete)) exitCode = 3;
    return runs;
  } finally {
    if (tty) process.stderr.write('\r\x1b[K');
  }
}

/**
 * Commands that may explore: from here a Ctrl-C leaves partial results. Otherwise it ends the
 * command: one that came already, now; a later one at once (process.exit while the era files
 * load, which removes what they leave; then as Node ends any process: session()).
 */
function startCommand(explores: boolean): void {
  mode = explores ? 'explores' : 'runs';
  if (!explores && Atomics.load(stop, 0)) process.exit(130);
}

async function cmdList(a: { releases: boolean; rules: boolean } & EraChoice & Common) {
  startCommand(false);
  const S = await session(a);
  const L = await import('./report/list.js');
  if (a.releases && a.rules) throw new UserError('give --releases or --rules, not both');
  const chosen = a.era !== undefined || a.kernel !== undefined || a.at !== undefined;
  if (chosen && !a.rules) throw new UserError('--era, --kernel and --at go with list --rules (the rules at one release)');
  if (a.rules) {
    const era = chosen ? S.select(a)[0]! : S.era(S.registry.releases[S.registry.releases.length - 1]!);
    if (!era.entries || era.releases.first !== era.releases.last || era.proposal) throw new UserError(`list --rules shows one release: \`${era.id}\` runs ${era.releases.first}..${era.releases.last ?? ''}; give --kernel vX.Y (mmutt list --releases shows where its rules change)`);
    return print(L.rulesText(era));
  }
  if (a.releases) return print(L.releasesText(S.registry.timeline, S.registry.releases.map((r) => S.era(r))));
  print(L.erasText(S.eras, [...S.registry.proposals, ...S.registry.fromFiles], S.catalog()));
}

async function cmdRun(a: { scenario: string; format: Format; trace: boolean; replay?: string; trail?: string } & EraChoice & ExploreArgs & Common) {
  startCommand(a.explore);
  const S = await session(a);
  const { runGrid, trailToken } = await import('./runner/run.js');
  const s = S.scenario(a.scenario);
  const eras = S.select(a);
  const single = (a.era !== undefined && a.era !== 'all') || a.kernel !== undefined || a.at !== undefined;
  if (a.explore) {
    if (a.replay !== undefined || a.trail !== undefined) throw new UserError(`--${a.replay !== undefined ? 'replay' : 'trail'} runs one schedule: give it without --explore`);
    const runs = await explorePairs(eras.map((era) => ({ scenario: s, era })), a, a.witness);
    print(await (await import('./report/render.js')).exploresOutput(runs, a.format, { single, stats: a.stats, page: await pageFor(a.format) }, () => runGrid([s], eras)[0]!));
    return;
  }
  if (a.replay !== undefined && !single) throw new UserError('--replay needs one era: give --era ID or --kernel vX.Y');
  let replay = a.replay;
  if (a.trail !== undefined) {
    if (Array.isArray(a.trail)) throw new UserError('--trail takes one trail file: give it once');
    if (a.trail === '') throw new UserError('--trail needs a trail file (pan writes MODEL.pml.trail)');
    if (replay !== undefined) throw new UserError('--trail and --replay each give a schedule: give one');
    if (!single) throw new UserError('--trail needs the era the model was exported at: give --era ID, --kernel vX.Y or --at COMMIT');
    const t = trailToken(s, eras[0]!, a.trail);
    if (t.note) note(t.note);
    replay = t.token;
  }
  print(await (await import('./report/render.js')).runsOutput(runGrid([s], eras, replay)[0]!, a.format, { single, trace: a.trace, page: await pageFor(a.format) }));
}

async function cmdDiff(a: { args: string[]; all: boolean; format: 'text' | 'json' } & ExploreArgs & Common) {
  startCommand(a.explore);
  const S = await session(a);
  const { comparePair } = await import('./runner/run.js');
  const D = await import('./report/diff.js');
  // With --explore every comparison keeps its witnesses (a diff shows where explorations part).
  const explore = a.explore ? (pairs: { scenario: Scenario; era: Era }[]) => explorePairs(pairs, a, true) : undefined;
  const diffs: ({ name: string } & ReturnType<typeof D.comparedOutput>)[] = [];
  let ea: Era, eb: Era;
  if (a.all) {
    if (a.args.length !== 2) throw new UserError('diff --all takes two eras: mmutt diff --all ERA_A ERA_B');
    [ea, eb] = a.args.map((id) => S.era(id)) as [Era, Era];
    for (const n of S.catalogNames()) diffs.push({ name: n, ...D.comparedOutput(await comparePair(S.scenario(n), ea, eb, explore)) });
  } else {
    if (a.args.length !== 3) throw new UserError('diff takes a scenario and two eras: mmutt diff SCENARIO ERA_A ERA_B (or diff --all ERA_A ERA_B)');
    const s = S.scenario(a.args[0]!);
    [ea, eb] = [S.era(a.args[1]!), S.era(a.args[2]!)];
    diffs.push({ name: a.args[0]!, ...D.comparedOutput(await comparePair(s, ea, eb, explore)) });
  }
  print(D.diffOutput(ea, eb, a.explore, diffs, a.all, a.format));
  // As tools/memory-model's cmplitmushist.sh: exit 1 when a result changed.
  if (exitCode === 0 && diffs.some((d) => d.tier === 'changed' || d.tier === 'timeout')) exitCode = 1;
}

async function cmdExplain(a: { scenario?: string; replay?: string; step?: string } & EraChoice & Common) {
  startCommand(false);
  const S = await session(a);
  const era = S.select(a, { required: 'explain needs one era: give --era ID, --kernel vX.Y or --at COMMIT' });
  if (era.length !== 1) throw new UserError('explain needs one era: give --era ID, --kernel vX.Y or --at COMMIT (not all)');
  if (a.step !== undefined) {
    if (Array.isArray(a.step)) throw new UserError('explain --step takes one function: give --step once');
    if (a.step.trim() === '') throw new UserError('explain --step needs the name of a kernel function, as a trace prints it (try_to_unmap_one)');
    if (a.replay !== undefined) throw new UserError('explain --step shows how a step is built, not a schedule: drop --replay');
    const { showSteps } = await import('./runner/steps.js');
    const shown = showSteps(a.step, a.scenario === undefined ? S.catalog() : [S.scenario(a.scenario)], era[0]!);
    if (!shown.scenario) throw new UserError(shown.absent ?? `no ${a.scenario === undefined ? 'catalog scenario' : 'machine of that scenario'} has a step of ${quote(a.step)} at ${era[0]!.release}: a step is named by the kernel function a trace prints (\`mmutt explain SCENARIO --kernel ${era[0]!.release}\` lists them)`);
    print((await import('./report/explain.js')).stepsText(shown));
    return;
  }
  if (a.scenario === undefined) throw new UserError('explain needs a scenario (or --step FUNCTION)');
  const { runScenario } = await import('./runner/run.js');
  const r = runScenario(S.scenario(a.scenario), era[0]!, a.replay);
  print((await import('./report/explain.js')).explainText(r, a.replay ? `The schedule of replay token ${a.replay}` : 'The canonical schedule'));
}

async function cmdExport(a: { scenario: string; promela: boolean } & EraChoice & Common) {
  startCommand(false);
  if (!a.promela) throw new UserError('export needs a format: --promela (a model for SPIN)');
  const S = await session(a);
  const era = S.select(a, { required: 'export needs one era: give --era ID, --kernel vX.Y or --at COMMIT' });
  if (era.length !== 1) throw new UserError('export needs one era: give --era ID, --kernel vX.Y or --at COMMIT (not all)');
  const { exportPromela } = await import('./runner/run.js');
  const asked = a.era !== undefined ? `--era ${a.era}` : a.kernel !== undefined ? `--kernel ${a.kernel}` : `--at ${a.at}`;
  print(exportPromela(S.scenario(a.scenario), era[0]!, { version: VERSION, scenario: a.scenario, era: asked }));
}

/** The cite block for these options (cite prints it; reproduce compares a quoted one with it). */
async function citeBlock(S: Session, a: { scenario: string; inline: boolean } & EraChoice & ExploreArgs, scenario?: Scenario): Promise<string> {
  const eras = S.select(a, { many: true, required: 'cite needs at least one --era, --kernel or --at (or --era all)' });
  const { citeRuns } = await import('./runner/run.js');
  const s = scenario ?? S.scenario(a.scenario);
  const { runs, explored } = await citeRuns(s, eras, a.explore ? (pairs) => explorePairs(pairs, a, true) : undefined);
  const { citeText } = await import('./report/cite.js');
  return citeText(runs, explored, { inline: a.inline, options: exploreFlags(a), eraFiles: S.eraFilesOf(eras), scenarioText: S.mailText(s) });
}

/** The options of `cite` (also read back from a quoted block's Reproduce line). */
const citeOptions = <T>(y: Argv<T>) =>
  eraOptions(exploreOptions(y), true)
    .positional('scenario', { type: 'string', demandOption: true })
    .option('inline', { type: 'boolean', default: false, describe: 'add the catalog scenario text too (a scenario of your own is always added)' });

async function cmdCite(a: { scenario: string; inline: boolean } & EraChoice & ExploreArgs & Common) {
  startCommand(a.explore);
  print(await citeBlock(await session(a), a));
}

async function cmdReproduce(a: { file: string } & Common) {
  startCommand(true);
  const R = await import('./runner/reproduce.js');
  // yargs hands over `-` as an empty string; no file is named so.
  const file = a.file === '' ? '-' : a.file;
  const text = R.readMail(file);
  const source = file === '-' ? '(stdin)' : quotePath(file);
  const q = R.readCite(text, source);
  const S = await session(a);
  // The command the block names, parsed as `cite` parses it; its era files are the reader's own.
  const carried = q.eraFiles.map((f) => f.file);
  const argv = q.argv.filter((w, i, all) => w !== '--era-file' && all[i - 1] !== '--era-file');
  for (const f of carried) {
    if (!S.registry.fromFiles.some((e) => `${e.id}.mjs` === f)) throw new UserError(`${source}:${q.at}: the block carries the era file ${f}: mmutt runs no code from a mail; save it, read it, and give --era-file ${f}`);
  }
  let parsed: { scenario: string; inline: boolean } & EraChoice & ExploreArgs;
  try {
    const { default: yargs } = await import('yargs');
    parsed = (await yargs(argv)
      .command('$0 <scenario>', 'cite', (y) => citeOptions(y))
      .strict()
      .exitProcess(false)
      .help(false)
      .version(false)
      .fail((msg, err) => {
        throw new UserError(err?.message ?? msg);
      })
      .parseAsync()) as never;
  } catch (e) {
    throw new UserError(`${source}:${q.at}: the block's Reproduce line \`mmutt cite ${quote(q.argv.join(' '))}\`: ${(e as Error).message}`);
  }
  const s = R.carriedScenario(S, q, parsed.scenario, source);
  const fresh = await citeBlock(S, parsed, s);
  const { reproduceText } = await import('./report/reproduce.js');
  const r = reproduceText(q, fresh, { source, version: VERSION });
  print(r.text);
  // A limit the block names stops the rerun as it stopped the quoted search: the answer is
  // whether the lines agree (0 or 1), not exit 3.
  if (exitCode === 3) exitCode = 0;
  if (exitCode === 0 && !r.same) exitCode = 1;
}

async function cmdBisect(a: { scenario: string; where?: string; between?: string[]; format: 'text' | 'json' } & ExploreArgs & Common) {
  startCommand(a.explore);
  const S = await session(a);
  const s = S.scenario(a.scenario);
  if (a.where === undefined && !s.condition) throw new UserError(`bisect needs a condition: ${s.name} has no exists/forall line; give --where 'COND'`);
  const cond = a.where === undefined ? s.condition!.cond : S.where(s, a.where);
  if (a.between !== undefined && a.between.length !== 2) throw new UserError('--between takes two releases: --between vA vB');
  const { bisectReleases } = await import('./runner/releases.js');
  const b = await bisectReleases(s, cond, S.registry.timeline, S.eras, {
    ...(a.between ? { between: [a.between[0]!, a.between[1]!] as [string, string] } : {}),
    ...(a.explore ? { exploreMany: (pairs: { scenario: Scenario; era: Era }[]) => explorePairs(pairs, a, false) } : {}),
  });
  const B = await import('./report/bisect.js');
  print(B.bisectOutput(s, cond, b, a.format));
}

async function cmdMatrix(a: { dir?: string; format: Format; releases: boolean } & ExploreArgs & Common) {
  startCommand(a.explore);
  const S = await session(a);
  const scenarios = a.dir === undefined ? S.catalog() : S.files([a.dir]).map((f) => S.scenario(f));
  const eras = S.eras;
  if (a.releases) {
    if (a.explore) throw new UserError('matrix --releases runs the canonical schedule: for one scenario, `mmutt bisect SCENARIO --where COND --explore` walks the releases exploring');
    if (a.format !== 'text') throw new UserError('matrix --releases prints text: use `mmutt bisect --format json` for data');
    const { releaseRows } = await import('./runner/releases.js');
    const { rows, ruleSets } = releaseRows(scenarios, S.registry.timeline, eras);
    print((await import('./report/matrix.js')).releaseMatrixText(rows, ruleSets, S.registry.releases.length));
    return;
  }
  const { exploreGrid, runGrid } = await import('./runner/run.js');
  const R = await import('./report/render.js');
  if (a.explore) {
    const rows = await exploreGrid(scenarios, eras, (pairs) => explorePairs(pairs, a, false));
    print(await R.exploredMatrixOutput(eras, rows, a.format, { stats: a.stats, page: await pageFor(a.format) }, () => runGrid(scenarios, eras)));
    return;
  }
  print(await R.matrixOutput(eras, runGrid(scenarios, eras, undefined, R.matrixShowsTraces(a.format)), a.format, await pageFor(a.format)));
}

async function cmdCheck(a: { files: string[]; judge: boolean } & ExploreArgs & Common) {
  startCommand(a.judge);
  const S = await session(a);
  const C = await import('./runner/check.js');
  const R = await import('./report/check.js');
  // Every file is read, so that one bad file does not hide the next.
  const read = C.readAll(S, a.files);
  const bad = read.filter((f) => f.error !== undefined);
  const good = read.flatMap((f) => (f.scenario ? [{ file: f.file, scenario: f.scenario }] : []));
  if (bad.length === 1 && read.length === 1) throw new UserError(bad[0]!.error!);
  if (bad.length) {
    print(R.parsedText(good.map((f) => ({ file: f.file, name: f.scenario.name }))));
    for (const f of bad) process.stderr.write(`mmutt: ${oneLine(f.error!)}\n`);
    throw new UserError(`${bad.length} of ${read.length} files ${bad.length === 1 ? 'has an error' : 'have errors'}${a.judge ? ': nothing was judged' : ''}`);
  }
  if (!a.judge) return print(R.parsedText(good.map((f) => ({ file: f.file, name: f.scenario.name }))));
  const judged = await C.judge(S, good, (pairs) => explorePairs(pairs, a, false));
  const { text, failed } = R.judgedText(judged);
  print(text);
  if (failed && exitCode === 0) exitCode = 1;
}

/** An html report carries the time-travel page's script (loaded only for html). */
const pageFor = async (format: string) => (format === 'html' ? (await import('./runner/site.js')).siteScript() : null);

async function main() {
  const argv = process.argv.slice(2);
  const { default: yargs } = await import('yargs');
  const cli = yargs(argv);
  // yargs renders the whole help text after starting any command, in case it is asked for
  // later; mmutt never shows help on a failure (.fail below), so that work (a fifth of a run's
  // start-up) is skipped. --help itself renders it as usual.
  const usage = (cli as unknown as { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } } }).getInternalMethods?.().getUsageInstance?.();
  if (usage?.cacheHelpMessage) usage.cacheHelpMessage = () => undefined;
  await cli
    .scriptName('mmutt')
    .usage('$0 <command>: MMU-notifier and KVM x86 semantics across kernel history')
    .version(VERSION)
    .strict()
    .demandCommand(1, 'expected a command: list, run, diff, explain, export, cite, reproduce, bisect, matrix or check')
    .command(
      'list',
      'list the eras and the catalog scenarios (--releases: every mainline release and its era; --rules: every rule at one release, with its source)',
      (y) =>
        eraOptions(y)
          .option('releases', { type: 'boolean', default: false, describe: 'every mainline release, the era it falls in, and what changes in it' })
          .option('rules', { type: 'boolean', default: false, describe: 'every rule at one release (--kernel, --at; default the newest), its timeline entry, commit and the code read' }),
      (a) => cmdList(a as never),
    )
    .command(
      'run <scenario>',
      'run a scenario (a catalog name or a path) under one era or all',
      (y) =>
        eraOptions(exploreOptions(formatOption(y)))
          .positional('scenario', { type: 'string', demandOption: true, describe: 'catalog name or path to a .mmu file' })
          .option('trace', { type: 'boolean', default: true, describe: 'print the step trace (--no-trace to omit)' })
          .option('replay', { type: 'string', describe: 'run the schedule of a replay token (from --explore --witness)' })
          .option('trail', { type: 'string', describe: 'run the schedule of a SPIN trail (pan\'s FILE.pml.trail for a model `mmutt export --promela` wrote at this era)' }),
      (a) => cmdRun(a as never),
    )
    .command(
      'diff <args..>',
      'diff SCENARIO ERA_A ERA_B: what differs, its tier, and the first step where the traces diverge (with --explore: outcomes, verdicts, windows); diff --all ERA_A ERA_B: the tier of every catalog scenario (exit 1 if a result changed). An era is an id, a release (vX.Y) or a commit the timeline names',
      ((y: Argv) =>
        exploreOptions(formatOption(y, ['text', 'json']))
          .positional('args', { type: 'string', array: true, demandOption: true, describe: 'SCENARIO ERA_A ERA_B, or with --all ERA_A ERA_B' })
          .option('all', { type: 'boolean', default: false, describe: 'compare two eras over the whole catalog' })) as never,
      (a) => cmdDiff(a as never),
    )
    .command(
      'explain [scenario]',
      'the trace step by step in kernel terms: what each step changed, and the era rule that fired with its source; --step FUNCTION: how the model builds that kernel function at a release',
      (y) =>
        eraOptions(y, false, true)
          .positional('scenario', { type: 'string' })
          .option('replay', { type: 'string', describe: 'explain the schedule of a replay token instead' })
          .option('step', { type: 'string', describe: "show the steps of this kernel function as the model builds them at the era's release (in the SCENARIO's machine, or the first catalog scenario's that has them)" }),
      (a) => cmdExplain(a as never),
    )
    .command(
      'export <scenario>',
      'the machine of a scenario at one era as a Promela model for SPIN (--promela): one d_step per step, the same states; harms are assertions, each final state prints its outcome (docs/spin.md)',
      (y) =>
        eraOptions(y, false, true)
          .positional('scenario', { type: 'string', demandOption: true })
          .option('promela', { type: 'boolean', default: false, describe: 'write a Promela model (the only format so far)' }),
      (a) => cmdExport(a as never),
    )
    .command(
      'cite <scenario>',
      'a block to paste into a review mail (72 columns): version, scenario hash, eras and commits, results (with --explore: verdicts, windows, harms, replay commands), the command to reproduce it',
      (y) => citeOptions(y),
      (a) => cmdCite(a as never),
    )
    .command(
      'reproduce <file>',
      'rerun the cite block in FILE (a saved mail; - for the standard input), quoted with > or indented as it arrived, and say whether it reproduces (exit 0) or which lines differ (exit 1)',
      (y) => y.positional('file', { type: 'string', demandOption: true, describe: 'a file holding the block, or - to read it from the standard input' }),
      (a) => cmdReproduce(a as never),
    )
    .command(
      'bisect <scenario>',
      'walk the mainline releases and name the first where a condition flips (the canonical run, or with --explore the verdict over every interleaving), with the commits of that release',
      (y) =>
        exploreOptions(formatOption(y, ['text', 'json']))
          .positional('scenario', { type: 'string', demandOption: true })
          .option('where', { type: 'string', describe: "a condition, for example 'kvm.spte_change > 0' (default: the scenario's own exists/forall condition)" })
          .option('between', { type: 'string', array: true, nargs: 2, describe: 'only the releases from vA to vB: --between vA vB' }),
      (a) => cmdBisect(a as never),
    )
    .command(
      'matrix [dir]',
      'every catalog scenario (or every .mmu file in DIR) under every era, in one table; with --releases, at every mainline release, in ranges of identical results',
      (y) =>
        exploreOptions(formatOption(y))
          .positional('dir', { type: 'string', describe: 'a folder of your own scenarios (default: the catalog)' })
          .option('releases', { type: 'boolean', default: false, describe: 'every mainline release instead of the named eras (canonical schedule), with the commits at each boundary' }),
      (a) => cmdMatrix(a as never),
    )
    .command(
      'check <files..>',
      'validate scenario files (or folders of them), every one; with --judge, check every `expect` line (canonical run) and `result` line (every interleaving) against its era (exit 1 if one fails)',
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
    .fail((msg, err) => {
      // A bad option value (a coerce that threw) comes wrapped by yargs: it is still bad input.
      if (err && (err instanceof UserError || err.name !== 'YError')) throw err;
      // yargs quotes what it did not accept: cut any long word of it, as mmutt does its own.
      throw new UserError((err?.message ?? msg).replace(/\S{81,}/g, (w) => quote(w)));
    })
    .help()
    .alias('help', 'h')
    // --help and --version end as a command does (endAfterOutput: a failed write says so), not
    // at once from yargs, which would drop the error of a write still under way.
    .exitProcess(false)
    .parseAsync();
}

/** A message on one line of stderr. User text in it is already cut to ~80 characters and a path is whole (at most PATH_MAX). */
const oneLine = (m: string) => {
  const flat = m.replace(/\s*\n\s*/g, ' ');
  return flat.length > 8192 ? `${flat.slice(0, 8189)}...` : flat;
};

main().then(
  () => endAfterOutput(exitCode),
  (e: unknown) => {
    if (e instanceof UserError) {
      process.stderr.write(`mmutt: ${oneLine(e.message)}\n`);
      endAfterOutput(2);
      return;
    }
    const err = e as Error;
    process.stderr.write(`mmutt: internal error: ${err?.message ?? String(e)}\n`);
    if (e instanceof ModelError) {
      process.stderr.write('the last steps before it:\n');
      for (const t of e.trace.slice(-12)) process.stderr.write(`  ${t.n} ${t.thread} ${t.fn}: ${t.does}${t.notes.length ? ` [${t.notes.join('; ')}]` : ''}\n`);
    }
    if (process.env.MMUTT_DEBUG) process.stderr.write(`${err?.stack ?? ''}\n`);
    endAfterOutput(70);
  },
);
