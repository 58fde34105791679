// Where scenarios come from: the built-in catalog (scenarios/*.mmu) or a path.
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ScenarioError, UserError } from './errors.js';
import { ERAS } from './eras.js';
import { quote, readInputFile } from './input.js';
import { parseCondition, parseScenario } from './scenario/parse.js';
import type { Cond, Scenario } from './scenario/types.js';

/** The catalog folder: `scenarios/` at the package root (one level above src/ and dist/). */
export const CATALOG_DIR = fileURLToPath(new URL('../scenarios/', import.meta.url));

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
export function loadScenario(arg: string, note?: (message: string) => void): Scenario {
  const isPath = arg.includes('/') || arg.endsWith('.mmu') || existsSync(arg);
  if (isPath) return withOrigin(parseText(arg, readInputFile(arg, 'scenario file')), { path: arg });
  const local = `${arg}.mmu`;
  if (catalogNames().includes(arg)) {
    if (existsSync(local)) note?.(`\`${arg}\` is the catalog scenario scenarios/${arg}.mmu; ./${local} was not run (name the file to run it)`);
    return withOrigin(parseText(`scenarios/${arg}.mmu`, readInputFile(`${CATALOG_DIR}${arg}.mmu`, 'scenario file')), { catalog: arg });
  }
  if (existsSync(local)) {
    note?.(`\`${arg}\` is not in the catalog: running ./${local}`);
    return withOrigin(parseText(local, readInputFile(local, 'scenario file')), { path: local });
  }
  throw new UserError(`unknown scenario \`${quote(arg)}\`: expected a path or one of ${catalogNames().join(', ')}`);
}

const withOrigin = (s: Scenario, origin: Scenario['origin']): Scenario => ({ ...s, origin });

/** Parse scenario text and check that every `expect` names a known era. */
export function parseText(file: string, text: string): Scenario {
  const s = parseScenario(file, text);
  for (const x of [...s.expect, ...s.results]) {
    if (!ERAS.some((e) => e.id === x.era)) {
      throw new ScenarioError(file, x.eraPos, `unknown era \`${x.era}\` in ${'cond' in x ? 'expect' : 'result'}: expected one of ${ERAS.map((e) => e.id).join(', ')}`);
    }
  }
  return s;
}

/** A condition given on the command line (`bisect --where`), checked against the scenario. */
export function parseWhere(s: Scenario, text: string): Cond {
  return parseCondition(s, '--where', text);
}
