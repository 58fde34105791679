// The library API: what the CLI uses, for scripts and for tests.
export { ERAS, getEra, eraForKernel } from './eras.js';
export { deriveEra, firstEra, type Era, type EraDelta, type EraRules, type Rule, type Cite } from './era.js';
export { loadScenario, parseText, catalogNames } from './catalog.js';
export { runScenario, exploreScenario, type RunResult } from './runner.js';
export { explore, DEFAULT_LIMITS, type Exploration, type Limits } from './explore/explore.js';
export { runJson } from './report/json.js';
export { runText } from './report/text.js';
export { diffRuns, diffText } from './report/diff.js';
export { matrixText } from './report/matrix.js';
export { UserError, ScenarioError } from './errors.js';
export { COUNTER_NAMES } from './engine/counters.js';
