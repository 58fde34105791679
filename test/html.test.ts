/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// The html report in a real browser (Debian's chromium, driven by playwright-core): it answers
// at a glance. Every era is visible without scrolling sideways; steps are numbered; each
// notifier callback delivered to KVM has exactly one arrow (as many as the counters say);
// every label fits its box; the eras whose outcome differs are highlighted; and the pixels
// of a screenshot show the lanes and the highlight.
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

async function open(html: string, width: number) {
  const { chromium } = await import('playwright-core');
  const file = join(mkdtempSync(join(tmpdir(), 'mmutt-html-')), 'report.html');
  writeFileSync(file, html);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ viewport: { width, height: 1000 } });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`file://${file}`);
  return { browser, page, errors };
}

describe('html report', () => {
  it.skipIf(!have)(`every era visible, numbered steps, one arrow per callback, labels that fit, differing eras highlighted${have ? '' : ' (skipped: /usr/bin/chromium is not installed; apt-get install chromium)'}`, async () => {
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
              steps: steps.length,
              numbers: [...svg.querySelectorAll('text.stepno')].map((t) => Number(t.textContent)),
              labels,
            };
          }),
          differs: [...document.querySelectorAll('section')].map((s) => ({ name: s.querySelector('h2')!.textContent, eras: [...s.querySelectorAll('.era.differs svg')].map((x) => x.getAttribute('data-era')) })),
        };
      });
      expect(facts.scrollWidth).toBeLessThanOrEqual(facts.clientWidth);
      expect(facts.svgs.length).toBe(runs.filter((r) => r.outcomes.length).length);
      for (const s of facts.svgs) {
        const run = runs.find((r) => r.scenario.name === s.scenario && r.era.id === s.era)!;
        const delivered = Object.entries(run.outcomes[0]!.counters).filter(([k]) => k.startsWith('notifier.')).reduce((n, [, v]) => n + v, 0);
        expect(s.right, `${s.scenario} ${s.era}`).toBeLessThanOrEqual(1280);
        expect(s.arrows, `${s.scenario} ${s.era}: arrows`).toBe(delivered);
        expect(s.numbers).toEqual(Array.from({ length: s.steps }, (_, i) => i + 1));
        for (const l of s.labels) expect(l.text, `${s.scenario} ${s.era}: a label overflows its box`).toBeLessThanOrEqual(l.box - 6);
      }
      // The eras highlighted are those whose outcome is not the first era's.
      for (const d of facts.differs) {
        const row = runs.filter((r) => r.scenario.name === d.name && r.outcomes.length);
        const key = (r: RunDoc) => JSON.stringify(r.outcomes[0]);
        expect(d.eras, d.name!).toEqual(row.filter((r) => key(r) !== key(row[0]!)).map((r) => r.era.id));
      }
      expect(facts.differs.some((d) => d.eras.length)).toBe(true);
      // The pixels: lanes drawn, and the highlight of a differing era shows.
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
        let highlight = 0;
        for (let i = 0; i < d.length; i += 4) {
          if (near(i, [0xea, 0xf1, 0xf8])) lanes++;
          if (near(i, [0xf9, 0xd8, 0xc0])) highlight++;
        }
        return { lanes, highlight, width: img.width };
      }, shot.toString('base64'));
      expect(px.width).toBeLessThanOrEqual(1280);
      expect(px.lanes).toBeGreaterThan(100_000);
      expect(px.highlight).toBeGreaterThan(1_000);
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
});
