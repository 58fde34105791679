/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The html report in a real browser (Debian's chromium, driven by playwright-core): it answers
// at a glance. Every era is visible without scrolling sideways; steps are numbered; each
// notifier callback delivered to KVM has exactly one arrow (as many as the counters say),
// drawn by what KVM did with it; every label fits its box whole; an era with a harm is marked
// as such, and an era whose outcome changed from the era to its left; the counters stand under
// each trace; a page of several scenarios opens with an overview; no table cell breaks or is
// cut, at 1280x800, 1400x1000 and 1920x1080; and the pixels of a screenshot show the lanes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogNames } from '../src/scenario/catalog.js';

const CHROMIUM = '/usr/bin/chromium';
const CLI = join(__dirname, '..', 'dist', 'cli.js');
const have = existsSync(CHROMIUM);
const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout;

interface RunDoc {
  scenario: { name: string };
  era: { id: string };
  outcomes: { observations: object; counters: Record<string, number>; violations: string[] }[];
}

/** The report as a reader without JavaScript sees it (the report itself), or with it (`js`: the page it carries as well). */
async function open(html: string, width: number, height = 1000, js = false) {
  const { chromium } = await import('playwright-core');
  const file = join(mkdtempSync(join(tmpdir(), 'mmutt-html-')), 'report.html');
  writeFileSync(file, html);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width, height }, javaScriptEnabled: js });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`file://${file}`);
  return { browser, page, errors };
}

describe('html report', () => {
  it.skipIf(!have)(`every era visible, numbered steps, one arrow per callback, labels whole and fitting, harms and changes marked, counters under each trace${have ? '' : ' (skipped: /usr/bin/chromium is not installed; apt-get install chromium)'}`, async () => {
    const runs = JSON.parse(cli('matrix', '--format', 'json')) as RunDoc[];
    const { browser, page, errors } = await open(cli('matrix', '--format', 'html'), 1280);
    try {
      expect(errors).toEqual([]);
      const facts = await page.evaluate(() => {
        const svgs = [...document.querySelectorAll('svg[data-era]')];
        return {
          scrollWidth: document.documentElement.scrollWidth,
          clientWidth: document.documentElement.clientWidth,
          svgs: svgs.map((svg) => {
            const steps = [...svg.querySelectorAll('rect.step')];
            const labels = [...svg.querySelectorAll('text.fn')].map((t, i) => ({ text: (t as SVGTextElement).getComputedTextLength(), box: Number(steps[i]!.getAttribute('width')) }));
            return {
              scenario: svg.getAttribute('data-scenario')!,
              era: svg.getAttribute('data-era')!,
              right: svg.getBoundingClientRect().right,
              arrows: svg.querySelectorAll('line.arrow').length,
              kvmArrows: svg.querySelectorAll('line.arrow[data-handler="KVM"]').length,
              lanes: [...svg.querySelectorAll('text.lane-name')].map((t) => t.textContent!),
              callbackLabels: [...svg.querySelectorAll('text.fn')].map((t) => t.textContent!).filter((x) => x.startsWith('.')),
              // A delivery to a device's handler from another thread comes in as an arrow; one its own DMA's fault made stays in its lane.
              deviceDeliveries: [...svg.querySelectorAll('rect.step[data-callback]')].filter((r) => r.getAttribute('data-handler') !== 'KVM').map((r) => ({ handler: r.getAttribute('data-handler'), thread: r.getAttribute('data-thread') })),
              deviceArrows: [...svg.querySelectorAll('line.arrow')].filter((a) => a.getAttribute('data-handler') !== 'KVM').map((a) => a.getAttribute('data-handler')),
              steps: steps.length,
              numbers: [...svg.querySelectorAll('text.stepno')].map((t) => Number(t.textContent)),
              labels,
            };
          }),
          marks: [...document.querySelectorAll('section')].map((s) => ({
            name: s.querySelector('h2')!.textContent,
            harm: [...s.querySelectorAll('.era.harm svg')].map((x) => x.getAttribute('data-era')),
            changed: [...s.querySelectorAll('.era.changed svg')].map((x) => x.getAttribute('data-era')),
          })),
          counters: [...document.querySelectorAll('p.counters')].map((p) => ({
            scenario: p.closest('section')!.querySelector('h2')!.textContent!,
            era: p.getAttribute('data-era')!,
            counters: Object.fromEntries([...p.querySelectorAll('span[data-counter]')].map((c) => [c.getAttribute('data-counter'), Number(c.textContent!.split(' ').pop())])),
          })),
          cut: [...document.querySelectorAll('svg text.fn')].filter((t) => t.textContent!.includes('…')).map((t) => t.textContent),
        };
      });
      expect(facts.scrollWidth).toBeLessThanOrEqual(facts.clientWidth);
      expect(facts.svgs.length).toBe(runs.filter((r) => r.outcomes.length).length);
      for (const s of facts.svgs) {
        const run = runs.find((r) => r.scenario.name === s.scenario && r.era.id === s.era)!;
        const delivered = Object.entries(run.outcomes[0]!.counters).filter(([k]) => k.startsWith('notifier.')).reduce((n, [, v]) => n + v, 0);
        expect(s.right, `${s.scenario} ${s.era}`).toBeLessThanOrEqual(1280);
        expect(s.kvmArrows, `${s.scenario} ${s.era}: arrows into KVM`).toBe(delivered);
        expect(s.deviceArrows.sort(), `${s.scenario} ${s.era}: arrows into a device's lane`).toEqual(s.deviceDeliveries.filter((d) => d.thread !== d.handler).map((d) => d.handler).sort());
        expect(s.arrows).toBe(s.kvmArrows + s.deviceArrows.length);
        expect(s.numbers).toEqual(Array.from({ length: s.steps }, (_, i) => i + 1));
        for (const l of s.labels) expect(l.text, `${s.scenario} ${s.era}: a label overflows its box`).toBeLessThanOrEqual(l.box - 6);
      }
      // A device's driver hears munmap's invalidation in every era (its range_start before v3.19, .invalidate_range after): an arrow into its lane.
      const munmap = facts.svgs.filter((s) => s.scenario === 'munmap-device-mapped');
      expect(munmap.length).toBe(5);
      for (const s of munmap) expect(s.deviceArrows, s.era).toContain('dev0');
      // No VM, no KVM lane; a callback is named as its release names it (.arch_invalidate_secondary_tlbs from v6.6).
      for (const s of munmap) expect(s.lanes, s.era).toEqual(['qemu', 'dev0']);
      expect(munmap.find((s) => s.era === 'post-aa85986e7150')!.callbackLabels.every((x) => x.startsWith('.arch_invalidate_secondary_tlbs:'))).toBe(true);
      expect(munmap.find((s) => s.era === 'post-369ea8242c0f')!.callbackLabels.some((x) => x.startsWith('.invalidate_range:'))).toBe(true);
      // No label is cut short to fit.
      expect(facts.cut).toEqual([]);
      // An era with a harm is marked as one; an era is marked changed when its outcome is not that of the era to its left that ran.
      for (const d of facts.marks) {
        const row = runs.filter((r) => r.scenario.name === d.name && r.outcomes.length);
        const key = (r: RunDoc) => JSON.stringify(r.outcomes[0]);
        expect(d.harm, d.name!).toEqual(row.filter((r) => r.outcomes[0]!.violations.length).map((r) => r.era.id));
        expect(d.changed, d.name!).toEqual(row.filter((r, i) => i > 0 && key(r) !== key(row[i - 1]!)).map((r) => r.era.id));
      }
      expect(facts.marks.find((d) => d.name === 'madv-free-then-guest-write')!.harm).toEqual(['post-6bdb913f0a70']);
      // Under each trace, the run's counters that are not 0.
      expect(facts.counters.length).toBe(facts.svgs.length);
      for (const c of facts.counters) {
        const run = runs.find((r) => r.scenario.name === c.scenario && r.era.id === c.era)!;
        expect(c.counters, `${c.scenario} ${c.era}`).toEqual(Object.fromEntries(Object.entries(run.outcomes[0]!.counters).filter(([, v]) => v !== 0)));
      }
      // The pixels: lanes drawn, and the mark of a harm shows.
      // The top of the page, at most 30,000 pixels: a canvas cannot hold a taller image.
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      const shot = await page.screenshot({ type: 'png', fullPage: true, clip: { x: 0, y: 0, width: 1280, height: Math.min(height, 30_000) } });
      writeFileSync(join(tmpdir(), 'mmutt-report.png'), shot);
      const px = await page.evaluate(async (b64) => {
        const img = new Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        const c = document.createElement('canvas');
        c.width = img.width;
        c.height = img.height;
        const ctx = c.getContext('2d')!;
        ctx.drawImage(img, 0, 0);
        const d = ctx.getImageData(0, 0, c.width, c.height).data;
        const near = (i: number, rgb: number[]) => Math.abs(d[i]! - rgb[0]!) < 6 && Math.abs(d[i + 1]! - rgb[1]!) < 6 && Math.abs(d[i + 2]! - rgb[2]!) < 6;
        let lanes = 0;
        let harm = 0;
        for (let i = 0; i < d.length; i += 4) {
          if (near(i, [0xea, 0xf1, 0xf8])) lanes++;
          if (near(i, [0xf5, 0xb7, 0xb1])) harm++;
        }
        return { lanes, harm, width: img.width };
      }, shot.toString('base64'));
      expect(px.width).toBeLessThanOrEqual(1280);
      expect(px.lanes).toBeGreaterThan(100_000);
      expect(px.harm).toBeGreaterThan(1_000);
    } finally {
      await browser.close();
    }
  });

  it.skipIf(!have)(`matrix --explore --format html: the verdicts side by side, harms shown, no console errors${have ? '' : ' (skipped: /usr/bin/chromium is not installed; apt-get install chromium)'}`, async () => {
    const { browser, page, errors } = await open(cli('matrix', '--explore', '--format', 'html'), 1280);
    try {
      expect(errors).toEqual([]);
      const facts = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        verdictRows: [...document.querySelectorAll('table.summary th')].filter((t) => t.textContent === 'verdict (P N)').length,
        harms: [...document.querySelectorAll('table.summary td')].filter((t) => t.textContent === 'lost-write').length,
      }));
      expect(facts.scrollWidth).toBeLessThanOrEqual(1280);
      expect(facts.verdictRows).toBe(catalogNames().length);
      expect(facts.harms).toBeGreaterThan(0);
    } finally {
      await browser.close();
    }
  });

  it.skipIf(!have)(`a callback's arrow says what KVM did with it: ksm-merge's change_pte repoints or zaps before 6bdb913f0a70, finds nothing after it${have ? '' : ' (skipped: /usr/bin/chromium is not installed; apt-get install chromium)'}`, async () => {
    const arrows = async (era: string) => {
      const { browser, page, errors } = await open(cli('run', 'ksm-merge', '--era', era, '--format', 'html'), 1280);
      try {
        expect(errors).toEqual([]);
        return await page.evaluate(() => [...document.querySelectorAll('line.arrow')].map((a) => `${a.getAttribute('data-callback')}: ${a.getAttribute('data-effect')}`));
      } finally {
        await browser.close();
      }
    };
    const before = await arrows('pre-6bdb913f0a70');
    const after = await arrows('post-6bdb913f0a70');
    expect(before.filter((a) => a.startsWith('change_pte'))).toContain('change_pte: repointed');
    expect(before.filter((a) => a.startsWith('change_pte'))).toContain('change_pte: zapped');
    const afterPte = after.filter((a) => a.startsWith('change_pte'));
    expect(afterPte.length).toBeGreaterThan(0);
    expect(new Set(afterPte)).toEqual(new Set(['change_pte: nothing']));
    expect(after).toContain('invalidate_range_start: zapped');
  });

  it.skipIf(!have)(`matrix (and --explore): an overview first, a row per scenario linking to its section, harms marked; no table cell breaks or is cut at 1280x800, 1400x1000 or 1920x1080${have ? '' : ' (skipped: /usr/bin/chromium is not installed; apt-get install chromium)'}`, async () => {
    const runs = JSON.parse(cli('matrix', '--format', 'json')) as RunDoc[];
    const pages = { matrix: cli('matrix', '--format', 'html'), 'matrix --explore': cli('matrix', '--explore', '--format', 'html') };
    for (const [width, height, which] of [
      [1280, 800, 'matrix'],
      [1400, 1000, 'matrix'],
      [1920, 1080, 'matrix'],
      [1280, 800, 'matrix --explore'],
      [1400, 1000, 'matrix --explore'],
      [1920, 1080, 'matrix --explore'],
    ] as const) {
      const { browser, page, errors } = await open(pages[which], width, height);
      try {
        expect(errors).toEqual([]);
        const facts = await page.evaluate(() => {
          const overview = document.querySelector('table.overview')!;
          const cells = [...document.querySelectorAll('table.summary th, table.summary td')].map((c) => {
            const r = document.createRange();
            r.selectNodeContents(c);
            // Lines the cell's text takes: one per <br>-separated part, or it broke.
            const lines = new Set([...r.getClientRects()].filter((x) => x.width > 0).map((x) => Math.round(x.top))).size;
            return { text: c.textContent!, lines, parts: c.querySelectorAll('br').length + 1, cut: c.scrollWidth > c.clientWidth + 1 };
          });
          const legend = [...document.querySelectorAll('.legend span')].map((x) => x.getBoundingClientRect());
          const overlaps = legend.some((a, i) => legend.some((b, j) => j > i && a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1));
          return {
            pageScrolls: document.documentElement.scrollWidth > document.documentElement.clientWidth,
            first: document.body.querySelector('h2')!.textContent,
            rows: [...overview.querySelectorAll('tr')].slice(1).map((tr) => ({
              name: tr.querySelector('th')!.textContent,
              target: !!document.getElementById(tr.querySelector('a')!.getAttribute('href')!.slice(1)),
              harm: [...tr.querySelectorAll('td')].map((td) => td.classList.contains('harm')),
            })),
            broken: cells.filter((c) => c.lines > c.parts).map((c) => c.text),
            cut: cells.filter((c) => c.cut).map((c) => c.text),
            overlaps,
          };
        });
        expect(facts.pageScrolls, `${width}x${height}`).toBe(false);
        expect(facts.first).toBe('Overview');
        expect(facts.rows.map((r) => r.name)).toEqual(catalogNames());
        expect(facts.rows.every((r) => r.target)).toBe(true);
        if (which === 'matrix') {
          for (const r of facts.rows) {
            const row = runs.filter((x) => x.scenario.name === r.name);
            expect(r.harm, r.name!).toEqual(row.map((x) => x.outcomes.length > 0 && x.outcomes[0]!.violations.length > 0));
          }
        } else expect(facts.rows.some((r) => r.harm.some(Boolean))).toBe(true);
        expect(facts.broken, `${which} ${width}x${height}: cells broken over lines`).toEqual([]);
        expect(facts.cut, `${which} ${width}x${height}: cells cut`).toEqual([]);
        expect(facts.overlaps, `${which} ${width}x${height}: legend items overlap`).toBe(false);
        writeFileSync(join(tmpdir(), `mmutt-${which.replace(' --', '-')}-${width}x${height}.png`), await page.screenshot({ type: 'png' }));
      } finally {
        await browser.close();
      }
    }
  });

  it.skipIf(!have)(`--format html carries the time-travel page: with JavaScript, the page on the report's scenario above it; without, the report alone${have ? '' : ' (skipped: /usr/bin/chromium is not installed; apt-get install chromium)'}`, async () => {
    const html = cli('run', 'ksm-merge', '--kernel', 'v3.6', '--format', 'html');
    const on = await open(html, 1400, 1000, true);
    try {
      await on.page.waitForSelector('#mmutt-site .lane-col svg');
      const facts = await on.page.evaluate(() => ({
        hidden: document.getElementById('mmutt-site')!.hidden,
        scenario: (document.getElementById('catalog') as HTMLSelectElement).value,
        shown: [...document.querySelectorAll('#mmutt-site .lane-col')].map((c) => c.getAttribute('data-release')),
        bands: document.querySelectorAll('#mmutt-site .band').length,
        report: document.querySelectorAll('table.summary').length,
      }));
      expect(on.errors).toEqual([]);
      expect(facts).toEqual({ hidden: false, scenario: 'ksm-merge', shown: ['v3.6'], bands: expect.any(Number), report: 1 });
      expect(facts.bands).toBeGreaterThan(2);
    } finally {
      await on.browser.close();
    }
    const off = await open(html, 1400);
    try {
      const facts = await off.page.evaluate(() => ({
        site: document.getElementById('mmutt-site')!.getBoundingClientRect().height,
        table: document.querySelector('table.summary')!.getBoundingClientRect().height,
      }));
      expect(facts.site).toBe(0);
      expect(facts.table).toBeGreaterThan(0);
    } finally {
      await off.browser.close();
    }
  });
});
