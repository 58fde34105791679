// The library API: what the CLI uses, for scripts and for tests. Eras come from a registry the
// caller creates (`await EraRegistry.discover()`): every era module in eras/, found by file.
export { EraRegistry } from './era/registry.js';
export { deriveEra, cutPoint } from './era/derive.js';
export type { Era, EraDelta, EraRules, Rule, Cite, Timeline, RuleEntry, Word } from './contract/era.js';
export { COUNTER_NAMES, DEFAULT_LIMITS, VIOLATIONS, PAGE_SIZE, type Limits, type RunResult, type ExploreRun, type Exploration, type TraceStep, type Outcome } from './contract/output.js';
export { loadScenario, parseText, catalogNames } from './scenario/catalog.js';
export { runScenario, exploreScenario } from './runner/run.js';
export { bisectReleases } from './runner/releases.js';
export { runJson } from './report/json.js';
export { runText } from './report/text.js';
export { diffRuns, diffText } from './report/diff.js';
export { matrixText } from './report/matrix.js';
export { UserError, ScenarioError } from './errors.js';
