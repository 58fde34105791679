// A release's names for the engine's words (eras/timeline/words.ts), applied to a trace: a
// step prints the function, lock, field and type names of the release it ran under. A word
// the release has no name for (null) is a field that did not exist yet: a change of it is
// not printed.
import type { Exploration, TraceStep } from '../contract/output.js';

const cache = new WeakMap<object, RegExp | null>();

/** One pattern for all of a release's words that differ from the engine's, longest first. */
function patternOf(words: Readonly<Record<string, string | null>>): RegExp | null {
  if (cache.has(words)) return cache.get(words)!;
  const keys = Object.keys(words)
    .filter((w) => words[w] !== w)
    .sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  const esc = (w: string) => w.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  // A word is whole: not part of a longer name, and not a counter's suffix (kvm.spte_zap).
  const re = keys.length ? new RegExp(`(?<![\\w.>])(?:${keys.map(esc).join('|')})(?![\\w])`, 'g') : null;
  cache.set(words, re);
  return re;
}

/** A text in the release's words; a word the release lacks stays as it is (the vocabulary test catches it). */
export function inWords(words: Readonly<Record<string, string | null>>, text: string): string {
  const re = patternOf(words);
  return re ? text.replace(re, (w) => words[w] ?? w) : text;
}

const absentCache = new WeakMap<object, string[]>();
/** The words a release has no name for (null), found once per release's words. */
function absent(words: Readonly<Record<string, string | null>>): string[] {
  let a = absentCache.get(words);
  if (!a) absentCache.set(words, (a = Object.keys(words).filter((w) => words[w] === null)));
  return a;
}

/** The word a slot's name starts with that the release has no name for (a field it has not got), if any. */
export function lackedWord(words: Readonly<Record<string, string | null>>, slot: string): string | undefined {
  return absent(words).find((w) => slot.startsWith(w));
}

/** The vocabulary's word for a callback whose ops field was renamed (the engine's callback keeps the name it had first). */
const CALLBACK_WORD: Readonly<Record<string, string>> = { invalidate_range: 'arch_invalidate_secondary_tlbs' };

/** A callback's name in the release's words, where it is not the engine's callback name. */
function callbackAs(words: Readonly<Record<string, string | null>>, t: TraceStep): { callbackAs?: string } {
  const word = t.callback && CALLBACK_WORD[t.callback];
  const name = word ? inWords(words, word) : undefined;
  return name && name !== t.callback ? { callbackAs: name } : {};
}

/** A trace in the release's words. */
export function traceInWords(words: Readonly<Record<string, string | null>>, trace: TraceStep[]): TraceStep[] {
  if (!patternOf(words)) return trace.map((t) => (t.callback && CALLBACK_WORD[t.callback] ? { ...t, ...callbackAs(words, t) } : t));
  const lacks = (slot: string) => lackedWord(words, slot) !== undefined;
  return trace.map((t) => ({
    ...t,
    ...callbackAs(words, t),
    fn: inWords(words, t.fn),
    does: inWords(words, t.does),
    notes: t.notes.map((n) => inWords(words, n)),
    changes: t.changes.filter((c) => !lacks(c.slot)).map((c) => ({ slot: inWords(words, c.slot), from: inWords(words, c.from), to: inWords(words, c.to) })),
    windows: t.windows.map((w) => inWords(words, w)),
  }));
}

/** An exploration's windows in the release's words: the step that opened each is a kernel function. */
export function explorationInWords(words: Readonly<Record<string, string | null>>, x: Exploration): Exploration {
  if (!patternOf(words)) return x;
  return { ...x, windows: x.windows.map((w) => ({ ...w, openedBy: { ...w.openedBy, fn: inWords(words, w.openedBy.fn) } })) };
}
