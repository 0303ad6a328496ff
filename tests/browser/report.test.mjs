// End-to-end test of `entente report` for run directories in Debian's
// headless Chromium, driven by playwright-core (common.mjs). For the default
// scenario and for a noisy scenario with drivers: run, write the report, open
// it from disk and assert that nothing is fetched and nothing is logged as an
// error, that every chart is drawn and not blank, that the numbers shown for a
// chosen step and pair equal those of the CSV files, that the slider changes
// the heatmap, and that SVG and PNG export work. Writes screenshots into
// OUT_DIR for a person to look at.
//
//   node report.test.mjs ENTENTE_BINARY SOURCE_DIR OUT_DIR
import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { check, commonChecks, fmt, frame, launch, open as openIn, parseArgs, readCsv, runner } from './common.mjs';

const { entente, sourceDir, outDir } = parseArgs('report.test.mjs');
const run = runner(entente, sourceDir);
const browser = await launch();
const open = (file) => openIn(browser.context, file);
const exportChecks = { svg: { id: 'heatmap', title: 'Affinity matrix' }, pngId: 'network' };

// The relation whose median over the runs changed most from step 0 to the
// last step, from relations.csv (numpy's linear median; ties: file order).
function mostMovedRelation(dir) {
  const by = new Map();
  let last = 0;
  for (const x of readCsv(path.join(dir, 'relations.csv'))) last = Math.max(last, +x.step);
  for (const x of readCsv(path.join(dir, 'relations.csv'))) {
    if (+x.step !== 0 && +x.step !== last) continue;
    const name = 'affinity(' + x.from + ',' + x.to + ')';
    if (!by.has(name)) by.set(name, [[], []]);
    by.get(name)[+x.step === 0 ? 0 : 1].push(+x.affinity);
  }
  const median = (v) => {
    v.sort((a, b) => a - b);
    const at = 0.5 * (v.length - 1), lo = Math.floor(at);
    return lo + 1 < v.length ? v[lo] + (at - lo) * (v[lo + 1] - v[lo]) : v[lo];
  };
  let best = null, size = 0;
  for (const [name, [a, z]] of by) {
    const change = Math.abs(median(z) - median(a));
    if (change > size) { best = name; size = change; }
  }
  return best;
}
// The header and the first section: no "null" anywhere in the header, and
// "What moved" first, naming the relation that moved most.
async function movedChecks(name, r, dir) {
  await check(name + ': the header has no "null"; the first section is "What moved", led by the relation that moved most', async () => {
    // What a reader sees above the fold: the header without its folded-away texts.
    const h = await r.page.evaluate(() => {
      const c = document.querySelector('header').cloneNode(true);
      c.querySelectorAll('details').forEach((d) => d.remove());
      return c.textContent;
    });
    assert.ok(!/null|undefined/.test(h), h);
    const first = await r.page.evaluate(() => {
      const s = document.querySelector('main section');
      return { id: s.id, title: s.querySelector('h2').textContent, nav: document.querySelector('nav a').textContent,
        top: s.querySelector('#moved-relations tbody tr td').textContent };
    });
    assert.deepEqual(first, { id: 'moved', title: 'What moved', nav: 'What moved', top: mostMovedRelation(dir) });
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
  await commonChecks('baseline', r, exportChecks);
  await movedChecks('baseline', r, dir);

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
    const pixels = () => r.page.evaluate(() => [...document.querySelectorAll('#chart-heatmap canvas')].map((c) => c.toDataURL()).join());
    await frame(r.page);
    const inkBefore = await pixels();
    await r.page.locator('#step-slider').fill(String(t));
    await frame(r.page);
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
  await commonChecks('noisy', r, exportChecks);
  await movedChecks('noisy (no description)', r, dir);
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
  await check('noisy: position drivers of P on x at step 7 are the means of position_drivers.csv', async () => {
    const t = 7, runs = 24;
    const sums = {};
    for (const x of readCsv(path.join(dir, 'position_drivers.csv'))) {
      if (x.actor === 'P' && x.axis === 'x' && x.step === String(t)) sums[x.driver] = (sums[x.driver] || 0) + +x.contribution;
    }
    await r.page.evaluate(() => window.ententeReport.setPositionDrivers('P', 'x'));
    assert.ok(Object.keys(sums).length >= 3);
    for (const [driver, sum] of Object.entries(sums)) {
      assert.equal(await r.page.evaluate(([d, t]) => window.ententeReport.shown.positionDriver(d, t), [driver, t]), sum / runs, driver);
    }
  });
  await r.page.locator('#drivers').scrollIntoViewIfNeeded();
  await r.page.screenshot({ path: path.join(outDir, 'report-noisy-drivers.png') });
  await r.page.close();
}

await browser.finish(outDir);
