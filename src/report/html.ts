// HTML: one self-contained page (no external files) that answers at a glance, and when the
// build made the time-travel page's script, carries that page too (above the report, on the
// report's first scenario; without JavaScript the report alone, as it always reads). A
// page of several scenarios (a matrix) opens with an overview: a row per scenario, a cell per
// era, harms in red, each row a link to the scenario's section. Per scenario: a table of every
// era's outcome and counters side by side (it scrolls sideways rather than break a name or a
// number), an era with a harm marked red and a value that changed from the era to its left
// marked orange; then each era's canonical trace as an SVG swimlane, stacked so that every era
// is visible without scrolling sideways (a wide diagram scales down to the page): a lane per
// thread (a device's DMA and its driver's handlers in the device's) and one for KVM, each as
// wide as its longest label, numbered steps, one arrow per notifier callback delivered to a
// secondary MMU drawn by what it did with its mappings (sPTEs; a device's ATC and SMMU TLB
// entries): zapped, repointed, updated, nothing; steps with an open window shaded, harms in
// red, and the run's counters under it. With --explore, the table gives each era's verdict, harms and windows over every
// interleaving.
import { COUNTER_NAMES, pathsCounted, stoppedBy } from '../contract/output.js';
import type { ExploreRun, RunResult, TraceStep } from '../contract/output.js';
import { allPaths, exploreBandLines, harmsOf, noneYet, observationLine, pathsText, windowText } from './explore.js';
import { bandLines, fmtValue, heldFor, heldLine, outcomeLetters, pathCounts, releasesOf, toolOf, type PathCounts } from './text.js';

const MIN_LANE = 176;
const ROW = 20;
const TOP = 40;
const LEFT = 44; // the step-number column
/** Monospace 11px: about 6.6 px a character (0.62 em); a box is as wide as its lane's longest label. */
const FONT = 11;
const CHAR = 0.62 * FONT;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** A section's anchor: the scenario's name, as an id. */
const anchor = (name: string) => `s-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`;

/** What a secondary MMU did with a notifier callback: how its mappings changed in the steps of its handler. */
type CallbackEffect = 'zapped' | 'repointed' | 'updated' | 'nothing';
const EFFECT_COLOUR: Record<CallbackEffect, string> = { zapped: '#c0392b', repointed: '#1f618d', updated: '#7d3c98', nothing: '#7f8c8d' };
/** An sPTE value as the trace prints it (engine: `none`, or `pfn 0x11 W-DAh`, `pfn 0x11 access-tracked`): its pfn. */
const spteFrame = (v: string) => (v === 'none' ? null : (/^pfn (0x[0-9a-f]+)/.exec(v)?.[1] ?? v));

/** A slot of the secondary MMU's mappings, by its name in a trace: KVM's sPTEs, a device's ATC and SMMU TLB entries. */
const mapsOf = (handler: string | undefined, slot: string) => (handler === 'KVM' ? slot.startsWith('spte ') : slot.startsWith(`${handler} atc `) || slot.startsWith(`${handler} smmu tlb `));

/**
 * The effect of the callback delivered at trace[i]: the changes to the handler's mappings in
 * that step and in the steps after it that continue the same handler (same thread and function,
 * no new delivery). A zap wins over a new pfn, a new pfn over a change of bits.
 */
function callbackEffect(trace: readonly TraceStep[], i: number): CallbackEffect {
  const t = trace[i]!;
  const sptes = [];
  for (let j = i; j < trace.length && trace[j]!.thread === t.thread && trace[j]!.fn === t.fn && (j === i || !trace[j]!.callback); j++) {
    sptes.push(...trace[j]!.changes.filter((c) => mapsOf(t.handler, c.slot)));
  }
  if (!sptes.length) return 'nothing';
  if (sptes.some((c) => c.to === 'none')) return 'zapped';
  if (sptes.some((c) => spteFrame(c.from) !== spteFrame(c.to))) return 'repointed';
  return 'updated';
}

/** A step's label in its box: the kernel function, a callback with what its handler did (`effect`), or a handler's later step. */
function labelOf(t: TraceStep, effect: CallbackEffect | null): string {
  if (t.callback) return `.${t.callbackAs ?? t.callback}: ${effect}`;
  return t.handler ? `↳ ${t.does.split(/[;,]/)[0]}` : t.fn;
}

/** An era's canonical trace as an SVG swimlane, and its counters under it (the site draws the same). */
export function swimlane(r: RunResult): string {
  if (!r.outcome) return `<p class="na">${esc(r.unavailable ?? '')}</p>`;
  const threads = r.scenario.threads.map((t) => t.name);
  // KVM's lane where the scenario has a VM for it to map.
  const lanes = [...threads, ...(r.scenario.slots.length ? ['KVM'] : [])];
  const kvmLane = r.scenario.slots.length ? lanes.length - 1 : -1;
  // A handler's steps in its secondary MMU's lane: KVM's, or the device's own (its DMA's).
  const laneOf = (t: TraceStep) => (t.handler === 'KVM' ? kvmLane : threads.indexOf(t.handler ?? t.thread));
  const effects = r.trace.map((t, i) => (t.callback ? callbackEffect(r.trace, i) : null));
  const labels = r.trace.map((t, i) => labelOf(t, effects[i]!));
  // Each lane as wide as its longest label (or its name): no label is cut.
  const widths = lanes.map((name, li) => Math.max(MIN_LANE, Math.ceil(Math.max(name.length, ...labels.filter((_, i) => laneOf(r.trace[i]!) === li).map((x) => x.length)) * CHAR) + 26));
  const laneX = (i: number) => LEFT + widths.slice(0, i).reduce((a, b) => a + b, 0);
  const width = laneX(lanes.length) + 10;
  const height = TOP + r.trace.length * ROW + 10;
  const callbacks = r.trace.filter((t) => t.callback).length;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" viewBox="0 0 ${width} ${height}" data-scenario="${esc(r.scenario.name)}" data-era="${esc(r.era.id)}" data-callbacks="${callbacks}" role="img" aria-label="${esc(`${r.scenario.name} under ${r.era.id}`)}">`,
    `<defs>${(Object.keys(EFFECT_COLOUR) as CallbackEffect[]).map((k) => `<marker id="arrow-${k}" markerWidth="8" markerHeight="6" refX="8" refY="3" orient="auto"><path d="M0,0 L8,3 L0,6 z" fill="${EFFECT_COLOUR[k]}"/></marker>`).join('')}</defs>`,
  ];
  lanes.forEach((name, i) => {
    out.push(`<rect class="lane" x="${laneX(i)}" y="${TOP - 6}" width="${widths[i]! - 6}" height="${height - TOP}" fill="#eaf1f8" stroke="#3b6ea5"/>`);
    out.push(`<text class="lane-name" x="${laneX(i) + (widths[i]! - 6) / 2}" y="${TOP - 14}" text-anchor="middle">${esc(name)}</text>`);
  });
  r.trace.forEach((t, i) => {
    const y = TOP + i * ROW;
    const from = threads.indexOf(t.thread);
    const lane = laneOf(t);
    const inHandler = t.handler !== undefined;
    const x = laneX(lane) + 4;
    const box = widths[lane]! - 14;
    const harm = t.notes.some((n) => n.startsWith('VIOLATION'));
    if (t.windows.length) out.push(`<rect class="window" x="${LEFT}" y="${y - 2}" width="${width - LEFT - 10}" height="${ROW}" fill="#f5b041" fill-opacity="0.35"/>`);
    out.push(`<text class="stepno" x="${LEFT - 6}" y="${y + 12}" text-anchor="end">${t.n}</text>`);
    out.push(
      `<rect class="step${harm ? ' harm' : ''}" data-thread="${esc(t.thread)}"${t.handler ? ` data-handler="${esc(t.handler)}"` : ''}${t.callback ? ` data-callback="${t.callback}"` : ''} x="${x}" y="${y}" width="${box}" height="${ROW - 4}" rx="3" fill="${harm ? '#e74c3c' : '#ffffff'}" stroke="${inHandler ? '#c0392b' : '#34495e'}"><title>${esc(`${t.n}. ${t.thread}: ${t.fn}: ${t.does}${t.notes.length ? ` (${t.notes.join('; ')})` : ''}`)}</title></rect>`,
    );
    out.push(`<text class="fn" x="${x + 5}" y="${y + 12}">${esc(labels[i]!)}</text>`);
    // A callback's first step is its delivery (an arrow comes in from the thread that made it,
    // drawn by what the handler did); the others continue it.
    if (t.callback && from !== lane) {
      const effect = effects[i]!;
      // From the side of the thread's lane that faces the handler's.
      const [x1, x2] = lane > from ? [laneX(from) + widths[from]! - 10, x - 1] : [laneX(from) + 4, x + box + 1];
      out.push(
        `<line class="arrow" data-callback="${t.callback}" data-effect="${effect}" data-handler="${esc(t.handler ?? '')}" x1="${x1}" y1="${y + 8}" x2="${x2}" y2="${y + 8}" stroke="${EFFECT_COLOUR[effect]}" stroke-width="1.5"${effect === 'nothing' ? ' stroke-dasharray="4 3"' : ''} marker-end="url(#arrow-${effect})"/>`,
      );
    }
  });
  out.push('</svg>');
  const counters = COUNTER_NAMES.filter((c) => r.outcome!.counters[c] !== 0);
  out.push(`<p class="counters" data-era="${esc(r.era.id)}">counters: ${counters.length ? counters.map((c) => `<span data-counter="${c}">${esc(c)} ${r.outcome!.counters[c]}</span>`).join(', ') : 'all 0'}</p>`);
  return out.join('\n');
}

/** Per column: its value differs from the nearest column to its left that has one (null: no value, never marked). */
function changedFromLeft(values: readonly (string | null)[]): boolean[] {
  let before: string | null = null;
  return values.map((v) => {
    const changed = v !== null && before !== null && v !== before;
    if (v !== null) before = v;
    return changed;
  });
}

/** One row of a summary table: a label and a cell per era; a cell whose value changed from the era to its left (that ran) is marked, and so is a harm. */
function tr(label: string, cells: string[], harm?: boolean[]): string {
  const changed = changedFromLeft(cells.map((c) => (c === '–' ? null : c)));
  const tds = cells.map((c, i) => {
    const classes = [...(changed[i] ? ['changed'] : []), ...(harm?.[i] ? ['harm'] : [])];
    return `<td${classes.length ? ` class="${classes.join(' ')}"` : ''}>${esc(c)}</td>`;
  });
  return `<tr><th>${esc(label)}</th>${tds.join('')}</tr>`;
}

function canonicalTable(runs: RunResult[], letters: (string | null)[]): string {
  const ran = runs.filter((r) => r.outcome);
  const obs = ran.length ? Object.keys(ran[0]!.outcome!.observations) : [];
  const ctrs = COUNTER_NAMES.filter((c) => !obs.includes(c) && ran.some((r) => r.outcome!.counters[c] !== 0));
  const harms = runs.map((r) => !!r.outcome?.violations.length);
  const rows = [
    tr('outcome', letters.map((l) => l ?? '–')),
    ...obs.map((k) => tr(k, runs.map((r) => (r.outcome ? fmtValue(k, r.outcome.observations[k]!) : '–')))),
    ...ctrs.map((c) => tr(c, runs.map((r) => (r.outcome ? String(r.outcome.counters[c]) : '–')))),
    tr('violations', runs.map((r) => (r.outcome ? r.outcome.violations.join(', ') || 'none' : '–')), harms),
  ];
  return rows.join('\n');
}

function exploredTable(xs: ExploreRun[], counts: PathCounts): string {
  const verdicts = xs.map((x) => (x.exploration ? observationLine(x, counts.fmt).split(' ').slice(2).join(' ') : '–'));
  const harms = xs.map((x) => !!x.exploration && harmsOf(x.exploration).length > 0);
  return [
    tr('verdict (P N)', verdicts),
    tr('outcomes', xs.map((x) => (x.exploration ? `${x.exploration.outcomes.length}${pathsCounted(x.exploration) ? `, ${pathsText(allPaths(x.exploration), counts)}` : x.exploration.complete ? ' (reduced: P and N count outcomes)' : ` so far (incomplete, ${stoppedBy(x.exploration)}: P and N count outcomes)`}` : '–'))),
    tr('harms', xs.map((x) => (x.exploration ? harmsOf(x.exploration).map((h) => h.harm).join(', ') || noneYet(x.exploration) : '–')), harms),
    tr('windows', xs.map((x) => (x.exploration ? x.exploration.windows.map(windowText).join('; ') || noneYet(x.exploration) : '–'))),
  ].join('\n');
}

/** A scenario's row of results as the overview and the marks read them: per era a key (null: cannot run), a short text, and whether it has a harm. */
function resultsOf(runs: RunResult[], xs: ExploreRun[] | undefined): { keys: (string | null)[]; short: string[]; harm: boolean[]; letters: (string | null)[] } {
  const letters = outcomeLetters(runs, () => '');
  if (!xs) {
    return {
      letters,
      keys: letters,
      short: runs.map((r, i) => (r.outcome ? `${letters[i]}${r.outcome.violations.length ? ` ${r.outcome.violations.join(', ')}` : ''}${r.bands ? '*' : ''}` : '–')),
      harm: runs.map((r) => !!r.outcome?.violations.length),
    };
  }
  const each = xs.map((x) => (x.exploration ? { verdict: observationLine(x).split(' ')[2]!, harms: harmsOf(x.exploration).map((h) => h.harm), split: !!x.bands } : null));
  return {
    letters,
    keys: each.map((e) => (e ? JSON.stringify([e.verdict, e.harms]) : null)),
    short: each.map((e) => (e ? `${e.verdict}${e.harms.length ? ` ${e.harms.join(', ')}` : ''}${e.split ? '*' : ''}` : '–')),
    harm: each.map((e) => !!e && e.harms.length > 0),
  };
}

/** The overview of a page of several scenarios: a row each (a link to its section), a cell per era. */
function overview(rows: RunResult[][], results: ReturnType<typeof resultsOf>[], explored: boolean): string {
  const eras = rows[0]!.map((r) => r.era.id);
  const head = `<tr><th>scenario</th>${eras.map((e) => `<th>${esc(e)}</th>`).join('')}</tr>`;
  const body = rows.map((runs, ri) => {
    const { short, harm } = results[ri]!;
    return `<tr><th><a href="#${anchor(runs[0]!.scenario.name)}">${esc(runs[0]!.scenario.name)}</a></th>${short.map((c, i) => `<td${harm[i] ? ' class="harm"' : ''}>${esc(c)}</td>`).join('')}</tr>`;
  });
  const letter = explored ? 'the verdict over every interleaving (Never, Sometimes, Always)' : "the outcome's letter (the letters of a scenario's table)";
  return `<h2>Overview</h2><div class="scroll"><table class="summary overview">${head}\n${body.join('\n')}</table></div><p class="rel">Each cell: ${letter}, and its harms; –: the era cannot run the scenario; *: the era's releases do not all give it (the scenario's section shows each).</p>`;
}

/**
 * The view the carried page opens on: the report's first scenario (a catalog one by name, else
 * its text), at its runs' releases when it ran one or two single releases (`run --kernel vX`).
 */
function pageView(rows: RunResult[][]): string {
  const runs = rows[0]!;
  const s = runs[0]!.scenario;
  const origin = s.origin && 'catalog' in s.origin ? { scenario: s.origin.catalog } : { text: s.text };
  // A run of one or two releases (`--kernel`) opens there; a named era or a proposal is no one release of the axis.
  const releases = runs.length <= 2 && runs.every((r) => r.era.id === r.era.release) ? [...new Set(runs.map((r) => r.era.release))] : [];
  return JSON.stringify({ ...origin, releases }).replace(/</g, '\\u003c');
}

/**
 * Rows of (scenario x era): the canonical runs, and when explored their explorations too. With
 * `page`, the time-travel page's script: the report carries the page (docs/site.md), which opens
 * on its first scenario above the report; without JavaScript the report is all there is.
 */
export function htmlReport(rows: RunResult[][], explored?: ExploreRun[][], page?: string | null): string {
  const counts = pathCounts();
  const results = rows.map((runs, ri) => resultsOf(runs, explored?.[ri]));
  const body = rows.map((runs, ri) => {
    const s = runs[0]!.scenario;
    const xs = explored?.[ri];
    const { keys, harm, letters } = results[ri]!;
    const changed = changedFromLeft(keys);
    const cls = (i: number) => `${harm[i] ? ' harm' : ''}${changed[i] ? ' changed' : ''}`;
    const head = `<tr><th></th>${runs.map((r, i) => `<th class="era-col${cls(i)}">${esc(r.era.id)}<br><span class="rel">${esc(releasesOf(r.era))}${held(r, xs?.[i])}</span></th>`).join('')}</tr>`;
    const table = `<div class="scroll"><table class="summary">${head}\n${xs ? exploredTable(xs, counts) : canonicalTable(runs, letters)}</table></div>`;
    const eras = runs
      .map(
        (r, i) =>
          `<div class="era${cls(i)}"><h3>${esc(r.era.id)} <span class="rel">${esc(releasesOf(r.era))}${letters[i] ? `, outcome ${letters[i]}` : ''}</span>${r.outcome?.violations.length ? ` <b class="bad">${esc(r.outcome.violations.join(', '))}</b>` : ''}</h3>${splitOf(r, xs?.[i], counts)}${swimlane(r)}</div>`,
      )
      .join('\n');
    return `<section id="${anchor(s.name)}"><h2>${esc(s.name)}</h2><p>${esc(s.description)}</p><p class="rel">sha256 ${runs[0]!.sha256.slice(0, 12)}</p>${table}<div class="eras">${eras}</div></section>`;
  });
  const legendArrows = (Object.keys(EFFECT_COLOUR) as CallbackEffect[]).map((k) => `<span style="color:${EFFECT_COLOUR[k]}">→ ${k}</span>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mmutt ${toolOf(rows.flat().map((r) => r.era))}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:1em;color:#222;max-width:100%;overflow-x:hidden}
.era{margin:.8em 0;padding:.3em .5em;border-left:4px solid #ccd}
.era.changed{border-left-color:#d35400}
.era.harm{border-left-color:#c0392b;background:#fdedec}
.era h3{margin:.2em 0;font-family:monospace;font-size:14px}
.era svg{display:block;max-width:100%;height:auto}
.rel{color:#666;font-weight:normal}
.bad{color:#c0392b}
.scroll{max-width:100%;overflow-x:auto}
table.summary{border-collapse:collapse;font:12px monospace;margin:.5em 0}
table.summary th,table.summary td{border:1px solid #ccd;padding:2px 6px;text-align:left;white-space:nowrap}
table.summary .changed{background:#f9d8c0}
table.summary .harm{background:#f5b7b1;color:#78281f;font-weight:bold}
.counters{font:12px monospace;color:#444;margin:.2em 0 .6em}
svg text{font:${FONT}px monospace}
svg .lane-name{font-weight:bold}
svg .stepno{fill:#666}
.legend span{display:inline-block;margin-right:1.5em}
</style></head><body>
${page ? '<div id="mmutt-site" hidden></div>\n' : ''}<h1>mmutt ${toolOf(rows.flat().map((r) => r.era))}: ${explored ? 'every interleaving, and the canonical traces' : 'canonical traces'}</h1>
<p class="legend"><span>Lanes: threads (a device's DMA and its driver's handlers in the device's), and KVM where there is a VM; steps numbered.</span><span>A notifier callback delivered to a secondary MMU, by what it did with its mappings (KVM's sPTEs, a device's ATC and SMMU TLB):</span>${legendArrows}<span style="background:#f5b04159">a window: a stale sPTE, TLB or ATC entry outside any bracket</span><span style="color:#e74c3c">■ harm</span><span style="background:#f5b7b1">an era with a harm</span><span style="background:#f9d8c0">changed from the era to its left</span></p>
${rows.length > 1 ? overview(rows, results, !!explored) : ''}
${body.join('\n')}
${counts.note(Infinity).map((n) => `<p class="rel">${esc(n)}</p>\n`).join('')}${page ? `<script type="application/json" id="mmutt-view">${pageView(rows)}</script>\n<script id="mmutt-app">${page}</script>\n` : ''}</body></html>
`;
}

/** Where an era's releases do not all give the result shown: its bands, as the text report prints them. */
function splitOf(r: RunResult, x: ExploreRun | undefined, counts: PathCounts): string {
  const bands = x ? x.bands : r.bands;
  if (!bands) return '';
  const lines = x ? exploreBandLines(x, 80, counts) : bandLines(r.bands!, r.era.release);
  return `<pre class="bands">${esc([...heldLine({ era: r.era, bands }), ...lines].join('\n'))}</pre>`;
}

/** Under an era's column: the releases its result holds for, when its era's releases split. */
function held(r: RunResult, x: ExploreRun | undefined): string {
  const bands = x ? x.bands : r.bands;
  return bands ? `<br>holds for ${esc(heldFor({ era: r.era, bands }))}*` : '';
}
