// Results into the format asked for: the one place that chooses between text, JSON, markdown
// and html, so that the command line only hands over what ran and the format (and for html the
// time-travel page's script, when the build made one: the report carries the page). Each format's
// module is loaded only when asked for (the CLI's start-up pays for none it does not print).
import type { Era } from '../contract/era.js';
import type { ExploreRun, RunResult } from '../contract/output.js';

export const FORMATS = ['text', 'json', 'markdown', 'html'] as const;
export type Format = (typeof FORMATS)[number];

/** Canonical runs of one scenario under some eras (`run`): one document when one era was asked for. */
export async function runsOutput(results: RunResult[], format: Format, opts: { single: boolean; trace: boolean; page?: string | null }): Promise<string> {
  switch (format) {
    case 'json': {
      const J = await import('./json.js');
      const docs = results.map(J.runJson);
      return J.toJson(opts.single ? docs[0] : docs);
    }
    case 'markdown':
      return (await import('./markdown.js')).runsMarkdown(results);
    case 'html':
      return (await import('./html.js')).htmlReport([results], undefined, opts.page);
    case 'text':
      return (await import('./text.js')).runsText(results, { trace: opts.trace });
  }
}

/**
 * Explorations of one scenario under some eras (`run --explore`). html draws each era's
 * canonical trace beside its verdict: `canonical` runs them when asked.
 */
export async function exploresOutput(runs: ExploreRun[], format: Format, opts: { single: boolean; stats: boolean; page?: string | null }, canonical: () => RunResult[]): Promise<string> {
  const X = await import('./explore.js');
  switch (format) {
    case 'json':
      return (await import('./json.js')).toJson(opts.single ? X.exploreJson(runs[0]!, opts) : runs.map((r) => X.exploreJson(r, opts)));
    case 'markdown':
      return X.exploresMarkdown(runs);
    case 'html':
      return (await import('./html.js')).htmlReport([canonical()], [runs], opts.page);
    case 'text':
      return X.exploresText(runs, opts);
  }
}

/** Every scenario (a row) under every era (a column), canonically (`matrix`). */
/** Whether a matrix in this format shows a run's steps: html draws them; text, markdown and json show outcomes. */
export const matrixShowsTraces = (format: Format): boolean => format === 'html';

export async function matrixOutput(eras: readonly Era[], rows: RunResult[][], format: Format, page?: string | null): Promise<string> {
  switch (format) {
    case 'json': {
      const J = await import('./json.js');
      return J.toJson(rows.flat().map(J.runJson));
    }
    case 'markdown':
      return (await import('./markdown.js')).matrixMarkdown(eras, rows);
    case 'html':
      return (await import('./html.js')).htmlReport(rows, undefined, page);
    case 'text':
      return (await import('./matrix.js')).matrixText(eras, rows);
  }
}

/** Every scenario under every era, explored (`matrix --explore`); html also draws the canonical runs. */
export async function exploredMatrixOutput(eras: readonly Era[], rows: ExploreRun[][], format: Format, opts: { stats: boolean; page?: string | null }, canonical: () => RunResult[][]): Promise<string> {
  const X = await import('./explore.js');
  switch (format) {
    case 'json':
      return (await import('./json.js')).toJson(rows.flat().map((r) => X.exploreJson(r, opts)));
    case 'markdown':
      return X.exploreMatrixMarkdown(eras, rows);
    case 'html':
      return (await import('./html.js')).htmlReport(canonical(), rows, opts.page);
    case 'text':
      return X.exploreMatrixText(eras, rows);
  }
}
