import type { Pos } from './contract/scenario.js';

/**
 * An error in what the user gave us (a scenario file, a flag, an era name). The CLI prints
 * its message alone and exits 2; it never carries a stack trace to the user.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** A problem at a place in a scenario file, printed as `file:line:col: message`. */
export class ScenarioError extends UserError {
  constructor(
    readonly file: string,
    readonly pos: Pos,
    readonly detail: string,
  ) {
    super(`${file}:${pos.line}:${pos.col}: ${detail}`);
    this.name = 'ScenarioError';
  }
}
