/// <reference lib="dom" />
// The time-travel page (`npm run site`, docs/site.md): the engine, the runner and the reports
// of the command line, bundled for a browser (build/site.mjs), over the catalog and the eras
// bundled with them. One scenario (a catalog one, or text of your own) across every mainline
// release: the release axis banded by outcome, each boundary with its commits (what `matrix
// --releases` computes); a release's canonical trace as a swimlane in its own words; two
// releases side by side with the first step where they part; the cite block; and the view in
// the URL's fragment, so a link opens it again. It runs nothing the command line does not: the
// UI reads the runner's results and the reports' drawings.
import type { Era } from '../contract/era.js';
import type { RunResult } from '../contract/output.js';
import type { Scenario } from '../contract/scenario.js';
import { releaseRows } from '../runner/releases.js';
import { runScenario } from '../runner/run.js';
import { citeText } from '../report/cite.js';
import { swimlane } from '../report/html.js';
import { fmtValue, outcomeLetters } from '../report/text.js';
import { UserError } from '../errors.js';
import { catalog, scenarioFrom, session } from './session.js';
import type { ExploreMessage, ExploreRequest } from './worker.js';

const releases = session.registry.timeline.releases;

/** What the page shows: a catalog scenario or a text of one's own, the releases chosen (one or two), or a witness's schedule at a release. */
export interface View {
  scenario?: string;
  text?: string;
  releases: string[];
  witness?: { release: string; token: string; target: string };
  /** What was wrong with the link that named the view (shown; the view is the nearest one it could name). */
  linkError?: string;
}

/** base64url of UTF-8 text, and back: a scenario of one's own in a link. */
const toBase64Url = (s: string) => {
  // A byte at a time: a long text's bytes would be too many arguments for one fromCharCode call.
  let bin = '';
  for (const b of new TextEncoder().encode(s)) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};
const fromBase64Url = (s: string) => new TextDecoder().decode(Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)));

/** Does a fragment name a view (and not, say, a section of an html report the page sits in)? */
const namesView = (fragment: string) => /^#?(scenario|text|releases|witness)=/.test(fragment) || /&(scenario|text|releases|witness)=/.test(fragment);

/** The view a fragment names: `#scenario=NAME&releases=v3.6,v3.7`, or `#text=BASE64URL&releases=...`; what it gets wrong is said, not thrown. */
function viewOf(fragment: string): View {
  const p = new URLSearchParams(fragment.replace(/^#/, ''));
  const asked = (p.get('releases') ?? '').split(',').filter(Boolean);
  const unknown = asked.filter((r) => !releases.includes(r));
  // Oldest first, once each, two at most.
  const rel = [...new Set(asked.filter((r) => releases.includes(r)))].sort((a, b) => releases.indexOf(a) - releases.indexOf(b)).slice(0, 2);
  const errors = unknown.length ? [`the link names ${unknown.join(', ')}, which ${unknown.length === 1 ? 'is not a mainline release' : 'are not mainline releases'} mmutt models`] : [];
  const askedWitness = p.get('witness');
  const w = /^(v[\d.]+):(.+)$/.exec(askedWitness ?? '');
  const witness = w && releases.includes(w[1]!) ? { witness: { release: w[1]!, token: w[2]!, target: 'a schedule' } } : {};
  if (askedWitness !== null && !('witness' in witness)) errors.push(`the link's witness \`${askedWitness}\` is not RELEASE:TOKEN at a mainline release mmutt models`);
  const err = () => (errors.length ? { linkError: errors.join('; ') } : {});
  const text = p.get('text');
  if (text !== null) {
    try {
      return { text: fromBase64Url(text), releases: rel, ...witness, ...err() };
    } catch {
      errors.push("the link's text is not base64url (the page writes #text= as base64url of the scenario's UTF-8)");
      return { scenario: catalog[0]!.name, releases: rel, ...err() };
    }
  }
  const name = p.get('scenario');
  if (name !== null && !catalog.some((c) => c.name === name)) errors.push(`no catalog scenario is named ${name}`);
  return { scenario: name !== null && catalog.some((c) => c.name === name) ? name : catalog[0]!.name, releases: rel, ...witness, ...err() };
}

function fragmentOf(v: View): string {
  const p = new URLSearchParams();
  if (v.text !== undefined) p.set('text', toBase64Url(v.text));
  else p.set('scenario', v.scenario!);
  if (v.releases.length) p.set('releases', v.releases.join(','));
  if (v.witness) p.set('witness', `${v.witness.release}:${v.witness.token}`);
  return `#${p.toString().replace(/%2C/g, ',').replace(/%3A/g, ':')}`;
}

/** The same scenario at these releases (oldest first, once each): what a click, a drag or an arrow key asks. */
const withReleases = (v: View, rs: readonly string[]): View => ({
  ...(v.scenario !== undefined ? { scenario: v.scenario } : { text: v.text! }),
  releases: [...new Set(rs)].sort((a, b) => releases.indexOf(a) - releases.indexOf(b)),
});

const textOf = (v: View) => v.text ?? catalog.find((c) => c.name === v.scenario)!.text;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const $ = (id: string) => document.getElementById(id)!;

/** The scenario a view holds, or the error its text has (`file:line:col: ...`). */
const scenarioOf = (v: View): Scenario | string => scenarioFrom(v.scenario, textOf(v));

/**
 * The runner's spans of releases for a scenario (`matrix --releases`: one canonical run each),
 * kept for the text they were made from: a click, a drag or an arrow key redraws the axis
 * without running them again.
 */
let spansKept: { key: string; spans: ReturnType<typeof releaseRows>['rows'][number]['spans'] } | undefined;
function spansOf(s: Scenario): ReturnType<typeof releaseRows>['rows'][number]['spans'] {
  const key = JSON.stringify([s.origin ?? null, s.text]);
  if (spansKept?.key !== key) spansKept = { key, spans: releaseRows([s], session.registry.timeline, session.eras).rows[0]!.spans };
  return spansKept.spans;
}

/** A release as the runner runs it alone (`--kernel vX`). */
const eraAt = (release: string): Era => session.registry.forKernel(release);

/** A rule's value as the CLI prints it (`["release", "invalidate_range_start"]`: a space after each comma, so that it wraps). */
const valueText = (v: unknown) => JSON.stringify(v).replace(/","/g, '", "');

/** A band's hue by its letter: greens, blues and purples only (red is a harm's). */
const hueOf = (letter: string) => (letter === '–' ? 50 : 70 + ((letter.charCodeAt(0) - 65) * 53) % 230);

/**
 * The release axis: every mainline release, in bands of one result (consecutive spans of the
 * runner's that give the same outcome are one band), each boundary labelled with its commits and
 * unfolding to what its first release changes for the scenario; a release is a button.
 */
function axis(s: Scenario, chosen: readonly string[]): string {
  const spans = spansOf(s);
  const letters = outcomeLetters(
    spans.map((sp) => sp.run),
    () => '',
  );
  const bands: { first: string; last: string; run: RunResult; letter: string; changes: string; commits: string[] }[] = [];
  spans.forEach((sp, i) => {
    const letter = letters[i] ?? '–';
    const prev = bands[bands.length - 1];
    // One band: the same outcome, or the same reason it cannot run.
    if (prev && prev.letter === letter && prev.run.unavailable === sp.run.unavailable) prev.last = sp.last;
    else
      bands.push({
        first: sp.first,
        last: sp.last,
        run: sp.run,
        letter,
        changes: sp.changes.map((c) => ('rule' in c ? `${c.rule} = ${valueText(c.value)}` : `${c.feature} arrives`) + (c.commit ? ` (${c.commit})` : '')).join('; '),
        commits: [...new Set(sp.changes.flatMap((c) => (c.commit ? [c.commit.slice(0, 12)] : [])))],
      });
  });
  const parts = bands.map((band, i) => {
    const inBand = releases.slice(releases.indexOf(band.first), releases.indexOf(band.last) + 1);
    const o = band.run.outcome;
    const harm = !!o?.violations.length;
    const what = o ? `outcome ${band.letter}${harm ? ` (${o.violations.join(', ')})` : ''}` : (band.run.unavailable ?? 'cannot run');
    const buttons = inBand.map((r) => `<button class="release${chosen.includes(r) ? ' chosen' : ''}" data-release="${r}" title="${esc(`${r}: ${what}`)}">${esc(r.replace(/^v/, ''))}</button>`).join('');
    const head = o ? `${band.letter}${harm ? ` ${o.violations.join(', ')}` : ''}` : `– ${band.run.unavailable ?? ''}`;
    return `<div class="band${harm ? ' harm' : ''}" data-first="${band.first}" data-last="${band.last}" data-outcome="${esc(band.letter)}" style="--hue:${hueOf(band.letter)}"><div class="band-head">${esc(head)}</div><div class="band-releases">${buttons}</div>${i > 0 && band.changes ? `<details class="boundary"><summary>${esc(band.first)}: ${band.commits.length ? esc(band.commits.join(', ')) : 'what changes'}</summary>${esc(band.changes)}</details>` : ''}</div>`;
  });
  return `<div class="axis">${parts.join('')}</div>`;
}

/** The first step where two traces part: a different thread, function or change; 0 if they do not. */
function firstDivergence(a: RunResult, b: RunResult): number {
  const key = (r: RunResult, i: number) => {
    const t = r.trace[i];
    return t ? JSON.stringify([t.thread, t.fn, t.changes]) : null;
  };
  for (let i = 0; i < Math.max(a.trace.length, b.trace.length); i++) if (key(a, i) !== key(b, i)) return i + 1;
  return 0;
}

/** A witness's schedule replayed at its release, drawn, with a step to follow (prev/next). */
function witnessLane(s: Scenario, w: NonNullable<View['witness']>): string {
  let r: RunResult;
  try {
    r = runScenario(s, eraAt(w.release), w.token);
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    return `<p class="bad" id="witness-error">${esc(e.message)}</p>`;
  }
  return `<div class="witness-head"><b>${esc(w.target)}</b> at ${esc(w.release)}: the schedule of replay token <code>${esc(w.token)}</code> (<code>mmutt run ${esc(s.name)} --kernel ${esc(w.release)} --replay ${esc(w.token)}</code>) <button id="step-prev">◀</button> <span id="step-at" data-steps="${r.trace.length}">step 1 of ${r.trace.length}</span> <button id="step-next">▶</button> <button id="witness-close">back</button></div><div class="cols"><div class="lane-col" data-release="${esc(w.release)}" data-witness="${esc(w.token)}">${swimlane(r)}</div></div>`;
}

/** Mark step k (1-based) of the witness's trace. */
function stepTo(k: number): void {
  const at = $('step-at');
  const n = Number(at.getAttribute('data-steps'));
  const step = Math.min(Math.max(1, k), n);
  at.textContent = `step ${step} of ${n}`;
  at.setAttribute('data-step', String(step));
  document.querySelectorAll('.lane-col rect.step').forEach((r, i) => r.classList.toggle('current', i === step - 1));
}

function lanes(s: Scenario, chosen: readonly string[]): string {
  const runs = chosen.map((r) => runScenario(s, eraAt(r)));
  const parted = runs.length === 2 ? firstDivergence(runs[0]!, runs[1]!) : 0;
  const note = runs.length === 2 ? `<p class="parted">${parted ? `The traces part at step ${parted}.` : 'The traces are the same, step for step.'}</p>` : '';
  const cols = runs.map((r) => {
    const o = r.outcome;
    const head = `<h3>${esc(r.era.id)}${r.era.era ? ` <span class="rel">in ${esc(r.era.era)}</span>` : ''}${o?.violations.length ? ` <b class="bad">${esc(o.violations.join(', '))}</b>` : ''}</h3>`;
    // As the CLI prints them: the release's words for a label, page contents in hex.
    const obs = o ? `<p class="obs">${Object.entries(o.observations).map(([k, v]) => `${esc(r.labels?.[k] ?? k)} = ${esc(fmtValue(k, v))}`).join(', ')}</p>` : '';
    return `<div class="lane-col" data-release="${esc(r.era.id)}" data-parted="${parted}">${head}${obs}${swimlane(r)}</div>`;
  });
  // The block `mmutt cite SCENARIO --kernel vA [--kernel vB] --inline` prints: the same bytes.
  const cite = runs.length ? citeText(runs, null, { inline: true, options: [], eraFiles: [], scenarioText: session.mailText(s) }) : '';
  return `${note}<div class="cols">${cols.join('')}</div>${cite ? `<h3>Cite block</h3><pre id="cite">${esc(cite)}</pre><button id="copy-cite">copy</button>` : ''}`;
}

/** The exploration of the current scenario: per span of releases its result, as the worker sends them. */
interface Explored {
  /** The scenario's text it is of: an edit discards it. */
  text: string;
  spans: { first: string; last: string }[];
  results: (Extract<ExploreMessage, { kind: 'span' }> | undefined)[];
  progress: string;
  worker?: Worker;
}
let explored: Explored | undefined;

/** The explored bands: every span's verdict (neighbours that agree are one band), harms, witnesses. */
function exploredBands(x: Explored): string {
  const bands: { first: string; last: string; r: NonNullable<Explored['results'][number]> }[] = [];
  x.results.forEach((r, i) => {
    if (!r) return;
    const sp = x.spans[i]!;
    const prev = bands[bands.length - 1];
    // One band only where every group in it gives the same numbers too.
    const key = (y: typeof r) => JSON.stringify([y.verdict, y.positive, y.negative, y.outcomes, y.harms, y.stopped ?? null]);
    if (prev && key(prev.r) === key(r) && releases.indexOf(prev.last) + 1 === releases.indexOf(sp.first)) prev.last = sp.last;
    else bands.push({ first: sp.first, last: sp.last, r });
  });
  return bands
    .map(({ first, last, r }) => {
      const counts = r.verdict === 'Never' || r.verdict === 'Sometimes' || r.verdict === 'Always' ? ` ${r.positive} ${r.negative}` : '';
      const button = (w: (typeof r.witnesses)[number]) => `<button class="witness" data-release="${first}" data-token="${esc(w.token)}" data-target="${esc(w.shown)}">${esc(w.shown)}</button>`;
      // A harm's witness first; one per outcome behind a fold.
      const harms = r.witnesses.filter((w) => w.target.startsWith('harm'));
      const outcomes = r.witnesses.filter((w) => w.target.startsWith('outcome'));
      const witnesses = `${harms.map(button).join(' ')}${outcomes.length ? ` <details><summary>a schedule to each outcome</summary>${outcomes.map(button).join(' ')}</details>` : ''}`;
      const stopped = r.stopped ? ` (stopped by ${r.stopped} after ${r.states.toLocaleString('en-US')} states: ${r.outcomes} outcomes so far)` : '';
      return `<div class="xband${r.harms.length ? ' harm' : ''}" data-first="${first}" data-last="${last}" data-verdict="${esc(r.verdict)}"><b>${esc(first === last ? first : `${first}..${last}`)}</b> ${esc(r.verdict)}${esc(counts)}${esc(stopped)}${r.harms.length ? ` <span class="bad">${esc(r.harms.join(', '))}</span>` : ''} ${witnesses}</div>`;
    })
    .join('');
}

/**
 * The explored row: the button to start (or cancel), the progress, the bands. Its parts are
 * redrawn apart (the progress alone as it comes), so that a button under the pointer is not
 * replaced while it is clicked.
 */
function exploredRow(v: View): string {
  if (!explored || explored.text !== textOf(v)) return `<button id="explore">Explore every interleaving, release by release</button>`;
  return `<div class="explore-bar"><span id="explore-control">${exploreControl(explored)}</span> <span id="progress">${esc(explored.progress)}</span></div><div class="xbands" id="xbands">${exploredBands(explored)}</div>`;
}
const exploreControl = (x: Explored) => (x.worker ? '<button id="cancel-explore">Cancel</button>' : '<button id="explore">Explore again</button>');

/** Explore every span of releases of the scenario in the worker: the same bundle, started from its own text. */
function exploreAll(v: View, s: Scenario): void {
  explored?.worker?.terminate();
  const spans = spansOf(s).map((sp) => ({ first: sp.first, last: sp.last }));
  const source = document.getElementById('mmutt-app')!.textContent!;
  const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
  const x: Explored = { text: textOf(v), spans, results: [], progress: 'starting', worker };
  explored = x;
  worker.onmessage = (e: MessageEvent<ExploreMessage>) => {
    const m = e.data;
    const shown = explored === x && document.getElementById('progress') !== null;
    if (m.kind === 'progress') x.progress = `exploring ${spans[m.span]!.first} (${m.span + 1} of ${spans.length}): ${m.states.toLocaleString('en-US')} states, ${(m.ms / 1000).toFixed(1)} s`;
    else if (m.kind === 'span') {
      x.results[m.span] = m;
      x.progress = `${m.span + 1} of ${spans.length} explored`;
      if (shown) $('xbands').innerHTML = exploredBands(x);
    } else {
      x.progress = `every release explored (${spans.length} groups of releases that meet the same rules)`;
      worker.terminate();
      delete x.worker;
      if (shown) $('explore-control').innerHTML = exploreControl(x);
    }
    if (shown) $('progress').textContent = x.progress;
  };
  const request: ExploreRequest = { ...(v.scenario !== undefined ? { name: v.scenario } : {}), text: textOf(v), spans };
  worker.postMessage(request);
  $('explored').innerHTML = exploredRow(v);
}

/** Whether the page writes its view into the address: always on its own page; in an html report once the reader changes the view (the report's own section links stay theirs). */
let ownsFragment = true;

/** Draw the view; the fragment follows it. */
function render(v: View): void {
  const s = scenarioOf(v);
  const editor = $('editor') as HTMLTextAreaElement;
  if (editor.value !== textOf(v)) editor.value = textOf(v);
  ($('catalog') as HTMLSelectElement).value = v.scenario ?? '';
  $('error').textContent = [v.linkError, typeof s === 'string' ? s : ''].filter(Boolean).join('\n');
  if (ownsFragment && location.hash !== fragmentOf(v)) history.replaceState(null, '', fragmentOf(v));
  if (typeof s === 'string') {
    // Nothing of another scenario stays on the page.
    for (const id of ['title', 'axis', 'explored', 'lanes']) $(id).innerHTML = '';
    return;
  }
  const chosen = v.releases.length ? v.releases : [releases[releases.length - 1]!];
  $('title').textContent = `${s.name}: ${s.description}`;
  $('axis').innerHTML = axis(s, chosen);
  $('explored').innerHTML = exploredRow(v);
  $('lanes').innerHTML = v.witness ? witnessLane(s, v.witness) : lanes(s, chosen);
  if (v.witness && document.getElementById('step-at')) stepTo(1);
  // Mark the step where two traces part, in both.
  const parted = Number(document.querySelector('.lane-col')?.getAttribute('data-parted') ?? 0);
  if (parted) for (const n of document.querySelectorAll('.lane-col svg text.stepno')) if (n.textContent === String(parted)) n.classList.add('parted');
}

/** The page's own style, scoped to its root: the same in the site's page and in an html report. */
const STYLE = `
#mmutt-site{padding:.6em 1em}
#mmutt-site .pick{display:flex;gap:1em;align-items:flex-start;flex-wrap:wrap}
#mmutt-site #editor{width:min(100%,56em);height:14em;font:12px monospace}
#mmutt-site #error{color:#c0392b;font:13px monospace;white-space:pre-wrap;min-height:1.2em}
#mmutt-site #title{font-weight:bold;margin:.6em 0 .2em}
#mmutt-site .axis{display:flex;flex-wrap:wrap;gap:4px;margin:.4em 0}
#mmutt-site .band{border:1px solid hsl(var(--hue),40%,55%);background:hsl(var(--hue),60%,93%);padding:2px 3px;border-radius:3px}
#mmutt-site .band.harm{border-color:#c0392b;background:#f5b7b1}
#mmutt-site .band-head{font:bold 12px monospace;max-width:40em}
#mmutt-site .band-releases{display:flex;flex-wrap:wrap;gap:1px}
#mmutt-site .boundary{font:11px monospace;color:#444;max-width:40em;overflow-wrap:break-word}
#mmutt-site button.release{font:11px monospace;padding:0 3px;border:1px solid #aab;background:#fff;cursor:pointer}
#mmutt-site button.release.chosen{background:#1f618d;color:#fff;border-color:#1f618d}
#mmutt-site .cols{display:flex;gap:1em;align-items:flex-start;overflow-x:auto}
#mmutt-site .lane-col{flex:1 1 0;min-width:0}
#mmutt-site .lane-col svg{display:block;max-width:100%;height:auto}
#mmutt-site .lane-col h3{font:bold 14px monospace;margin:.3em 0}
#mmutt-site .rel{color:#666;font-weight:normal}
#mmutt-site .bad{color:#c0392b}
#mmutt-site .obs,#mmutt-site .parted,#mmutt-site .counters{font:12px monospace}
#mmutt-site svg text{font:11px monospace}
#mmutt-site svg .lane-name{font-weight:bold}
#mmutt-site svg .stepno{fill:#666}
#mmutt-site svg .stepno.parted{fill:#c0392b;font-weight:bold}
#mmutt-site #cite{font:12px monospace;background:#f4f6f6;padding:.5em;overflow-x:auto}
#mmutt-site .explore-bar{margin:.4em 0;font:12px monospace}
#mmutt-site .xbands{display:flex;flex-wrap:wrap;gap:4px}
#mmutt-site .xband{font:12px monospace;border:1px solid #aab;border-radius:3px;padding:2px 4px;background:#f4f6f6}
#mmutt-site .xband.harm{border-color:#c0392b;background:#fadbd8}
#mmutt-site button.witness{font:11px monospace}
#mmutt-site .xband details{display:inline}
#mmutt-site .witness-head{font:12px monospace;margin:.4em 0}
#mmutt-site svg rect.step.current{stroke:#f39c12;stroke-width:3}
#mmutt-site .hint{color:#666;font-size:12px}
`;

/** The page's elements, in its root. */
const SKELETON = `<div class="pick"><label>Scenario <select id="catalog"></select></label><span class="hint">Edit the text below (errors appear as you type); click or drag along the releases to see a trace (← → step one release), shift-click a second to set them side by side. The address keeps the view: share it.</span></div>
<textarea id="editor" spellcheck="false" aria-label="scenario text"></textarea>
<div id="error" role="status"></div>
<div id="title"></div>
<div id="axis"></div>
<div id="explored"></div>
<div id="lanes"></div>`;

let view: View = { releases: [] };

/**
 * Start the page in `root` (its elements are made there), on the view the address names, else
 * on `initial` (an html report's own: its first scenario).
 */
export function start(root: HTMLElement, initial?: View): void {
  const style = document.createElement('style');
  style.textContent = STYLE;
  document.head.append(style);
  root.insertAdjacentHTML('beforeend', SKELETON);
  root.hidden = false;
  const select = $('catalog') as HTMLSelectElement;
  select.innerHTML = `<option value="">(your own text)</option>${catalog.map((c) => `<option value="${esc(c.name)}">${esc(c.name)}</option>`).join('')}`;
  // In an html report the address may name a section of the report: the report's own view then.
  ownsFragment = !initial || namesView(location.hash);
  view = namesView(location.hash) || !initial ? viewOf(location.hash) : initial;
  render(view);
  // The reader changes the view: from then on the address keeps it.
  const take = () => (ownsFragment = true);
  for (const id of ['catalog', 'editor', 'axis', 'explored', 'lanes']) $(id).addEventListener('pointerdown', take);
  select.addEventListener('change', take);
  $('editor').addEventListener('input', take);
  listenToText(select);
  listenToAxis();
  listenToResults();
  window.addEventListener('hashchange', () => {
    if (!namesView(location.hash)) return;
    view = viewOf(location.hash);
    render(view);
  });
}

/** The scenario picked, or its text edited: rendered again (the text once it stands still a moment). */
function listenToText(select: HTMLSelectElement): void {
  select.addEventListener('change', () => {
    view = select.value ? { scenario: select.value, releases: view.releases } : { text: textOf(view), releases: view.releases };
    render(view);
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  $('editor').addEventListener('input', () => {
    clearTimeout(timer);
    // Errors at line:col as one types; the run when the text stands still a moment.
    timer = setTimeout(() => {
      view = { text: ($('editor') as HTMLTextAreaElement).value, releases: view.releases };
      render(view);
    }, 250);
  });
}

/** The release axis: click, shift-click, drag, and the arrow keys choose the releases shown. */
function listenToAxis(): void {
  // Click a release: it alone; shift-click: beside the one shown (two side by side).
  $('axis').addEventListener('click', (e) => {
    const r = (e.target as HTMLElement).closest('button.release')?.getAttribute('data-release');
    if (!r) return;
    const shown = view.releases.length ? view.releases : [releases[releases.length - 1]!];
    view = withReleases(view, (e as MouseEvent).shiftKey ? [shown[0]!, r] : [r]);
    render(view);
  });
  // Drag along the axis: the release under the pointer is shown as it passes.
  let dragging = false;
  $('axis').addEventListener('pointerdown', (e) => {
    dragging = !!(e.target as HTMLElement).closest('button.release') && !e.shiftKey;
  });
  window.addEventListener('pointerup', () => (dragging = false));
  $('axis').addEventListener('pointerover', (e) => {
    const r = (e.target as HTMLElement).closest('button.release')?.getAttribute('data-release');
    if (!dragging || !r || (view.releases.length === 1 && view.releases[0] === r)) return;
    view = withReleases(view, [r]);
    render(view);
  });
  // The arrow keys step one release along the axis (outside the editor).
  window.addEventListener('keydown', (e) => {
    if ((e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') || (e.target as HTMLElement).id === 'editor' || view.witness) return;
    ownsFragment = true;
    const at = releases.indexOf(view.releases[0] ?? releases[releases.length - 1]!);
    const next = releases[Math.min(releases.length - 1, Math.max(0, at + (e.key === 'ArrowLeft' ? -1 : 1)))]!;
    view = withReleases(view, [next]);
    render(view);
  });
}

/** The trace's controls (copy the cite, step, close a witness) and the exploration's (explore, cancel, a witness). */
function listenToResults(): void {
  $('lanes').addEventListener('click', (e) => {
    const id = (e.target as HTMLElement).id;
    if (id === 'copy-cite') void navigator.clipboard?.writeText($('cite').textContent ?? '');
    const at = Number($('step-at')?.getAttribute('data-step') ?? 1);
    if (id === 'step-prev') stepTo(at - 1);
    if (id === 'step-next') stepTo(at + 1);
    if (id === 'witness-close') {
      view = { ...view };
      delete view.witness;
      render(view);
    }
  });
  $('explored').addEventListener('click', (e) => {
    const el = e.target as HTMLElement;
    if (el.id === 'explore') {
      const s = scenarioOf(view);
      if (typeof s !== 'string') exploreAll(view, s);
    } else if (el.id === 'cancel-explore' && explored?.worker) {
      explored.worker.terminate();
      delete explored.worker;
      explored.progress = `cancelled: ${explored.results.filter(Boolean).length} of ${explored.spans.length} explored`;
      $('explore-control').innerHTML = exploreControl(explored);
      $('progress').textContent = explored.progress;
    } else if (el.classList.contains('witness')) {
      view = { ...view, witness: { release: el.getAttribute('data-release')!, token: el.getAttribute('data-token')!, target: el.getAttribute('data-target')! } };
      render(view);
    }
  });
}
