// explain --step: a kernel function's steps as the model builds them at a release. Steps exist
// in a machine (a scenario's threads under the release's rules), so they are shown as the
// machine of a scenario that has them builds them: the one the user names, or the first
// catalog scenario (by name) whose machine has a step of that function at the release.
import type { Era, RuleName } from '../contract/era.js';
import type { ShownStep, StepsShown } from '../contract/output.js';
import type { Scenario } from '../contract/scenario.js';
import type { Machine } from '../engine/compile.js';
import { printStep, rulesReadIn } from '../engine/step-data.js';
import { settled, unavailable } from '../era/features.js';
import { inWords, lackedWord } from '../era/vocabulary.js';
import { releaseKey } from '../era/release.js';
import { oneRelease } from '../era/timeline.js';
import { sharedMachine } from './machines.js';

/** The steps of function `asked` (the engine's name or the release's) in the first of `scenarios` whose machine has one at `era`. */
export function showSteps(asked: string, scenarios: readonly Scenario[], era: Era): StepsShown {
  const words = era.words;
  // The engine's word for the name asked: any name the function had in any release (asked for
  // by its old name at a release that renamed it, or the other way round).
  const word = era.timeline?.words.find((w) => w.word === asked || w.since.some((x) => x.name === asked))?.word ?? asked;
  // A device's handler is its callback's name and the device's (`arch_invalidate_secondary_tlbs (dev0)`).
  const named = (fn: string) => {
    const f = fn.replace(/ \(dev\d+\)$/, '');
    return fn === asked || f === word || f === asked || inWords(words, f) === asked;
  };
  let shown: { scenario: Scenario; machine: Machine } | null = null;
  const alsoIn: string[] = [];
  for (const s of scenarios) {
    if (unavailable(s, era)) continue;
    const machine = sharedMachine(settled(s, era).scenario, era.rules);
    if (!machine.programs.some((p) => p.some((st) => named(st.fn)))) continue;
    if (shown) alsoIn.push(s.name);
    else shown = { scenario: s, machine };
  }
  const folio = inWords(words, 'folio');
  if (!shown) {
    // A function the release does not have (its word has no name there): say since when.
    const w = era.timeline?.words.find((x) => x.word === word);
    const last = w?.since.filter((x) => releaseKey(x.release) <= releaseKey(era.release)).at(-1);
    const absent = w && last && last.name === null ? `${era.release} has no ${asked}: from ${last.release} the kernel has no such function${last.commit ? ` (${last.commit.slice(0, 12)})` : ''}` : notYet(asked, named, scenarios, era);
    return { era, asked, scenario: null, alsoIn, steps: [], code: 0, programs: [], folio, ...(absent ? { absent } : {}) };
  }
  const { machine } = shown;
  const l = machine.layout;
  const steps: ShownStep[] = [];
  let code = 0;
  const programs: StepsShown['programs'] = [];
  machine.programs.forEach((program, tid) => {
    const thread = l.threads[tid]!.name;
    if (program.some((st) => named(st.fn))) programs.push({ thread, steps: program.map((st, pc) => ({ pc, fn: inWords(words, st.fn), shown: named(st.fn) && !!st.data, rules: st.tags ?? [] })) });
    program.forEach((st, pc) => {
      if (!named(st.fn)) return;
      if (!st.data) {
        code++;
        return;
      }
      const data = st.data();
      // A slot the release has no field for is the model's own: marked so, never named as the release's.
      const modelOnly = new Map<string, string>();
      const { guard, effect } = printStep(data, (i) => {
        const n = l.names[i] ?? `slot ${i}`;
        const w = lackedWord(words, n);
        if (w === undefined) return n;
        modelOnly.set(n, w);
        return `model only: ${n}`;
      });
      const shownStep: ShownStep = {
        fn: inWords(words, st.fn),
        does: inWords(words, st.does),
        at: [{ thread, pc }],
        guard: guard === null ? null : inWords(words, guard),
        effect: effect.map((x) => inWords(words, x)),
        rules: [...(st.tags ?? []).map((name) => rule(era, name, 'built')), ...rulesReadIn(data).map((name) => rule(era, name, 'runs'))],
      };
      if (st.callback) shownStep.callback = st.callback;
      if (modelOnly.size) shownStep.modelOnly = [...modelOnly].map(([slot, w]) => ({ slot, ...firstNamed(era, w) }));
      // The same step in another thread (two vCPUs, say): one text, both places named.
      const same = steps.find((x) => JSON.stringify({ ...x, at: [] }) === JSON.stringify({ ...shownStep, at: [] }));
      if (same) same.at.push({ thread, pc });
      else steps.push(shownStep);
    });
  });
  return { era, asked, scenario: shown.scenario.name, alsoIn, steps, code, programs, folio };
}

/**
 * Why no scenario builds the function at this release when the scenarios that build it
 * cannot run there (a feature it belongs to arrives later: MADV_FREE's madvise_free_pte_range
 * before v4.5): the first such scenario and its reason, or undefined.
 */
function notYet(asked: string, named: (fn: string) => boolean, scenarios: readonly Scenario[], era: Era): string | undefined {
  const t = era.timeline;
  if (!t) return undefined;
  const newest = oneRelease(era, t.releases.at(-1)!);
  for (const s of scenarios) {
    const why = unavailable(s, era);
    if (!why || unavailable(s, newest)) continue;
    if (sharedMachine(settled(s, newest).scenario, newest.rules).programs.some((p) => p.some((st) => named(st.fn)))) {
      return `no scenario that can run at ${era.release} builds ${asked}; ${s.name}, which does in later releases, cannot run there: ${why}`;
    }
  }
  return undefined;
}

/** The first release after this one whose words name `word`, and that name. */
function firstNamed(era: Era, word: string): { from?: { release: string; name: string } } {
  const w = era.timeline?.words.find((x) => x.word === word);
  const next = w?.since.find((x) => x.name !== null && releaseKey(x.release) > releaseKey(era.release));
  return next?.name ? { from: { release: next.release, name: next.name } } : {};
}

function rule(era: Era, name: RuleName, read: 'built' | 'runs'): ShownStep['rules'][number] {
  const entry = era.entries[name];
  return entry ? { name, read, value: era.rules[name].value, entry } : { name, read, value: era.rules[name].value };
}
