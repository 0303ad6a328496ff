// entente report, the view of a compare directory: header (the base and every
// branch, their scenario texts), the paired differences at a step ranked per
// branch with their 90 % intervals, the difference of one observable over
// time with its bands, and the categorical shares (blocs, regimes) that
// changed at the step.
(function () {
  'use strict';
  const API = window.ententeReport;
  const { el, appendAll, fmt, pct, addChart, section, facts, draw, redraw, charts, band, COLORS, PALETTE } = API.util;
  const TOP = 15;

  API.views.compare = function ({ D, header }) {
    const m = D.manifest || {};
    const T = D.steps;
    const base = D.inputs[0];
    const branches = D.inputs.slice(1);
    const O = D.observables;
    const labels = Array.from({ length: T + 1 }, (_, t) => (D.dates ? D.dates[t] : String(t)));
    const stepText = (t) => (D.dates ? D.dates[t] + ' (step ' + t + ')' : 'step ' + t);
    const slug = (s) => s.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase();
    // Inputs may share a name: then their file tells them apart.
    const dup = (name) => D.inputs.filter((x) => x.name === name).length > 1;
    // A share of paired runs as the terminal prints it: strictly between 0
    // and 1 never reads 0 % or 100 %.
    const sharePct = (v) => (v > 0 && v < 1 ? Math.min(99, Math.max(1, Math.round(v * 100))) : Math.round(v * 100)) + ' %';
    const label = (x) => (dup(x.name) ? x.name + ' (' + x.source + ')' : x.name);
    const ids = branches.map((b, k) => slug(b.name) + (dup(b.name) ? '-' + (k + 1) : '') || 'input-' + (k + 1));
    const branchOf = (name) => {
      const k = branches.findIndex((b) => b.name === name || label(b) === name);
      if (k < 0) throw new Error('no branch ' + name);
      return k;
    };
    const state = { step: T, all: false, observable: null };
    API.state = state;

    // --- header -------------------------------------------------------------------
    const table = (head, rows) => el('table', { class: 'events' },
      el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { text: h })))),
      el('tbody', {}, ...rows.map((r) => el('tr', {}, ...r.map((c) => el('td', {}, c))))));
    appendAll(header, 
      el('h1', { text: D.title }),
      el('p', { class: 'lead', text: 'Each branch against ' + base.name + ', run by run. Run r of every scenario uses the same random numbers, ' +
        'so the paired difference shows what the scenarios\' differences do, with little of the noise they share.' }),
      table(['', 'scenario', 'file', 'description'], D.inputs.map((x, k) => [
        k === 0 ? 'base' : 'branch ' + k, el('b', { text: x.name }), el('code', { text: x.source }), x.description || '–'])),
      facts([
        ['seed', m.seed], ['paired runs', D.runs], ['steps', T + (m.step_unit ? ' × ' + m.step_unit : '')],
        ['period', D.dates ? D.dates[0] + ' → ' + D.dates[T] : null],
        ['engine', m.version ? 'entente ' + m.version : null],
      ]),
      ...D.inputs.map((x, k) => el('details', {}, el('summary', { text: (k === 0 ? 'The base' : 'Branch ' + k) + ', ' + label(x) + ': the scenario (resolved)' }),
        el('pre', { class: 'scenario-text', text: x.text === null ? '(this compare directory does not record the scenario text; rerun `entente compare` to add it)' : x.text }))),
      el('details', {}, el('summary', { text: 'How it was compared' }),
        el('pre', { text: [(m.command || []).join(' '), '', m.seeding || '', m.interval || ''].join('\n') })),
      el('p', { class: 'help' },
        'The engine explores the consequences of stated assumptions; it does not forecast. A difference is branch minus base, averaged over the ' +
        D.runs + ' paired runs; whiskers and the dark band give its 90 % confidence interval, the light band the middle 90 % of the per-run differences.'));

    // --- what moved: per branch, the largest changes first ---------------------------------
    const movedSec = section('moved', 'What moved',
      'For each branch, the relations and positions whose difference from ' + base.name + ' changed most from ' + stepText(0) + ' to ' +
      stepText(T) + ': the mean of each scenario at both ends, and the paired difference at the end with the band that holds the middle 90 % ' +
      'of the per-run differences (5–95 %). The full charts follow.');
    const signed = (v) => (v > 0 ? '+' : '') + fmt(v);
    branches.forEach((b, k) => {
      movedSec.append(el('h3', { text: label(b) + ' against ' + base.name }));
      for (const [key, what] of [['relations', 'relation'], ['positions', 'position']]) {
        const list = D.moved[k][key];
        if (list.length === 0) { movedSec.append(el('p', { class: 'help', text: 'No ' + what + ' differs more at the end than at the start.' })); continue; }
        movedSec.append(el('table', { class: 'events moved', id: 'moved-' + key + '-' + (k + 1) },
          el('thead', {}, el('tr', {}, el('th', { text: what }), el('th', { text: base.name + ': ' + stepText(0) + ' → ' + stepText(T) }),
            el('th', { text: b.name + ': ' + stepText(0) + ' → ' + stepText(T) }), el('th', { text: 'difference at the end (5–95 % of runs)' }))),
          el('tbody', {}, ...list.map((m) => el('tr', {}, el('td', {}, el('b', { text: m.name })),
            el('td', { class: 'num', text: fmt(m.base[0]) + ' → ' + fmt(m.base[1]) }),
            el('td', { class: 'num', text: fmt(m.other[0]) + ' → ' + fmt(m.other[1]) }),
            el('td', { class: 'num', text: signed(m.difference[1]) + ' (' + fmt(m.band[0]) + ' … ' + fmt(m.band[1]) + ')' }))))));
      }
    });

    // --- differences at a step, ranked per branch ----------------------------------------
    const at = section('ranked', 'Differences at a step',
      'For each branch, the observables it moves most at the chosen step: the bar is the mean paired difference (blue up, red down), ' +
      'the whisker its 90 % confidence interval. All charts share one scale.');
    const sliders = [];
    function stepControls(parent, withToggle) {
      const slider = el('input', { type: 'range', min: 0, max: T, step: 1, value: T, 'aria-label': 'step', class: 'step-slider' });
      const out = el('output', { text: stepText(T) });
      slider.addEventListener('input', () => setStep(+slider.value));
      sliders.push([slider, out]);
      const box = el('div', { class: 'controls' }, el('label', { text: 'Step' }), slider, out);
      if (withToggle) {
        const all = el('input', { type: 'checkbox', id: 'show-all' });
        all.addEventListener('change', () => showAll(all.checked));
        box.append(el('label', {}, all, ' show every observable (else the top ' + TOP + ')'));
      }
      parent.append(box);
    }
    stepControls(at, true);
    const rankGrid = el('div', { class: 'grid wide' });
    at.append(rankGrid);
    // The observables a branch's chart shows at the step, largest |difference| first.
    function ranked(k, t) {
      const d = D.differences[k];
      const order = O.map((_, o) => o).sort((a, b) => Math.abs(d[b].difference[t]) - Math.abs(d[a].difference[t]) || a - b);
      return state.all ? order : order.slice(0, TOP);
    }
    function niceCeil(v) {
      if (!(v > 0)) return 0.1;
      const p = Math.pow(10, Math.floor(Math.log10(v)));
      for (const f of [1, 2, 3, 4, 5, 6, 8, 10]) if (f * p >= v * 1.02) return +(f * p).toPrecision(12);
      return +(10 * p).toPrecision(12);
    }
    function scale(t) {  // one symmetric scale for every branch at the step
      let top = 0;
      branches.forEach((_, k) => { for (const o of ranked(k, t)) { const d = D.differences[k][o]; top = Math.max(top, Math.abs(d.ci05[t]), Math.abs(d.ci95[t]), Math.abs(d.difference[t])); } });
      return niceCeil(top);
    }
    const tick = (v) => String(+v.toPrecision(10));  // 0.15, not 0.15000000000000002
    const rows = () => (state.all ? O.length : Math.min(TOP, O.length));
    const rankHeight = () => Math.max(300, 40 + 26 * rows());
    function rankedOption(k) {
      const t = state.step;
      const d = D.differences[k];
      const order = ranked(k, t);
      const M = scale(t);
      const none = order.every((o) => d[o].difference[t] === 0 && d[o].ci05[t] === 0 && d[o].ci95[t] === 0);
      return {
        animation: false,
        graphic: none ? [{ type: 'text', right: 24, top: 6, style: { text: 'no difference from ' + base.name + ' at this step', fontSize: 15, fill: '#5f6b73' } }] : [],
        grid: { left: 8, right: 24, top: none ? 36 : 10, bottom: 28, containLabel: true },
        xAxis: { type: 'value', min: -M, max: M, interval: M / 2, axisLabel: { fontSize: 13, formatter: tick }, splitLine: { lineStyle: { color: '#e4e4e4' } } },
        yAxis: { type: 'category', inverse: true, data: order.map((o) => O[o]), axisLabel: { fontSize: 13, color: '#222' }, axisTick: { show: false } },
        tooltip: { trigger: 'item', confine: true, formatter(p) {
          const o = order[p.dataIndex];
          const x = d[o];
          return '<b>' + O[o] + '</b> at ' + stepText(t) + '<br>' + base.name + ': ' + fmt(x.base_mean[t]) + ', ' + branches[k].name + ': ' + fmt(x.mean[t]) +
            '<br>difference <b>' + fmt(x.difference[t]) + '</b>, 90% CI ' + fmt(x.ci05[t]) + ' … ' + fmt(x.ci95[t]) +
            '<br>runs: 5–95% ' + fmt(x.p05[t]) + ' … ' + fmt(x.p95[t]) + ', positive in ' + sharePct(x.p_positive[t]) + ' of ' + D.runs + ' paired runs';
        } },
        series: [
          { type: 'bar', name: 'difference', barCategoryGap: '30%',
            data: order.map((o) => ({ value: d[o].difference[t], p_positive: d[o].p_positive[t], itemStyle: { color: d[o].difference[t] >= 0 ? COLORS.pos : COLORS.neg } })),
            markLine: { symbol: 'none', silent: true, animation: false, label: { show: false }, lineStyle: { color: '#333', type: 'solid', width: 1 }, data: [{ xAxis: 0 }] } },
          { type: 'custom', name: '90% interval', z: 5, encode: { x: [0, 1], y: 2 },
            data: order.map((o, row) => [d[o].ci05[t], d[o].ci95[t], row]),
            renderItem(params, api) {
              const lo = api.coord([api.value(0), api.value(2)]), hi = api.coord([api.value(1), api.value(2)]);
              const h = api.size([0, 1])[1] * 0.22;
              const style = { stroke: '#1d2327', lineWidth: 1.6 };
              return { type: 'group', children: [
                { type: 'line', shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style },
                { type: 'line', shape: { x1: lo[0], y1: lo[1] - h, x2: lo[0], y2: lo[1] + h }, style },
                { type: 'line', shape: { x1: hi[0], y1: hi[1] - h, x2: hi[0], y2: hi[1] + h }, style },
              ] };
            } },
        ],
      };
    }
    branches.forEach((b, k) => {
      const fig = addChart(rankGrid, 'ranked-' + ids[k], label(b) + ' − ' + base.name, 'at ' + stepText(T), () => rankedOption(k), 'big');
      fig.querySelector('.canvas').style.height = rankHeight() + 'px';
    });
    function showAll(on) {
      state.all = on;
      branches.forEach((_, k) => {
        const c = charts.get('ranked-' + ids[k]);
        c.canvas.style.height = rankHeight() + 'px';
        if (c.chart) { c.chart.resize(); redraw('ranked-' + ids[k]); }
      });
      if (S.length > 0) { fitShares(); redraw('shares'); }
    }

    // --- one observable over time ----------------------------------------------------------
    const ot = section('over-time', 'Difference over time',
      'The mean paired difference of one observable at every step (the line), its 90 % confidence interval (dark band) and the middle 90 % of the ' +
      'per-run differences (light band). The dashed line marks the step chosen above.');
    // Default: what the first branch moves most at the last step.
    state.observable = ranked(0, T)[0];
    const choice = el('select', { id: 'observable', 'aria-label': 'observable' }, ...O.map((name, o) => el('option', { value: o, text: name })));
    choice.value = String(state.observable);
    choice.addEventListener('change', () => setObservable(+choice.value));
    ot.append(el('div', { class: 'controls' }, el('label', { text: 'Observable' }), choice));
    const timeGrid = el('div', { class: 'grid wide' });
    ot.append(timeGrid);
    function timeRange() {  // one y scale for every branch
      let lo = 0, hi = 0;
      for (const d of D.differences) for (let t = 0; t <= T; ++t) {
        const x = d[state.observable];
        lo = Math.min(lo, x.p05[t], x.ci05[t]); hi = Math.max(hi, x.p95[t], x.ci95[t]);
      }
      const M = niceCeil(Math.max(-lo, hi));
      return [lo < 0 ? -M : 0, hi > 0 ? M : 0.1, M / 2];
    }
    function timeOption(k) {
      const x = D.differences[k][state.observable];
      const color = PALETTE[k % PALETTE.length];
      const [lo, hi, interval] = timeRange();
      return {
        animation: false,
        grid: { left: 52, right: 16, top: 16, bottom: 28 },
        xAxis: { type: 'category', data: labels, boundaryGap: false, axisLabel: { hideOverlap: true, fontSize: 12 } },
        yAxis: { type: 'value', min: lo, max: hi, interval, axisLabel: { fontSize: 12, formatter: tick } },
        tooltip: { trigger: 'axis', confine: true, formatter(ps) {
          const t = ps[0].dataIndex;
          return O[state.observable] + ' at ' + stepText(t) + '<br>difference <b>' + fmt(x.difference[t]) + '</b><br>90% CI: ' + fmt(x.ci05[t]) + ' … ' + fmt(x.ci95[t]) +
            '<br>runs 5–95%: ' + fmt(x.p05[t]) + ' … ' + fmt(x.p95[t]) + '<br>positive in ' + sharePct(x.p_positive[t]) + ' of ' + D.runs + ' paired runs';
        } },
        series: [
          band(x.p05, x.p95, 'runs 5–95%', color, 0.16),
          band(x.ci05, x.ci95, '90% interval', color, 0.4),
          { type: 'line', name: 'difference', data: x.difference, showSymbol: false, z: 3, lineStyle: { width: 2.5, color }, itemStyle: { color },
            markLine: { symbol: 'none', silent: true, animation: false, label: { show: false },
              data: [{ yAxis: 0, lineStyle: { color: '#333', type: 'solid', width: 1 } }, { xAxis: state.step, lineStyle: { color: COLORS.mark, type: 'dashed', width: 1 } }] } },
        ],
      };
    }
    branches.forEach((b, k) => addChart(timeGrid, 'over-time-' + ids[k], label(b) + ' − ' + base.name, O[state.observable], () => timeOption(k), 'medium'));
    function setObservable(o) {
      state.observable = o;
      choice.value = String(o);
      branches.forEach((_, k) => { caption('over-time-' + ids[k], O[o]); redraw('over-time-' + ids[k]); });
    }
    // The chart's subtitle, on the page and in its export.
    function caption(id, sub) {
      const c = charts.get(id);
      c.figure.querySelector('.sub').textContent = ' ' + sub;
      c.title = c.figure.querySelector('.title').firstChild.textContent + ' — ' + sub;
    }

    // --- categorical shares at the step ------------------------------------------------------
    const S = D.shares;
    const shareNote = el('p', { class: 'legend-note' });
    // The (observable, value) rows the chart shows at the step: those whose share changed in
    // some branch, largest change first; every row when nothing changed.
    function shareRows(t) {
      const list = [];
      S.forEach((s, i) => s.values.forEach((v, c) => {
        const change = Math.max(...branches.map((_, k) => Math.abs(s.change[k][c][t])));
        list.push({ i, c, name: s.observable + ' = ' + v, change });
      }));
      const changed = list.filter((r) => r.change > 0).sort((a, b) => b.change - a.change);
      const shown = changed.length > 0 ? changed : list;
      return { changed: changed.length, rows: state.all ? shown : shown.slice(0, TOP) };
    }
    function sharesOption() {
      const t = state.step;
      const { rows: list } = shareRows(t);
      const inputs = [{ name: base.name, color: '#8a8f94', of: (r) => S[r.i].base[r.c][t] }]
        .concat(branches.map((b, k) => ({ name: label(b), color: PALETTE[k % PALETTE.length], of: (r) => S[r.i].share[k][r.c][t] })));
      return {
        animation: false,
        grid: { left: 8, right: 52, top: 10, bottom: 40, containLabel: true },
        legend: { bottom: 0, textStyle: { fontSize: 13 } },
        xAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: (v) => pct(v), fontSize: 12 } },
        yAxis: { type: 'category', inverse: true, data: list.map((r) => r.name), axisLabel: { fontSize: 13, color: '#222' }, axisTick: { show: false } },
        tooltip: { trigger: 'axis', confine: true, axisPointer: { type: 'shadow' }, valueFormatter: (v) => pct(v) + ' of runs' },
        series: inputs.map((x) => ({ type: 'bar', name: x.name, color: x.color, data: list.map(x.of), barGap: '10%', barCategoryGap: '30%',
          barMaxWidth: 22, label: { show: true, position: 'right', fontSize: 12, color: '#333', formatter: (p) => pct(p.value) } })),
      };
    }
    if (S.length > 0) {
      const sh = section('shares', 'Blocs and regimes at the step',
        'The share of runs in each bloc or regime option, in the base and in every branch, for the values whose share a branch changed at the step.');
      stepControls(sh, false);
      sh.append(shareNote);
      addChart(sh, 'shares', 'Shares of runs', 'base and branches at ' + stepText(T), sharesOption, 'big');
      fitShares();
    }
    // The shares chart grows with its rows: each row holds a bar per input.
    function fitShares() {
      if (S.length === 0) return;
      const c = charts.get('shares');
      const height = Math.max(240, 80 + ((branches.length + 1) * 17 + 16) * shareRows(state.step).rows.length);
      if (c.canvas.style.height !== height + 'px') {
        c.canvas.style.height = height + 'px';
        if (c.chart) c.chart.resize();
      }
    }
    function updateShareNote() {
      const n = S.length > 0 ? shareRows(state.step).changed : 0;
      shareNote.textContent = n > 0 ? n + ' values changed at ' + stepText(state.step) + '.' : 'No share changed at ' + stepText(state.step) + ': every value is shown.';
    }
    updateShareNote();

    function setStep(t) {
      state.step = Math.max(0, Math.min(T, Math.round(t)));
      for (const [slider, out] of sliders) { slider.value = String(state.step); out.textContent = stepText(state.step); }
      branches.forEach((_, k) => {
        caption('ranked-' + ids[k], 'at ' + stepText(state.step));
        redraw('ranked-' + ids[k]);
        redraw('over-time-' + ids[k]);
      });
      if (S.length > 0) caption('shares', 'base and branches at ' + stepText(state.step));
      if (S.length > 0) { fitShares(); redraw('shares'); updateShareNote(); }
    }
    API.setStep = setStep;
    API.setObservable = (name) => setObservable(O.indexOf(name));
    API.showAll = showAll;

    // --- what the test reads: the values the charts show ------------------------------------
    const option = (id) => draw(id).getOption();
    API.shown = {
      // The observables the ranked chart of a branch shows, in order.
      ranked(scenario) { return option('ranked-' + ids[branchOf(scenario)]).yAxis[0].data; },
      // The bar and whisker of an observable at step t (undefined when not among those shown).
      difference(scenario, observable, t) {
        if (t !== undefined && t !== state.step) setStep(t);
        const o = option('ranked-' + ids[branchOf(scenario)]);
        const row = o.yAxis[0].data.indexOf(observable);
        if (row < 0) return undefined;
        const bar = o.series[0].data[row], whisker = o.series[1].data[row];
        return { difference: bar.value, ci05: whisker[0], ci95: whisker[1], p_positive: bar.p_positive };
      },
      // The line and bands of the chosen observable at step t.
      overTime(scenario, t) {
        const s = option('over-time-' + ids[branchOf(scenario)]).series;
        const get = (name) => s.find((x) => x.name === name).data[t];
        return { difference: get('difference'), ci05: get('90% interval')[1], ci95: get('90% interval')[2], p05: get('runs 5–95%')[1], p95: get('runs 5–95%')[2] };
      },
      // The base's and a branch's share of `observable = value` at step t (undefined when not shown).
      share(scenario, observable, value, t) {
        if (t !== undefined && t !== state.step) setStep(t);
        const o = option('shares');
        const row = o.yAxis[0].data.indexOf(observable + ' = ' + value);
        if (row < 0) return undefined;
        return { base_share: o.series[0].data[row], share: o.series[1 + branchOf(scenario)].data[row] };
      },
    };
  };
})();
