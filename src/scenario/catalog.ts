// Where scenarios come from: the built-in catalog (scenarios/*.mmu) or a path.
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ScenarioError, UserError, quote } from '../errors.js';
import { PACKAGE_ROOT, closest, readInputFile } from '../input.js';
import { parseCondition, parseScenario } from './parse.js';
import { blankQuoting } from './unquote.js';
import type { Cond, Scenario } from '../contract/scenario.js';

/** The catalog folder: `scenarios/` at the package root. */
export const CATALOG_DIR = fileURLToPath(new URL('scenarios/', PACKAGE_ROOT));

export function catalogNames(): string[] {
  return readdirSync(CATALOG_DIR)
    .filter((f) => f.endsWith('.mmu'))
    .map((f) => f.slice(0, -4))
    .sort();
}

/**
 * Load a scenario by catalog name (`ksm-merge`) or by path (`./my.mmu`, `my.mmu`, a path with
 * a `/`). A name means the catalog; when `./NAME.mmu` also exists, `note` says which one ran,
 * so a catalog name never silently shadows a file of the user's (and vice versa).
 */
export function loadScenario(arg: string, opts: { eras?: readonly string[]; note?: (message: string) => void } = {}): Scenario {
  const { eras, note } = opts;
  const isPath = arg.includes('/') || arg.endsWith('.mmu') || existsSync(arg);
  if (isPath) return withOrigin(parseText(arg, readInputFile(arg, 'scenario file'), eras), { path: arg });
  const local = `${arg}.mmu`;
  if (catalogNames().includes(arg)) {
    if (existsSync(local)) note?.(`\`${arg}\` is the catalog scenario scenarios/${arg}.mmu; ./${local} was not run (name the file to run it)`);
    return withOrigin(parseText(`scenarios/${arg}.mmu`, readInputFile(`${CATALOG_DIR}${arg}.mmu`, 'scenario file'), eras), { catalog: arg });
  }
  if (existsSync(local)) {
    note?.(`\`${arg}\` is not in the catalog: running ./${local}`);
    return withOrigin(parseText(local, readInputFile(local, 'scenario file'), eras), { path: local });
  }
  const near = closest(arg, catalogNames());
  throw new UserError(`unknown scenario \`${quote(arg)}\`: expected a path to a .mmu file or a catalog name${near ? ` (did you mean ${near}?)` : ''}; \`mmutt list\` shows the catalog`);
}

const withOrigin = (s: Scenario, origin: Scenario['origin']): Scenario => ({ ...s, origin });

/**
 * Parse scenario text; with `eras`, also check that every `expect` and `result` line names one
 * of them (the released eras: a reviewed result is about history).
 */
export function parseText(file: string, text: string, eras?: readonly string[]): Scenario {
  // A scenario saved from a mail may still carry its quoting (`> `, an indent): it parses as
  // if those columns were blank, so every position stays the file's own.
  const unquoted = blankQuoting(text);
  if (unquoted && 'badLine' in unquoted) throw new ScenarioError(file, { line: unquoted.badLine, col: 1 }, 'this line is not quoted like the first line of the scenario (a mail quote `> ` or an indent): expected every line quoted alike');
  const s = parseScenario(file, unquoted ? unquoted.text : text);
  for (const x of eras ? [...s.expect, ...s.results] : []) {
    if (!eras!.includes(x.era)) {
      throw new ScenarioError(file, x.eraPos, `unknown era \`${x.era}\` in ${'cond' in x ? 'expect' : 'result'}: expected one of ${eras!.join(', ')}`);
    }
  }
  return s;
}

/** A condition given on the command line (`bisect --where`), checked against the scenario. */
export function parseWhere(s: Scenario, text: string): Cond {
  return parseCondition(s, '--where', text);
}
