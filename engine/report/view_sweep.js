// entente report, the view of a sweep directory: header (the sweep, its
// parameters and outputs, the sweep file and the resolved scenario), the
// sensitivity indices of each output as ranked bars with 95 % intervals, each
// output against each parameter, and the distribution of each output.
(function () {
  'use strict';
  const API = window.ententeReport;
  const { el, appendAll, fmt, section, facts, draw, redraw, charts, COLORS, PALETTE } = API.util;
  // The core's addChart, with titles that may wrap: parameter paths are long
  // and must not widen the grid beyond the page.
  function addChart(...args) {
    const figure = API.util.addChart(...args);
    figure.style.minWidth = '0';
    Object.assign(figure.querySelector('.title').style, { minWidth: '0', overflowWrap: 'anywhere' });
    return figure;
  }

  API.views.sweep = function ({ D, header }) {
    const W = D.sweep;
    const A = D.analysis;
    const m = D.manifest || {};
    const P = D.parameters;
    const col = (name) => A.columns.indexOf(name);
    const slug = (s) => s.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');
    const paramIndex = new Map(P.map((p, k) => [p.path, k]));
    const byOutput = new Map(A.indices.map((g) => [g.output, g.rows]));
    const outputs = D.outputs.map((o) => o.name);
    const state = { output: outputs[0] };
    API.state = state;

    // --- header -------------------------------------------------------------------
    const METHOD = {
      morris: 'Morris elementary effects: μ* (mean absolute effect, scaled to the parameter\'s range in the design) and σ (their spread)',
      sobol: 'Sobol\' indices: first order (the parameter alone) and total (with all its interactions)',
      regression: 'standardised regression coefficients (SRC) of a linear fit; R² says how much of the variance it explains',
    };
    const DESIGNS = { lhs: 'Latin hypercube', sobol: 'Sobol\' sequence', morris: 'Morris trajectories', grid: 'full grid', random: 'random', table: 'table' };
    const design = W.saltelli ? 'Sobol\' (Saltelli)' : DESIGNS[W.design] || W.design;
    function specText(p) {
      const s = p.spec;
      if (!s) return p.categorical ? 'values ' + p.labels.join(', ') : 'from the design table';
      if (s.values) return 'one of ' + s.values.join(', ');
      if (s.range) return (s.scale === 'log' ? 'log-uniform in [' : 'uniform in [') + s.range.join(', ') + ']';
      if (s.distribution === 'normal') {
        return 'normal(mean ' + s.mean + ', sd ' + s.sd + ')' + (s.bounds ? ' truncated to [' + s.bounds.map((b) => (b === null ? '∞' : b)).join(', ') + ']' : '');
      }
      if (s.distribution === 'triangular') return 'triangular(min ' + s.min + ', mode ' + s.mode + ', max ' + s.max + ')';
      return JSON.stringify(s);
    }
    function outputText(o) {
      switch (o.reducer) {
        case 'final': return o.of + ' at the last step';
        case 'first_step_when': return 'first step when ' + o.of;
        case 'probability': return 'share of runs ending with ' + o.of;
        case 'at': return o.of + ' at a given step';
        case null: case undefined: return 'a column of results.csv';
        default: return o.reducer + ' of ' + o.of + ' over the steps';
      }
    }
    const table = (head, rows) => el('table', { class: 'events' },
      el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { text: h })))),
      el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c, k) => el('td', { class: k === 0 ? '' : 'num', text: c }))))));
    appendAll(header, ...[
      el('h1', { text: W.name || 'Sweep' }),
      W.description ? el('p', { class: 'lead', text: W.description }) : null,
      facts([
        ['scenario', D.scenario.name], ['design', design], ['points', W.points], ['runs per point', W.runs],
        ['runs in all', W.total_runs], ['seed', W.seed], ['steps', W.steps],
        ['engine', m.version ? 'entente ' + m.version : null],
        ['swept on', m.finished ? m.finished.replace('T', ' ').replace(/:\d\dZ$/, ' UTC') : null],
        ['analysis', A.method + ', ' + A.bootstrap + ' resamples'],
      ]),
      D.scenario.description ? el('p', { class: 'help', text: D.scenario.name + ': ' + D.scenario.description }) : null,
      el('h3', { text: 'Parameters' }),
      table(['parameter', 'how it varies', 'in the design'], P.map((p) => [p.path, specText(p),
        p.categorical ? p.labels.length + ' values' : fmt(p.min) + ' … ' + fmt(p.max)])),
      el('h3', { text: 'Outputs' }),
      table(['output', 'what it is (per run; a point is the mean of its runs)'], D.outputs.map((o) => [o.name, outputText(o)])),
      W.text !== null ? el('details', {}, el('summary', { text: 'The sweep file' }), el('pre', { id: 'sweep-text', text: W.text })) : null,
      D.scenario.text !== null ? el('details', {}, el('summary', { text: 'The scenario swept (resolved: extends applied, defaults written out; each point adds its overrides)' }),
        el('pre', { id: 'scenario-text', text: D.scenario.text })) : null,
      el('details', {}, el('summary', { text: 'How it was run' }),
        el('pre', { text: [(m.command || []).join(' '), '', ...(m.inputs || []).map((f) => f.path + '  sha256 ' + f.sha256), '', m.seeding || ''].join('\n') })),
      el('p', { class: 'help', text: 'The engine explores the consequences of stated assumptions; it does not forecast. ' +
        'Indices: ' + METHOD[A.method] + '. Computed here as `entente analyze` computes them by default (' + A.method + ', ' +
        A.bootstrap + ' bootstrap resamples, seed ' + A.seed + '): the numbers equal sensitivity_' + A.method + '.csv. ' +
        'Whiskers are 95 % bootstrap intervals. The ranking holds for the ranges above, which are judgments.' }),
    ].filter((e) => e !== null));

    // --- sensitivity: ranked bars with whiskers ------------------------------------------
    const labelWidth = Math.min(380, 24 + 7.2 * Math.max(...P.map((p) => p.path.length)));
    const height = (k) => Math.max(200, 46 + 34 * k) + 'px';
    // Whiskers [low, high] at each category with the bar's value printed after
    // them; an end beyond the axis is cut at it and drawn as an arrow.
    function whiskers(name, data, xAxisIndex, yAxisIndex) {
      return {
        type: 'custom', name, xAxisIndex, yAxisIndex, z: 5, animation: false, clip: false,
        data, encode: { x: [0, 1], y: 2 }, tooltip: { show: false },
        renderItem(params, api) {
          const lo = api.value(0), hi = api.value(1), c = api.value(2), v = api.value(3);
          const box = params.coordSys;
          const clamp = (x) => Math.max(box.x, Math.min(box.x + box.width, x));
          const h = api.size([0, 1])[1] * 0.22;
          const ink = { stroke: '#1d2327', lineWidth: 1.6 };
          const line = (x1, y1, x2, y2) => ({ type: 'line', shape: { x1, y1, x2, y2 }, style: ink });
          const children = [];
          // The value goes after the far end: right of a positive bar, left of a negative one.
          const negative = v < 0;
          let end = Number.isFinite(v) ? clamp(api.coord([v, c])[0]) : null;
          const y = api.coord([0, c])[1];
          if (Number.isFinite(lo) && Number.isFinite(hi)) {
            const a = api.coord([lo, c])[0], b = api.coord([hi, c])[0];
            const ca = clamp(a), cb = clamp(b);
            children.push(line(ca, y, cb, y));
            end = negative ? Math.min(end === null ? ca : end, ca) : Math.max(end === null ? cb : end, cb);
            for (const [x, cut, dir] of [[ca, ca !== a, -1], [cb, cb !== b, 1]]) {
              children.push(cut ? { type: 'polygon', shape: { points: [[x, y], [x - dir * 8, y - h], [x - dir * 8, y + h]] }, style: { fill: '#1d2327' } }
                : line(x, y - h, x, y + h));
            }
          }
          if (end !== null && Number.isFinite(v)) {
            children.push({ type: 'text', x: end + (negative ? -6 : 6), y,
              style: { text: fmt(v), fill: '#1d2327', font: 'bold 12px sans-serif', verticalAlign: 'middle', align: negative ? 'right' : 'left' } });
          }
          return { type: 'group', children };
        },
      };
    }
    const finite = (list) => list.filter(Number.isFinite);
    // Lowest and highest value of a per-point array (no spread: it may be long).
    function extent(values) {
      let lo = Infinity, hi = -Infinity;
      for (const v of values) { if (v < lo) lo = v; if (v > hi) hi = v; }
      return [lo, hi];
    }
    const nice = (x, up) => { const f = 10 ** Math.floor(Math.log10(Math.abs(x) || 1)) / 2; return +((up ? Math.ceil(x / f) : Math.floor(x / f)) * f).toPrecision(12); };
    // Bars of each panel's column `v` with whiskers `lo`…`hi`, over the ranked
    // parameters, the panels side by side sharing the parameter axis.
    function panels(rows, list, width) {
      const names = rows.map((r) => r.parameter);
      const gap = 64, right = 56;
      const usable = Math.max(120 * list.length, width - labelWidth - right - gap * (list.length - 1));
      const grid = [], xAxis = [], yAxis = [], series = [];
      const col3 = (p) => rows.map((r) => [p.lo >= 0 ? r.values[p.lo] : null, p.hi >= 0 ? r.values[p.hi] : null, r.values[p.v]]);
      const shared = Math.max(1e-9, ...finite(list.flatMap((p) => col3(p).flat())));
      let left = labelWidth;
      list.forEach((p, g) => {
        const w = usable * p.weight;
        grid.push({ left, width: w, top: 26, bottom: 36 });
        left += w + gap;
        const cells = col3(p);
        const values = cells.map((c) => c[2]);
        // Axis range: Morris panels share [0, max]; Sobol' indices span at
        // least [0, 1] (bars, not intervals, decide); SRC is symmetric.
        let min = 0, max;
        if (p.range === 'shared') max = nice(shared, true);
        else if (p.range === 'unit') {
          const low = Math.min(0, ...finite(values));  // room left of a negative bar for its value
          min = low < 0 ? Math.min(-0.2, nice(1.3 * low, false)) : 0;
          max = Math.max(1, nice(Math.max(0, ...finite(values)), true));
        } else {
          max = nice(1.18 * Math.max(1e-9, ...finite(cells.flat()).map(Math.abs)), true);  // room for the values' text
          min = -max;
        }
        xAxis.push({ type: 'value', gridIndex: g, name: p.name, nameLocation: 'middle', nameGap: 24, nameTextStyle: { fontWeight: 'bold', fontSize: 13 },
          min, max, axisLabel: { hideOverlap: true } });
        yAxis.push({ type: 'category', gridIndex: g, data: names, inverse: true, axisLabel: { show: g === 0, fontSize: 13, color: '#1d2327' }, axisTick: { show: false } });
        series.push({ type: 'bar', name: p.name, xAxisIndex: g, yAxisIndex: g, data: values, barWidth: '55%', itemStyle: { color: p.color },
          label: { show: p.lo < 0, position: 'right', formatter: (d) => fmt(d.value), color: '#1d2327', fontWeight: 'bold', fontSize: 12 } });
        if (p.lo >= 0) series.push(whiskers(p.name + ' 95%', cells.map((c, k) => [c[0], c[1], k, c[2]]), g, g));
      });
      return {
        animation: false, grid, xAxis, yAxis, series,
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, confine: true, formatter(ps) {
          const k = ps[0].dataIndex, r = rows[k];
          return '<b>' + r.parameter + '</b> (rank ' + r.rank + ')' + list.map((p) => '<br>' + p.name + ' <b>' + fmt(r.values[p.v]) + '</b>' +
            (p.lo >= 0 ? ' [' + fmt(r.values[p.lo]) + ', ' + fmt(r.values[p.hi]) + ']' : '')).join('');
        } },
      };
    }
    const LAYOUT = {
      morris: [{ name: 'μ* (scaled)', v: col('mu_star_scaled'), lo: col('mu_star_scaled_low'), hi: col('mu_star_scaled_high'), color: COLORS.fan, range: 'shared', weight: 0.6 },
        { name: 'σ (scaled)', v: col('sigma_scaled'), lo: -1, hi: -1, color: '#8fb3d1', range: 'shared', weight: 0.4 }],
      sobol: [{ name: 'first order', v: col('first'), lo: col('first_low'), hi: col('first_high'), color: '#8fb3d1', range: 'unit', weight: 0.5 },
        { name: 'total', v: col('total'), lo: col('total_low'), hi: col('total_high'), color: COLORS.fan, range: 'unit', weight: 0.5 }],
      regression: [{ name: 'SRC', v: col('src'), lo: col('src_low'), hi: col('src_high'), color: COLORS.fan, range: 'symmetric', weight: 1 }],
    }[A.method];
    const SUB = {
      morris: 'ranked by μ*, 95 % interval; σ beside',
      sobol: 'ranked by the total index, 95 % intervals',
      regression: 'ranked by |SRC|, 95 % interval',
    }[A.method];
    const sens = section('sensitivity', 'Sensitivity', 'Which parameters move each output, ranked (largest first). ' +
      METHOD[A.method].charAt(0).toUpperCase() + METHOD[A.method].slice(1) + '.');
    const r2 = (rows) => (rows.length > 0 && col('r2') >= 0 ? rows[0].values[col('r2')] : null);
    for (const o of D.outputs) {
      const rows = byOutput.get(o.name) || [];
      sens.append(el('h3', { text: o.name }), el('p', { class: 'help', text: outputText(o) +
        (A.method === 'regression' ? '. R² = ' + fmt(r2(rows)) + ': the linear fit explains ' + Math.round(100 * r2(rows)) + ' % of the variance over the points.' : '') }));
      // Morris: the bars and the μ*–σ plot side by side; otherwise the bars across the page.
      const grid = A.method === 'morris' ? el('div', { class: 'grid wide' }) : el('div', {});
      sens.append(grid);
      const fig = addChart(grid, 'sensitivity-' + slug(o.name), o.name, SUB + (A.method === 'regression' ? '; R² ' + fmt(r2(rows)) : ''),
        () => panels(rows, LAYOUT, canvas.clientWidth || 640));
      const canvas = fig.querySelector('.canvas');
      canvas.style.height = height(rows.length);
      if (A.method === 'morris') {
        const f2 = addChart(grid, 'morris-' + slug(o.name), o.name + ': μ* against σ', 'scaled; above the line the effect depends on the other parameters', () => morrisPlot(rows));
        f2.querySelector('.canvas').style.height = height(rows.length);
      }
    }
    function morrisPlot(rows) {
      const mu = col('mu_star_scaled'), sd = col('sigma_scaled');
      const data = rows.map((r, k) => ({ value: [r.values[mu], r.values[sd]], name: r.parameter, itemStyle: { color: PALETTE[k % PALETTE.length] } }));
      const top = nice(Math.max(...rows.map((r) => Math.max(r.values[mu], r.values[sd])).filter(Number.isFinite), 1e-9) * 1.08, true);
      return {
        animation: false,
        grid: { left: 56, right: 60, top: 24, bottom: 44 },
        xAxis: { type: 'value', name: 'μ* (scaled)', nameLocation: 'middle', nameGap: 26, min: 0, max: top, axisLabel: { formatter: (v) => fmt(v, 2) } },
        yAxis: { type: 'value', name: 'σ (scaled)', nameLocation: 'middle', nameGap: 40, min: 0, max: top, axisLabel: { formatter: (v) => fmt(v, 2) } },
        tooltip: { confine: true, formatter: (p) => '<b>' + p.name + '</b><br>μ* ' + fmt(p.value[0]) + ', σ ' + fmt(p.value[1]) },
        series: [{ type: 'scatter', name: 'parameters', data, symbolSize: 12,
          label: { show: true, position: 'top', formatter: (p) => p.name.split('.').slice(-2).join('.'), fontSize: 12, color: '#1d2327' },
          labelLayout: { hideOverlap: true },
          markLine: { silent: true, symbol: 'none', animation: false, lineStyle: { type: 'dashed', color: COLORS.mark },
            label: { formatter: 'σ = μ*', position: 'insideEndTop' }, data: [[{ coord: [0, 0] }, { coord: [top, top] }]] } }],
      };
    }

    // --- each output against each parameter ------------------------------------------
    // A large design is thinned for these charts (the indices use every point).
    const thinned = D.values.every > 1
      ? ' Showing 1 in ' + D.values.every + ' of the ' + D.values.of + ' design points (' + D.values.x[0].length + '), to keep the page small; the indices above use them all.'
      : '';
    const sc = section('scatter', 'Outputs against parameters',
      'Each dot is a design point: its parameter value and the output\'s mean over its ' + W.runs + ' run' + (W.runs === 1 ? '' : 's') +
      '. The line joins the mean output at each value (or in tenths of the range). A parameter with a large index moves the cloud; ' +
      'one with a small index leaves it flat. Ordered by the chosen output\'s ranking.' + thinned);
    const choice = el('select', { id: 'scatter-output', 'aria-label': 'output' }, ...outputs.map((o) => el('option', { value: o, text: o })));
    sc.append(el('div', { class: 'controls' }, el('label', { for: 'scatter-output', text: 'Output' }), choice));
    const scGrid = el('div', { class: 'grid' });
    sc.append(scGrid);
    const yOf = (o) => D.values.y[outputs.indexOf(o)];
    // Means of y over the distinct values of x (≤ 12 of them), else over ten equal bins.
    function trend(x, y, categorical) {
      const distinct = [...new Set(x)].sort((a, b) => a - b);
      const bins = categorical || distinct.length <= 12 ? distinct : null;
      const [lo, hi] = extent(x), n = 10;
      const key = (v) => (bins ? bins.indexOf(v) : Math.min(n - 1, Math.floor(((v - lo) / (hi - lo || 1)) * n)));
      const count = bins ? bins.length : n;
      const sx = new Array(count).fill(0), sy = new Array(count).fill(0), c = new Array(count).fill(0);
      x.forEach((v, i) => { const k = key(v); sx[k] += v; sy[k] += y[i]; c[k] += 1; });
      const out = [];
      for (let k = 0; k < count; ++k) if (c[k] > 0) out.push([sx[k] / c[k], sy[k] / c[k]]);
      return out;
    }
    function scatterOption(k) {
      const p = P[k], x = D.values.x[k], y = yOf(state.output);
      const data = x.map((v, i) => [v, y[i]]);
      const labels = p.categorical ? p.labels : null;
      return {
        animation: false,
        grid: { left: 52, right: 16, top: 24, bottom: labels && labels.length > 3 ? 58 : 28 },
        xAxis: labels ? { type: 'category', data: labels, axisLabel: { interval: 0, fontSize: 11, rotate: labels.length > 3 ? 20 : 0 } }
          : { type: 'value', scale: true, axisLabel: { hideOverlap: true } },
        yAxis: { type: 'value', scale: true, name: state.output, nameTextStyle: { align: 'left' } },
        tooltip: { confine: true, formatter: (d) => (labels ? labels[d.value[0]] : fmt(d.value[0])) + ' → ' + state.output + ' ' + fmt(d.value[1]) },
        series: [
          { type: 'scatter', name: 'points', data, symbolSize: 6, itemStyle: { color: COLORS.fan, opacity: 0.55 }, large: data.length > 2000 },
          { type: 'line', name: 'mean', data: trend(x, y, !!labels), showSymbol: false, lineStyle: { color: COLORS.B, width: 2.5 }, z: 4, tooltip: { show: false } },
        ],
      };
    }
    const scatterIds = P.map((p, k) => {
      const id = 'scatter-' + slug(p.path);
      addChart(scGrid, id, p.path, null, () => scatterOption(k), 'medium');
      return id;
    });
    function order() {
      const rows = byOutput.get(state.output) || [];
      for (const r of rows) scGrid.append(charts.get(scatterIds[paramIndex.get(r.parameter)]).figure);
    }
    function setOutput(o) {
      state.output = o;
      choice.value = o;
      order();
      for (const id of scatterIds) redraw(id);
      for (const id of scatterIds) { const c = charts.get(id); if (c.chart) c.chart.resize(); }
    }
    choice.addEventListener('change', () => setOutput(choice.value));
    order();
    API.setOutput = setOutput;

    // --- the distribution of each output ---------------------------------------------------
    const hi = section('distributions', 'Output distributions',
      'How each output is spread over the ' + W.points + ' design points (each the mean of its runs): the range of outcomes the parameters\' ranges produce.' + thinned);
    const hiGrid = el('div', { class: 'grid' });
    hi.append(hiGrid);
    function histogram(y) {
      const [lo, top] = extent(y);
      const n = Math.max(5, Math.min(30, Math.ceil(Math.sqrt(y.length))));
      const w = (top - lo) / n || 1;
      const counts = new Array(n).fill(0);
      for (const v of y) counts[Math.min(n - 1, Math.floor((v - lo) / w))] += 1;
      return counts.map((c, k) => [lo + (k + 0.5) * w, c, lo + k * w, lo + (k + 1) * w]);
    }
    D.outputs.forEach((o, j) => {
      addChart(hiGrid, 'histogram-' + slug(o.name), o.name, 'points per bin', () => {
        const bins = histogram(D.values.y[j]);
        return {
          animation: false,
          grid: { left: 44, right: 16, top: 14, bottom: 30 },
          xAxis: { type: 'value', scale: true, axisLabel: { hideOverlap: true } },
          yAxis: { type: 'value', minInterval: 1 },
          tooltip: { confine: true, formatter: (d) => fmt(d.value[2]) + ' … ' + fmt(d.value[3]) + ': ' + d.value[1] + ' points' },
          series: [{ type: 'bar', name: 'points', data: bins, barWidth: '92%', itemStyle: { color: PALETTE[j % PALETTE.length] }, encode: { x: 0, y: 1 } }],
        };
      });
    });

    // --- what the test reads: the values the charts show ---------------------------------
    API.shown = {
      // What the bars and whiskers of `output` show for `parameter`.
      index(output, parameter) {
        const o = draw('sensitivity-' + slug(output)).getOption();
        const k = o.yAxis[0].data.indexOf(parameter);
        const bar = (name) => o.series.find((s) => s.name === name).data[k];
        const wh = (name) => { const d = o.series.find((s) => s.name === name + ' 95%').data[k]; return { low: d[0], high: d[1] }; };
        const at = (name) => ({ value: bar(name), ...wh(name) });
        if (A.method === 'morris') return { ...at('μ* (scaled)'), sigma: bar('σ (scaled)') };
        if (A.method === 'sobol') return { ...at('total'), first: at('first order') };
        return at('SRC');
      },
      // The points of the scatter of `parameter` (for the chosen output).
      scatter(parameter) { return draw('scatter-' + slug(parameter)).getOption().series[0].data; },
    };
  };
})();
