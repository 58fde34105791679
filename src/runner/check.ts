// mmutt check: scenario files validated, every one (a bad file does not hide the next), and
// with --judge each `expect` line run (canonical schedule) and each `result` line explored,
// under the era or release it names. The judgement is data (contract/output.ts) for the report.
import { verdict, type CheckedFile, type ExploreRun } from '../contract/output.js';
import type { Era } from '../contract/era.js';
import type { Scenario } from '../contract/scenario.js';
import { UserError } from '../errors.js';
import { runScenario } from './run.js';
import type { Session } from './session.js';

/**
 * Every file named (a folder: its .mmu files) read and parsed: a scenario, or the message of
 * what is wrong with it, or with the argument (a folder without .mmu files).
 */
export function readAll(session: Session, args: readonly string[]): { file: string; scenario?: Scenario; error?: string }[] {
  const guard = <T>(file: string, f: () => T): T | { file: string; error: string } => {
    try {
      return f();
    } catch (e) {
      if (e instanceof UserError) return { file, error: e.message };
      throw e;
    }
  };
  return args.flatMap((arg) => {
    const files = guard(arg, () => session.files([arg]));
    if (!Array.isArray(files)) return [files];
    return files.map((file) => guard(file, () => ({ file, scenario: session.scenario(file) })));
  });
}

/** Judge every expect and result line; `exploreMany` explores the result lines' pairs at once (in the workers). */
export async function judge(session: Session, scenarios: { file: string; scenario: Scenario }[], exploreMany: (pairs: { scenario: Scenario; era: Era }[]) => Promise<ExploreRun[]>): Promise<CheckedFile[]> {
  const pairs = scenarios.flatMap(({ scenario: s }) => s.results.map((x) => ({ scenario: s, era: session.era(x.era) })));
  const explored = pairs.length ? await exploreMany(pairs) : [];
  let k = 0;
  return scenarios.map(({ file, scenario: s }) => ({
    file,
    scenario: s,
    expects: s.expect.map((x) => {
      const run = runScenario(s, session.era(x.era));
      return { expect: x, run, holds: !!run.expectations.find((y) => y.expect === x)?.holds };
    }),
    results: s.results.map((x) => {
      const run = explored[k++]!;
      const v = run.exploration ? verdict(run.exploration)?.verdict : undefined;
      // A result of an era holds where every release of it that can run the scenario finds it.
      const elsewhere = (run.bands ?? []).filter((b) => b.release !== run.run.era.release && b.exploration && verdict(b.exploration)?.verdict !== x.verdict);
      return { result: x, run, holds: v === x.verdict && !elsewhere.length, elsewhere };
    }),
  }));
}
