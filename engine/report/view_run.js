// entente report, the view of a run directory: header, trajectories (fan
// charts with event marks), relations at a step (heatmap + network with a
// slider), blocs, issues and drivers.
(function () {
  'use strict';
  const API = window.ententeReport;
  const { el, appendAll, fmt, pct, addChart, section, facts, draw, redraw, charts, band, COLORS, PALETTE } = API.util;

  API.views.run = function ({ D, header }) {
    const S = D.scenario;
    const N = S.actors.length;
    const K = S.axes.length;
    const T = D.steps;
    const labels = Array.from({ length: T + 1 }, (_, t) => (D.dates ? D.dates[t] : String(t)));
    const stepText = (t) => (D.dates ? D.dates[t] + ' (step ' + t + ')' : 'step ' + t);
    const actorIndex = new Map(S.actors.map((a, i) => [a.id, i]));
    const pair = (i, j) => i * (N - 1) + (j < i ? j : j - 1);
    const relation = (i, j) => D.relations[pair(i, j)];
    const state = { step: T };
    API.state = state;

    // --- header -------------------------------------------------------------------
    const m = D.manifest || {};
    appendAll(header, 
      el('h1', { text: S.name }),
      S.description ? el('p', { class: 'lead', text: S.description }) : null,
      facts([
        ['seed', m.seed], ['runs', D.runs], ['steps', T + ' × ' + S.step_unit],
        ['period', D.dates ? D.dates[0] + ' → ' + D.dates[T] : null],
        ['engine', m.version ? 'entente ' + m.version : null],
        ['run on', m.finished ? m.finished.replace('T', ' ').replace(/:\d\dZ$/, ' UTC') : null],
      ]),
      el('details', {}, el('summary', { text: 'The scenario (resolved: extends and overrides applied, defaults written out)' }),
        el('pre', { id: 'scenario-text', text: S.text })),
      el('details', {}, el('summary', { text: 'How it was run' }),
        el('pre', { text: [(m.command || []).join(' '), '', ...(m.inputs || []).map((f) => f.path + '  sha256 ' + f.sha256), '', m.seeding || ''].join('\n') })),
      el('p', { class: 'help' },
        'The engine explores the consequences of stated assumptions; it does not forecast. Bands show the spread over the ' +
        D.runs + ' runs of the ensemble: the line is the median, the dark band holds the middle 50 % of the runs, the light band 90 %.'));

    // --- event marks -----------------------------------------------------------------
    // Each event once, at the step where most runs fired it, numbered as in the table.
    const marks = D.events.map((e, k) => {
      let best = e.fired[0];
      for (const f of e.fired) if (f[1] > best[1]) best = f;
      return { n: k + 1, step: best[0], name: e.name, share: best[1], label: String(k + 1) };
    });
    // Numbers of events close together share one label ("3,4"), so they stay legible.
    const byStep = [...marks].sort((a, b) => a.step - b.step || a.n - b.n);
    for (let k = 1, head = byStep[0]; k < byStep.length; ++k) {
      if (byStep[k].step - head.step < Math.max(1, T / 24)) { head.label += ',' + byStep[k].n; byStep[k].label = ''; }
      else head = byStep[k];
    }
    const markLine = () => marks.length === 0 ? undefined : {
      symbol: 'none', silent: false, animation: false,
      lineStyle: { type: 'dashed', color: COLORS.mark, width: 1 },
      label: { formatter: (p) => p.data.text, position: 'end', color: '#444', fontSize: 10 },
      tooltip: { formatter: (p) => p.data.n + '. ' + p.data.label + ' — ' + stepText(p.data.step) },
      data: marks.map((k) => ({ xAxis: k.step, n: k.n, text: k.label, label: k.name, step: k.step })),
    };
    const xAxis = () => ({ type: 'category', data: labels, boundaryGap: false, axisLabel: { hideOverlap: true } });

    // --- fan charts --------------------------------------------------------------------
    // `series` is {mean, sd, q: [p05, p25, p50, p75, p95]} per step.
    function fanOption(series, bounded) {
      const q = series.q;
      return {
        animation: false,
        grid: { left: 42, right: 16, top: 20, bottom: 24 },
        xAxis: xAxis(),
        yAxis: bounded ? { type: 'value', min: -1, max: 1, interval: 0.5 } : { type: 'value', scale: true },
        tooltip: {
          trigger: 'axis', confine: true,
          formatter(ps) {
            const t = ps[0].dataIndex;
            return stepText(t) + '<br>median <b>' + fmt(q[2][t]) + '</b><br>25–75%: ' + fmt(q[1][t]) + ' … ' + fmt(q[3][t]) +
              '<br>5–95%: ' + fmt(q[0][t]) + ' … ' + fmt(q[4][t]);
          },
        },
        series: [
          band(q[0], q[4], '5–95%', COLORS.fan, 0.16),
          band(q[1], q[3], '25–75%', COLORS.fan, 0.32),
          { type: 'line', name: 'median', data: q[2], showSymbol: false, z: 3, lineStyle: { width: 2.5, color: COLORS.fan }, itemStyle: { color: COLORS.fan }, markLine: markLine() },
        ],
      };
    }

    // --- what moved: the largest changes first, before the full grids --------------------
    const movedSec = section('moved', 'What moved',
      'The relations and positions whose median over the runs changed most from ' + stepText(0) + ' to ' + stepText(T) +
      ', with the band that holds the middle 90 % of the runs (5–95 %) at each end. The full charts follow.');
    const bandText = (v) => fmt(v[1]) + ' (' + fmt(v[0]) + ' … ' + fmt(v[2]) + ')';
    const movedTable = (id, what, list) => {
      if (list.length === 0) return el('p', { id, class: 'help', text: 'No ' + what + ' changed its median.' });
      return el('table', { class: 'events moved', id },
        el('thead', {}, el('tr', {}, el('th', { text: what }), el('th', { text: stepText(0) + ': median (5–95 %)' }),
          el('th', { text: stepText(T) + ': median (5–95 %)' }), el('th', { text: 'change of the median' }))),
        el('tbody', {}, ...list.map((m) => el('tr', {}, el('td', {}, el('b', { text: m.name })),
          el('td', { class: 'num', text: bandText(m.start) }), el('td', { class: 'num', text: bandText(m.end) }),
          el('td', { class: 'num', text: (m.change > 0 ? '+' : '') + fmt(m.change) })))));
    };
    movedSec.append(el('h3', { text: 'Relations' }), movedTable('moved-relations', 'relation', D.moved.relations),
      el('h3', { text: 'Positions' }), movedTable('moved-positions', 'position', D.moved.positions));

    // --- trajectories ----------------------------------------------------------------
    const traj = section('trajectories', 'Trajectories',
      'Every actor\'s position on each axis, and the relations the scenario follows, over the ensemble. ' +
      'Dashed lines are events (numbered as in the table below).');
    for (let a = 0; a < K; ++a) {
      const axis = S.axes[a];
      traj.append(el('h3', { text: 'Positions on ' + axis.id + (axis.low || axis.high ? ' (−1 ' + axis.low + ' … +1 ' + axis.high + ')' : '') }));
      const grid = el('div', { class: 'grid' });
      traj.append(grid);
      for (let i = 0; i < N; ++i) {
        const actor = S.actors[i];
        addChart(grid, 'position-' + actor.id + '-' + axis.id, actor.id + (actor.name && actor.name !== actor.id ? ' ' + actor.name : ''),
          axis.id, () => fanOption(D.positions[i * K + a], true));
      }
    }
    // The scenario's own observables: relations first, then the others;
    // positions are shown above already.
    const parsed = D.observables.map((o, k) => {
      const m2 = /^(\w+)\((.*)\)$/.exec(o.name);
      return { k, o, kind: m2 ? m2[1] : o.name, args: m2 ? m2[2].split(',') : [] };
    });
    traj.append(el('h3', { text: 'Relations' }));
    const relGrid = el('div', { class: 'grid' });
    traj.append(relGrid);
    const shownPairs = new Set();
    function addRelation(i, j, series) {
      const id = 'affinity-' + S.actors[i].id + '-' + S.actors[j].id;
      if (charts.has(id)) return id;
      shownPairs.add(pair(i, j));
      addChart(relGrid, id, 'affinity(' + S.actors[i].id + ',' + S.actors[j].id + ')', S.actors[i].id + ' toward ' + S.actors[j].id,
        () => fanOption(series || relation(i, j), true));
      return id;
    }
    for (const p of parsed) {
      if (p.kind === 'affinity') addRelation(actorIndex.get(p.args[0]), actorIndex.get(p.args[1]), p.o.stats);
    }
    const fromSel = el('select', { 'aria-label': 'from' }, ...S.actors.map((a, i) => el('option', { value: i, text: a.id })));
    const toSel = el('select', { 'aria-label': 'to' }, ...S.actors.map((a, i) => el('option', { value: i, text: a.id })));
    toSel.value = N > 1 ? '1' : '0';
    traj.append(el('div', { class: 'controls' }, el('label', { text: 'Show another relation:' }), fromSel, el('span', { text: 'toward' }), toSel,
      el('button', { class: 'export', type: 'button', text: 'Add chart', onclick() {
        const i = +fromSel.value, j = +toSel.value;
        if (i !== j) draw(addRelation(i, j));
      } })));
    const others = parsed.filter((p) => p.kind !== 'affinity' && p.kind !== 'position');
    if (others.length > 0) {
      traj.append(el('h3', { text: 'Other observables' }));
      const grid = el('div', { class: 'grid' });
      traj.append(grid);
      for (const p of others) {
        const bounded = p.kind === 'membership' || p.kind === 'interdependence';
        addChart(grid, 'observable-' + p.o.name.replace(/[^A-Za-z0-9]+/g, '-').replace(/-$/, ''), p.o.name, null,
          () => { const o = fanOption(p.o.stats, false); if (bounded) { o.yAxis = { type: 'value', min: 0, max: 1 }; } return o; });
      }
    }
    // Events table.
    if (D.events.length > 0) {
      traj.append(el('h3', { text: 'Events' }));
      const rows = D.events.map((e, k) => {
        const when = e.fired.length === 1 ? stepText(e.fired[0][0])
          : e.fired.length <= 4 ? e.fired.map((f) => stepText(f[0]) + ' ' + pct(f[1])).join(', ')
            : 'steps ' + e.fired[0][0] + '–' + e.fired[e.fired.length - 1][0];
        const total = e.fired.reduce((s, f) => s + f[1], 0);
        return el('tr', {}, el('td', { class: 'num', text: String(k + 1) }), el('td', { class: 'num', text: when }),
          el('td', {}, el('b', { text: e.name }), e.description ? el('div', { class: 'detail', text: e.description }) : null,
            el('div', { class: 'detail', text: (e.when ? 'when ' + e.when + ': ' : '') + e.detail })),
          el('td', { class: 'num', text: total > 1 ? (total).toFixed(2) + ' firings per run' : pct(total) + ' of runs' }));
      });
      traj.append(el('table', { class: 'events' },
        el('thead', {}, el('tr', {}, el('th', { text: '#' }), el('th', { text: 'when' }), el('th', { text: 'event and what it did' }), el('th', { text: 'runs' }))),
        el('tbody', {}, ...rows)));
    }

    // --- relations at a step: heatmap and network ------------------------------------
    const rel = section('relations', 'Relations at a step',
      'The median affinity of every ordered pair over the runs (row toward column), and the network of the actors: ' +
      'an edge is the mean of both directions, blue for friendly, red for hostile, wider when stronger. ' +
      (D.blocs ? 'Actors are grouped by the bloc most runs put them in at that step.' : ''));
    const slider = el('input', { type: 'range', min: 0, max: T, step: 1, value: T, id: 'step-slider', 'aria-label': 'step' });
    const out = el('output', { for: 'step-slider', id: 'step-label', text: stepText(T) });
    rel.append(el('div', { class: 'controls' }, el('label', { for: 'step-slider', text: 'Step' }), slider, out));
    const relGrid2 = el('div', { class: 'grid wide' });
    rel.append(relGrid2);
    function heatmapOption() {
      const t = state.step;
      const data = [];
      for (let i = 0; i < N; ++i) for (let j = 0; j < N; ++j) if (i !== j) data.push([j, i, relation(i, j).q[2][t]]);
      const ids = S.actors.map((a) => a.id);
      return {
        animation: false,
        grid: { left: 56, right: 70, top: 10, bottom: 40 },
        xAxis: { type: 'category', data: ids, position: 'bottom', name: 'toward', nameLocation: 'middle', nameGap: 26, splitArea: { show: true } },
        yAxis: { type: 'category', data: ids, inverse: true, splitArea: { show: true } },
        visualMap: { min: -1, max: 1, calculable: false, orient: 'vertical', right: 0, top: 'middle', itemHeight: 180,
          text: ['+1', '−1'], inRange: { color: ['#b2182b', '#ef8a62', '#fddbc7', '#f7f7f7', '#d1e5f0', '#67a9cf', '#2166ac'] } },
        tooltip: { confine: true, formatter: (p) => ids[p.value[1]] + ' toward ' + ids[p.value[0]] + ' at ' + stepText(t) + ': median <b>' + fmt(p.value[2]) + '</b>' },
        series: [{ type: 'heatmap', name: 'median affinity', data, progressive: 0, label: { show: N <= 12, formatter: (p) => fmt(p.value[2], 2), fontSize: N <= 8 ? 13 : 10 },
          emphasis: { itemStyle: { borderColor: '#000', borderWidth: 1 } } }],
      };
    }
    function inB(i, t) { return D.blocs ? D.blocs[i][t] > 0.5 : false; }
    function networkOption() {
      const t = state.step;
      const totalPower = S.actors.reduce((s, a) => s + a.power, 0);
      const groups = [[], []];
      for (let i = 0; i < N; ++i) groups[inB(i, t) ? 1 : 0].push(i);
      const nodes = [];
      groups.forEach((g, b) => {
        const cx = D.blocs ? (b === 0 ? -1.3 : 1.3) : 0;
        g.forEach((i, k) => {
          const angle = g.length === 1 ? 0 : (2 * Math.PI * k) / g.length - Math.PI / 2;
          const r = g.length === 1 ? 0 : 1;
          const size = 30 + 40 * Math.sqrt(S.actors[i].power / totalPower);
          nodes.push({ id: S.actors[i].id, name: S.actors[i].id, x: cx + r * Math.cos(angle), y: r * Math.sin(angle), symbolSize: size,
            category: D.blocs ? b : 0, value: D.blocs ? 'bloc ' + (b ? 'B' : 'A') + ' in ' + pct(b ? D.blocs[i][t] : 1 - D.blocs[i][t]) + ' of runs' : '' });
        });
      });
      const links = [];
      for (let i = 0; i < N; ++i) {
        for (let j = i + 1; j < N; ++j) {
          const a = relation(i, j).q[2][t], b = relation(j, i).q[2][t];
          const s = (a + b) / 2;
          if (Math.abs(s) < 0.05) continue;
          links.push({ source: S.actors[i].id, target: S.actors[j].id, value: s, forward: a, backward: b,
            lineStyle: { color: s > 0 ? COLORS.pos : COLORS.neg, width: 1 + 8 * Math.abs(s), opacity: 0.35 + 0.55 * Math.abs(s), curveness: 0.08 } });
        }
      }
      const categories = D.blocs ? [{ name: 'bloc A', itemStyle: { color: COLORS.A } }, { name: 'bloc B', itemStyle: { color: COLORS.B } }]
        : [{ name: 'actors', itemStyle: { color: COLORS.fan } }];
      return {
        animation: false,
        legend: { data: categories.map((c) => c.name), bottom: 0 },
        tooltip: { confine: true, formatter(p) {
          if (p.dataType === 'edge') return p.data.source + ' → ' + p.data.target + ': ' + fmt(p.data.forward) + '<br>' + p.data.target + ' → ' + p.data.source + ': ' + fmt(p.data.backward);
          return p.data.name + (p.data.value ? ': ' + p.data.value : '');
        } },
        series: [{ type: 'graph', layout: 'none', roam: false, categories, data: nodes, links, left: 40, right: 40, top: 30, bottom: 40,
          label: { show: true, position: 'inside', fontWeight: 'bold', color: '#fff', textBorderColor: '#333', textBorderWidth: 2 },
          lineStyle: { curveness: 0.08 }, emphasis: { focus: 'adjacency' } }],
      };
    }
    addChart(relGrid2, 'heatmap', 'Affinity matrix', 'median over the runs, row toward column', heatmapOption, 'big');
    addChart(relGrid2, 'network', 'Network', D.blocs ? 'grouped by bloc' : null, networkOption, 'big');
    function setStep(t) {
      state.step = Math.max(0, Math.min(T, Math.round(t)));
      slider.value = String(state.step);
      out.textContent = stepText(state.step);
      redraw('heatmap');
      redraw('network');
    }
    slider.addEventListener('input', () => setStep(+slider.value));
    API.setStep = setStep;

    // --- blocs -------------------------------------------------------------------------
    if (D.blocs) {
      const bl = section('blocs', 'Blocs',
        'The bloc partition of landscape theory at every step: the colour says in which bloc the runs put each actor ' +
        '(bloc A holds ' + S.bloc_anchor + '), its strength in what share of the runs.');
      const ids = S.actors.map((a) => a.id);
      addChart(bl, 'blocs', 'Bloc of each actor', 'share of runs', () => {
        const data = [];
        for (let i = 0; i < N; ++i) for (let t = 0; t <= T; ++t) data.push([t, i, D.blocs[i][t]]);
        return {
          animation: false,
          grid: { left: 56, right: 20, top: 10, bottom: 70 },
          xAxis: { type: 'category', data: labels, axisLabel: { hideOverlap: true } },
          yAxis: { type: 'category', data: ids, inverse: true },
          visualMap: { min: 0, max: 1, orient: 'horizontal', left: 'center', bottom: 0, itemWidth: 14, itemHeight: 200, calculable: false,
            text: ['all runs in B', 'all runs in A'], inRange: { color: [COLORS.A, '#c9c9c9', COLORS.B] } },
          tooltip: { confine: true, formatter: (p) => ids[p.value[1]] + ' at ' + stepText(p.value[0]) + ': bloc A in ' + pct(1 - p.value[2]) + ', bloc B in ' + pct(p.value[2]) + ' of runs' },
          series: [{ type: 'heatmap', name: 'share in bloc B', data, progressive: 0, itemStyle: { borderColor: '#fff', borderWidth: 1 } }],
        };
      }, 'medium');
    }

    // --- issues ------------------------------------------------------------------------
    if (D.issues.length > 0) {
      const is = section('issues', 'Issues', 'The share of runs in which each option of an issue is in force.');
      const grid = el('div', { class: 'grid wide' });
      is.append(grid);
      for (const q of D.issues) {
        addChart(grid, 'issue-' + q.id, q.name || q.id, 'share of runs', () => ({
          animation: false,
          grid: { left: 44, right: 16, top: 12, bottom: 56 },
          legend: { bottom: 0, type: 'scroll', icon: 'rect' },
          xAxis: xAxis(),
          yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: (v) => pct(v) } },
          tooltip: { trigger: 'axis', confine: true, valueFormatter: (v) => pct(v) },
          series: q.options.map((o, k) => ({ type: 'line', name: o, stack: 'share', areaStyle: { opacity: 0.85 }, showSymbol: false, lineStyle: { width: 0 },
            color: PALETTE[k % PALETTE.length], data: q.shares[k], markLine: k === 0 ? markLine() : undefined })),
        }), 'medium');
      }
    }

    // --- drivers -----------------------------------------------------------------------
    // A chart of the mean contribution of each driver to one slot's change at
    // each step (stacked bars; the black line is their sum, the mean change),
    // with a list of the slots that have drivers. Returns a function that
    // shows a given slot.
    function driversChart(parent, id, title, drivers, slots, choices, selectId, label, preferred) {
      const withData = choices.filter((c) => Object.keys(slots[c.slot]).length > 0);
      const choice = el('select', { id: selectId, 'aria-label': label },
        ...withData.map((c) => el('option', { value: String(c.slot), text: c.text })));
      // Default: a slot the scenario follows, else the one that moved most.
      let best = null, bestScore = -1;
      for (const c of withData) {
        let score = 0;
        for (const k in slots[c.slot]) for (const v of slots[c.slot][k]) score += Math.abs(v);
        if (preferred(c.slot)) score += 1e6;
        if (score > bestScore) { best = c.slot; bestScore = score; }
      }
      const sel = { slot: best };
      if (best !== null) choice.value = String(best);
      parent.append(el('div', { class: 'controls' }, el('label', { text: label }), choice));
      addChart(parent, id, title, 'mean contribution per step', () => {
        if (sel.slot === null) return { series: [] };
        const parts = slots[sel.slot];
        const keys = Object.keys(parts).map(Number).sort((a, b) => a - b);
        const total = labels.map((_, t) => keys.reduce((s, k) => s + parts[k][t], 0));
        return {
          animation: false,
          grid: { left: 56, right: 16, top: 12, bottom: 64 },
          legend: { bottom: 0, type: 'scroll' },
          xAxis: { type: 'category', data: labels, axisLabel: { hideOverlap: true } },
          yAxis: { type: 'value', scale: true },
          tooltip: { trigger: 'axis', confine: true, valueFormatter: (v) => fmt(v, 4) },
          series: keys.map((k) => ({ type: 'bar', name: drivers.names[k], stack: 'drivers', data: parts[k], color: PALETTE[k % PALETTE.length], barCategoryGap: '20%' }))
            .concat([{ type: 'line', name: 'mean change', data: total, color: '#000', showSymbol: false, lineStyle: { width: 1.5 }, z: 5 }]),
        };
      }, 'big');
      choice.addEventListener('change', () => { sel.slot = Number(choice.value); redraw(id); });
      return (slot) => { sel.slot = slot; choice.value = String(slot); redraw(id); };
    }
    if (D.drivers || D.position_drivers) {
      const dr = section('drivers', 'Drivers',
        'Why a relation or a position moved: the change at each step split into what each event and each mechanism ' +
        '(for a position: each other actor\'s influence, anchoring) contributed, averaged over the runs ' +
        '(they add up to the mean change, the black line).');
      if (D.drivers) {
        const choices = [];
        for (let i = 0; i < N; ++i) for (let j = 0; j < N; ++j) if (i !== j) choices.push({ slot: pair(i, j), text: S.actors[i].id + ' toward ' + S.actors[j].id });
        const show = driversChart(dr, 'drivers', 'Drivers of the change', D.drivers, D.drivers.pairs, choices, 'drivers-pair', 'Relation', (p) => shownPairs.has(p));
        API.setDriversPair = (from, to) => show(pair(actorIndex.get(from), actorIndex.get(to)));
      }
      if (D.position_drivers) {
        const choices = [];
        for (let i = 0; i < N; ++i) for (let a = 0; a < K; ++a) choices.push({ slot: i * K + a, text: S.actors[i].id + ' on ' + S.axes[a].id });
        const show = driversChart(dr, 'position-drivers', 'Drivers of the position', D.position_drivers, D.position_drivers.slots, choices, 'position-drivers-slot', 'Position', () => false);
        API.setPositionDrivers = (actor, axis) => show(actorIndex.get(actor) * K + S.axes.findIndex((x) => x.id === axis));
      }
    }

    // --- what the test reads: the values the charts show ---------------------------------
    const seriesData = (id, name) => { const s = draw(id).getOption().series.find((x) => x.name === name); return s ? s.data : undefined; };
    API.shown = {
      // The median and bands a fan chart shows at step t.
      fan(id, t) {
        const median = seriesData(id, 'median')[t];
        const outer = seriesData(id, '5–95%')[t], inner = seriesData(id, '25–75%')[t];
        return { p05: outer[1], p25: inner[1], p50: median, p75: inner[2], p95: outer[2] };
      },
      heatmap(from, to) {
        const d = seriesData('heatmap', 'median affinity').find((v) => v[0] === actorIndex.get(to) && v[1] === actorIndex.get(from));
        return d ? d[2] : undefined;
      },
      bloc(actor, t) { return seriesData('blocs', 'share in bloc B').find((v) => v[0] === t && v[1] === actorIndex.get(actor))[2]; },
      driver(name, t) { const s = seriesData('drivers', name); return s ? s[t] : undefined; },
      positionDriver(name, t) { const s = seriesData('position-drivers', name); return s ? s[t] : undefined; },
      network() { return draw('network').getOption().series[0]; },
    };
  };
})();
