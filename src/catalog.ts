// Where scenarios come from: the built-in catalog (scenarios/*.mmu) or a path.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ScenarioError, UserError } from './errors.js';
import { ERAS } from './eras.js';
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

/** Load a scenario by catalog name (`ksm-merge`) or by path (`./my.mmu`). */
export function loadScenario(arg: string): Scenario {
  const isPath = arg.includes('/') || arg.endsWith('.mmu') || existsSync(arg);
  const path = isPath ? arg : `${CATALOG_DIR}${arg}.mmu`;
  const shown = isPath ? arg : `scenarios/${arg}.mmu`;
  if (!isPath && !catalogNames().includes(arg)) {
    throw new UserError(`unknown scenario \`${arg}\`: expected a path or one of ${catalogNames().join(', ')}`);
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read ${shown}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
  }
  return parseText(shown, text);
}

/** Parse scenario text and check that every `expect` names a known era. */
export function parseText(file: string, text: string): Scenario {
  const s = parseScenario(file, text);
  for (const x of s.expect) {
    if (!ERAS.some((e) => e.id === x.era)) {
      throw new ScenarioError(file, x.eraPos, `unknown era \`${x.era}\` in expect: expected one of ${ERAS.map((e) => e.id).join(', ')}`);
    }
  }
  return s;
}

/** A condition given on the command line (`bisect --where`), checked against the scenario. */
export function parseWhere(s: Scenario, text: string): Cond {
  return parseCondition(s, '--where', text);
}
