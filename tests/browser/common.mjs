// What the end-to-end tests of `entente report` share (report.test.mjs for
// run directories, compare.test.mjs, sweep.test.mjs; room.test.mjs, of
// `entente serve`, uses the checks and the browser): reading CSV files
// independently of the report, running the entente binary, counting checks,
// Debian's headless Chromium through playwright-core, opening a report and
// watching what it logs and fetches, measuring ink on a chart, the checks
// every report must pass.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

// The command line every test script takes: ENTENTE_BINARY SOURCE_DIR OUT_DIR.
export function parseArgs(script) {
  const [entente, sourceDir, outDir] = process.argv.slice(2);
  if (!entente || !sourceDir || !outDir) {
    console.error(`usage: node ${script} ENTENTE_BINARY SOURCE_DIR OUT_DIR`);
    process.exit(2);
  }
  fs.mkdirSync(outDir, { recursive: true });
  return { entente, sourceDir, outDir };
}

// --- CSV, read independently of the report -----------------------------------
export function readCsv(file) {
  const rows = [];
  let row = [''], quoted = false;
  const text = fs.readFileSync(file, 'utf8');
  for (let i = 0; i < text.length; ++i) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { row[row.length - 1] += '"'; ++i; }
      else if (c === '"') quoted = false;
      else row[row.length - 1] += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push('');
    else if (c === '\n') { rows.push(row); row = ['']; }
    else row[row.length - 1] += c;
  }
  const header = rows.shift();
  return rows.map((r) => Object.fromEntries(header.map((h, k) => [h, r[k]])));
}
// What the page prints for a value (report.js fmt).
export const fmt = (v, d = 3) => { const s = v.toFixed(d); return /^-0\.?0*$/.test(s) ? s.slice(1) : s; };

// Runs the entente binary from the source directory; returns its stdout.
export function runner(entente, sourceDir) {
  return (args) => execFileSync(entente, args, { cwd: sourceDir, encoding: 'utf8' });
}

// --- checks ------------------------------------------------------------------------
const tally = { passed: 0, failed: 0 };
export async function check(name, body) {
  try {
    await body();
    ++tally.passed;
    console.log('ok   ' + name);
  } catch (e) {
    ++tally.failed;
    console.log('FAIL ' + name + '\n     ' + String(e.stack || e).split('\n').slice(0, 6).join('\n     '));
  }
}

// Prints the tally and exits 0 only when every check passed.
function exitWithTally(outDir) {
  console.log(`screenshots in ${outDir}`);
  console.log(`${tally.passed} passed, ${tally.failed} failed`);
  process.exit(tally.failed === 0 && tally.passed > 0 ? 0 : 1);
}

// --- the browser ----------------------------------------------------------------
const chromiumOptions = {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
};
// A fresh profile (Playwright passes it as --user-data-dir) in Debian's
// chromium (or $CHROMIUM).
export async function launch() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'entente-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    ...chromiumOptions,
    viewport: { width: 1400, height: 900 },
    acceptDownloads: true,
  });
  return {
    context,
    // Closes the browser, prints the tally and exits 0 only when every check passed.
    async finish(outDir) {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
      exitWithTally(outDir);
    },
  };
}
// The same chromium for pages that must share nothing (the room's roles, each
// as at its own machine): every browser.newContext() has its own cookies,
// storage and cache.
export async function launchBrowser() {
  const browser = await chromium.launch(chromiumOptions);
  return {
    browser,
    async finish(outDir) {
      await browser.close();
      exitWithTally(outDir);
    },
  };
}

// Opens a report; returns the page and what it logged and asked for.
export async function open(context, file) {
  const page = await context.newPage();
  const problems = [], requests = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(m.type() + ': ' + m.text()); });
  page.on('pageerror', (e) => problems.push('pageerror: ' + e.message));
  page.on('request', (r) => requests.push(r.url()));
  const t0 = Date.now();
  await page.goto('file://' + file, { waitUntil: 'load' });
  await page.waitForFunction(() => window.ententeReport && window.ententeReport.ready);
  const wall = Date.now() - t0;
  const timing = await page.evaluate(() => {
    const n = performance.getEntriesByType('navigation')[0];
    return { domContentLoaded: n.domContentLoadedEventEnd, load: n.loadEventEnd, script: window.ententeReport.timings.script };
  });
  return { page, problems, requests, wall, timing };
}

// Non-white pixels of a chart, as a share of its area (every canvas layer).
export function inked(page, id) {
  return page.evaluate((id) => {
    const canvases = [...document.querySelectorAll('#chart-' + id + ' canvas')];
    if (canvases.length === 0 || canvases[0].width === 0) return 0;
    const { width, height } = canvases[0];
    const ink = new Uint8Array(width * height);
    for (const canvas of canvases) {
      const { data } = canvas.getContext('2d').getImageData(0, 0, width, height);
      for (let k = 0; k < data.length; k += 4) if (data[k + 3] > 0 && (data[k] < 235 || data[k + 1] < 235 || data[k + 2] < 235)) ink[k / 4] = 1;
    }
    return ink.reduce((s, v) => s + v, 0) / (width * height);
  }, id);
}

// Waits for two animation frames: what the page drew is on the canvas.
export function frame(page) {
  return page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
}

// The checks every report passes: nothing logged, nothing fetched, at least
// `minCharts` charts each drawn with data and ink, and export: the SVG button
// of chart `svg.id` downloads an SVG carrying `svg.title`, the PNG button of
// chart `pngId` a PNG, and every chart renders to SVG.
export async function commonChecks(name, r, { minCharts = 5, svg, pngId }) {
  await check(name + ': no console error or warning', () => assert.deepEqual(r.problems, []));
  await check(name + ': nothing fetched but the file itself', () => {
    const other = r.requests.filter((u) => !u.startsWith('file://') && !u.startsWith('data:') && !u.startsWith('blob:'));
    assert.deepEqual(other, []);
    assert.equal(r.requests.filter((u) => u.startsWith('file://')).length, 1);
  });
  await check(name + ': every chart drawn and not blank', async () => {
    const ids = await r.page.evaluate(() => window.ententeReport.charts());
    assert.ok(ids.length >= minCharts, 'charts: ' + ids.join(' '));
    const t = await r.page.evaluate(() => window.ententeReport.drawAll());
    console.log(`     ${ids.length} charts, all drawn in ${t.toFixed(0)} ms`);
    for (const id of ids) {
      const series = await r.page.evaluate((id) => window.ententeReport.draw(id).series.map((s) => (s.data || []).length), id);
      assert.ok(series.length > 0 && series.every((n) => n > 0), id + ': empty series ' + JSON.stringify(series));
      const ink = await inked(r.page, id);
      assert.ok(ink > 0.01, id + ': only ' + (ink * 100).toFixed(2) + '% of the canvas drawn');
    }
  });
  await check(name + ': SVG and PNG export', async () => {
    const [file] = await Promise.all([r.page.waitForEvent('download'), r.page.click(`#chart-${svg.id} button:text("SVG")`)]);
    const svgText = fs.readFileSync(await file.path(), 'utf8');
    assert.match(svgText, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.ok(svgText.includes(svg.title), 'the SVG carries the chart title');
    assert.match(file.suggestedFilename(), new RegExp(`-${svg.id}\\.svg$`));
    const [png] = await Promise.all([r.page.waitForEvent('download'), r.page.click(`#chart-${pngId} button:text("PNG")`)]);
    const bytes = fs.readFileSync(await png.path());
    assert.deepEqual([...bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    assert.ok(bytes.length > 5000);
    for (const id of await r.page.evaluate(() => window.ententeReport.charts())) {
      const s = await r.page.evaluate((id) => window.ententeReport.svg(id), id);
      assert.ok(s.startsWith('<svg') && s.length > 1000, id + ': SVG of ' + s.length + ' bytes');
    }
  });
}
