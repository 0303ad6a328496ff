// entente report, core: reads the embedded data (#entente-data), keeps the
// registry of charts (Apache ECharts) and calls the view of the directory's
// kind (view_*.js, appended after this file, then `ententeReport.start()`). Charts are drawn when they scroll into view; each can be
// saved as SVG or PNG. `window.ententeReport` exposes the data, the charts and
// the values they show, for the end-to-end test (tests/browser/).
(function () {
  'use strict';
  const started = performance.now();
  const D = JSON.parse(document.getElementById('entente-data').textContent);
  const API = (window.ententeReport = { data: D, ready: false, timings: {} });

  // --- small helpers ----------------------------------------------------------
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null) continue;
      if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v);
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c);
    return e;
  }
  // Three decimals, no "-0.000": what the page prints for a value.
  function fmt(v, digits) {
    if (v === null || v === undefined || Number.isNaN(v)) return '–';
    const s = v.toFixed(digits === undefined ? 3 : digits);
    return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
  }
  const pct = (v) => Math.round(v * 100) + '%';
  const COLORS = { fan: '#2c5d8a', neg: '#b2182b', pos: '#2166ac', A: '#1b9e77', B: '#d95f02', mark: '#7a7a7a' };
  const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac', '#1f77b4', '#8c564b', '#17becf', '#bcbd22'];

  // --- the chart registry: draw when visible, export on demand ------------------
  const charts = new Map(); // id -> { figure, canvas, title, build, chart }
  const observer = new IntersectionObserver((entries) => {
    for (const e of entries) if (e.isIntersecting) draw(e.target.dataset.chart);
  }, { rootMargin: '300px' });

  function addChart(parent, id, title, sub, build, size) {
    const canvas = el('div', { class: 'canvas' });
    const figure = el('figure', { class: 'chart ' + (size || ''), id: 'chart-' + id, 'data-chart': id },
      el('figcaption', {},
        el('span', { class: 'title', text: title }, sub ? el('span', { class: 'sub', text: ' ' + sub }) : null),
        el('button', { class: 'export', type: 'button', title: 'Save this chart as SVG', text: 'SVG', onclick: () => save(id, 'svg') }),
        el('button', { class: 'export', type: 'button', title: 'Save this chart as PNG', text: 'PNG', onclick: () => save(id, 'png') })),
      canvas);
    parent.append(figure);
    charts.set(id, { figure, canvas, title: sub ? title + ' — ' + sub : title, build, chart: null });
    observer.observe(figure);
    return figure;
  }
  function draw(id) {
    const c = charts.get(id);
    if (!c) throw new Error('no chart ' + id);
    if (!c.chart) {
      c.chart = echarts.init(c.canvas, null, { renderer: 'canvas' });
      c.chart.setOption(c.build(), true);
      c.figure.dataset.rendered = 'true';
    }
    return c.chart;
  }
  function redraw(id) {
    const c = charts.get(id);
    if (c && c.chart) c.chart.setOption(c.build(), true);
  }
  // The option of a chart drawn off screen for export, with its title on it.
  function exportOption(c) {
    const o = c.build();
    o.animation = false;
    o.backgroundColor = '#fff';
    o.title = { text: c.title, left: 'center', top: 4, textStyle: { fontSize: 14 } };
    for (const g of [].concat(o.grid || [])) g.top = (g.top || 10) + 26;
    return o;
  }
  function exportSize(c) {
    return { width: Math.max(c.canvas.clientWidth, 480), height: Math.max(c.canvas.clientHeight, 240) + 26 };
  }
  function svgOf(id) {
    const c = charts.get(id);
    const size = exportSize(c);
    const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
    chart.setOption(exportOption(c));
    const svg = chart.renderToSVGString();
    chart.dispose();
    return svg;
  }
  function pngOf(id) {
    const c = charts.get(id);
    const size = exportSize(c);
    const box = el('div', { style: `position:fixed;left:-10000px;top:0;width:${size.width}px;height:${size.height}px` });
    document.body.append(box);
    const chart = echarts.init(box, null, { renderer: 'canvas', width: size.width, height: size.height });
    chart.setOption(exportOption(c));
    const url = chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' });
    chart.dispose();
    box.remove();
    return url;
  }
  function fileBase(id) {
    const name = D.title || (D.scenario && D.scenario.name) || 'entente';
    return (name + '-' + id).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  }
  function download(filename, url) {
    const a = el('a', { href: url, download: filename });
    document.body.append(a);
    a.click();
    a.remove();
  }
  function save(id, type) {
    if (type === 'svg') {
      const blob = new Blob([svgOf(id)], { type: 'image/svg+xml' });
      const url = URL.createObjectURL(blob);
      download(fileBase(id) + '.svg', url);
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } else {
      download(fileBase(id) + '.png', pngOf(id));
    }
  }
  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => charts.forEach((c) => c.chart && c.chart.resize()), 150);
  });

  // --- the views of each kind of directory ----------------------------------------
  const header = document.getElementById('header');
  const nav = document.getElementById('nav');
  const main = document.getElementById('main');
  // parent.append without the absent parts: the DOM's append would write
  // null as the text "null".
  function appendAll(parent, ...children) {
    parent.append(...children.filter((c) => c !== null && c !== undefined));
  }
  function section(id, title, help) {
    const s = el('section', { id }, el('h2', { text: title }), help ? el('p', { class: 'help', text: help }) : null);
    main.append(s);
    nav.append(el('a', { href: '#' + id, text: title }));
    return s;
  }
  function facts(list) {
    const dl = el('dl', { class: 'facts' });
    for (const [k, v] of list) if (v !== undefined && v !== null && v !== '') dl.append(el('div', {}, el('dt', { text: k }), el('dd', { text: String(v) })));
    return dl;
  }
  // An ECharts series filling the area between lo[t] and hi[t] over steps
  // t = 0 … lo.length − 1 (a band of a fan chart), in `color` at `opacity`.
  function band(lo, hi, name, color, opacity) {
    const T = lo.length - 1;
    return {
      type: 'custom', name, silent: true, z: 1, animation: false, tooltip: { show: false },
      data: lo.map((_, t) => [t, lo[t], hi[t]]), encode: { x: 0, y: [1, 2] },
      renderItem(params, api) {
        if (params.dataIndex !== 0) return null;
        const points = [];
        for (let t = 0; t <= T; ++t) points.push(api.coord([t, lo[t]]));
        for (let t = T; t >= 0; --t) points.push(api.coord([t, hi[t]]));
        return { type: 'polygon', shape: { points }, style: { fill: color, opacity } };
      },
    };
  }
  API.util = { el, fmt, pct, addChart, section, facts, appendAll, draw, redraw, charts, band, COLORS, PALETTE };

  // Each kind of directory has its view (view_run.js, …), added after this file.
  const views = (API.views = {});

  function start() {
    const view = views[D.kind];
    if (!view) {
      main.append(el('p', { text: 'This report does not know how to show a "' + D.kind + '" directory.' }));
    } else {
      view({ D, header, main, nav });
    }
    // Charts in view are drawn now; the rest as they scroll in.
    requestAnimationFrame(() => {
      API.timings.script = performance.now() - started;
      API.ready = true;
      document.body.dataset.ready = 'true';
    });
  }

  API.charts = () => [...charts.keys()];
  API.draw = (id) => { draw(id); return charts.get(id).chart.getOption(); };
  API.drawAll = () => { const t0 = performance.now(); charts.forEach((_, id) => draw(id)); return performance.now() - t0; };
  API.svg = svgOf;
  API.png = pngOf;
  API.save = save;
  API.start = start;
})();
