// End-to-end test of `entente report` in Debian's headless Chromium, driven
// by playwright-core. For the default scenario and for a noisy scenario with
// drivers: run, write the report, open it from disk and assert that nothing
// is fetched and nothing is logged as an error, that every chart is drawn and
// not blank, that the numbers shown for a chosen step and pair equal those of
// the CSV files, that the slider changes the heatmap, and that SVG and PNG
// export work. Writes screenshots into OUT_DIR for a person to look at.
//
//   node report.test.mjs ENTENTE_BINARY SOURCE_DIR OUT_DIR
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const [entente, sourceDir, outDir] = process.argv.slice(2);
if (!entente || !sourceDir || !outDir) {
  console.error('usage: node report.test.mjs ENTENTE_BINARY SOURCE_DIR OUT_DIR');
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });

// --- CSV, read independently of the report -----------------------------------
function readCsv(file) {
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
const fmt = (v, d = 3) => { const s = v.toFixed(d); return /^-0\.?0*$/.test(s) ? s.slice(1) : s; };

function run(args) {
  return execFileSync(entente, args, { cwd: sourceDir, encoding: 'utf8' });
}

let passed = 0, failed = 0;
async function check(name, body) {
  try {
    await body();
    ++passed;
    console.log('ok   ' + name);
  } catch (e) {
    ++failed;
    console.log('FAIL ' + name + '\n     ' + String(e.stack || e).split('\n').slice(0, 6).join('\n     '));
  }
}

// --- the browser ----------------------------------------------------------------
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'entente-chromium-'));
// A fresh profile (Playwright passes it as --user-data-dir).
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1400, height: 900 },
  acceptDownloads: true,
});

// Opens a report; returns the page and what it logged and asked for.
async function open(file) {
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
function inked(page, id) {
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

async function commonChecks(name, r) {
  await check(name + ': no console error or warning', () => assert.deepEqual(r.problems, []));
  await check(name + ': nothing fetched but the file itself', () => {
    const other = r.requests.filter((u) => !u.startsWith('file://') && !u.startsWith('data:') && !u.startsWith('blob:'));
    assert.deepEqual(other, []);
    assert.equal(r.requests.filter((u) => u.startsWith('file://')).length, 1);
  });
  await check(name + ': every chart drawn and not blank', async () => {
    const ids = await r.page.evaluate(() => window.ententeReport.charts());
    assert.ok(ids.length >= 5, 'charts: ' + ids.join(' '));
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
    const [svg] = await Promise.all([r.page.waitForEvent('download'), r.page.click('#chart-heatmap button:text("SVG")')]);
    const svgText = fs.readFileSync(await svg.path(), 'utf8');
    assert.match(svgText, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.ok(svgText.includes('Affinity matrix'), 'the SVG carries the chart title');
    assert.match(svg.suggestedFilename(), /-heatmap\.svg$/);
    const [png] = await Promise.all([r.page.waitForEvent('download'), r.page.click('#chart-network button:text("PNG")')]);
    const bytes = fs.readFileSync(await png.path());
    assert.deepEqual([...bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    assert.ok(bytes.length > 5000);
    for (const id of await r.page.evaluate(() => window.ententeReport.charts())) {
      const s = await r.page.evaluate((id) => window.ententeReport.svg(id), id);
      assert.ok(s.startsWith('<svg') && s.length > 1000, id + ': SVG of ' + s.length + ' bytes');
    }
  });
}

// --- the default scenario ---------------------------------------------------------
{
  const dir = path.join(outDir, 'baseline');
  run(['run', 'scenarios/baseline.toml', '-o', dir, '-q']);
  run(['report', dir, '-q']);
  const file = path.join(dir, 'report.html');
  const r = await open(file);
  console.log(`baseline report: ${(fs.statSync(file).size / 1024).toFixed(0)} KiB; load event ${r.timing.load.toFixed(0)} ms, ` +
    `script ${r.timing.script.toFixed(0)} ms, ready after ${r.wall} ms (wall, incl. navigation)`);
  await r.page.screenshot({ path: path.join(outDir, 'report-baseline-top.png') });
  await commonChecks('baseline', r);

  const summary = readCsv(path.join(dir, 'summary.csv'));
  const shares = readCsv(path.join(dir, 'shares.csv'));
  const t = 12;
  const row = summary.find((x) => x.step === String(t) && x.observable === 'affinity(ARM,RUS)');
  await check('baseline: fan chart of affinity(ARM,RUS) at step 12 shows summary.csv', async () => {
    const shown = await r.page.evaluate((t) => window.ententeReport.shown.fan('affinity-ARM-RUS', t), t);
    assert.deepEqual(shown, { p05: +row.p05, p25: +row.p25, p50: +row.p50, p75: +row.p75, p95: +row.p95 });
    const pos = summary.find((x) => x.step === String(t) && x.observable === 'position(ARM,orientation)');
    const p = await r.page.evaluate((t) => window.ententeReport.shown.fan('position-ARM-orientation', t), t);
    assert.deepEqual(p, { p05: +pos.p05, p25: +pos.p25, p50: +pos.p50, p75: +pos.p75, p95: +pos.p95 });
  });
  await check('baseline: the slider changes the heatmap; the cell shows the median of summary.csv', async () => {
    await r.page.locator('#relations').scrollIntoViewIfNeeded();
    const before = await r.page.evaluate(() => window.ententeReport.draw('heatmap').series[0].data.map((d) => d[2]));
    const frame = () => r.page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
    const pixels = () => r.page.evaluate(() => [...document.querySelectorAll('#chart-heatmap canvas')].map((c) => c.toDataURL()).join());
    await frame();
    const inkBefore = await pixels();
    await r.page.locator('#step-slider').fill(String(t));
    await frame();
    assert.equal(await r.page.textContent('#step-label'), row.date + ' (step 12)');
    const after = await r.page.evaluate(() => window.ententeReport.draw('heatmap').series[0].data.map((d) => d[2]));
    assert.notDeepEqual(after, before);
    assert.ok((await pixels()) !== inkBefore, 'the heatmap looks the same after the slider moved');
    assert.equal(await r.page.evaluate(() => window.ententeReport.shown.heatmap('ARM', 'RUS')), +row.p50);
    // The cell's label, as a person reads it.
    const tip = await r.page.evaluate(() => {
      const c = window.ententeReport.util.charts.get('heatmap').chart;
      const d = c.getOption().series[0].data;
      const k = d.findIndex((v) => v[1] === 0 && v[0] === 1);  // ARM toward RUS
      c.dispatchAction({ type: 'showTip', seriesIndex: 0, dataIndex: k });
      return document.querySelector('#chart-heatmap').innerText;
    });
    assert.ok(tip.includes('ARM toward RUS') && tip.includes('median ' + fmt(+row.p50)), tip);
    await r.page.screenshot({ path: path.join(outDir, 'report-baseline-relations.png') });
  });
  await check('baseline: bloc timeline shows shares.csv', async () => {
    const s = shares.find((x) => x.step === String(t) && x.observable === 'bloc(ARM)' && x.value === 'B');
    assert.equal(await r.page.evaluate((t) => window.ententeReport.shown.bloc('ARM', t), t), +s.share);
  });
  await check('baseline: the header holds the scenario, its seed and text', async () => {
    const h = await r.page.textContent('header');
    assert.ok(h.includes('Baseline') && h.includes('20250404') && h.includes('200'), h.slice(0, 300));
    const text = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')).resolved_scenario;
    assert.equal(await r.page.textContent('#scenario-text'), text);
  });
  await r.page.screenshot({ path: path.join(outDir, 'report-baseline.png'), fullPage: true });
  await r.page.close();
}

// --- a noisy scenario with drivers ----------------------------------------------------
{
  const dir = path.join(outDir, 'noisy');
  run(['run', 'tests/data/noisy.toml', '--drivers', '-o', dir, '-q']);
  run(['report', dir, '-q']);
  const r = await open(path.join(dir, 'report.html'));
  await commonChecks('noisy', r);
  await check('noisy: drivers of P toward Q at step 7 are the means of drivers.csv', async () => {
    const t = 7, runs = 24;
    const sums = {};
    for (const x of readCsv(path.join(dir, 'drivers.csv'))) {
      if (x.from === 'P' && x.to === 'Q' && x.step === String(t)) sums[x.driver] = (sums[x.driver] || 0) + +x.contribution;
    }
    await r.page.evaluate(() => window.ententeReport.setDriversPair('P', 'Q'));
    assert.ok(Object.keys(sums).length >= 3);
    for (const [driver, sum] of Object.entries(sums)) {
      assert.equal(await r.page.evaluate(([d, t]) => window.ententeReport.shown.driver(d, t), [driver, t]), sum / runs, driver);
    }
  });
  await r.page.locator('#drivers').scrollIntoViewIfNeeded();
  await r.page.screenshot({ path: path.join(outDir, 'report-noisy-drivers.png') });
  await r.page.close();
}

await context.close();
fs.rmSync(profile, { recursive: true, force: true });
console.log(`screenshots in ${outDir}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
