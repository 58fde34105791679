// One invocation's world: the era registry (eras/, eras/proposals/, and the --era-file modules
// of this run), where scenarios come from, and how the eras and releases a command names are
// chosen. The CLI parses options and hands them here; it names no registry, scenario module or
// engine (test/architecture.test.ts).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Era, Timeline } from '../contract/era.js';
import type { Cond, Scenario } from '../contract/scenario.js';
import { UserError, quote, quotePath } from '../errors.js';
import { isDirectory } from '../input.js';
import { EraRegistry } from '../era/registry.js';
import { releaseOfCommit } from '../era/timeline.js';
import { catalogNames, loadScenario, parseText, parseWhere } from '../scenario/catalog.js';
import { wrapScenario } from '../scenario/wrap.js';

/** How a command names the eras it runs: --era (an id, all, a release), --kernel, --at. */
export interface EraChoice {
  era?: string | string[];
  kernel?: string | string[];
  at?: string | string[];
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export class Session {
  private constructor(
    readonly registry: EraRegistry,
    /** Where a note goes (stderr): which scenario ran when a name could mean two. */
    private readonly note: (message: string) => void,
  ) {}

  /** The registry, with the era files of this run loaded (they may derive from each other, in order). */
  static async open(eraFiles: readonly string[], note: (message: string) => void): Promise<Session> {
    const registry = await EraRegistry.discover();
    for (const f of eraFiles) await registry.loadFile(f);
    return new Session(registry, note);
  }

  /** A session over eras the caller has imported already (the site's bundle: no files to find them in). */
  static ofModules(timeline: Timeline, eras: Era[], proposals: Era[]): Session {
    return new Session(EraRegistry.of(timeline, eras, proposals), () => undefined);
  }

  /** The released eras, oldest first. */
  get eras(): readonly Era[] {
    return this.registry.released;
  }

  /** The names an `expect` or `result` line may use: released eras and mainline releases. */
  private get known(): string[] {
    return [...this.eras.map((e) => e.id), ...this.registry.releases];
  }

  /** A scenario by catalog name or path. */
  scenario(arg: string): Scenario {
    return loadScenario(arg, { eras: this.known, note: this.note });
  }

  /** A scenario from text (a cite block's), as if read from `file`. */
  scenarioFromText(file: string, text: string): Scenario {
    return { ...parseText(file, text, this.known), origin: { path: file } };
  }

  /** A catalog scenario from its text, which the caller holds (the site bundles the catalog's files). */
  catalogFromText(name: string, text: string): Scenario {
    return { ...parseText(`${name}.mmu`, text, this.known), origin: { catalog: name } };
  }

  catalog(): Scenario[] {
    return catalogNames().map((n) => this.scenario(n));
  }

  catalogNames(): string[] {
    return catalogNames();
  }

  /** Scenario files named on the command line; a folder stands for the .mmu files in it. */
  files(args: readonly string[]): string[] {
    return args.flatMap((f) => {
      if (!isDirectory(f)) return [f];
      const files = readdirSync(f)
        .filter((n) => n.endsWith('.mmu'))
        .sort();
      if (!files.length) throw new UserError(`${quotePath(f)}: no .mmu files in this folder`);
      return files.map((n) => join(f, n));
    });
  }

  /** An era by id, a release (vX.Y), or a commit the timeline knows (its first release). */
  era(id: string): Era {
    if (/^[0-9a-f]{7,40}$/i.test(id)) return this.atCommit(id);
    return this.registry.get(id);
  }

  /** --at COMMIT: the first release that has a commit the timeline names. */
  atCommit(commit: string): Era {
    return this.registry.forKernel(releaseOfCommit(this.registry.timeline, this.eras, commit));
  }

  /**
   * The eras a command runs. --era, --kernel and --at each name one era or release and may be
   * repeated where the command takes several (cite); none of them means every released era.
   */
  select(c: EraChoice, opts: { many?: boolean; required?: string } = {}): Era[] {
    const eras = list(c.era);
    const kernels = list(c.kernel);
    const ats = list(c.at);
    const given = eras.length + kernels.length + ats.length;
    if (!opts.many && given > 1) throw new UserError(`give one of --era, --kernel or --at, once${eras.length > 1 || kernels.length > 1 || ats.length > 1 ? ' (this command runs one era, or all)' : ''}`);
    if (!given) {
      if (opts.required) throw new UserError(opts.required);
      return [...this.eras];
    }
    return [
      ...eras.flatMap((id) => (id === 'all' ? [...this.eras] : [this.registry.get(id)])),
      ...kernels.map((v) => {
        if (!/^v?\d/.test(v)) throw new UserError(`--kernel takes a mainline release (vX.Y, v2.6.X), not \`${quote(v)}\`: an era goes with --era`);
        return this.registry.forKernel(v);
      }),
      ...ats.map((c) => this.atCommit(c)),
    ];
  }

  /** A condition given on the command line (`bisect --where`), checked against the scenario. */
  where(s: Scenario, text: string): Cond {
    return parseWhere(s, text);
  }

  /** Eras that came from --era-file among these (and their bases), in load order. */
  eraFilesOf(eras: readonly Era[]): Era[] {
    const files = this.registry.fromFiles;
    const need = new Set<string>();
    const add = (e: Era | undefined) => {
      if (!e || !files.includes(e) || need.has(e.id)) return;
      need.add(e.id);
      add(files.find((x) => x.id === e.base));
    };
    eras.forEach(add);
    return files.filter((e) => need.has(e.id));
  }

  /** A scenario's text re-wrapped to fit a mail (70 columns) without changing a token. */
  mailText(s: Scenario): string {
    return wrapScenario(s.text, 70);
  }
}
