// HTML: one self-contained page (no scripts, no external files) with, for each scenario, an
// SVG swimlane timeline per era side by side: a lane per thread and one for KVM; notifier
// callbacks drawn as arrows from the thread that calls them to KVM; steps during which a
// window is open (a stale sPTE or TLB entry outside any bracket) shaded; harms in red.
import type { Machine } from '../engine/compile.js';
import { schedulable, stepThread } from '../engine/run.js';
import { staleMask, watchers } from '../explore/explore.js';
import type { RunResult } from '../runner.js';
import { VERSION } from '../version.js';
import { releasesOf } from './text.js';

const LANE = 150;
const ROW = 18;
const TOP = 44;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** For each step of the canonical run: is a window open after it? */
function windowsByStep(m: Machine, r: RunResult): boolean[] {
  const among = schedulable(m);
  const ws = watchers(m);
  const s = Int32Array.from(m.init);
  return r.trace.map((t) => {
    const tid = among.find((i) => m.layout.threads[i]!.name === t.thread)!;
    stepThread(m, s, tid, null);
    return staleMask(m, ws, s) !== 0;
  });
}

function swimlane(r: RunResult): string {
  if (!r.outcome || !r.machine) return `<p class="na">${esc(r.unavailable ?? '')}</p>`;
  const threads = schedulable(r.machine).map((i) => r.machine!.layout.threads[i]!.name);
  const lanes = [...threads, 'KVM'];
  const kvmLane = lanes.length - 1;
  const width = lanes.length * LANE + 20;
  const height = TOP + r.trace.length * ROW + 20;
  const open = windowsByStep(r.machine, r);
  const out: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(`${r.scenario.name} under ${r.era.id}`)}">`];
  out.push('<defs><marker id="arrowhead" markerWidth="8" markerHeight="6" refX="8" refY="3" orient="auto"><path d="M0,0 L8,3 L0,6 z" fill="#c0392b"/></marker></defs>');
  lanes.forEach((name, i) => {
    const x = 10 + i * LANE;
    out.push(`<rect class="lane" x="${x}" y="${TOP - 6}" width="${LANE - 10}" height="${height - TOP - 8}" fill="#eaf1f8" stroke="#3b6ea5"/>`);
    out.push(`<text class="lane-name" x="${x + (LANE - 10) / 2}" y="${TOP - 14}" text-anchor="middle">${esc(name)}</text>`);
  });
  r.trace.forEach((t, i) => {
    const y = TOP + i * ROW;
    const from = threads.indexOf(t.thread);
    const isCallback = t.fn.startsWith('kvm_mmu_notifier_');
    const lane = isCallback ? kvmLane : from;
    const x = 10 + lane * LANE;
    const harm = t.notes.some((n) => n.startsWith('VIOLATION'));
    if (open[i]) out.push(`<rect class="window" x="10" y="${y - 1}" width="${width - 20}" height="${ROW}" fill="#f5b041" fill-opacity="0.35"/>`);
    out.push(`<rect class="step${harm ? ' harm' : ''}" x="${x + 4}" y="${y}" width="${LANE - 18}" height="${ROW - 3}" rx="3" fill="${harm ? '#e74c3c' : '#ffffff'}" stroke="${isCallback ? '#c0392b' : '#34495e'}"><title>${esc(`${t.n}. ${t.thread}: ${t.fn}: ${t.does}${t.notes.length ? ` (${t.notes.join('; ')})` : ''}`)}</title></rect>`);
    const label = isCallback ? `.${t.fn.slice('kvm_mmu_notifier_'.length)}` : t.fn;
    out.push(`<text x="${x + 8}" y="${y + 11}" class="fn">${esc(label.length > 24 ? `${label.slice(0, 23)}…` : label)}</text>`);
    if (isCallback && from !== kvmLane) {
      const x1 = 10 + from * LANE + (LANE - 10) / 2;
      const x2 = x + 4;
      out.push(`<line class="arrow" x1="${x1}" y1="${y + 7}" x2="${x2}" y2="${y + 7}" stroke="#c0392b" stroke-width="1.5" marker-end="url(#arrowhead)"/>`);
    }
  });
  out.push('</svg>');
  return out.join('\n');
}

export function htmlReport(rows: RunResult[][]): string {
  const body = rows.map((runs) => {
    const s = runs[0]!.scenario;
    const cols = runs
      .map(
        (r) => `<div class="era"><h3>${esc(r.era.id)}</h3><p class="rel">${esc(releasesOf(r.era))}${r.outcome?.violations.length ? ` <b class="bad">${esc(r.outcome.violations.join(', '))}</b>` : ''}</p>${swimlane(r)}</div>`,
      )
      .join('\n');
    return `<section><h2>${esc(s.name)}</h2><p>${esc(s.description)}</p><p class="rel">sha256 ${runs[0]!.sha256.slice(0, 12)}</p><div class="eras">${cols}</div></section>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mmutt ${VERSION}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:1em;color:#222}
.eras{display:flex;gap:1.5em;align-items:flex-start;overflow-x:auto}
.era h3{margin:.2em 0;font-family:monospace}
.rel{color:#666;margin:.2em 0}
.bad{color:#c0392b}
svg text{font:10px monospace}
svg .lane-name{font-weight:bold}
.legend span{display:inline-block;margin-right:1.5em}
</style></head><body>
<h1>mmutt ${VERSION}: canonical traces</h1>
<p class="legend"><span>Lanes: threads, and KVM.</span><span style="color:#c0392b">→ a notifier callback delivered to KVM</span><span style="background:#f5b04159">a window: a stale sPTE or TLB entry outside any bracket</span><span style="color:#e74c3c">■ harm</span></p>
${body.join('\n')}
</body></html>
`;
}
