// entente report, the view of a calibration directory (`entente calibrate`):
// header (the calibration, the optimiser, the loss, each parameter's best
// value and profile interval), the fit of every observable over time (targets
// with ±1.645 sd against the simulated mean and 5–95 % band), the table of
// standardised residuals, and each parameter's profile (the loss with the
// others re-optimised, against the 3.84 line of a 95 % interval).
(function () {
  'use strict';
  const API = window.ententeReport;
  const { el, fmt, section, facts, addChart, band, COLORS, PALETTE } = API.util;

  API.views.calibration = function ({ D, header }) {
    const m = D.manifest || {};
    const P = m.parameters || [];
    const slug = (s) => s.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
    const table = (head, rows) => el('table', { class: 'events' },
      el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { text: h })))),
      el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c, k) => el('td', { class: k === 0 ? '' : 'num', text: c }))))));
    const interval = (p) => p.identified === undefined ? 'profile not computed'
      : (p.identified ? fmt(p.interval[0]) + ' … ' + fmt(p.interval[1]) : 'not identified by these targets');
    header.append(...[
      el('h1', { text: 'Calibration: ' + (m.calibration || '') }),
      facts([
        ['scenario', m.scenario], ['loss', fmt(m.loss, 4)], ['evaluations', m.evaluations],
        ['runs per evaluation', m.runs], ['seed', m.seed], ['targets', D.fit.length],
        ['interrupted', m.interrupted ? 'yes: the best point so far' : null],
        ['engine', m.version ? 'entente ' + m.version : null],
      ]),
      m.optimiser ? el('p', { class: 'help', text: m.optimiser }) : null,
      el('h3', { text: 'Parameters' }),
      table(['parameter', 'range', 'best', 'profile interval (95 %)'],
        P.map((p) => [p.path, fmt(p.min) + ' … ' + fmt(p.max), fmt(p.best, 4), interval(p)])),
    ]);

    // The fit: one chart per observable, targets against the simulated band.
    const byObs = new Map();
    for (const r of D.fit) {
      if (!byObs.has(r.observable)) byObs.set(r.observable, []);
      byObs.get(r.observable).push(r);
    }
    const fitSec = section('fit', 'Fit', 'Each target (black, ±1.645 sd) against the ensemble at the best point: mean (line) and 5–95 % of the runs (band).');
    const grid = el('div', { class: 'grid' });
    fitSec.append(grid);
    for (const [obs, rows] of byObs) {
      const xs = rows.map((r) => r.date || String(r.step));
      addChart(grid, 'fit-' + slug(obs), obs, '', () => ({
        animation: false,
        tooltip: { trigger: 'axis' },
        grid: { left: 50, right: 16, top: 24, bottom: 40 },
        xAxis: { type: 'category', data: xs },
        // The axis holds the targets' bars and the band.
        yAxis: {
          type: 'value', scale: true,
          min: (e) => Math.min(e.min, ...rows.map((r) => r.value - 1.645 * r.sd)),
          max: (e) => Math.max(e.max, ...rows.map((r) => r.value + 1.645 * r.sd)),
          axisLabel: { formatter: (v) => fmt(v, 2) },
        },
        series: [
          band(rows.map((r) => r.p05), rows.map((r) => r.p95), '5–95 %', COLORS.fan, 0.18),
          { type: 'line', name: 'simulated mean', data: rows.map((r) => r.mean), itemStyle: { color: COLORS.fan } },
          { type: 'scatter', name: 'target', data: rows.map((r) => r.value), itemStyle: { color: '#000' } },
          {
            type: 'custom', name: 'target ± 1.645 sd', silent: true,
            data: rows.map((r, k) => [k, r.value - 1.645 * r.sd, r.value + 1.645 * r.sd]),
            renderItem(params, api) {
              const lo = api.coord([api.value(0), api.value(1)]);
              const hi = api.coord([api.value(0), api.value(2)]);
              return { type: 'line', shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style: { stroke: '#000', lineWidth: 1 } };
            },
          },
        ],
      }));
    }
    const resSec = section('residuals', 'Residuals', 'Standardised residual = (simulated mean − target) / sd; the loss is the sum of their squares.');
    resSec.append(table(['observable', 'when', 'target', 'sd', 'simulated mean', 'p05', 'p95', 'residual'],
      D.fit.map((r) => [r.observable, r.date || String(r.step), fmt(r.value), fmt(r.sd), fmt(r.mean), fmt(r.p05), fmt(r.p95), fmt(r.residual, 2)])));

    // Profiles.
    const profSec = section('profiles', 'Profiles', 'The loss along each parameter\'s range with the others re-optimised, above its lowest value. Below the dashed line (3.84, χ² with one degree of freedom) lies the 95 % interval; a profile that never crosses it is flat: the targets do not identify that parameter.');
    const pgrid = el('div', { class: 'grid' });
    profSec.append(pgrid);
    P.forEach((p, k) => {
      const rows = D.profile.filter((r) => r.parameter === p.path);
      if (!rows.length) return;
      addChart(pgrid, 'profile-' + slug(p.path), p.path, interval(p), () => ({
        animation: false,
        tooltip: { trigger: 'axis' },
        grid: { left: 50, right: 16, top: 24, bottom: 40 },
        xAxis: { type: 'value', min: p.min, max: p.max, name: p.path, nameLocation: 'middle', nameGap: 26 },
        yAxis: { type: 'value', name: 'Δ loss' },
        series: [{
          type: 'line', name: 'Δ loss', data: rows.map((r) => [r.value, r.delta]), itemStyle: { color: PALETTE[k % PALETTE.length] },
          markLine: { silent: true, symbol: 'none', lineStyle: { type: 'dashed', color: COLORS.mark }, data: [{ yAxis: 3.84 }] },
        }],
      }));
    });
  };
})();
