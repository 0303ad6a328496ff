// entente serve: the room's page (docs/room-protocol.md). One page, three
// roles: the script learns its role from the first `view` the server pushes
// (a team, the facilitator, the projector) and builds that role's page; every
// later view updates it in place, keeping what the user is typing or ticking.
// The page only shows what the server sent it: it never filters, and it asks
// nothing of the network but its own WebSocket (the server's CSP forbids the
// rest, and inline scripts and style attributes: styles live in room.css).
// `window.ententeRoom` exposes what the page received and sent, for the
// end-to-end test (tests/browser/room.test.mjs).
(function () {
  'use strict';
  const API = (window.ententeRoom = {
    view: null, ready: false, sent: [], received: 0, errors: [], violations: [], connection: 'connecting', reconnects: 0,
  });
  document.addEventListener('securitypolicyviolation', (e) => API.violations.push(e.violatedDirective + ' ' + (e.blockedURI || '')));

  // --- small helpers (as in the report's report.js) ---------------------------------
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'text') e.textContent = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children) if (c !== null && c !== undefined && c !== false) e.append(c);
    return e;
  }
  function fmt(v, digits) {
    if (v === null || v === undefined || Number.isNaN(v)) return '–';
    const s = v.toFixed(digits === undefined ? 3 : digits);
    return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
  }
  // parent.replaceChildren without the absent parts (the DOM would write
  // null as the text "null").
  function fill(parent, ...children) {
    parent.replaceChildren(...children.filter((c) => c !== null && c !== undefined && c !== false));
    return parent;
  }
  const signed = (v, d) => (v > 0 ? '+' : '') + fmt(v, d);
  const COLORS = { fan: '#2c5d8a', neg: '#b2182b', pos: '#2166ac', A: '#1b9e77', B: '#d95f02', mark: '#7a7a7a' };
  const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
  const PHASES = { orders: 'orders open', closed: 'turn closed: adjudication', ended: 'game over' };
  const STATUS = { none: 'no orders yet', draft: 'draft saved', submitted: 'submitted', accepted: 'accepted', modified: 'modified', vetoed: 'vetoed' };
  const same = (a, b) => a.length === b.length && a.every((x, k) => x === b[k]);
  const sorted = (list) => [...list].sort();
  function clockOf(iso) {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? String(iso || '') : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  }
  // An error line next to the control it concerns.
  const errorLine = () => el('p', { class: 'error', role: 'alert', hidden: true });
  function showError(where, message) {
    if (!where) return;
    where.textContent = message || '';
    where.hidden = !message;
  }

  // --- the connection -----------------------------------------------------------------
  const wsUrl = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host +
    location.pathname.replace(/\/?$/, '/') + 'ws';
  let socket = null, backoff = 500, retryTimer = 0, nextId = 1;
  const pending = new Map(); // id -> callback(reply)

  function connect() {
    const ws = new WebSocket(wsUrl);
    socket = ws;
    ws.addEventListener('open', () => { backoff = 500; setConnection('connected'); });
    ws.addEventListener('message', (e) => receive(e.data));
    ws.addEventListener('close', () => {
      if (socket !== ws) return;
      socket = null;
      for (const [id, done] of pending) done({ type: 'error', id, message: 'the connection was lost before the room answered; try again' });
      pending.clear();
      setConnection('reconnecting');
      clearTimeout(retryTimer);
      const wait = backoff * (0.75 + 0.5 * Math.random());
      backoff = Math.min(backoff * 2, 10000);
      retryTimer = setTimeout(() => { ++API.reconnects; connect(); }, wait);
    });
  }
  // For the test: drop the connection as a network would.
  API.drop = () => { if (socket) socket.close(); };

  function receive(data) {
    let msg;
    try { msg = JSON.parse(data); } catch (e) { return; }
    if (!msg || typeof msg !== 'object') return;
    if (msg.type === 'view') { onView(msg); return; }
    if (msg.id !== undefined && pending.has(msg.id)) {
      const done = pending.get(msg.id);
      pending.delete(msg.id);
      done(msg);
      return;
    }
    if (msg.type === 'error') { API.errors.push(msg.message); showError(ui.globalError, msg.message); }
  }
  // Sends one request; the reply's error (if any) is shown in `where`.
  // Resolves with the reply.
  function send(obj, where) {
    const req = Object.assign({}, obj, { id: nextId++ });
    API.sent.push(req);
    return new Promise((resolve) => {
      const done = (reply) => {
        if (reply.type === 'error') API.errors.push(reply.message);
        showError(where, reply.type === 'error' ? reply.message || 'the room refused this' : '');
        resolve(reply);
      };
      if (!socket || socket.readyState !== WebSocket.OPEN) {
        done({ type: 'error', id: req.id, message: 'not connected to the room: wait for the connection and try again' });
        return;
      }
      pending.set(req.id, done);
      socket.send(JSON.stringify(req));
    });
  }
  API.send = (obj) => send(obj, null);
  // A button that sends a request: disabled until the room answers.
  async function sendFrom(button, obj, where) {
    button.disabled = true;
    button.classList.add('busy');
    try { return await send(obj, where); } finally { button.classList.remove('busy'); button.disabled = false; if (API.view) render(API.view); }
  }

  // --- the page's frame: header, timer, connection --------------------------------------
  const app = document.getElementById('app');
  const ui = {};
  let role = null;
  let timerBase = null; // { seconds, at }

  function setConnection(state) {
    API.connection = state;
    if (!ui.conn) { if (state === 'reconnecting') app.textContent = 'Reconnecting…'; return; }
    ui.conn.textContent = state === 'connected' ? 'connected' : state === 'reconnecting' ? 'reconnecting…' : 'connecting…';
    ui.conn.className = 'conn ' + state;
    document.body.classList.toggle('offline', state !== 'connected');
  }
  function timerText() {
    const v = API.view;
    if (!v || v.seconds_left === null || v.seconds_left === undefined || !timerBase) return null;
    const left = v.phase === 'orders' ? Math.max(0, Math.ceil(timerBase.seconds - (performance.now() - timerBase.at) / 1000)) : Math.max(0, Math.ceil(timerBase.seconds));
    return Math.floor(left / 60) + ':' + String(left % 60).padStart(2, '0');
  }
  function tick() {
    if (!ui.timer) return;
    const t = timerText();
    ui.timer.textContent = t === null ? 'no timer' : t;
    ui.timer.classList.toggle('none', t === null);
    ui.timer.classList.toggle('low', t !== null && API.view.phase === 'orders' && timerBase && timerBase.seconds - (performance.now() - timerBase.at) / 1000 < 60);
  }
  setInterval(tick, 250);

  function buildFrame(v) {
    fill(app);
    document.body.classList.add('role-' + v.role);
    ui.title = el('h1');
    ui.who = el('span', { class: 'who' });
    ui.turn = el('span', { class: 'turn', id: 'turn' });
    ui.phase = el('span', { class: 'phase', id: 'phase' });
    ui.timer = el('span', { class: 'timer', id: 'timer', title: 'time left for orders this turn' });
    ui.conn = el('span', { class: 'conn', id: 'connection', role: 'status' });
    ui.globalError = errorLine();
    app.append(el('header', { class: 'bar' },
      el('div', { class: 'ident' }, ui.title, ui.who),
      el('div', { class: 'clock' }, ui.turn, ui.phase, ui.timer, ui.conn)), ui.globalError);
    setConnection(API.connection);
  }
  function renderFrame(v) {
    const S = v.scenario;
    ui.title.textContent = S.name;
    document.title = S.name + ' — ' + (v.role === 'team' ? 'team ' + v.team : v.role);
    ui.who.textContent = v.role === 'team' ? 'Team ' + v.team + ' · ' + actorName(S, v.team) : v.role === 'facilitator' ? 'Facilitator' : 'Room screen';
    ui.turn.textContent = 'Turn ' + v.turn + ' · step ' + v.step + ' of ' + S.steps + (v.date ? ' · ' + v.date : '');
    ui.phase.textContent = PHASES[v.phase] || v.phase;
    ui.phase.className = 'phase ' + v.phase;
    timerBase = v.seconds_left === null || v.seconds_left === undefined ? null : { seconds: v.seconds_left, at: performance.now() };
    tick();
  }
  function section(parent, id, title, help) {
    const s = el('section', { id, class: 'panel' }, el('h2', { text: title }), help ? el('p', { class: 'help', text: help }) : null);
    parent.append(s);
    return s;
  }
  const actorName = (S, id) => { const a = S.actors.find((x) => x.id === id); return a && a.name ? a.name : id; };

  // --- shared pieces: the dashboard, the feed, messages ----------------------------------
  function valueCell(entry, what) {
    if (!entry) return el('td', { class: 'num absent', title: what + ': not visible', text: '–' });
    const est = entry.exact === false;
    return el('td', { class: 'num' + (est ? ' est' : ''), title: what + (est ? ': an estimate (fog of war)' : ': exact'),
      text: (est ? '≈' : '') + fmt(entry.value, 2) });
  }
  // The positions, relations, regimes and memberships of `state` (what this
  // role may see: absent values are shown as –, estimates with ≈).
  function dashboard(parent, S, state, own) {
    fill(parent);
    if (!state) { parent.append(el('p', { class: 'help', text: 'Nothing to show.' })); return; }
    const anyEstimate = state.positions.some((p) => p.exact === false) || state.relations.some((r) => r.exact === false);
    if (anyEstimate) parent.append(el('p', { class: 'help', text: '≈ marks an estimate: other actors are seen through the fog of war, with an error. – is not visible.' }));
    const pos = new Map(state.positions.map((p) => [p.actor + '|' + p.axis, p]));
    parent.append(el('h3', { text: 'Positions' }), el('div', { class: 'scroll' }, el('table', { class: 'grid-table positions' },
      el('thead', {}, el('tr', {}, el('th', { text: 'actor' }), ...S.axes.map((a) => el('th', { class: 'num', title: '−1 ' + (a.low || '') + ' … +1 ' + (a.high || ''), text: a.id })))),
      el('tbody', {}, ...S.actors.map((a) => el('tr', { class: a.id === own ? 'own' : null },
        el('th', { title: a.name || a.id, text: a.id }),
        ...S.axes.map((x) => valueCell(pos.get(a.id + '|' + x.id), a.id + ' on ' + x.id))))))));
    const rel = new Map(state.relations.map((r) => [r.from + '|' + r.to, r]));
    parent.append(el('h3', { text: 'Relations (row toward column)' }), el('div', { class: 'scroll' }, el('table', { class: 'grid-table relations' },
      el('thead', {}, el('tr', {}, el('th', { text: '' }), ...S.actors.map((a) => el('th', { class: 'num' + (a.id === own ? ' own' : ''), text: a.id })))),
      el('tbody', {}, ...S.actors.map((a) => el('tr', { class: a.id === own ? 'own' : null },
        el('th', { text: a.id }),
        ...S.actors.map((b) => (a.id === b.id ? el('td', { class: 'num self', text: '' }) : valueCell(rel.get(a.id + '|' + b.id), a.id + ' toward ' + b.id)))))))));
    if (state.regimes && state.regimes.length > 0) {
      const issue = (id) => { const q = (S.issues || []).find((x) => x.id === id); return q && q.name ? q.name : id; };
      parent.append(el('h3', { text: 'Regimes' }), el('ul', { class: 'plain regimes' },
        ...state.regimes.map((r) => el('li', {}, el('span', { text: issue(r.issue) + ': ' }), el('b', { text: r.option })))));
    }
    if (state.memberships && state.memberships.length > 0) {
      const by = new Map();
      for (const m of state.memberships) { if (!by.has(m.institution)) by.set(m.institution, []); by.get(m.institution).push(m); }
      const inst = (id) => { const g = (S.institutions || []).find((x) => x.id === id); return g && g.name ? g.name : id; };
      parent.append(el('h3', { text: 'Memberships' }), el('ul', { class: 'plain memberships' },
        ...[...by].map(([id, ms]) => el('li', {}, el('b', { title: inst(id), text: id }), el('span', { text: ': ' +
          (ms.filter((m) => m.level > 0).map((m) => m.actor + (m.level < 1 ? ' ' + fmt(m.level, 2) : '')).join(', ') || 'none') })))));
    }
  }
  // The feed, newest first (at most `limit` entries); the kind is said
  // when it is not a plain event.
  function feedList(parent, feed, limit) {
    const items = [...(feed || [])].reverse().slice(0, limit || 1000);
    fill(parent, items.length === 0 ? el('p', { class: 'help', text: 'Nothing has happened yet.' })
      : el('ol', { class: 'feed' }, ...items.map((f) => el('li', { class: 'kind-' + f.kind },
        el('span', { class: 'when', text: 'T' + f.turn + ' · step ' + f.step }), f.kind && f.kind !== 'event' ? el('span', { class: 'kind', text: f.kind }) : null,
        el('span', { class: 'text', text: f.text })))));
  }
  function messageList(parent, messages, me) {
    const items = [...(messages || [])].reverse();
    fill(parent, items.length === 0 ? el('p', { class: 'help', text: 'No messages yet.' })
      : el('ol', { class: 'messages' }, ...items.map((m) => el('li', { class: m.from === me ? 'mine' : null },
        el('span', { class: 'when', text: 'T' + m.turn + ' · ' + clockOf(m.time) }),
        el('span', { class: 'route', text: m.from + ' → ' + m.to }), el('span', { class: 'text', text: m.text })))));
  }
  // The compose box: to (a select), the text, Send; the error next to it.
  function composer(parent, targets) {
    const to = el('select', { 'aria-label': 'to', class: 'to' });
    const text = el('textarea', { rows: 3, maxlength: 2000, placeholder: 'Write a message…', 'aria-label': 'message' });
    const err = errorLine();
    const button = el('button', { type: 'button', class: 'primary', text: 'Send' });
    button.addEventListener('click', async () => {
      const body = text.value.trim();
      if (!body) { showError(err, 'write something first'); return; }
      const r = await sendFrom(button, { type: 'message', to: to.value, text: body }, err);
      if (r.type === 'ok') text.value = '';
    });
    parent.append(el('div', { class: 'compose' }, el('label', { class: 'inline' }, el('span', { text: 'To ' }), to), text, el('div', { class: 'row' }, button), err));
    const c = { to, text, button, err, set(list) {
      const key = JSON.stringify(list);
      if (c.key === key) return;
      c.key = key;
      const keep = to.value;
      fill(to, ...list.map(([value, label]) => el('option', { value, text: label })));
      if (list.some(([value]) => value === keep)) to.value = keep;
    } };
    c.set(targets);
    return c;
  }

  // --- charts: fan charts and the blocs network (ECharts, as in the report) ---------------
  const charts = new Map(); // id -> { box, chart }
  const hasCharts = () => typeof window.echarts !== 'undefined';
  function chartIn(parent, id, option, cls) {
    if (!hasCharts()) return null;
    let c = charts.get(id);
    if (!c) {
      const box = el('div', { class: 'chart ' + (cls || ''), id: 'chart-' + id });
      parent.append(box);
      c = { box, chart: echarts.init(box, null, { renderer: 'canvas' }) };
      charts.set(id, c);
    } else if (c.box.parentNode !== parent) {
      parent.append(c.box);
    }
    c.chart.setOption(option, true);
    return c;
  }
  function dropCharts(keep, prefix) {
    for (const [id, c] of charts) {
      if (id.startsWith(prefix) && !keep.has(id)) { c.chart.dispose(); c.box.remove(); charts.delete(id); }
    }
  }
  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => charts.forEach((c) => c.chart.resize()), 150);
  });
  API.charts = () => [...charts.keys()];
  API.chartOption = (id) => charts.get(id).chart.getOption();

  // The area between lo and hi over `steps` (a band of a fan chart).
  function bandSeries(steps, lo, hi, name, opacity) {
    return {
      type: 'custom', name, silent: true, z: 1, animation: false, tooltip: { show: false },
      data: steps.map((t, k) => [t, lo[k], hi[k]]), encode: { x: 0, y: [1, 2] },
      renderItem(params, api) {
        if (params.dataIndex !== 0) return null;
        const points = [];
        for (let k = 0; k < steps.length; ++k) points.push(api.coord([steps[k], lo[k]]));
        for (let k = steps.length - 1; k >= 0; --k) points.push(api.coord([steps[k], hi[k]]));
        return { type: 'polygon', shape: { points }, style: { fill: COLORS.fan, opacity } };
      },
    };
  }
  // A fan: the history as a line, then the look-ahead's median (dashed) and
  // its 25–75 % and 5–95 % bands.
  function fanOption(f, big, now) {
    const hist = f.history.map((h) => [h.step, h.value]);
    let b = f.band;
    // The fan opens from where the history ends (the band starts a step later).
    if (b && b.steps.length > 0 && hist.length > 0 && hist[hist.length - 1][0] < b.steps[0]) {
      const [t, x] = hist[hist.length - 1];
      b = { steps: [t, ...b.steps] };
      for (const q of ['p05', 'p25', 'p50', 'p75', 'p95']) b[q] = [x, ...f.band[q]];
    }
    const steps = hist.map((h) => h[0]).concat(b ? b.steps : []);
    const bounded = /^(affinity|position)\(/.test(f.observable);
    const font = big ? 16 : 11;
    const series = [];
    if (b && b.steps.length > 0) {
      series.push(bandSeries(b.steps, b.p05, b.p95, '5–95%', 0.16), bandSeries(b.steps, b.p25, b.p75, '25–75%', 0.32),
        { type: 'line', name: 'median', data: b.steps.map((t, k) => [t, b.p50[k]]), showSymbol: false, z: 3,
          lineStyle: { width: big ? 3 : 2, type: 'dashed', color: COLORS.fan }, itemStyle: { color: COLORS.fan } });
    }
    series.push({ type: 'line', name: 'history', data: hist, showSymbol: false, z: 4,
      lineStyle: { width: big ? 4 : 2.5, color: '#1d2327' }, itemStyle: { color: '#1d2327' },
      markLine: now === null || now === undefined ? undefined : { symbol: 'none', silent: true, animation: false, label: { show: true, position: 'end', distance: 2, formatter: 'now', color: '#444', fontSize: font },
        lineStyle: { type: 'dotted', color: COLORS.mark, width: 1 }, data: [{ xAxis: now }] } });
    return {
      animation: false,
      grid: { left: big ? 56 : 42, right: 18, top: big ? 30 : 22, bottom: big ? 34 : 26 },
      xAxis: { type: 'value', min: Math.min(...steps), max: Math.max(...steps), minInterval: 1, axisLabel: { fontSize: font } },
      yAxis: bounded ? { type: 'value', min: -1, max: 1, interval: 0.5, axisLabel: { fontSize: font } } : { type: 'value', scale: true, axisLabel: { fontSize: font } },
      tooltip: big ? { show: false } : { trigger: 'axis', confine: true, formatter(ps) {
        const lines = ['step ' + ps[0].value[0]];
        for (const p of ps) if (p.seriesName === 'history' || p.seriesName === 'median') lines.push(p.seriesName + ' ' + fmt(p.value[1]));
        return lines.join('<br>');
      } },
      series,
    };
  }
  // "affinity(ARM,RUS)" reads "ARM toward RUS" (on the room's screen
  // "ARM → RUS"), "position(ARM,orientation)" "ARM on orientation"; a label
  // the server chose is kept.
  function fanLabel(f, big) {
    const label = f.label || f.observable;
    if (label !== f.observable) return label;
    const m = /^(affinity|position)\((\w+),(\w+)\)$/.exec(f.observable);
    if (!m) return label;
    return m[1] === 'affinity' ? m[2] + (big ? ' → ' : ' toward ') + m[3] : m[2] + ' on ' + m[3];
  }
  function fanGrid(parent, fan, big, now) {
    const keep = new Set();
    const list = fan || [];
    // How many: the room's screen sizes the charts to fit (room.css).
    const size = list.length <= 2 ? 'few' : list.length <= 4 ? 'some' : list.length <= 6 ? 'many' : 'lots';
    const resize = parent.dataset.size !== undefined && parent.dataset.size !== size;
    parent.dataset.size = size;
    list.forEach((f, k) => {
      const id = 'fan-' + k;
      keep.add(id);
      let fig = parent.querySelector('[data-fan="' + k + '"]');
      if (!fig) {
        fig = el('figure', { class: 'fan', 'data-fan': String(k) }, el('figcaption'));
        parent.append(fig);
      }
      const last = f.history.length > 0 ? f.history[f.history.length - 1].value : null;
      fill(fig.querySelector('figcaption'), el('span', { class: 'title', title: f.observable, text: fanLabel(f, big) }),
        el('span', { class: 'now', text: last === null ? '' : fmt(last, 2) }));
      if (f.history.length + (f.band ? f.band.steps.length : 0) > 0) chartIn(fig, id, fanOption(f, big, now), big ? 'big' : '');
    });
    for (const fig of [...parent.querySelectorAll('figure.fan')]) if (+fig.dataset.fan >= list.length) fig.remove();
    dropCharts(keep, 'fan-');
    if (resize) for (const id of keep) charts.get(id) && charts.get(id).chart.resize();
    if (list.length === 0 && !parent.querySelector('p.help')) parent.append(el('p', { class: 'help', text: 'No look-ahead to show.' }));
    else if (list.length > 0) parent.querySelectorAll('p.help').forEach((p) => p.remove());
  }
  const blocName = (b) => (typeof b === 'number' ? ('AB'[b] || String(b)) : String(b));
  function blocsOption(blocs, S, big) {
    const groups = new Map();
    for (const g of blocs.groups) {
      const k = blocName(g.bloc);
      if (!groups.has(k)) groups.set(k, []);
      groups.get(k).push(g.actor);
    }
    const keys = [...groups.keys()].sort();
    const nodes = [];
    keys.forEach((k, b) => {
      const g = groups.get(k);
      const cx = (b - (keys.length - 1) / 2) * 2.8;
      g.forEach((actor, n) => {
        const angle = g.length === 1 ? 0 : (2 * Math.PI * n) / g.length - Math.PI / 2;
        const r = g.length === 1 ? 0 : 1;
        nodes.push({ id: actor, name: actor, x: cx + r * Math.cos(angle), y: r * Math.sin(angle), symbolSize: big ? 70 : 46, category: b,
          value: actorName(S, actor) + ', bloc ' + k });
      });
    });
    const links = (blocs.links || []).filter((l) => Math.abs(l.value) >= 0.05).map((l) => ({ source: l.from, target: l.to, value: l.value,
      lineStyle: { color: l.value > 0 ? COLORS.pos : COLORS.neg, width: 1 + (big ? 10 : 7) * Math.abs(l.value), opacity: 0.35 + 0.55 * Math.min(1, Math.abs(l.value)), curveness: 0.08 } }));
    const color = (b) => (b === 0 ? COLORS.A : b === 1 ? COLORS.B : PALETTE[b % PALETTE.length]);
    return {
      animation: false,
      legend: { data: keys.map((k) => 'bloc ' + k), bottom: 0, textStyle: { fontSize: big ? 18 : 12 } },
      tooltip: big ? { show: false } : { confine: true, formatter: (p) => (p.dataType === 'edge' ? p.data.source + ' – ' + p.data.target + ': ' + fmt(p.data.value) : p.data.value) },
      series: [{ type: 'graph', layout: 'none', roam: false, data: nodes, links, left: big ? 60 : 40, right: big ? 60 : 40, top: big ? 50 : 36, bottom: big ? 70 : 50,
        categories: keys.map((k, b) => ({ name: 'bloc ' + k, itemStyle: { color: color(b) } })),
        label: { show: true, position: 'inside', fontWeight: 'bold', fontSize: big ? 18 : 12, color: '#fff', textBorderColor: '#333', textBorderWidth: 2 },
        emphasis: { focus: 'adjacency' } }],
    };
  }

  // --- the team's page ---------------------------------------------------------------------
  const team = { sel: null, clearOnView: false, turn: null, items: new Map() };
  function buildTeam() {
    const cols = el('div', { class: 'cols' });
    const left = el('div', { class: 'col' }), right = el('div', { class: 'col' });
    cols.append(left, right);
    app.append(cols);
    const brief = section(left, 'brief', 'Your brief');
    ui.brief = el('div', { class: 'brief-text', id: 'brief-text' });
    ui.objective = el('div', { class: 'objective', id: 'objective' });
    brief.append(ui.brief, ui.objective);

    const orders = section(left, 'orders', 'Orders', 'Tick the moves you want to play this turn. Save a draft as you go; submit your sealed orders before the turn closes (you may submit again until then). Nobody else sees them until the facilitator rules.');
    ui.orderStatus = el('div', { class: 'order-status', id: 'order-status', role: 'status' });
    ui.budget = el('p', { class: 'budget', id: 'budget' });
    ui.menu = el('ul', { class: 'menu', id: 'menu' });
    ui.selection = el('p', { class: 'selection', id: 'selection' });
    ui.saveDraft = el('button', { type: 'button', id: 'save-draft', text: 'Save draft' });
    ui.submit = el('button', { type: 'button', id: 'submit-orders', class: 'primary', text: 'Submit orders' });
    ui.orderError = errorLine();
    ui.orderError.id = 'orders-error';
    ui.saveDraft.addEventListener('click', () => sendOrders('draft', ui.saveDraft));
    ui.submit.addEventListener('click', () => sendOrders('submit', ui.submit));
    orders.append(ui.orderStatus, ui.budget, ui.menu, ui.selection, el('div', { class: 'row' }, ui.saveDraft, ui.submit), ui.orderError);

    const dash = section(right, 'dashboard', 'What your team sees');
    ui.dash = el('div', { id: 'dash' });
    dash.append(ui.dash);
    const feed = section(right, 'feed', 'Events');
    ui.feed = el('div', { id: 'feed-list' });
    feed.append(ui.feed);
    const msgs = section(right, 'messages', 'Messages');
    ui.compose = composer(msgs, []);
    ui.messages = el('div', { id: 'message-list' });
    msgs.append(ui.messages);
  }
  // The moves shown ticked: what the user is changing, else the server's
  // draft (orders.draft), else what was submitted.
  function serverSelection(o) {
    if (o.status === 'none' || o.status === 'draft' || o.draft.length > 0) return o.draft;
    return o.submitted;
  }
  const selection = (v) => (team.sel ? [...team.sel] : [...serverSelection(v.orders)]);
  const ordersOpen = (v) => v.phase === 'orders' && !['accepted', 'modified', 'vetoed'].includes(v.orders.status);
  async function sendOrders(type, button) {
    const v = API.view;
    const moves = selection(v);
    const r = await sendFrom(button, { type, moves }, ui.orderError);
    if (r.type === 'ok') {
      if (same(sorted(serverSelection(API.view.orders)), sorted(moves))) team.sel = null;
      else team.clearOnView = true;
      render(API.view);
    }
  }
  function renderTeam(v) {
    const S = v.scenario;
    if (team.turn !== v.turn) { team.turn = v.turn; team.sel = null; team.clearOnView = false; }
    if (team.clearOnView) { team.sel = null; team.clearOnView = false; }
    // Brief, objective, score.
    fill(ui.brief, ...String(v.brief || '').split(/\n\s*\n/).filter((p) => p.trim()).map((p) => el('p', { text: p.trim() })));
    if (!v.brief) ui.brief.append(el('p', { class: 'help', text: 'No brief.' }));
    fill(ui.objective,
      el('h3', { text: 'Objective' }),
      (v.objective || []).length === 0 ? el('p', { class: 'help', text: 'No objective set.' })
        : el('ul', { class: 'plain' }, ...v.objective.map((o) => el('li', {}, el('code', { text: o.observable }), el('span', { class: 'weight', text: ' weight ' + signed(o.weight, 2) })))),
      el('p', { class: 'score', id: 'score' }, el('span', { text: 'Score now: ' }), el('b', { text: v.score === null || v.score === undefined ? '–' : fmt(v.score, 3) }),
        v.score_note ? el('span', { class: 'note', text: ' ' + v.score_note }) : null));

    // Orders.
    const o = v.orders;
    const open = ordersOpen(v);
    const menuById = new Map((v.menu || []).map((m) => [m.id, m]));
    const names = (ids) => (ids.length === 0 ? 'no moves' : ids.map((id) => (menuById.get(id) ? menuById.get(id).name : id)).join('; '));
    const status = [el('span', { class: 'badge status-' + o.status, text: STATUS[o.status] || o.status })];
    if (o.status === 'submitted' || (o.submitted.length > 0 && o.status === 'draft')) status.push(el('span', { text: ' Submitted: ' + names(o.submitted) + '.' }));
    if (o.status === 'accepted') status.push(el('span', { text: ' The facilitator accepted: ' + names(o.applied) + '.' }));
    if (o.status === 'modified') status.push(el('span', { text: ' The facilitator changed your orders to: ' + names(o.applied) + '.' }));
    if (o.status === 'vetoed') status.push(el('span', { text: ' The facilitator vetoed your orders.' }));
    if (o.reason) status.push(el('p', { class: 'reason', id: 'order-reason' }, el('span', { text: 'Reason: ' }), el('q', { text: o.reason })));
    if (v.phase === 'closed' && o.status === 'submitted') status.push(el('span', { class: 'help', text: ' The turn is closed: waiting for the facilitator.' }));
    if (v.phase === 'closed' && (o.status === 'none' || o.status === 'draft')) status.push(el('span', { class: 'help', text: ' The turn closed before you submitted.' }));
    if (v.phase === 'ended') status.push(el('span', { class: 'help', text: ' The game is over.' }));
    fill(ui.orderStatus, ...status);

    const b = v.budget || {};
    ui.budget.textContent = b.left === null || b.left === undefined ? 'No budget limit.' : 'Budget this turn: ' + fmt(b.left, 0) + ' left of ' + fmt(b.total, 0) + (b.spent ? ' (' + fmt(b.spent, 0) + ' spent)' : '') + '.';

    const chosen = new Set(selection(v));
    const seen = new Set();
    ui.menu.querySelectorAll('li.help').forEach((li) => li.remove());
    for (const m of v.menu || []) {
      seen.add(m.id);
      let item = team.items.get(m.id);
      if (!item) {
        const box = el('input', { type: 'checkbox', value: m.id, id: 'move-' + m.id });
        box.addEventListener('change', () => {
          const now = new Set(selection(API.view));
          if (box.checked) now.add(box.value); else now.delete(box.value);
          team.sel = (v.menu || []).map((x) => x.id).filter((id) => now.has(id));
          for (const id of now) if (!team.sel.includes(id)) team.sel.push(id);
          showError(ui.orderError, '');
          render(API.view);
        });
        item = { box, li: el('li', {}), label: el('label', { for: 'move-' + m.id }) };
        item.li.append(box, item.label);
        team.items.set(m.id, item);
      }
      fill(item.label, el('span', { class: 'move-name', text: m.name || m.id }), el('span', { class: 'cost', text: 'cost ' + fmt(m.cost, 0) }),
        m.description ? el('span', { class: 'desc', text: m.description }) : null,
        m.available ? null : el('span', { class: 'why', text: 'Not available now' + (m.why ? ': ' + m.why : '') }));
      item.box.checked = chosen.has(m.id);
      item.box.disabled = !open || (!m.available && !item.box.checked);
      item.li.className = (m.available ? '' : 'unavailable ') + (item.box.checked ? 'chosen' : '');
      ui.menu.append(item.li); // keeps the menu's order
    }
    for (const [id, item] of team.items) if (!seen.has(id)) { item.li.remove(); team.items.delete(id); }
    if ((v.menu || []).length === 0) fill(ui.menu, el('li', { class: 'help', text: 'Your actor has no moves in this scenario.' }));

    const cost = [...chosen].reduce((s, id) => s + (menuById.get(id) ? menuById.get(id).cost : 0), 0);
    const over = b.left !== null && b.left !== undefined && cost > b.left;
    const unsaved = team.sel !== null && !same(sorted(team.sel), sorted(serverSelection(o)));
    const differs = o.status === 'submitted' && o.draft.length > 0 && !same(sorted(o.draft), sorted(o.submitted));
    fill(ui.selection, el('span', { text: 'Ticked: ' + chosen.size + (chosen.size === 1 ? ' move' : ' moves') + ', cost ' + fmt(cost, 0) + '. ' }),
      over ? el('b', { class: 'warn', text: 'Over the budget left. ' }) : null,
      unsaved ? el('span', { class: 'warn', text: 'Not saved yet. ' }) : null,
      !unsaved && differs ? el('span', { class: 'warn', text: 'Your saved draft differs from the orders you submitted: submit again to send it. ' }) : null);
    ui.saveDraft.disabled = !open;
    ui.submit.disabled = !open;
    ui.submit.textContent = o.status === 'submitted' && open ? 'Submit again' : 'Submit orders';

    dashboard(ui.dash, S, v.state, v.team);
    feedList(ui.feed, v.feed);
    const others = (S.teams || []).filter((t) => t !== v.team);
    ui.compose.set([['facilitator', 'the facilitator'], ...others.map((t) => [t, 'team ' + t + ' (' + actorName(S, t) + ')']), ['all', 'everyone']]);
    messageList(ui.messages, v.messages, v.team);
  }

  // --- the facilitator's console -------------------------------------------------------------
  const fac = { turn: null, rows: new Map(), lens: 'truth', endArmed: 0 };
  function buildFacilitator() {
    const control = section(app, 'control', 'Turn');
    ui.close = el('button', { type: 'button', id: 'close-turn', text: 'Close turn' });
    ui.advance = el('button', { type: 'button', id: 'advance', class: 'primary', text: 'Advance' });
    ui.end = el('button', { type: 'button', id: 'end-game', class: 'danger', text: 'End game' });
    ui.controlError = errorLine();
    ui.controlError.id = 'control-error';
    ui.controlNote = el('p', { class: 'help', id: 'control-note' });
    ui.branch = el('p', { class: 'branch', id: 'branch' });
    ui.close.addEventListener('click', () => sendFrom(ui.close, { type: 'close' }, ui.controlError));
    ui.advance.addEventListener('click', () => sendFrom(ui.advance, { type: 'advance' }, ui.controlError));
    ui.end.addEventListener('click', () => {
      if (Date.now() - fac.endArmed > 5000) {
        fac.endArmed = Date.now();
        ui.end.textContent = 'Click again to end the game';
        setTimeout(() => { if (Date.now() - fac.endArmed >= 5000) ui.end.textContent = 'End game'; }, 5100);
        return;
      }
      fac.endArmed = 0;
      ui.end.textContent = 'End game';
      sendFrom(ui.end, { type: 'end' }, ui.controlError);
    });
    control.append(el('div', { class: 'row' }, ui.close, ui.advance, ui.end,
      el('a', { href: 'debrief.md', id: 'debrief-link', download: 'debrief.md', text: 'debrief.md' }),
      el('a', { href: 'log.jsonl', id: 'log-link', download: 'log.jsonl', text: 'log.jsonl' }),
      el('a', { href: 'session.toml', id: 'session-link', download: 'session.toml', text: 'session.toml', title: 'The session as a scenario for entente run (save it beside the log)' })), ui.controlNote, ui.controlError, ui.branch);

    const orders = section(app, 'orders', 'Orders', 'Each actor\'s orders this turn. After closing the turn, rule on every team\'s orders: accept, modify (tick the moves to play) or veto. Modify and veto need a reason: the team sees it, and it goes to the log.');
    ui.orders = el('div', { class: 'orders-rows', id: 'order-rows' });
    orders.append(ui.orders);

    const cmd = section(app, 'command', 'Command', 'Any command of entente play: inject, set, branch, checkout, undo, why, ensemble, history, status, help (moves and advance go through the buttons above; the session as a scenario is the session.toml link).');
    ui.cmd = el('input', { type: 'text', id: 'command-line', autocomplete: 'off', spellcheck: 'false', placeholder: 'inject affinity = [{from="RUS", to="ARM", delta=-0.1}] --label "sanctions" --reason "…"', 'aria-label': 'command' });
    ui.run = el('button', { type: 'button', id: 'run-command', class: 'primary', text: 'Run' });
    ui.cmdError = errorLine();
    ui.cmdError.id = 'command-error';
    ui.cmdOut = el('pre', { id: 'command-output', hidden: true });
    const runCommand = async () => {
      const line = ui.cmd.value.trim();
      if (!line) { showError(ui.cmdError, 'type a command first (help lists them)'); return; }
      const r = await sendFrom(ui.run, { type: 'command', line }, ui.cmdError);
      ui.cmdOut.hidden = false;
      ui.cmdOut.textContent = '> ' + line + '\n' + (r.type === 'ok' ? (r.output || '(done)') : '');
      ui.cmdOut.classList.toggle('failed', r.type !== 'ok');
      if (r.type === 'ok') ui.cmd.value = '';
    };
    ui.run.addEventListener('click', runCommand);
    ui.cmd.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); runCommand(); } });
    cmd.append(el('div', { class: 'row command' }, ui.cmd, ui.run), ui.cmdError, ui.cmdOut);

    const cols = el('div', { class: 'cols' });
    const left = el('div', { class: 'col' }), right = el('div', { class: 'col' });
    cols.append(left, right);
    app.append(cols);
    const dash = section(left, 'dashboard', 'Dashboard');
    ui.lens = el('select', { id: 'lens', 'aria-label': 'whose view' });
    ui.lens.addEventListener('change', () => { fac.lens = ui.lens.value; render(API.view); });
    ui.lensNote = el('div', { class: 'lens-note', id: 'lens-note' });
    ui.dash = el('div', { id: 'dash' });
    dash.append(el('div', { class: 'row' }, el('label', { for: 'lens', text: 'Show ' }), ui.lens), ui.lensNote, ui.dash);
    const scores = section(right, 'scores', 'Scores');
    ui.scores = el('div', { id: 'score-table' });
    scores.append(ui.scores);
    const fan = section(right, 'fan', 'Look-ahead', 'The history of each observable and the spread of the quick look-ahead ensemble: the dashed line is the median, the dark band the middle 50 % of the runs, the light band 90 %.');
    ui.fan = el('div', { class: 'fans', id: 'fans' });
    fan.append(ui.fan);
    const feed = section(left, 'feed', 'Public feed');
    ui.feed = el('div', { id: 'feed-list' });
    feed.append(ui.feed);
    const hist = section(right, 'history', 'History');
    ui.history = el('ol', { class: 'history', id: 'history-list' });
    hist.append(ui.history);
    const msgs = section(app, 'messages', 'Messages');
    ui.compose = composer(msgs, []);
    ui.messages = el('div', { id: 'message-list' });
    msgs.append(ui.messages);
  }
  // One order row, kept for the turn so that a reason being typed survives
  // the views pushed meanwhile.
  function orderRow(actor) {
    let r = fac.rows.get(actor);
    if (r) return r;
    r = { actor, picks: new Set(), tr: el('div', { class: 'order-row', id: 'order-' + actor, 'data-actor': actor }) };
    r.head = el('div', { class: 'order-head' });
    r.moves = el('div', { class: 'order-moves' });
    r.table = el('div', { class: 'order-table' });
    r.reason = el('input', { type: 'text', class: 'reason-box', placeholder: 'reason (required to modify or veto)', 'aria-label': 'reason for ' + actor });
    r.accept = el('button', { type: 'button', class: 'accept', text: 'Accept' });
    r.modify = el('button', { type: 'button', class: 'modify', text: 'Modify' });
    r.veto = el('button', { type: 'button', class: 'veto danger', text: 'Veto' });
    r.picker = el('details', { class: 'picker' }, el('summary', { text: 'Moves to play if modified' }));
    r.pickList = el('ul', { class: 'menu small' });
    r.other = el('input', { type: 'text', class: 'other-moves', placeholder: 'other move ids, space separated', 'aria-label': 'other moves for ' + actor });
    r.picker.append(r.pickList, r.other);
    r.err = errorLine();
    const decide = (decision, button) => {
      const reason = r.reason.value.trim();
      if (decision !== 'accept' && !reason) { showError(r.err, 'a reason is required to ' + decision + ' (the team sees it)'); r.reason.focus(); return; }
      const req = { type: 'adjudicate', actor, decision };
      if (decision === 'modify') req.moves = [...r.picks, ...r.other.value.split(/[\s,]+/).filter(Boolean).filter((id) => !r.picks.has(id))];
      if (decision !== 'accept') req.reason = reason;
      sendFrom(button, req, r.err);
    };
    r.accept.addEventListener('click', () => decide('accept', r.accept));
    r.modify.addEventListener('click', () => {
      if (!r.picker.open) { r.picker.open = true; showError(r.err, 'tick the moves to play, give a reason, then Modify again'); return; }
      decide('modify', r.modify);
    });
    r.veto.addEventListener('click', () => decide('veto', r.veto));
    r.decide = el('div', { class: 'row decide' }, r.reason, r.accept, r.modify, r.veto);
    r.tr.append(r.head, r.moves, r.table, r.picker, r.decide, r.err);
    fac.rows.set(actor, r);
    return r;
  }
  function renderFacilitator(v) {
    const S = v.scenario;
    if (fac.turn !== v.turn) { fac.turn = v.turn; fac.rows.clear(); fill(ui.orders); }
    const tv = v.team_views || {};
    ui.close.disabled = v.phase !== 'orders';
    ui.advance.disabled = v.phase !== 'closed';
    ui.end.disabled = v.phase === 'ended';
    const waiting = (v.orders || []).filter((o) => !o.engine && !['accepted', 'modified', 'vetoed'].includes(o.status)).map((o) => o.actor);
    ui.controlNote.textContent = v.phase === 'orders'
      ? 'Teams are writing orders (' + (v.orders || []).filter((o) => !o.engine && o.status === 'submitted').length + ' of ' + (S.teams || []).length + ' submitted). Close the turn when the time is up.'
      : v.phase === 'closed' ? (waiting.length > 0 ? 'Rule on the orders of ' + waiting.join(', ') + ', then advance.' : 'Every team\'s orders are ruled on: advance plays them and one turn.')
        : 'The game is over: download the debrief and the log.';
    ui.branch.textContent = 'Branch ' + (v.branch || 'main') + ((v.branches || []).length > 1 ? ' (branches: ' + v.branches.join(', ') + ')' : '');

    // Orders: teams first, then the engine's actors.
    const list = [...(v.orders || [])].sort((a, b) => (a.engine === b.engine ? 0 : a.engine ? 1 : -1));
    const keep = new Set();
    for (const o of list) {
      const r = orderRow(o.actor);
      keep.add(o.actor);
      const menu = tv[o.actor] && tv[o.actor].menu ? tv[o.actor].menu : [];
      const name = (id) => { const m = menu.find((x) => x.id === id); return m ? m.name + ' (' + id + ')' : id; };
      const moveList = (ids) => (ids && ids.length > 0 ? ids.map(name).join('; ') : 'no moves');
      r.tr.className = 'order-row ' + (o.engine ? 'engine' : 'team') + ' status-' + o.status;
      fill(r.head, el('b', { class: 'actor', text: o.actor }), el('span', { class: 'actor-name', text: ' ' + actorName(S, o.actor) + ' ' }),
        el('span', { class: 'tag', text: o.engine ? 'engine' : 'team' }), el('span', { class: 'badge status-' + o.status, text: STATUS[o.status] || o.status }));
      const lines = [];
      if (!o.engine && o.status === 'draft') lines.push(el('div', { class: 'help', text: 'Drafting (not submitted yet).' }));
      if (o.engine && v.phase === 'orders') lines.push(el('div', { class: 'help', text: 'The engine decides when the turn closes.' }));
      if (o.submitted && (o.submitted.length > 0 || ['submitted', 'accepted', 'modified', 'vetoed'].includes(o.status))) lines.push(el('div', {}, el('span', { class: 'k', text: o.engine ? 'Engine decides: ' : 'Submitted: ' }), el('span', { text: moveList(o.submitted) })));
      if (o.status === 'modified' || (o.status === 'accepted' && !same(o.applied || [], o.submitted || []))) lines.push(el('div', {}, el('span', { class: 'k', text: 'Will play: ' }), el('span', { text: moveList(o.applied) })));
      const nothing = !o.engine && (o.status === 'none' || o.status === 'draft');
      if (nothing && v.phase === 'closed') lines.push(el('div', { class: 'help', text: 'No orders were submitted: nothing to rule on (the actor plays nothing this turn).' }));
      if (o.reason) lines.push(el('div', { class: 'reason' }, el('span', { class: 'k', text: 'Reason: ' }), el('q', { text: o.reason })));
      fill(r.moves, ...lines);
      fill(r.table, o.engine && o.table ? el('details', { class: 'engine-table' }, el('summary', { text: 'Expected scores of the engine\'s options' }), el('pre', { text: o.table })) : null);
      // The modify picker: the actor's menu (a team's), else what it submitted.
      const candidates = menu.length > 0 ? menu.map((m) => [m.id, m.name + ' (cost ' + fmt(m.cost, 0) + ')' + (m.available ? '' : ' — not available')])
        : [...new Set([...(o.submitted || []), ...(o.draft || [])])].map((id) => [id, id]);
      const key = JSON.stringify(candidates);
      if (r.pickKey !== key) {
        r.pickKey = key;
        if (r.picks.size === 0 && r.pickInit !== v.turn) { for (const id of o.submitted || []) r.picks.add(id); r.pickInit = v.turn; }
        fill(r.pickList, ...candidates.map(([id, label]) => {
          const box = el('input', { type: 'checkbox', value: id });
          box.checked = r.picks.has(id);
          box.addEventListener('change', () => { if (box.checked) r.picks.add(id); else r.picks.delete(id); });
          return el('li', {}, el('label', {}, box, el('span', { text: ' ' + label })));
        }));
        if (candidates.length === 0) r.pickList.append(el('li', { class: 'help', text: 'No menu known for this actor: type move ids below.' }));
      }
      const canRule = v.phase === 'closed' && !nothing;
      for (const b of [r.accept, r.modify, r.veto]) if (!b.classList.contains('busy')) b.disabled = !canRule;
      r.reason.disabled = !canRule;
      r.picker.hidden = !canRule;
      r.decide.hidden = !canRule;
      ui.orders.append(r.tr);
    }
    for (const [actor, r] of fac.rows) if (!keep.has(actor)) { r.tr.remove(); fac.rows.delete(actor); }
    if (list.length === 0) fill(ui.orders, el('p', { class: 'help', text: 'No orders this turn.' }));

    // Dashboard through a lens: the truth, or what a team sees.
    const lenses = [['truth', 'the truth (exact)'], ...(S.teams || []).map((t) => [t, 'what team ' + t + ' sees'])];
    const lensKey = JSON.stringify(lenses);
    if (ui.lens.dataset.key !== lensKey) {
      ui.lens.dataset.key = lensKey;
      fill(ui.lens, ...lenses.map(([value, label]) => el('option', { value, text: label })));
    }
    if (!lenses.some(([value]) => value === fac.lens)) fac.lens = 'truth';
    ui.lens.value = fac.lens;
    if (fac.lens === 'truth') {
      fill(ui.lensNote);
      dashboard(ui.dash, S, v.truth || v.state, null);
    } else {
      const t = tv[fac.lens];
      if (!t) {
        fill(ui.lensNote, el('p', { class: 'help', text: 'No view of team ' + fac.lens + '.' }));
        fill(ui.dash);
      } else {
        const b = t.budget || {};
        fill(ui.lensNote,
          el('p', {}, el('b', { text: 'Score ' + (t.score === null || t.score === undefined ? '–' : fmt(t.score, 3)) }), t.score_note ? el('span', { class: 'note', text: ' ' + t.score_note }) : null,
            el('span', { text: ' · budget left ' + (b.left === null || b.left === undefined ? 'unlimited' : fmt(b.left, 0)) })),
          el('details', { class: 'lens-brief' }, el('summary', { text: 'Brief of ' + fac.lens }), el('p', { class: 'brief-text', text: t.brief || '' })));
        dashboard(ui.dash, S, t.state, fac.lens);
      }
    }
    const scores = v.scores || [];
    fill(ui.scores, scores.length === 0 ? el('p', { class: 'help', text: 'No scores.' }) : el('table', { class: 'grid-table' },
      el('thead', {}, el('tr', {}, el('th', { text: 'actor' }), el('th', { class: 'num', text: 'score' }), el('th', { text: '' }))),
      el('tbody', {}, ...scores.map((s) => el('tr', { class: (S.teams || []).includes(s.actor) ? 'own' : null },
        el('th', { text: s.actor + ' ' + actorName(S, s.actor) }), el('td', { class: 'num', text: s.score === null || s.score === undefined ? '–' : fmt(s.score, 3) }),
        el('td', { class: 'tag-cell', text: (S.teams || []).includes(s.actor) ? 'team' : 'engine' }))))));
    fanGrid(ui.fan, v.fan, false, v.step);
    feedList(ui.feed, v.feed);
    fill(ui.history, ...(v.history || []).map((h) => el('li', { text: h })));
    if ((v.history || []).length === 0) ui.history.append(el('li', { class: 'help', text: 'Nothing done yet.' }));
    ui.compose.set([['all', 'everyone'], ...(S.teams || []).map((t) => [t, 'team ' + t + ' (' + actorName(S, t) + ')'])]);
    messageList(ui.messages, v.messages, 'facilitator');
  }

  // --- the projector ----------------------------------------------------------------------------
  function buildProjector() {
    const grid = el('div', { class: 'stage' });
    const side = el('div', { class: 'side' });
    app.append(grid);
    grid.append(side);
    ui.blocsPanel = section(side, 'blocs', 'Blocs');
    ui.blocs = el('div', { class: 'blocs-box', id: 'blocs-box' });
    ui.blocsPanel.append(ui.blocs);
    const fan = section(grid, 'fan', 'Where things stand and where they may go');
    ui.fanHelp = el('p', { class: 'help' });
    ui.fan = el('div', { class: 'fans', id: 'fans' });
    fan.append(ui.fanHelp, ui.fan);
    ui.stage = grid;
    const feed = section(side, 'feed', 'News');
    ui.feed = el('div', { id: 'feed-list' });
    feed.append(ui.feed);
  }
  function renderProjector(v) {
    ui.blocsPanel.hidden = !v.blocs;
    ui.stage.classList.toggle('no-blocs', !v.blocs);
    if (v.blocs) chartIn(ui.blocs, 'blocs', blocsOption(v.blocs, v.scenario, true), 'big');
    else dropCharts(new Set(), 'blocs');
    const bands = (v.fan || []).some((f) => f.band);
    const fog = typeof v.scenario.fog === 'number';
    ui.fanHelp.textContent = 'Line: so far' + (fog ? ', as the public sees it (estimates: the fog of war)' : '') + '.' +
      (bands ? ' Dashed: the median of the look-ahead; bands: the middle 50 % and 90 % of its runs.' : '');
    fanGrid(ui.fan, v.fan, true, v.step);
    feedList(ui.feed, v.feed, v.blocs ? 6 : 10);
  }

  // --- every view ---------------------------------------------------------------------------------
  function render(v) {
    renderFrame(v);
    if (v.role === 'team') renderTeam(v);
    else if (v.role === 'facilitator') renderFacilitator(v);
    else renderProjector(v);
  }
  function onView(v) {
    API.view = v;
    ++API.received;
    if (role !== v.role) {
      role = v.role;
      buildFrame(v);
      if (role === 'team') buildTeam();
      else if (role === 'facilitator') buildFacilitator();
      else buildProjector();
    }
    render(v);
    if (!API.ready) requestAnimationFrame(() => { API.ready = true; document.body.dataset.ready = 'true'; });
  }

  connect();
})();
