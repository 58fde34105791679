/// <reference lib="dom" />
// The time-travel page (npm run site) in a real browser (Debian's chromium, playwright-core),
// opened from file:// as a reader would open it: no console error; the release axis banded as
// `matrix --releases` bands the scenario; a release clicked shows its trace in its own words,
// a second one beside it with the step where they part; a link opens the same view; an error
// in the text is shown at its line:col as the CLI shows it; the page's cite block is the CLI's,
// byte for byte (a quote must reproduce); and its explorer, a Web Worker, gives every group of
// releases the verdict `run --explore` gives, can be cancelled, and steps through a witness.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = join(__dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const have = existsSync(CHROMIUM);
const skipped = have ? '' : ' (skipped: /usr/bin/chromium is not installed; apt-get install chromium)';
const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });

let dir = '';
let browser: Browser;

beforeAll(async () => {
  if (!have) return;
  dir = mkdtempSync(join(tmpdir(), 'mmutt-site-'));
  const built = spawnSync(process.execPath, [join(ROOT, 'build', 'site.mjs'), dir], { encoding: 'utf8' });
  expect(built.status, built.stderr).toBe(0);
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

async function open(fragment: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`file://${join(dir, 'index.html')}${fragment}`);
  return { page, errors };
}

/** The bands `matrix --releases` prints for one scenario: [first, last, letter]. */
function releaseBands(name: string): [string, string, string][] {
  const out = cli('matrix', '--releases').stdout.split('\n');
  const at = out.indexOf(name);
  const bands: [string, string, string][] = [];
  for (const line of out.slice(at + 1)) {
    const m = /^ {2}(v\d+(?:\.\d+)*)(?:\.\.(v\d+(?:\.\d+)*))?\s+([A-Z]|-)!?(\s|$)/.exec(line);
    if (!m) {
      if (/^\S/.test(line) || line === '') break;
      continue;
    }
    bands.push([m[1]!, m[2] ?? m[1]!, m[3] === '-' ? '–' : m[3]!]);
  }
  return bands;
}

describe('the time-travel page', () => {
  it.skipIf(!have)(`builds, opens from file://, and bands the releases as matrix --releases does${skipped}`, async () => {
    for (const name of ['ksm-merge', 'madv-free-then-guest-write', 'age-guest-cold']) {
      const { page, errors } = await open(`#scenario=${name}`);
      await page.waitForSelector('.lane-col svg');
      const bands = await page.evaluate(() => [...document.querySelectorAll('.band')].map((b) => [b.getAttribute('data-first'), b.getAttribute('data-last'), b.getAttribute('data-outcome')]));
      expect(bands, name).toEqual(releaseBands(name));
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it.skipIf(!have)(`a release clicked shows its trace; a second, shift-clicked, stands beside it with the step where they part; the link keeps the view${skipped}`, async () => {
    const { page, errors } = await open('#scenario=ksm-merge');
    await page.click('button.release[data-release="v3.6"]');
    expect(await page.evaluate(() => [...document.querySelectorAll('.lane-col')].map((c) => c.getAttribute('data-release')))).toEqual(['v3.6']);
    await page.click('button.release[data-release="v3.7"]', { modifiers: ['Shift'] });
    const facts = await page.evaluate(() => ({
      cols: [...document.querySelectorAll('.lane-col')].map((c) => c.getAttribute('data-release')),
      parted: document.querySelector('.parted')!.textContent,
      marked: [...document.querySelectorAll('svg text.stepno.parted')].map((t) => t.textContent),
      hash: location.hash,
      // v3.7 speaks of mmu_notifier_seq, as that release's KVM did.
      words: document.querySelectorAll('.lane-col')[1]!.querySelector('svg')!.textContent,
    }));
    expect(facts.cols).toEqual(['v3.6', 'v3.7']);
    expect(facts.parted).toMatch(/^The traces part at step (\d+)\.$/);
    const step = /(\d+)/.exec(facts.parted!)![1]!;
    expect(facts.marked).toEqual([step, step]);
    expect(facts.hash).toBe('#scenario=ksm-merge&releases=v3.6,v3.7');
    expect(facts.words).toContain('mmu_notifier_seq');
    expect(facts.words).not.toContain('mmu_invalidate_seq');
    expect(errors).toEqual([]);
    // The link opens the same view.
    const again = await open(facts.hash);
    expect(await again.page.evaluate(() => [...document.querySelectorAll('.lane-col')].map((c) => c.getAttribute('data-release')))).toEqual(['v3.6', 'v3.7']);
    // Its cite block is the CLI's, byte for byte.
    const cite = await again.page.evaluate(() => document.getElementById('cite')!.textContent);
    expect(cite).toBe(cli('cite', 'ksm-merge', '--kernel', 'v3.6', '--kernel', 'v3.7', '--inline').stdout);
    await page.close();
    await again.page.close();
  });

  it.skipIf(!have)(`a text of one's own: an error at its line:col as the CLI gives it, as one types; a #text= link opens it${skipped}`, async () => {
    const good = readFileSync(join(ROOT, 'scenarios', 'ksm-merge.mmu'), 'utf8').replace('mmutt ksm-merge', 'mmutt mine');
    const bad = good.replace('ksm_merge(', 'ksm_merg(');
    const file = join(mkdtempSync(join(tmpdir(), 'mmutt-site-bad-')), 'scenario.mmu');
    writeFileSync(file, bad);
    const expected = /:(\d+:\d+: .*)/.exec(cli('check', file).stderr)![1]!;
    const { page, errors } = await open('#scenario=ksm-merge');
    await page.fill('#editor', bad);
    await page.waitForFunction(() => document.getElementById('error')!.textContent !== '');
    const shown = await page.evaluate(() => document.getElementById('error')!.textContent!);
    expect(shown).toBe(`scenario.mmu:${expected}`);
    // Mended, it runs; the link carries the text.
    await page.fill('#editor', good);
    await page.waitForFunction(() => document.getElementById('error')!.textContent === '' && location.hash.startsWith('#text='));
    const hash = await page.evaluate(() => location.hash);
    const again = await open(hash);
    await again.page.waitForSelector('.lane-col svg');
    expect(await again.page.evaluate(() => [(document.getElementById('catalog') as HTMLSelectElement).value, document.getElementById('title')!.textContent!.split(':')[0]])).toEqual(['', 'mine']);
    expect(errors).toEqual([]);
    await page.close();
    await again.page.close();
  });

  it.skipIf(!have)(`explore in a Web Worker: the CLI's verdict for every band, progress and cancel, a witness stepped through and linked${skipped}`, async () => {
    const { page, errors } = await open('#scenario=madv-free-then-guest-write');
    await page.waitForSelector('.lane-col svg');
    // Cancel at once: the page says so and keeps what it has.
    await page.click('#explore');
    await page.click('#cancel-explore');
    expect(await page.evaluate(() => document.getElementById('progress')!.textContent)).toMatch(/^cancelled: \d+ of \d+ explored$/);
    // Then to the end.
    await page.click('#explore');
    await page.waitForFunction(() => document.getElementById('progress')?.textContent?.startsWith('every release explored'), null, { timeout: 120_000 });
    const bands = await page.evaluate(() => [...document.querySelectorAll('.xband')].map((b) => ({ first: b.getAttribute('data-first')!, last: b.getAttribute('data-last')!, text: b.textContent! })));
    expect(bands[0]!.first).toBe('v2.6.27');
    expect(bands[bands.length - 1]!.last).toBe('v7.0');
    // A band's numbers hold for every release in it: the CLI at its first and at its last release gives them.
    for (const b of bands.slice(1)) {
      for (const r of new Set([b.first, b.last])) {
        const line = cli('run', 'madv-free-then-guest-write', '--kernel', r, '--explore').stdout.split('\n').find((l) => l.startsWith('Observation'))!;
        const [, verdict, positive, negative] = line.split(' ').slice(1);
        expect(b.text, `${b.first}..${b.last} at ${r}`).toContain(`${verdict} ${positive} ${negative}`);
      }
    }
    expect(bands.find((b) => b.first === 'v4.5')!.text).toContain('lost-write');
    // The harm's witness: its schedule replayed, stepped through, and in the link.
    await page.click('.xband[data-first="v4.5"] button.witness[data-target^="harm"]');
    await page.click('#step-next');
    await page.click('#step-next');
    const w = await page.evaluate(() => ({ at: document.getElementById('step-at')!.textContent, current: document.querySelectorAll('rect.step.current').length, hash: location.hash, harm: document.querySelectorAll('.lane-col rect.step.harm').length }));
    expect(w.at).toMatch(/^step 3 of \d+$/);
    expect(w.current).toBe(1);
    expect(w.harm).toBeGreaterThan(0);
    const token = /witness=v4\.5:(.+)$/.exec(w.hash)![1]!;
    // The CLI replays the same token to the same harm.
    expect(cli('run', 'madv-free-then-guest-write', '--kernel', 'v4.5', '--replay', token).stdout).toContain('lost-write');
    const again = await open(w.hash);
    expect(await again.page.evaluate(() => document.querySelector('.lane-col')!.getAttribute('data-witness'))).toBe(token);
    expect(errors).toEqual([]);
    await page.close();
    await again.page.close();
  }, 180_000);

  it.skipIf(!have)(`across a band boundary the outcome changes; a drag and the arrow keys move along the axis; at 1280x800 and 1920x1080 nothing is cut, crushed or overlapping${skipped}`, async () => {
    for (const [width, height] of [
      [1280, 800],
      [1920, 1080],
    ] as const) {
      const page = await browser.newPage({ viewport: { width, height } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`file://${join(dir, 'index.html')}#scenario=ksm-merge&releases=v3.6`);
      await page.waitForSelector('.lane-col svg');
      const bandOf = () => page.evaluate(() => document.querySelector('button.release.chosen')!.closest('.band')!.getAttribute('data-outcome'));
      expect(await bandOf()).toBe('D');
      // v3.7 opens the next band: another outcome, and the trace says why.
      await page.click('button.release[data-release="v3.7"]');
      expect(await bandOf()).toBe('E');
      // Dragged from v3.7 to v3.9: the release under the pointer is the one shown; ← steps back one.
      const centre = async (r: string) => {
        const b = (await page.locator(`button.release[data-release="${r}"]`).boundingBox())!;
        return [b.x + b.width / 2, b.y + b.height / 2] as const;
      };
      const [x0, y0] = await centre('v3.7');
      const [x1, y1] = await centre('v3.9');
      await page.mouse.move(x0, y0);
      await page.mouse.down();
      await page.mouse.move(x1, y1, { steps: 8 });
      await page.mouse.up();
      expect(await page.evaluate(() => document.querySelector('.lane-col')!.getAttribute('data-release'))).toBe('v3.9');
      await page.keyboard.press('ArrowLeft');
      expect(await page.evaluate(() => document.querySelector('.lane-col')!.getAttribute('data-release'))).toBe('v3.8');
      await page.click('button.release[data-release="v3.7"]');
      const facts = await page.evaluate(() => {
        const boxes = (sel: string) => [...document.querySelectorAll(sel)].map((e) => e.getBoundingClientRect());
        const overlap = (rs: DOMRect[]) => rs.some((a, i) => rs.some((b, j) => j > i && a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1));
        return {
          pageScrolls: document.documentElement.scrollWidth > document.documentElement.clientWidth,
          // A button, a band's head or a boundary whose text does not fit it.
          cut: [...document.querySelectorAll('button, .band-head, .boundary, #error, .parted')].filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent),
          bandsOverlap: overlap(boxes('.band')),
          buttonsOverlap: overlap(boxes('button.release')),
          labelsFit: [...document.querySelectorAll('svg text.fn')].every((t, i) => (t as SVGTextElement).getComputedTextLength() <= Number(document.querySelectorAll('svg rect.step')[i]!.getAttribute('width')) - 6),
        };
      });
      expect(facts.pageScrolls, `${width}x${height}`).toBe(false);
      expect(facts.cut, `${width}x${height}`).toEqual([]);
      expect(facts.bandsOverlap, `${width}x${height}: bands overlap`).toBe(false);
      expect(facts.buttonsOverlap, `${width}x${height}: release buttons overlap`).toBe(false);
      expect(facts.labelsFit, `${width}x${height}: a label overflows its box`).toBe(true);
      writeFileSync(join(tmpdir(), `mmutt-site-${width}x${height}.png`), await page.screenshot({ type: 'png' }));
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it.skipIf(!have)(`what the reviewer's trial found: each band's own reason it cannot run; bad links and tokens said, not thrown; an error clears the last scenario; values as the CLI prints them; a report's own section links kept${skipped}`, async () => {
    const text = readFileSync(join(ROOT, 'test', 'fixtures', 'site', 'two-features.mmu'), 'utf8');
    const b64 = Buffer.from(text, 'utf8').toString('base64url');
    const { page, errors } = await open(`#text=${b64}&releases=v4.0`);
    await page.waitForSelector('.lane-col svg, .lane-col .na');
    // Releases before NUMA balancing and before MADV_FREE cannot run it for different reasons: each band says its own, as the CLI does.
    const file = join(mkdtempSync(join(tmpdir(), 'mmutt-site-two-')), 'two-features.mmu');
    writeFileSync(file, text);
    const reasons = await page.evaluate(() => [...document.querySelectorAll('.band')].filter((b) => b.getAttribute('data-outcome') === '–').map((b) => ({ first: b.getAttribute('data-first')!, last: b.getAttribute('data-last')!, head: b.querySelector('.band-head')!.textContent! })));
    expect(reasons.length).toBe(2);
    for (const r of reasons) {
      for (const k of [r.first, r.last]) {
        const why = /not in this release: ([^(]*)/.exec(cli('run', file, '--kernel', k).stdout)![1]!.trim();
        expect(r.head, `${r.first}..${r.last} at ${k}`).toContain(why);
      }
    }
    await page.close();
    // A link whose text is not base64url, a token that is not one, a scenario the catalog has not, releases out of order or twice.
    for (const [fragment, said] of [
      ['#text=%25%25garbage!!', /not base64url/],
      ['#scenario=madv-free-then-guest-write&witness=v4.5:garbage', /replay token/],
      ['#scenario=NOPE', /no catalog scenario is named NOPE/],
      ['#scenario=ksm-merge&releases=v3.7,v3.6,v3.6,v99', /v99, which is not a mainline release/],
    ] as const) {
      const o = await open(fragment);
      await o.page.waitForFunction(() => document.getElementById('error')!.textContent !== '' || document.getElementById('witness-error') !== null);
      const shown = await o.page.evaluate(() => `${document.getElementById('error')!.textContent} ${document.getElementById('witness-error')?.textContent ?? ''}`);
      expect(shown, fragment).toMatch(said);
      expect(o.errors, fragment).toEqual([]);
      if (fragment.includes('v3.7,v3.6')) expect(await o.page.evaluate(() => [...document.querySelectorAll('.lane-col')].map((c) => c.getAttribute('data-release')))).toEqual(['v3.6', 'v3.7']);
      await o.page.close();
    }
    // An error in the editor leaves nothing of the scenario before it; the address follows the text.
    const e = await open('#scenario=ksm-merge&releases=v3.6');
    await e.page.waitForSelector('.lane-col svg');
    expect(await e.page.evaluate(() => document.querySelector('.lane-col .obs')!.textContent)).toContain('vcpu0:r0 = 0xaa');
    await e.page.fill('#editor', 'mmutt broken\n{\n');
    await e.page.waitForFunction(() => document.getElementById('error')!.textContent !== '');
    expect(await e.page.evaluate(() => [document.getElementById('title')!.textContent, document.querySelectorAll('.band, .lane-col, #cite').length, location.hash.startsWith('#text=')])).toEqual(['', 0, true]);
    expect(e.errors).toEqual([]);
    await e.page.close();
    expect(errors).toEqual([]);
    // In an html report the report's own links stay its own: the address is not rewritten.
    const reportFile = join(mkdtempSync(join(tmpdir(), 'mmutt-site-report-')), 'matrix.html');
    writeFileSync(reportFile, cli('matrix', '--format', 'html').stdout);
    const r = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await r.goto(`file://${reportFile}#s-ksm-merge`);
    await r.waitForSelector('#mmutt-site .lane-col svg');
    expect(await r.evaluate(() => location.hash)).toBe('#s-ksm-merge');
    await r.click('table.overview a[href="#s-migrate-guest-page"]');
    expect(await r.evaluate(() => location.hash)).toBe('#s-migrate-guest-page');
    await r.close();
  });
});
