// The library API, for scripts and for tests: a session (`await Session.open([], note)`: the
// eras of eras/ and any era files given, the scenarios, the choice of eras) and what runs and
// prints. As for the CLI, the runner owns the registry and the scenario modules.
export { Session, type EraChoice } from './runner/session.js';
export type { Era, EraDelta, EraRules, Rule, Cite, Timeline, RuleEntry, Word } from './contract/era.js';
export { COUNTER_NAMES, DEFAULT_LIMITS, VIOLATIONS, PAGE_SIZE, type Limits, type RunResult, type ExploreRun, type Exploration, type TraceStep, type Outcome } from './contract/output.js';
export { runScenario, exploreScenario } from './runner/run.js';
export { bisectReleases } from './runner/releases.js';
export { runJson } from './report/json.js';
export { runText } from './report/text.js';
export { diffRuns, diffText } from './report/diff.js';
export { matrixText } from './report/matrix.js';
export { UserError, ScenarioError } from './errors.js';
