/// <reference lib="webworker" />
// The page's explorer, in a Web Worker (the same bundle, started from its own text): every
// interleaving of the scenario at the first release of each span the page sends (releases
// that meet the same rules, as the runner groups them), one after another, with progress; the
// page cancels by ending the worker. What comes back is plain data: a verdict, the harms, the
// witnesses' tokens, which the page replays to draw a witness's trace.
import { DEFAULT_LIMITS, verdict } from '../contract/output.js';
import { exploreScenario } from '../runner/run.js';
import { harmsOf } from '../report/explore.js';
import { scenarioFrom, session } from './session.js';

/** What the page asks: a scenario (a catalog name with its text, or text alone) and the spans to explore. */
export interface ExploreRequest {
  name?: string;
  text: string;
  spans: { first: string; last: string }[];
}

/** What the worker says: progress in a span, a span explored, or the end. */
export type ExploreMessage =
  | { kind: 'progress'; span: number; states: number; ms: number }
  | { kind: 'span'; span: number; verdict: string; positive: number; negative: number; outcomes: number; harms: string[]; states: number; stopped?: string; witnesses: { target: string; shown: string; token: string }[] }
  | { kind: 'done' };

/** Per span: 60 s and 5 million states at most (the command line's own limits are larger). */
const LIMITS = { ...DEFAULT_LIMITS, timeoutMs: 60_000, maxStates: 5_000_000 };

export function startWorker(): void {
  const post = (m: ExploreMessage) => (self as unknown as DedicatedWorkerGlobalScope).postMessage(m);
  self.onmessage = (e: MessageEvent<ExploreRequest>) => {
    const s = scenarioFrom(e.data.name, e.data.text);
    if (typeof s === 'string') return post({ kind: 'done' });
    e.data.spans.forEach((sp, i) => {
      const era = session.registry.forKernel(sp.first);
      const limits = { ...LIMITS, progress: (states: number, ms: number) => post({ kind: 'progress', span: i, states, ms }) };
      // Witnesses only for a finished exploration: a stopped one says what stopped it, and soon.
      const x = exploreScenario(s, era, limits, 'if-complete');
      const ex = x.exploration;
      const v = ex ? verdict(ex) : null;
      post({
        kind: 'span',
        span: i,
        // No verdict: no condition (verdict() gives one for any exploration a limit stopped).
        verdict: ex ? (v?.verdict ?? `${ex.outcomes.length} outcomes`) : '–',
        positive: v?.positive ?? 0,
        negative: v?.negative ?? 0,
        outcomes: ex?.outcomes.length ?? 0,
        harms: ex ? harmsOf(ex).map((h) => h.harm) : [],
        states: ex?.states ?? 0,
        ...(ex?.stopped ? { stopped: ex.stopped } : {}),
        witnesses: x.witnesses.filter((w) => !w.target.startsWith('window')).map((w) => ({ target: w.target, shown: w.shown ?? w.target, token: w.token })),
      });
    });
    post({ kind: 'done' });
  };
}
