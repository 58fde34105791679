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

/** At most this many characters of user text in a message. */
const QUOTE_MAX = 80;

/** User text for a message, cut to ~80 characters with its full length said. */
export function quote(text: string): string {
  if (text.length <= QUOTE_MAX) return text;
  return `${text.slice(0, QUOTE_MAX - 3)}... (${text.length} characters)`;
}

/**
 * A path for a message, whole: a reader must be able to find the file. Only a string longer
 * than any path the system accepts (PATH_MAX, 4096) is cut, as other user text is.
 */
export function quotePath(path: string): string {
  return path.length <= 4096 ? path : quote(path);
}
