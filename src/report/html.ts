// HTML: one self-contained page (no scripts, no external files) that answers at a glance. Per
// scenario: a table of every era's outcome and counters side by side, the eras whose outcome
// differs from the first era's highlighted; then each era's canonical trace as an SVG
// swimlane, stacked so that every era is visible without scrolling sideways (a wide diagram
// scales down to the page): a lane per thread and one for KVM, numbered steps, one arrow per
// notifier callback delivered to KVM, steps with an open window shaded, harms in red. With
// --explore, the table gives each era's verdict, harms and windows over every interleaving.
import { COUNTER_NAMES, pathsCounted } from '../contract/output.js';
import type { ExploreRun, RunResult } from '../contract/output.js';
import { exploreBandLines, harmsOf, observationLine, windowText } from './explore.js';
import { bandLines, fmtValue, heldFor, heldLine, outcomeLetters, pathCounts, releasesOf, toolOf, type PathCounts } from './text.js';

const LANE = 176;
const ROW = 20;
const TOP = 40;
const LEFT = 44; // the step-number column
const BOX = LANE - 14;
/** Monospace 11px: about 6.6 px a character; labels are cut to what their box holds. */
const FONT = 11;
const CHAR = 0.62 * FONT;
const LABEL_CHARS = Math.floor((BOX - 10) / CHAR);

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fit = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function swimlane(r: RunResult): string {
  if (!r.outcome) return `<p class="na">${esc(r.unavailable ?? '')}</p>`;
  const threads = r.scenario.threads.map((t) => t.name);
  const lanes = [...threads, 'KVM'];
  const kvmLane = lanes.length - 1;
  const width = LEFT + lanes.length * LANE + 10;
  const height = TOP + r.trace.length * ROW + 10;
  const callbacks = r.trace.filter((t) => t.callback).length;
  const laneX = (i: number) => LEFT + i * LANE;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" viewBox="0 0 ${width} ${height}" data-scenario="${esc(r.scenario.name)}" data-era="${esc(r.era.id)}" data-callbacks="${callbacks}" role="img" aria-label="${esc(`${r.scenario.name} under ${r.era.id}`)}">`,
    `<defs><marker id="arrowhead" markerWidth="8" markerHeight="6" refX="8" refY="3" orient="auto"><path d="M0,0 L8,3 L0,6 z" fill="#c0392b"/></marker></defs>`,
  ];
  lanes.forEach((name, i) => {
    out.push(`<rect class="lane" x="${laneX(i)}" y="${TOP - 6}" width="${LANE - 6}" height="${height - TOP}" fill="#eaf1f8" stroke="#3b6ea5"/>`);
    out.push(`<text class="lane-name" x="${laneX(i) + (LANE - 6) / 2}" y="${TOP - 14}" text-anchor="middle">${esc(fit(name, LABEL_CHARS))}</text>`);
  });
  r.trace.forEach((t, i) => {
    const y = TOP + i * ROW;
    const from = threads.indexOf(t.thread);
    const inKvm = t.fn.startsWith('kvm_mmu_notifier_');
    const lane = inKvm ? kvmLane : from;
    const x = laneX(lane) + 4;
    const harm = t.notes.some((n) => n.startsWith('VIOLATION'));
    if (t.windows.length) out.push(`<rect class="window" x="${LEFT}" y="${y - 2}" width="${width - LEFT - 10}" height="${ROW}" fill="#f5b041" fill-opacity="0.35"/>`);
    out.push(`<text class="stepno" x="${LEFT - 6}" y="${y + 12}" text-anchor="end">${t.n}</text>`);
    out.push(
      `<rect class="step${harm ? ' harm' : ''}" x="${x}" y="${y}" width="${BOX}" height="${ROW - 4}" rx="3" fill="${harm ? '#e74c3c' : '#ffffff'}" stroke="${inKvm ? '#c0392b' : '#34495e'}"><title>${esc(`${t.n}. ${t.thread}: ${t.fn}: ${t.does}${t.notes.length ? ` (${t.notes.join('; ')})` : ''}`)}</title></rect>`,
    );
    // A callback's first step is its delivery (an arrow comes in); the others continue it.
    const label = t.callback ? `.${t.callback}` : inKvm ? `↳ ${t.does.split(/[;,]/)[0]}` : t.fn;
    out.push(`<text class="fn" x="${x + 5}" y="${y + 12}">${esc(fit(label, LABEL_CHARS))}</text>`);
    if (t.callback && from !== kvmLane) {
      const x1 = laneX(from) + 4 + BOX;
      out.push(`<line class="arrow" x1="${x1}" y1="${y + 8}" x2="${x - 1}" y2="${y + 8}" stroke="#c0392b" stroke-width="1.5" marker-end="url(#arrowhead)"/>`);
    }
  });
  out.push('</svg>');
  return out.join('\n');
}

/** One row of a summary table: a label and a cell per era, cells that differ from the first era's marked. */
function tr(label: string, cells: string[]): string {
  const first = cells.find((c) => c !== '–');
  return `<tr><th>${esc(label)}</th>${cells.map((c) => `<td${c !== first && c !== '–' ? ' class="differs"' : ''}>${esc(c)}</td>`).join('')}</tr>`;
}

function canonicalTable(runs: RunResult[], letters: (string | null)[]): string {
  const ran = runs.filter((r) => r.outcome);
  const obs = ran.length ? Object.keys(ran[0]!.outcome!.observations) : [];
  const ctrs = COUNTER_NAMES.filter((c) => !obs.includes(c) && ran.some((r) => r.outcome!.counters[c] !== 0));
  const rows = [
    tr('outcome', letters.map((l) => l ?? '–')),
    ...obs.map((k) => tr(k, runs.map((r) => (r.outcome ? fmtValue(k, r.outcome.observations[k]!) : '–')))),
    ...ctrs.map((c) => tr(c, runs.map((r) => (r.outcome ? String(r.outcome.counters[c]) : '–')))),
    tr('violations', runs.map((r) => (r.outcome ? r.outcome.violations.join(', ') || 'none' : '–'))),
  ];
  return rows.join('\n');
}

function exploredTable(xs: ExploreRun[], counts: PathCounts): string {
  const verdicts = xs.map((x) => (x.exploration ? observationLine(x, counts.fmt).split(' ').slice(2).join(' ') : '–'));
  return [
    tr('verdict (P N)', verdicts),
    tr('outcomes', xs.map((x) => (x.exploration ? `${x.exploration.outcomes.length}${pathsCounted(x.exploration) ? `, ${counts.fmt(x.exploration.outcomes.reduce((n, o) => n + o.paths, 0))} paths` : x.exploration.complete ? ' (reduced: P and N count outcomes)' : ' (incomplete)'}` : '–'))),
    tr('harms', xs.map((x) => (x.exploration ? harmsOf(x.exploration).map((h) => h.harm).join(', ') || 'none' : '–'))),
    tr('windows', xs.map((x) => (x.exploration ? x.exploration.windows.map(windowText).join('; ') || 'none' : '–'))),
  ].join('\n');
}

/** Rows of (scenario x era): the canonical runs, and when explored their explorations too. */
export function htmlReport(rows: RunResult[][], explored?: ExploreRun[][]): string {
  const counts = pathCounts();
  const body = rows.map((runs, ri) => {
    const s = runs[0]!.scenario;
    const letters = outcomeLetters(runs, () => '');
    const xs = explored?.[ri];
    const key = (i: number) => (xs ? JSON.stringify([xs[i]!.exploration && observationLine(xs[i]!).split(' ')[2], xs[i]!.exploration && harmsOf(xs[i]!.exploration!).map((h) => h.harm)]) : letters[i]);
    // Against the first era that can run the scenario; an era that cannot is not highlighted.
    const first = runs.findIndex((r) => r.outcome);
    const differs = runs.map((r, i) => r.outcome !== null && first >= 0 && key(i) !== key(first));
    const head = `<tr><th></th>${runs.map((r, i) => `<th class="era-col${differs[i] ? ' differs' : ''}">${esc(r.era.id)}<br><span class="rel">${esc(releasesOf(r.era))}${held(r, xs?.[i])}</span></th>`).join('')}</tr>`;
    const table = `<table class="summary">${head}\n${xs ? exploredTable(xs, counts) : canonicalTable(runs, letters)}</table>`;
    const eras = runs
      .map(
        (r, i) =>
          `<div class="era${differs[i] ? ' differs' : ''}"><h3>${esc(r.era.id)} <span class="rel">${esc(releasesOf(r.era))}${letters[i] ? `, outcome ${letters[i]}` : ''}</span>${r.outcome?.violations.length ? ` <b class="bad">${esc(r.outcome.violations.join(', '))}</b>` : ''}</h3>${splitOf(r, xs?.[i], counts)}${swimlane(r)}</div>`,
      )
      .join('\n');
    return `<section><h2>${esc(s.name)}</h2><p>${esc(s.description)}</p><p class="rel">sha256 ${runs[0]!.sha256.slice(0, 12)}</p>${table}<div class="eras">${eras}</div></section>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mmutt ${toolOf(rows.flat().map((r) => r.era))}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:1em;color:#222;max-width:100%;overflow-x:hidden}
.era{margin:.8em 0;padding:.3em .5em;border-left:4px solid #ccd}
.era.differs{border-left-color:#d35400;background:#fdf2e9}
.era h3{margin:.2em 0;font-family:monospace;font-size:14px}
.era svg{display:block;max-width:100%;height:auto}
.rel{color:#666;font-weight:normal}
.bad{color:#c0392b}
table.summary{border-collapse:collapse;font:12px monospace;margin:.5em 0;max-width:100%;table-layout:fixed}
table.summary th,table.summary td{border:1px solid #ccd;padding:2px 6px;text-align:left;overflow-wrap:anywhere}
table.summary .differs{background:#f9d8c0}
svg text{font:${FONT}px monospace}
svg .lane-name{font-weight:bold}
svg .stepno{fill:#666}
.legend span{display:inline-block;margin-right:1.5em}
</style></head><body>
<h1>mmutt ${toolOf(rows.flat().map((r) => r.era))}: ${explored ? 'every interleaving, and the canonical traces' : 'canonical traces'}</h1>
<p class="legend"><span>Lanes: threads, and KVM; steps numbered.</span><span style="color:#c0392b">→ a notifier callback delivered to KVM</span><span style="background:#f5b04159">a window: a stale sPTE or TLB entry outside any bracket</span><span style="color:#e74c3c">■ harm</span><span style="background:#f9d8c0">differs from the first era</span></p>
${body.join('\n')}
${counts.note(Infinity).map((n) => `<p class="rel">${esc(n)}</p>\n`).join('')}</body></html>
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
