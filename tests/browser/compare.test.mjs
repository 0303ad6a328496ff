// End-to-end test of `entente report` for compare directories in Debian's
// headless Chromium (common.mjs). Compares the baseline scenario with two
// branches (CSTO exit and a third-party corridor, 30 paired runs), writes and opens the
// report, and asserts: nothing logged or fetched, every chart drawn and not
// blank, the bars and whiskers of every observable at a step and the bands of
// one observable over time equal compare.csv bit for bit, the ranking is by
// |difference|, the shares shown equal compare_shares.csv, the slider changes
// the ranked charts, the header holds every input and its scenario text, and
// SVG and PNG export work. Writes screenshots into OUT_DIR for a person to
// look at.
//
//   node compare.test.mjs ENTENTE_BINARY SOURCE_DIR OUT_DIR
import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { check, commonChecks, frame, launch, open as openIn, parseArgs, readCsv, runner } from './common.mjs';

const { entente, sourceDir, outDir } = parseArgs('compare.test.mjs');
const run = runner(entente, sourceDir);
const browser = await launch();

const dir = path.join(outDir, 'csto');
fs.rmSync(dir, { recursive: true, force: true });
run(['compare', 'scenarios/baseline.toml', 'scenarios/csto/exit.toml', 'scenarios/corridor/third_party.toml',
  '--runs', '30', '--threads', '2', '-o', dir]);
const t0 = Date.now();
run(['report', dir]);
const file = path.join(dir, 'report.html');
console.log(`     report written in ${Date.now() - t0} ms, ${(fs.statSync(file).size / 1024).toFixed(0)} KiB`);
const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
const rows = readCsv(path.join(dir, 'compare.csv'));
const shareRows = readCsv(path.join(dir, 'compare_shares.csv'));
const BRANCHES = ['CSTO exit', 'Corridor third party'];
const STEP = 24;
const at = (step, scenario) => rows.filter((r) => +r.step === step && r.scenario === scenario);

const r = await openIn(browser.context, file);
const { page } = r;
console.log(`     load ${r.timing.load.toFixed(0)} ms, ready after ${r.wall} ms (script ${r.timing.script.toFixed(0)} ms)`);
await page.screenshot({ path: path.join(outDir, 'compare-top.png') });

await commonChecks('compare', r, { minCharts: 5, svg: { id: 'ranked-csto-exit', title: 'CSTO exit − Baseline' }, pngId: 'over-time-corridor-third-party' });

await check('compare: header names every input, its file and its scenario text', async () => {
  const h = await page.evaluate(() => ({
    title: document.querySelector('h1').textContent,
    cells: [...document.querySelectorAll('header table tbody tr')].map((tr) => [...tr.children].map((td) => td.textContent)),
    texts: [...document.querySelectorAll('header pre.scenario-text')].map((p) => p.textContent),
    facts: document.querySelector('dl.facts').textContent,
  }));
  assert.equal(h.title, 'Baseline vs CSTO exit, Corridor third party');
  assert.deepEqual(h.cells.map((c) => c.slice(0, 3)), manifest.inputs.map((x, k) => [k === 0 ? 'base' : 'branch ' + k, x.scenario, x.source]));
  assert.equal(h.cells[1][3], manifest.inputs[1].description);
  assert.deepEqual(h.texts, manifest.inputs.map((x) => x.resolved_scenario));
  assert.ok(h.texts[1].includes('name = "CSTO exit"'));
  for (const f of ['20250404', '30', '36 × month', '2025-04 → 2028-04', 'entente ' + manifest.version]) assert.ok(h.facts.includes(f), f + ' in ' + h.facts);
});

await check('compare: the header has no "null"; the first section is "What moved", led per branch by the relation that moved most', async () => {
  const h = await page.evaluate(() => {
    const c = document.querySelector('header').cloneNode(true);
    c.querySelectorAll('details').forEach((d) => d.remove());
    return c.textContent;
  });
  assert.ok(!/null|undefined/.test(h), h);
  const shown = await page.evaluate(() => {
    const s = document.querySelector('main section');
    return { id: s.id, title: s.querySelector('h2').textContent,
      top: [1, 2].map((k) => s.querySelector('#moved-relations-' + k + ' tbody tr td').textContent) };
  });
  // From compare.csv: the relation whose mean paired difference changed most
  // from step 0 to step 36 (ties: file order).
  const top = BRANCHES.map((b) => {
    const start = new Map(at(0, b).map((x) => [x.observable, +x.difference]));
    let best = null, size = 0;
    for (const x of at(36, b)) {
      if (!x.observable.startsWith('affinity(')) continue;
      const change = Math.abs(+x.difference - start.get(x.observable));
      if (change > size) { best = x.observable; size = change; }
    }
    return best;
  });
  assert.deepEqual(shown, { id: 'moved', title: 'What moved', top });
});

await check(`compare: every bar and whisker at step ${STEP} equals compare.csv`, async () => {
  await page.evaluate(() => window.ententeReport.showAll(true));
  let n = 0;
  for (const b of BRANCHES) {
    for (const row of at(STEP, b)) {
      const s = await page.evaluate(([b, o, t]) => window.ententeReport.shown.difference(b, o, t), [b, row.observable, STEP]);
      assert.deepEqual(s, { difference: +row.difference, ci05: +row.ci05, ci95: +row.ci95, p_positive: +row.p_positive }, b + ' ' + row.observable);
      ++n;
    }
  }
  assert.ok(n > 50, n + ' values');
  await page.evaluate(() => window.ententeReport.showAll(false));
});

await check('compare: the ranked chart shows the top 15 by |difference|', async () => {
  for (const b of BRANCHES) {
    const expected = at(STEP, b).map((row, k) => [row, k])
      .sort(([x, i], [y, j]) => Math.abs(+y.difference) - Math.abs(+x.difference) || i - j).slice(0, 15).map(([row]) => row.observable);
    assert.deepEqual(await page.evaluate((b) => window.ententeReport.shown.ranked(b), b), expected);
  }
});

await check('compare: the slider changes the ranked charts', async () => {
  const before = await page.evaluate(() => window.ententeReport.draw('ranked-csto-exit').series[0].data.map((d) => d.value));
  await page.$eval('#ranked input.step-slider', (s) => { s.value = '0'; s.dispatchEvent(new Event('input')); });
  await frame(page);
  const after = await page.evaluate(() => window.ententeReport.draw('ranked-csto-exit').series[0].data.map((d) => d.value));
  assert.ok(before.some((v) => v !== 0), 'differences at step ' + STEP);
  assert.ok(after.every((v) => v === 0), 'no difference at step 0: ' + after);
  assert.equal(await page.$eval('#ranked output', (o) => o.textContent), '2025-04 (step 0)');
  assert.equal(await page.$eval('#shares input.step-slider', (s) => s.value), '0', 'the sliders move together');
  await page.evaluate((t) => window.ententeReport.setStep(t), STEP);
});

await check('compare: the difference over time equals compare.csv', async () => {
  const observable = 'affinity(ARM,RUS)';
  await page.evaluate((o) => window.ententeReport.setObservable(o), observable);
  for (const b of BRANCHES) {
    for (const t of [0, STEP, 36]) {
      const row = rows.find((x) => +x.step === t && x.scenario === b && x.observable === observable);
      const s = await page.evaluate(([b, t]) => window.ententeReport.shown.overTime(b, t), [b, t]);
      assert.deepEqual(s, { difference: +row.difference, ci05: +row.ci05, ci95: +row.ci95, p05: +row.p05, p95: +row.p95 }, b + ' step ' + t);
    }
  }
});

await check('compare: the shares shown equal compare_shares.csv', async () => {
  const T = 36;
  await page.evaluate(() => window.ententeReport.showAll(true));
  const changed = shareRows.filter((x) => +x.step === T && +x.change !== 0);
  assert.ok(changed.length > 0, 'some share changes at the last step');
  for (const row of changed) {
    const s = await page.evaluate(([b, o, v, t]) => window.ententeReport.shown.share(b, o, v, t), [row.scenario, row.observable, row.value, T]);
    assert.deepEqual(s, { base_share: +row.base_share, share: +row.share }, row.scenario + ' ' + row.observable + ' = ' + row.value);
  }
  const unchanged = shareRows.find((x) => +x.step === T && shareRows.every((y) => +y.step !== T || y.observable !== x.observable || y.value !== x.value || +y.change === 0));
  if (unchanged) {
    assert.equal(await page.evaluate(([o, v]) => window.ententeReport.shown.share('CSTO exit', o, v, 36), [unchanged.observable, unchanged.value]), undefined);
  }
  await page.evaluate(() => window.ententeReport.showAll(false));
});

// Screenshots for a person: the ranked differences, one observable over time, the shares.
await page.evaluate(() => window.ententeReport.setStep(36));
await page.evaluate(() => window.ententeReport.setObservable('position(ARM,orientation)'));
for (const id of ['ranked', 'over-time', 'shares']) {
  await page.evaluate((id) => document.getElementById(id).scrollIntoView(), id);
  await frame(page);
  await page.screenshot({ path: path.join(outDir, 'compare-' + id + '.png') });
}
await page.screenshot({ path: path.join(outDir, 'compare-full.png'), fullPage: true });
await page.close();
await browser.finish(outDir);
