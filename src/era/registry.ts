// The era registry, an explicit object: every era module in eras/ (released history) and
// eras/proposals/ (patches under review), found by file, and the eras a user loads with
// --era-file. Released eras are ordered by derivation (each one's base is the one before).
// `--kernel vX.Y` resolves here. Nothing here is module state: a caller creates a registry and
// passes it on (the CLI, the tests, the library API).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { RULE_DOMAINS, RULE_NAMES, type Era, type EraRules, type Rule, type Timeline } from '../contract/era.js';
import { UserError, quote, quotePath } from '../errors.js';
import { PACKAGE_ROOT, closest, readInputFile } from '../input.js';
import { importModule } from './load.js';
import { eraModules } from './modules.js';
import { deriveEra } from './derive.js';
import { releaseEra, resolveRelease } from './timeline.js';

/**
 * Released eras in release order: the one without a base, then each era's derived one. Each
 * is a cut point of the timeline: it runs its opening release, and ends where the next opens.
 */
function chain(eras: Era[], t: Timeline): Era[] {
  const roots = eras.filter((e) => !e.base);
  if (roots.length !== 1) throw new Error(`internal: eras/ has ${roots.length} eras without a base: expected one`);
  const out = [roots[0]!];
  for (;;) {
    const next = eras.filter((e) => e.base === out[out.length - 1]!.id);
    if (next.length > 1) throw new Error(`internal: eras ${next.map((e) => e.id).join(', ')} derive from one era: released history is a line`);
    if (!next.length) break;
    out.push(next[0]!);
  }
  if (out.length !== eras.length) throw new Error('internal: an era in eras/ is not derived from the released line');
  out.forEach((e, i) => {
    const next = out[i + 1];
    const last = next ? t.releases[t.releases.indexOf(next.releases.first) - 1] : undefined;
    if (e.release !== e.releases.first || e.releases.last !== last) throw new Error(`internal: era ${e.id} must run ${e.releases.first} and end at ${last ?? 'the newest release'}, where the next era opens`);
  });
  return out;
}

export class EraRegistry {
  /** Eras loaded with --era-file in this run. */
  private readonly loaded: Era[] = [];

  constructor(
    /** The history: releases, rule changes, features, names (eras/timeline/). */
    readonly timeline: Timeline,
    /** Released eras, oldest first: named cut points of the timeline. */
    readonly released: readonly Era[],
    /** Patches under review, as overlays on a released era. Not in `--era all`. */
    readonly proposals: readonly Era[],
  ) {}

  /** The timeline, every era module in eras/ and eras/proposals/. */
  static async discover(): Promise<EraRegistry> {
    const { timeline, eras, proposals } = await eraModules();
    return EraRegistry.of(timeline, eras, proposals);
  }

  /** A registry of eras a caller has already (the site's bundle imports the era modules): released ones in any order, proposals. */
  static of(timeline: Timeline, eras: Era[], proposals: Era[]): EraRegistry {
    const released = chain(eras, timeline);
    for (const e of proposals) if (!e.proposal) throw new Error(`internal: eras/proposals/ holds ${e.id}, which gives no posting`);
    return new EraRegistry(timeline, released, proposals);
  }

  /** Eras loaded from files in this run, in load order. */
  get fromFiles(): readonly Era[] {
    return this.loaded;
  }

  private all(): Era[] {
    return [...this.released, ...this.proposals, ...this.loaded];
  }

  /** An era by id, or a mainline release by name (vX.Y: its own rules, as --kernel). */
  get(id: string): Era {
    const e = this.all().find((x) => x.id === id);
    if (e) return e;
    if (/^v\d/.test(id)) return this.forKernel(id);
    throw new UserError(`unknown era \`${quote(id)}\`: expected one of ${this.all().map((x) => x.id).join(', ')}, all, or a release (vX.Y)`);
  }

  /** One mainline release as an era (--kernel vX.Y): its own rules and words (src/era/timeline.ts). */
  forKernel(v: string): Era {
    return releaseEra(this.timeline, resolveRelease(this.timeline, v), this.released);
  }

  /** Every release the timeline models, oldest first. */
  get releases(): readonly string[] {
    return this.timeline.releases;
  }

  /**
   * --era-file PATH: load a proposal overlay of the user's own. This is the one way mmutt runs
   * code a user gives it (scenario files are data). The module's default export is a function
   * that receives { deriveEra, getEra } and returns an Era (docs/writing-an-era.md). Whatever is
   * wrong with it (a syntax error, a function that throws, an unknown rule, a value outside the
   * rule's type, a missing citation) is reported against the file, `path:line:col`, with exit 2.
   */
  async loadFile(path: string): Promise<Era> {
    const text = readInputFile(path, 'era file');
    const where = (line?: number, col?: number) => (line ? `${quotePath(path)}:${line}:${col ?? 1}` : quotePath(path));
    const { url, done } = await compileEraFile(path, text);
    let mod: { default?: unknown };
    try {
      mod = (await importModule(url)) as { default?: unknown };
    } catch (e) {
      // Its first line whole: a module it could not find is named in it.
      throw new UserError(`${frameIn(e, path) ?? where()}: the era file did not load: ${quotePath(String((e as Error)?.message ?? e).split('\n')[0]!)}`);
    } finally {
      done();
    }
    if (typeof mod.default !== 'function') throw new UserError(`${where()}: expected \`export default ({ deriveEra, getEra }) => deriveEra(getEra('...'), { ... })\``);
    let era: Era;
    try {
      era = (mod.default as (api: object) => Era)({ deriveEra, getEra: (id: string) => this.get(id) });
    } catch (e) {
      throw new UserError(`${frameIn(e, path) ?? where()}: ${e instanceof UserError ? e.message : `the era function threw: ${firstLine(e)}`}`);
    }
    checkEra(era, text, where);
    if (this.all().some((x) => x.id === era.id)) throw new UserError(`${where(...posOf(text, era.id))}: era id \`${quote(era.id)}\` is taken`);
    // An overlay of the user's own is a proposal too: on its base, in no release.
    if (!era.proposal) era.proposal = { subject: era.title };
    this.loaded.push(era);
    return era;
  }
}

const firstLine = (e: unknown) => quote(String((e as Error)?.message ?? e).split('\n')[0]!);

/** Where in `path` an error was raised: the first stack frame in the file (source-mapped for TypeScript). */
function frameIn(e: unknown, path: string): string | undefined {
  const stack = String((e as Error)?.stack ?? '');
  const abs = resolve(path);
  // mmutt's own code (a getEra that refuses an id throws there) is not where the user's error is.
  const own = ['dist', 'src', 'node_modules'].map((d) => fileURLToPath(new URL(`${d}/`, PACKAGE_ROOT)));
  // A frame is `at FUNCTION (WHERE)` or `at WHERE`, WHERE a path or a file URL, then
  // :line:col; a path may hold spaces.
  for (const m of stack.matchAll(/^\s*at (?:[^(\n]*\()?(.+?):(\d+):(\d+)\)?\s*$/gm)) {
    const file = m[1]!.startsWith('file://') ? fileURLToPath(m[1]!) : m[1]!;
    // The innermost frame in the era file or in a file it imports (its source map names them),
    // a file it imports named from where the era file was named.
    if (file === abs || (isAbsolute(file) && !own.some((d) => file.startsWith(d)) && !file.includes(`${sep}mmutt-era-`))) return `${quotePath(file === abs ? path : besideGiven(path, abs, file))}:${m[2]}:${m[3]}`;
  }
  return undefined;
}

/** A file an era file imports, named as the era file was (`eras/mine.mjs` imports `eras/lib/x.mjs`): relative when the era file's name was, and the file is under the folder named. */
function besideGiven(given: string, abs: string, file: string): string {
  if (isAbsolute(given)) return file;
  const rel = relative(dirname(abs), file);
  return rel.startsWith('..') || isAbsolute(rel) ? file : join(dirname(given), rel);
}

/** Line and column of the first mention of `name` in the text (a rule's key), for messages. */
function posOf(text: string, name: string): [number, number] | [] {
  const i = text.indexOf(`'${name}'`) >= 0 ? text.indexOf(`'${name}'`) : text.indexOf(`"${name}"`) >= 0 ? text.indexOf(`"${name}"`) : text.indexOf(name);
  if (i < 0) return [];
  const before = text.slice(0, i);
  return [before.split('\n').length, i - before.lastIndexOf('\n')];
}

const KERNEL_COMMIT = /^[0-9a-f]{12} \(".+"\)$/;

/** An era from a file, checked as data against the era contract (src/contract/era.ts). */
function checkEra(era: Era, text: string, where: (line?: number, col?: number) => string): void {
  const fail = (msg: string, near?: string): never => {
    throw new UserError(`${where(...(near ? posOf(text, near) : []))}: ${msg}`);
  };
  if (!era || typeof era !== 'object' || typeof era.id !== 'string' || !era.rules || !Array.isArray(era.changed)) fail('the function must return an era: expected `deriveEra(getEra(BASE), { id, title, commits, rules })`');
  if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(era.id)) fail(`era id \`${quote(era.id)}\`: expected lower-case letters, digits, '.', '_' or '-', at most 64`, era.id);
  if (typeof era.title !== 'string' || !era.title) fail('expected a `title`');
  if (!Array.isArray(era.commits) || era.commits.some((c) => typeof c !== 'string' || !KERNEL_COMMIT.test(c))) fail('`commits`: expected a list of references in the kernel form 12hexdigits ("subject")', 'commits');
  if (era.proposal !== undefined && (typeof era.proposal.subject !== 'string' || (era.proposal.date !== undefined && !/^\d{4}-\d\d-\d\d$/.test(String(era.proposal.date))))) fail('`proposal`: expected { subject, date: \'YYYY-MM-DD\', messageId? }', 'proposal');
  for (const name of Object.keys(era.rules)) {
    if (!(name in RULE_DOMAINS)) {
      const near = closest(name, RULE_NAMES);
      fail(`unknown rule \`${quote(name)}\`: ${near ? `did you mean ${near}? ` : ''}(the rules are listed in docs/writing-an-era.md)`, name);
    }
  }
  for (const name of RULE_NAMES) {
    const r = era.rules[name] as Rule<unknown> | undefined;
    if (!r || typeof r !== 'object') fail(`rule ${name} is missing`, name);
    const bad = checkRuleValue(name, r!.value);
    if (bad) fail(`rule ${name}: value ${quote(JSON.stringify(r!.value) ?? 'undefined')}: ${bad}`, name);
    if (typeof r!.why !== 'string' || !r!.why.trim()) fail(`rule ${name}: expected a \`why\`: what the kernel did, in one sentence`, name);
    if (!Array.isArray(r!.cite) || !r!.cite.length) fail(`rule ${name}: expected at least one citation in \`cite\`: { file, fn, status }`, name);
    for (const c of r!.cite) {
      if (!c || typeof c.file !== 'string' || !c.file || typeof c.fn !== 'string' || !c.fn) fail(`rule ${name}: a citation needs a \`file\` and a \`fn\``, name);
      if (c.status !== 'verified' && c.status !== 'recalled') fail(`rule ${name}: a citation's \`status\` is 'verified' or 'recalled'`, name);
      if (c.commit !== undefined && !KERNEL_COMMIT.test(c.commit)) fail(`rule ${name}: a citation's \`commit\` is in the kernel form 12hexdigits ("subject")`, name);
    }
  }
}

/**
 * Era files are compiled with esbuild (installed with the project's build tools) before they
 * are imported, JavaScript too: its errors say line and column, and an inline source map lets
 * a throw point at the line of the file the user wrote. The file is bundled with what it
 * imports by a relative path (resolved from its own folder: the module runs from a temporary
 * one, removed once it has loaded); packages stay imports.
 */
async function compileEraFile(path: string, text: string): Promise<{ url: string; done: () => void }> {
  let esbuild: typeof import('esbuild');
  try {
    esbuild = (await importModule('esbuild')) as typeof import('esbuild');
  } catch {
    if (/\.(ts|mts|cts)$/.test(path)) throw new UserError(`${quotePath(path)}: TypeScript needs esbuild (npm ci in a clone of mmutt installs it; npm install esbuild beside an installed mmutt); or write the era in JavaScript (.mjs)`);
    return { url: pathToFileURL(resolve(path)).href, done: () => {} };
  }
  const file = resolve(path);
  const dir = mkdtempSync(join(tmpdir(), 'mmutt-era-'));
  // Removed once the module has loaded, or as the process ends before (a Ctrl-C meanwhile).
  const remove = () => rmSync(dir, { recursive: true, force: true });
  process.once('exit', remove);
  const done = () => {
    process.removeListener('exit', remove);
    remove();
  };
  // The module's own path: its source map names the user's files relative to it.
  const outfile = join(dir, 'era.mjs');
  let code: string;
  try {
    const out = await esbuild.build({
      outfile,
      // Error locations are relative to it.
      absWorkingDir: dirname(file),
      stdin: { contents: text, resolveDir: dirname(file), sourcefile: file, loader: /\.(ts|mts|cts)$/.test(path) ? 'ts' : 'js' },
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      sourcemap: 'inline',
      write: false,
      logLevel: 'silent',
    });
    code = out.outputFiles[0]!.text;
  } catch (e) {
    done();
    const first = (e as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }).errors?.[0];
    const loc = first?.location;
    // An error in a file it imports is that file's.
    const at = loc ? resolve(dirname(file), loc.file) : file;
    const where = quotePath(at === file ? path : at);
    throw new UserError(`${where}${loc ? `:${loc.line}:${loc.column + 1}` : ''}: the era file does not compile: ${quote(first?.text ?? firstLine(e))}`);
  }
  process.setSourceMapsEnabled(true);
  writeFileSync(outfile, code);
  return { url: pathToFileURL(outfile).href, done };
}

/** Does a value fit a rule's domain? A message saying what was expected, or null. */
export function checkRuleValue(name: keyof EraRules, value: unknown): string | null {
  const d = RULE_DOMAINS[name];
  if ('boolean' in d) return typeof value === 'boolean' ? null : 'expected true or false';
  if ('oneOf' in d) return typeof value === 'string' && d.oneOf.includes(value) ? null : `expected one of ${d.oneOf.map((v) => `'${v}'`).join(', ')}`;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' && d.subsetOf.includes(v)) && new Set(value).size === value.length) return null;
  return `expected a list of distinct callbacks from ${d.subsetOf.join(', ')}`;
}

