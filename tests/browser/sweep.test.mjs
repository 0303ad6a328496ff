// End-to-end test of `entente report` for sweep directories in Debian's
// headless Chromium (common.mjs). Runs three small sweeps of the baseline
// scenario (Morris, Sobol' with a Saltelli design, and Latin hypercube for
// regression), analyses each with `entente analyze`, writes and opens their
// reports, and asserts: nothing logged or fetched, every chart drawn and not
// blank, the bars and whiskers shown for every output and parameter equal
// sensitivity_<method>.csv bit for bit, the scatter of an output against a
// parameter equals design.csv and the mean of results.csv, the header holds
// the sweep file and the resolved scenario, and SVG and PNG export work.
// Writes screenshots into OUT_DIR for a person to look at.
//
//   node sweep.test.mjs ENTENTE_BINARY SOURCE_DIR OUT_DIR
import fs from 'node:fs';
import path from 'node:path';
import assert from 'node:assert/strict';
import { check, commonChecks, frame, launch, open as openIn, parseArgs, readCsv, runner } from './common.mjs';

const { entente, sourceDir, outDir } = parseArgs('sweep.test.mjs');
const run = runner(entente, sourceDir);
const browser = await launch();
const open = (file) => openIn(browser.context, file);
const slug = (s) => s.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');

const PARAMETERS = `
[[parameters]]
path = "model.influence"
range = [0.0, 0.1]

[[parameters]]
path = "model.balance"
range = [0.0, 0.1]

[[parameters]]
path = "actors.ARM.stubbornness"
distribution = "triangular"
min = 0.1
mode = 0.3
max = 0.6

[[parameters]]
path = "issues.corridor.regime"
values = ["closed", "armenian_control", "third_party"]
`;
const OUTPUTS = `
[[outputs]]
name = "arm_rus"
observable = "affinity(ARM,RUS)"

[[outputs]]
name = "arm_orientation"
observable = "position(ARM,orientation)"
reducer = "mean"

[[outputs]]
name = "arm_cold_to_rus"
probability = "affinity(ARM,RUS) < 0"
`;

// Writes a sweep file into OUT_DIR, runs, analyses and reports it.
function sweep(name, design, runs) {
  const dir = path.join(outDir, name);
  const file = path.join(outDir, name + '.toml');
  const text = `[sweep]\nname = "Baseline: ${name}"\ndescription = "A small ${name} sweep for the report's test."\n` +
    `scenario = "${path.join(sourceDir, 'scenarios', 'baseline.toml')}"\nruns = ${runs}\nseed = 5\n\n[design]\n${design}\n` + PARAMETERS + OUTPUTS;
  fs.writeFileSync(file, text);
  fs.rmSync(dir, { recursive: true, force: true });
  const t0 = Date.now();
  run(['sweep', file, '-o', dir, '-q']);
  const t1 = Date.now();
  run(['analyze', dir]);
  const t2 = Date.now();
  run(['report', dir, '-q']);
  const t3 = Date.now();
  const report = path.join(dir, 'report.html');
  console.log(`${name}: sweep ${t1 - t0} ms, analyze ${t2 - t1} ms, report ${t3 - t2} ms, ` +
    `${(fs.statSync(report).size / 1024).toFixed(0)} KiB`);
  return { dir, file, text, report };
}

// The bars and whiskers of every output and parameter against the CSV file.
async function indicesEqualCsv(name, r, dir, method) {
  const rows = readCsv(path.join(dir, `sensitivity_${method}.csv`));
  await check(`${name}: every bar and whisker equals sensitivity_${method}.csv`, async () => {
    assert.ok(rows.length >= 12);
    for (const row of rows) {
      const shown = await r.page.evaluate(([o, p]) => window.ententeReport.shown.index(o, p), [row.output, row.parameter]);
      const n = (v) => (v === '' ? null : +v);  // an empty cell (no interval, a constant output): null on the page
      const expected = method === 'morris'
        ? { value: n(row.mu_star_scaled), low: n(row.mu_star_scaled_low), high: n(row.mu_star_scaled_high), sigma: n(row.sigma_scaled) }
        : method === 'sobol'
          ? { value: n(row.total), low: n(row.total_low), high: n(row.total_high), first: { value: n(row.first), low: n(row.first_low), high: n(row.first_high) } }
          : { value: n(row.src), low: n(row.src_low), high: n(row.src_high) };
      assert.deepEqual(shown, expected, row.output + ' / ' + row.parameter);
    }
    // The bars are in the file's ranked order.
    const order = await r.page.evaluate((o) => window.ententeReport.draw('sensitivity-' + o).yAxis[0].data, slug(rows[0].output));
    assert.deepEqual(order, rows.filter((x) => x.output === rows[0].output).map((x) => x.parameter));
  });
}

// --- Morris: the full set of checks ------------------------------------------------
{
  const s = sweep('morris', 'kind = "morris"\ntrajectories = 10\nlevels = 4', 10);
  const r = await open(s.report);
  console.log(`morris report: load event ${r.timing.load.toFixed(0)} ms, script ${r.timing.script.toFixed(0)} ms, ready after ${r.wall} ms`);
  await r.page.screenshot({ path: path.join(outDir, 'sweep-morris-top.png') });
  await commonChecks('morris', r, { minCharts: 13, svg: { id: 'sensitivity-arm-rus', title: 'arm_rus' }, pngId: 'morris-arm-rus' });
  await indicesEqualCsv('morris', r, s.dir, 'morris');
  await check('morris: the header holds the sweep file, the resolved scenario and the parameters', async () => {
    const h = await r.page.textContent('header');
    for (const t of ['Baseline: morris', 'A small morris sweep', 'Morris trajectories', '50', 'actors.ARM.stubbornness', 'triangular(min 0.1, mode 0.3, max 0.6)',
      'one of closed, armenian_control, third_party', 'share of runs ending with affinity(ARM,RUS) < 0']) assert.ok(h.includes(t), 'header lacks ' + t);
    assert.equal(await r.page.textContent('#sweep-text'), s.text);
    const manifest = JSON.parse(fs.readFileSync(path.join(s.dir, 'manifest.json'), 'utf8'));
    assert.equal(await r.page.textContent('#scenario-text'), manifest.base_scenario);
    assert.ok(manifest.base_scenario.includes('[scenario]'));
  });
  await check('morris: the scatter of an output against a parameter is design.csv and the mean of results.csv', async () => {
    const design = readCsv(path.join(s.dir, 'design.csv'));
    const results = readCsv(path.join(s.dir, 'results.csv'));
    const mean = (output) => design.map((d) => {
      const own = results.filter((x) => x.point === d.point);
      let sum = 0;
      for (const x of own) sum += +x[output];
      return sum / own.length;
    });
    const param = 'model.balance';
    let shown = await r.page.evaluate((p) => window.ententeReport.shown.scatter(p), param);
    assert.deepEqual(shown, design.map((d, i) => [+d[param], mean('arm_rus')[i]]));
    await r.page.selectOption('#scatter-output', 'arm_orientation');
    shown = await r.page.evaluate((p) => window.ententeReport.shown.scatter(p), param);
    assert.deepEqual(shown, design.map((d, i) => [+d[param], mean('arm_orientation')[i]]));
    // A categorical parameter is placed at its label's code, in order of first appearance.
    const labels = [...new Set(design.map((d) => d['issues.corridor.regime']))];
    shown = await r.page.evaluate(() => window.ententeReport.shown.scatter('issues.corridor.regime'));
    assert.deepEqual(shown.map((p) => p[0]), design.map((d) => labels.indexOf(d['issues.corridor.regime'])));
    // The charts follow the chosen output's ranking.
    const first = readCsv(path.join(s.dir, 'sensitivity_morris.csv')).find((x) => x.output === 'arm_orientation' && x.rank === '1');
    const top = await r.page.evaluate(() => document.querySelector('#scatter .grid figure').id);
    assert.equal(top, 'chart-scatter-' + slug(first.parameter));
    await r.page.locator('#scatter').scrollIntoViewIfNeeded();
    await frame(r.page);
    await r.page.screenshot({ path: path.join(outDir, 'sweep-morris-scatter.png') });
  });
  await r.page.locator('#sensitivity').scrollIntoViewIfNeeded();
  await frame(r.page);
  await r.page.screenshot({ path: path.join(outDir, 'sweep-morris-sensitivity.png') });
  await r.page.screenshot({ path: path.join(outDir, 'sweep-morris.png'), fullPage: true });
  await r.page.close();
}

// --- Sobol' (Saltelli design) and regression (Latin hypercube) ----------------------------
for (const [name, design, method] of [['sobol', 'kind = "sobol"\npoints = 64\nsaltelli = true', 'sobol'], ['lhs', 'kind = "lhs"\npoints = 100', 'regression']]) {
  const s = sweep(name, design, 5);
  const r = await open(s.report);
  await commonChecks(name, r, { minCharts: 10, svg: { id: 'sensitivity-arm-orientation', title: 'arm_orientation' }, pngId: 'histogram-arm-rus' });
  await indicesEqualCsv(name, r, s.dir, method);
  await r.page.locator('#sensitivity').scrollIntoViewIfNeeded();
  await frame(r.page);
  await r.page.screenshot({ path: path.join(outDir, `sweep-${name}-sensitivity.png`) });
  await r.page.screenshot({ path: path.join(outDir, `sweep-${name}.png`), fullPage: true });
  await r.page.close();
}

await browser.finish(outDir);
