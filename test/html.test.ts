/// <reference lib="dom" />
// The html report in a real browser: headless Chromium (Debian's chromium package, driven by
// playwright-core) opens the catalog report with no console errors, the lanes and the
// notifier arrows are in the page, and a screenshot shows the lanes drawn.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CHROMIUM = '/usr/bin/chromium';
const CLI = join(__dirname, '..', 'dist', 'cli.js');
const have = existsSync(CHROMIUM);

describe('html report', () => {
  it.skipIf(!have)(`renders in headless Chromium with lanes and arrows drawn${have ? '' : ' (skipped: /usr/bin/chromium is not installed; apt-get install chromium)'}`, async () => {
    const { chromium } = await import('playwright-core');
    const html = spawnSync(process.execPath, [CLI, 'matrix', '--format', 'html'], { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout;
    const file = join(mkdtempSync(join(tmpdir(), 'mmutt-html-')), 'report.html');
    writeFileSync(file, html);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      const errors: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`file://${file}`);
      expect(errors).toEqual([]);
      const counts = await page.evaluate(() => ({
        svgs: document.querySelectorAll('svg').length,
        lanes: document.querySelectorAll('svg .lane').length,
        arrows: document.querySelectorAll('svg .arrow').length,
        windows: document.querySelectorAll('svg .window').length,
        harms: document.querySelectorAll('svg .harm').length,
      }));
      expect(counts.svgs).toBeGreaterThanOrEqual(90); // 20 scenarios x 5 eras, less the eras that cannot run one
      expect(counts.lanes).toBeGreaterThan(counts.svgs);
      expect(counts.arrows).toBeGreaterThan(0);
      expect(counts.windows).toBeGreaterThan(0);
      expect(counts.harms).toBeGreaterThan(0); // madv-free-then-guest-write loses the write in v4.5-v4.12
      const shot = await page.screenshot({ type: 'png' });
      writeFileSync(join(tmpdir(), 'mmutt-report.png'), shot);
      // Count the screenshot's lane-coloured pixels in the browser itself.
      const lanePixels = await page.evaluate(async (b64) => {
        const img = new Image();
        img.src = `data:image/png;base64,${b64}`;
        await img.decode();
        const c = document.createElement('canvas');
        c.width = img.width;
        c.height = img.height;
        const ctx = c.getContext('2d')!;
        ctx.drawImage(img, 0, 0);
        const d = ctx.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i]! - 0xea) < 6 && Math.abs(d[i + 1]! - 0xf1) < 6 && Math.abs(d[i + 2]! - 0xf8) < 6) n++;
        return n;
      }, shot.toString('base64'));
      expect(lanePixels).toBeGreaterThan(10_000);
    } finally {
      await browser.close();
    }
  });
});
