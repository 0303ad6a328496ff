// End-to-end test of `entente serve` (docs/room-protocol.md) in Debian's
// headless Chromium: starts a room on the baseline scenario with teams ARM
// and AZE, fog σ = 0.1 and a 15-minute turn timer, opens the facilitator,
// both teams (AZE on a phone-sized screen) and the projector each in its own
// browser context, and plays three turns through the pages as people would:
// the teams tick moves, save drafts, reconnect and submit; the facilitator
// closes the turn, vetoes one team's orders with a reason and accepts (or
// modifies) the other's, injects once, runs commands and advances. Checks
// that no team's page ever holds another team's brief, orders, messages or
// the hidden truth (what it received over its WebSocket, window.ententeRoom
// and the text on its screen), that third-party values are estimates that
// differ from the truth, that the vetoed team sees the reason, that the
// projector shows the turn, the fan charts and the feed and nothing private,
// that no page logs an error or a CSP violation or fetches anything but its
// own files, that wrong tokens get 403; then ends the game, stops the server
// with SIGINT and reads the audit log. Writes screenshots into OUT_DIR for a
// person to look at.
//
//   node room.test.mjs ENTENTE_BINARY SOURCE_DIR OUT_DIR
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import assert from 'node:assert/strict';
import { check, frame, launchBrowser, parseArgs } from './common.mjs';

const { entente, sourceDir, outDir } = parseArgs('room.test.mjs');
const TEAMS = ['ARM', 'AZE'];
const FOG = 0.1;
const urlsFile = path.join(outDir, 'urls.json');
const logFile = path.join(outDir, 'room.jsonl');
for (const f of [urlsFile, logFile]) fs.rmSync(f, { force: true });
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));
async function shot(w, name, full = true) {
  await w.page.evaluate(() => window.scrollTo(0, 0)); // the sticky header at the top
  await w.page.screenshot({ path: path.join(outDir, 'room-' + name + '.png'), fullPage: full });
}
// One part of a page (clipped from the whole page, so that the sticky header
// does not cover it).
async function shotOf(w, selector, name) {
  await w.page.evaluate(() => window.scrollTo(0, 0));
  const box = await w.page.locator(selector).boundingBox();
  await w.page.screenshot({ path: path.join(outDir, 'room-' + name + '.png'), fullPage: true, clip: box });
}

// --- the server ----------------------------------------------------------------------
let server, exited, serverOut = '', serverErr = '', serverExit = null;
function startServer(args) {
  serverOut = '';
  serverErr = '';
  serverExit = null;
  server = spawn(entente, ['serve', ...args], { cwd: sourceDir, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.on('data', (d) => { serverOut += d; });
  server.stderr.on('data', (d) => { serverErr += d; });
  exited = new Promise((done) => server.on('exit', (code, signal) => { serverExit = { code, signal }; done(serverExit); }));
}
startServer(['scenarios/baseline.toml', '--teams', TEAMS.join(','), '--port', '0',
  '--urls', urlsFile, '--log', logFile, '--fog', String(FOG), '--turn-seconds', '900']);
let urls = null;
for (const t0 = Date.now(); urls === null && Date.now() - t0 < 60000 && serverExit === null; await sleep(100)) {
  try { urls = JSON.parse(fs.readFileSync(urlsFile, 'utf8')); } catch (e) { urls = null; }
}
if (urls === null) {
  console.log('FAIL the server did not write ' + urlsFile + (serverExit ? ' (it exited: ' + JSON.stringify(serverExit) + ')' : '') +
    '\n     stdout: ' + serverOut + '\n     stderr: ' + serverErr);
  server.kill('SIGKILL');
  process.exit(1);
}
const origin = new URL(urls.facilitator).origin;
console.log('room at ' + origin);

await check('the server prints one line per role, with the URLs of the urls file', async () => {
  await sleep(200);
  const all = [urls.facilitator, urls.projector, ...TEAMS.map((t) => urls.teams[t])];
  assert.deepEqual(Object.keys(urls.teams).sort(), [...TEAMS].sort());
  for (const u of all) assert.match(u, /^http:\/\/[^/]+\/r\/[0-9a-f]{32}\/$/);
  assert.equal(new Set(all).size, all.length, 'every role has its own URL');
  const lines = serverOut.split('\n').filter((l) => all.some((u) => l.includes(u)));
  assert.equal(lines.length, all.length, serverOut);
  for (const u of all) assert.equal(lines.filter((l) => l.includes(u)).length, 1, u);
});

// A wrong token, a missing token, another role's file, a request not the role's.
const status = async (url, init) => (await fetch(url, init)).status;
function upgradeStatus(url) {
  return new Promise((done, fail) => {
    const u = new URL(url);
    const req = http.request({ host: u.hostname, port: u.port, path: u.pathname, headers: { Connection: 'Upgrade', Upgrade: 'websocket',
      'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': Buffer.from('entente-room-test').toString('base64') } });
    req.on('response', (r) => { r.resume(); done(r.statusCode); });
    req.on('upgrade', (r, socket) => { socket.destroy(); done(101); });
    req.on('error', fail);
    req.end();
  });
}
await check('a wrong or missing token gets 403; so do the facilitator\'s files and requests for a team or the projector', async () => {
  const wrong = origin + '/r/' + '0123456789abcdef'.repeat(2) + '/';
  assert.equal(await status(wrong), 403);
  assert.equal(await status(wrong + 'view'), 403);
  assert.equal(await status(wrong + 'room.js'), 403);
  assert.equal(await upgradeStatus(wrong + 'ws'), 403);
  assert.equal(await status(wrong + 'api', { method: 'POST', body: '{"type":"view"}' }), 403);
  assert.equal(await status(origin + '/'), 403);
  assert.equal(await status(origin + '/r/'), 403);
  const team = urls.teams[TEAMS[0]];
  assert.equal(await status(team.replace(/[0-9a-f]{32}/, (t) => t.slice(0, 31) + (t[31] === '0' ? '1' : '0'))), 403, 'one digit off');
  assert.equal(await status(team + 'debrief.md'), 403);
  assert.equal(await status(team + 'log.jsonl'), 403);
  assert.equal(await status(urls.projector + 'log.jsonl'), 403);
  // Not the role's to do: refused (the protocol says 403; the room answers
  // a request type the role may not send as unknown, 400).
  for (const u of [team, urls.projector]) {
    const r = await fetch(u + 'api', { method: 'POST', body: '{"type":"close"}' });
    assert.ok(r.status === 403 || r.status === 400, u + ': ' + r.status);
    assert.equal((await r.json()).type, 'error');
  }
  assert.equal(await status(team), 200);
  const r = await fetch(team);
  assert.match(r.headers.get('content-security-policy') || '', /default-src 'none'/);
});

// --- the pages ---------------------------------------------------------------------------
const { browser, finish } = await launchBrowser();
// Opens a role's page in a context of its own; records what it logs, fetches
// and receives over its WebSocket.
async function openRole(name, url, contextOptions) {
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  const w = { name, url, context, page, problems: [], requests: [], frames: [], views: [] };
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') w.problems.push(m.type() + ': ' + m.text()); });
  page.on('pageerror', (e) => w.problems.push('pageerror: ' + e.message));
  page.on('request', (r) => w.requests.push(r.url()));
  page.on('websocket', (ws) => ws.on('framereceived', (f) => {
    const text = String(f.payload);
    w.frames.push(text);
    try { const m = JSON.parse(text); if (m.type === 'view') w.views.push(m); } catch (e) { w.problems.push('a frame that is not JSON: ' + text.slice(0, 80)); }
  }));
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.ententeRoom && window.ententeRoom.ready);
  return w;
}
const fac = await openRole('facilitator', urls.facilitator, { viewport: { width: 1400, height: 1000 } });
const arm = await openRole('ARM', urls.teams.ARM, { viewport: { width: 1280, height: 900 } });
const aze = await openRole('AZE', urls.teams.AZE, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
const proj = await openRole('projector', urls.projector, { viewport: { width: 1920, height: 1080 } });
const pages = [fac, arm, aze, proj];
const teamPage = { ARM: arm, AZE: aze };
const viewOf = (w) => w.page.evaluate(() => window.ententeRoom.view);
const waitFor = (w, turn, phase) => w.page.waitForFunction(([turn, phase]) => {
  const v = window.ententeRoom.view;
  return v && v.turn === turn && v.phase === phase;
}, [turn, phase]);
const waitAll = (turn, phase) => Promise.all(pages.map((w) => waitFor(w, turn, phase)));
const text = (w) => w.page.evaluate(() => document.body.innerText);

await check('each page learns its role from its first view', async () => {
  assert.equal((await viewOf(fac)).role, 'facilitator');
  assert.equal((await viewOf(proj)).role, 'projector');
  for (const t of TEAMS) {
    const v = await viewOf(teamPage[t]);
    assert.equal(v.role, 'team');
    assert.equal(v.team, t);
    assert.ok((await text(teamPage[t])).includes('Team ' + t));
  }
  const f = await viewOf(fac);
  assert.deepEqual(f.scenario.teams, TEAMS);
  assert.equal(f.scenario.fog, FOG);
  assert.equal(f.turn, 1);
  assert.equal(f.phase, 'orders');
});
await check('the turn\'s timer shows on every page and counts down between pushes', async () => {
  const timers = async () => Promise.all(pages.map((w) => w.page.textContent('#timer')));
  const before = await timers();
  for (const t of before) assert.match(t, /^1[45]:\d\d$/);
  await sleep(2100);
  const after = await timers();
  const secs = (t) => +t.split(':')[0] * 60 + +t.split(':')[1];
  for (let k = 0; k < pages.length; ++k) assert.ok(secs(after[k]) < secs(before[k]), pages[k].name + ': ' + before[k] + ' then ' + after[k]);
});

// What each team must never hold: the other team's brief, its draft-only and
// (while sealed) submitted moves, the messages not to or from it.
const secrets = { ARM: [], AZE: [] };     // strings a team's page must never hold, by team
const sealed = { ARM: [], AZE: [] };      // strings that may not show until the turn closes
const projectorSecrets = [];              // every brief, order and message
const briefs = {};
{
  const f = await viewOf(fac);
  for (const t of TEAMS) {
    briefs[t] = String(f.team_views[t].brief || '');
    // The brief's sentences: the page shows them in paragraphs.
    const parts = briefs[t].split(/\n+|(?<=\.)\s+/).map((s) => s.trim()).filter((s) => s.length >= 24);
    for (const o of TEAMS) if (o !== t) secrets[o].push(...parts);
    projectorSecrets.push(...parts);
  }
}
const jsonText = (s) => JSON.stringify(s).slice(1, -1);
// Every string of `list` that `w` received, holds in window.ententeRoom or shows.
async function leaks(w, list) {
  if (list.length === 0) return [];
  const received = w.frames.join('\n');
  const room = await w.page.evaluate(() => JSON.stringify({ view: window.ententeRoom.view, sent: window.ententeRoom.sent }));
  const shown = await text(w);
  return list.filter((s) => received.includes(jsonText(s)) || room.includes(jsonText(s)) || shown.includes(s));
}
async function noLeaks(when) {
  await check(when + ': no team holds another team\'s brief, orders or messages; the projector holds none', async () => {
    for (const t of TEAMS) assert.deepEqual(await leaks(teamPage[t], [...secrets[t], ...sealed[t]]), [], 'team ' + t);
    assert.deepEqual(await leaks(proj, [...projectorSecrets, ...sealed.ARM, ...sealed.AZE]), [], 'projector');
  });
}
const PRIVATE_KEYS = ['truth', 'team_views', 'brief', 'objective', 'menu', 'budget', 'orders', 'messages', 'history', 'scores'];
// The views a page received hold only its role's parts.
async function viewShapes(when) {
  await check(when + ': every view received is the page\'s own role\'s', async () => {
    for (const t of TEAMS) {
      const w = teamPage[t];
      assert.ok(w.views.length > 0);
      for (const v of w.views) {
        assert.equal(v.role, 'team');
        assert.equal(v.team, t);
        for (const k of ['truth', 'team_views', 'history', 'scores', 'blocs', 'fan']) assert.ok(!(k in v), t + ' received ' + k);
        assert.ok(v.orders && !Array.isArray(v.orders), t + ': orders are its own');
        for (const m of v.messages) assert.ok(m.to === t || m.from === t || m.to === 'all', t + ' received ' + JSON.stringify(m));
      }
    }
    for (const v of proj.views) {
      assert.equal(v.role, 'projector');
      for (const k of PRIVATE_KEYS) assert.ok(!(k in v), 'the projector received ' + k);
    }
    for (const v of fac.views) assert.equal(v.role, 'facilitator');
  });
}
// Fog: every team's own relations and position exact and true; every other
// value an estimate that differs from the truth (σ = 0.1); the projector's
// all estimates. Each view against the facilitator's truth of its step.
async function fogChecks(when) {
  await check(when + ': third-party values are estimates, never the truth; own values exact', async () => {
    const truthAt = new Map();
    for (const v of fac.views) truthAt.set(v.turn + ':' + v.step + ':' + v.branch, v.truth);
    let compared = 0;
    const audit = (v, own, truth) => {
      const rel = new Map(truth.relations.map((r) => [r.from + '|' + r.to, r.value]));
      const pos = new Map(truth.positions.map((p) => [p.actor + '|' + p.axis, p.value]));
      for (const r of v.state.relations) {
        const real = rel.get(r.from + '|' + r.to);
        if (r.from === own || r.to === own) {
          assert.equal(r.exact, true, JSON.stringify(r));
          assert.equal(r.value, real, JSON.stringify(r));
        } else {
          assert.equal(r.exact, false, JSON.stringify(r));
          if (Math.abs(real) < 1) { assert.notEqual(r.value, real, 'the truth of ' + r.from + '→' + r.to + ' seen by ' + (own || 'the projector')); ++compared; }
        }
      }
      for (const p of v.state.positions) {
        const real = pos.get(p.actor + '|' + p.axis);
        if (p.actor === own) { assert.equal(p.exact, true); assert.equal(p.value, real); }
        else { assert.equal(p.exact, false, JSON.stringify(p)); if (Math.abs(real) < 1) { assert.notEqual(p.value, real); ++compared; } }
      }
    };
    const facState = await viewOf(fac);
    for (const t of TEAMS) {
      const w = teamPage[t];
      let matched = 0;
      for (const v of w.views) {
        const truth = truthAt.get(v.turn + ':' + v.step + ':' + facState.branch);
        if (!truth) continue;
        ++matched;
        audit(v, t, truth);
      }
      assert.ok(matched > 0, t + ': no view at a step the facilitator saw');
      // What the facilitator's lens shows is what the team sees.
      const now = await viewOf(w);
      if (now.turn === facState.turn && now.step === facState.step) assert.deepEqual(facState.team_views[t].state, now.state, t);
      // On screen: third-party cells read ≈.
      const cells = await w.page.evaluate((own) => [...document.querySelectorAll('#dash table.relations tbody tr')].flatMap((tr) => {
        const from = tr.querySelector('th').textContent;
        return [...tr.querySelectorAll('td')].map((td, k) => ({ from, k, text: td.textContent }));
      }), t);
      const ids = now.scenario.actors.map((a) => a.id);
      for (const c of cells) {
        const to = ids[c.k];
        if (c.from === to) continue;
        if (c.from === t || to === t) assert.match(c.text, /^-?\d/, t + ' sees ' + c.from + '→' + to + ' as ' + c.text);
        else assert.match(c.text, /^≈/, t + ' sees ' + c.from + '→' + to + ' as ' + c.text);
      }
    }
    for (const v of proj.views) {
      const truth = truthAt.get(v.turn + ':' + v.step + ':' + facState.branch);
      if (truth) audit(v, null, truth);
    }
    assert.ok(compared > 30, 'only ' + compared + ' values compared');
  });
}

// --- turn 1: drafts, a reconnection, orders, messages ----------------------------------------
const available = (v) => v.menu.filter((m) => m.available && (v.budget.left === null || m.cost <= v.budget.left));
// Ticks exactly `ids` on a team's page.
async function tick(w, ids) {
  const v = await viewOf(w);
  for (const m of v.menu) {
    const box = w.page.locator('#move-' + m.id);
    if (ids.includes(m.id)) await box.check(); else if (await box.isChecked()) await box.uncheck();
  }
}
const sameSet = (a, b) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
async function waitOrders(w, status, ids, field) {
  await w.page.waitForFunction(([status, ids, field]) => {
    const o = window.ententeRoom.view.orders;
    return o.status === status && JSON.stringify([...o[field]].sort()) === JSON.stringify([...ids].sort());
  }, [status, ids, field]);
}
const plan = {}; // team -> { draftOnly, submitted per turn }
await check('turn 1: a team saves a draft, reconnects (reload) and finds it; a dropped socket reconnects', async () => {
  const v = await viewOf(arm);
  const moves = available(v);
  assert.ok(moves.length >= 2, 'ARM has ' + moves.length + ' available moves');
  // A move ARM drafts and never submits, and the one it submits.
  const cheap = moves.filter((m) => m.cost <= (v.budget.left === null ? Infinity : v.budget.left));
  plan.ARM = { draftOnly: cheap[1].id, submit: [cheap[0].id] };
  await tick(arm, [plan.ARM.draftOnly]);
  assert.ok((await arm.page.textContent('#selection')).includes('Not saved yet'));
  await arm.page.click('#save-draft');
  await waitOrders(arm, 'draft', [plan.ARM.draftOnly], 'draft');
  await shot(arm, 'turn1-arm-draft');
  await arm.page.reload({ waitUntil: 'load' });
  await arm.page.waitForFunction(() => window.ententeRoom && window.ententeRoom.ready);
  assert.equal(await arm.page.isChecked('#move-' + plan.ARM.draftOnly), true, 'the draft is back after reconnecting');
  assert.ok((await arm.page.textContent('#order-status')).includes('draft'));
  // A dropped connection: "reconnecting…", then the view again.
  const before = await aze.page.evaluate(() => window.ententeRoom.received);
  await aze.page.evaluate(() => window.ententeRoom.drop());
  await aze.page.waitForFunction(() => document.querySelector('#connection').textContent === 'reconnecting…', null, { polling: 10 });
  await aze.page.waitForFunction((n) => window.ententeRoom.connection === 'connected' && window.ententeRoom.received > n, before);
  assert.equal(await aze.page.textContent('#connection'), 'connected');
});
// ARM's draft is never submitted: nobody else ever sees it.
if (plan.ARM) {
  const m = (await viewOf(arm)).menu.find((x) => x.id === plan.ARM.draftOnly);
  secrets.AZE.push(m.id, m.name);
  projectorSecrets.push(m.id, m.name);
}

// Each team submits through its page; returns what it submitted.
async function submit(team, ids) {
  const w = teamPage[team];
  await tick(w, ids);
  await w.page.click('#submit-orders');
  await waitOrders(w, 'submitted', ids, 'submitted');
  return ids;
}
const MESSAGES = {
  armToFac: 'ARM to the facilitator: we are considering leaving the CSTO (private 7f3a)',
  azeToAll: 'AZE to everyone: Baku proposes talks on the route (public 91c2)',
  facToArm: 'Facilitator to ARM: explain the CSTO plan to me (private 4be0)',
};
async function sendMessage(w, to, body) {
  await w.page.selectOption('#messages select.to', to);
  await w.page.fill('#messages textarea', body);
  await w.page.click('#messages .compose button');
  await w.page.waitForFunction((body) => document.querySelector('#message-list').textContent.includes(body), body);
}
let submitted1 = {};
await check('turn 1: both teams submit sealed orders; messages go only where they are sent', async () => {
  submitted1.ARM = await submit('ARM', plan.ARM.submit);
  const v = await viewOf(aze);
  plan.AZE = { submit: [available(v)[0].id] };
  submitted1.AZE = await submit('AZE', plan.AZE.submit);
  await sendMessage(arm, 'facilitator', MESSAGES.armToFac);
  await sendMessage(aze, 'all', MESSAGES.azeToAll);
  await sendMessage(fac, 'ARM', MESSAGES.facToArm);
  await arm.page.waitForFunction((m) => document.querySelector('#message-list').textContent.includes(m), MESSAGES.azeToAll);
  await arm.page.waitForFunction((m) => document.querySelector('#message-list').textContent.includes(m), MESSAGES.facToArm);
  for (const m of Object.values(MESSAGES)) await fac.page.waitForFunction((m) => document.querySelector('#message-list').textContent.includes(m), m);
  const f = await viewOf(fac);
  for (const t of TEAMS) {
    const o = f.orders.find((x) => x.actor === t);
    assert.equal(o.status, 'submitted');
    assert.deepEqual(o.submitted, submitted1[t]);
  }
});
secrets.AZE.push(MESSAGES.armToFac, MESSAGES.facToArm);
projectorSecrets.push(...Object.values(MESSAGES));
// While the turn is open, a team's submitted moves (ids and names) are
// sealed from the other team and the projector, unless already public (in
// the feed, from an earlier turn).
async function sealedUntilClosed(ids) {
  const f = await viewOf(fac);
  const pub = JSON.stringify(f.feed);
  for (const t of TEAMS) {
    const menu = f.team_views[t].menu;
    const words = (ids[t] || []).flatMap((id) => [id, (menu.find((m) => m.id === id) || {}).name]).filter((w) => w && !pub.includes(jsonText(w)));
    for (const o of TEAMS) if (o !== t) sealed[o].push(...words);
  }
}
await sealedUntilClosed(submitted1);
await shot(arm, 'turn1-arm-submitted');
await shot(aze, 'turn1-aze-phone');
await shot(fac, 'turn1-facilitator-orders');
await check('the phone-sized team page fits its screen', async () => {
  const { scroll, inner } = await aze.page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
  assert.ok(scroll <= inner, 'page is ' + scroll + ' px wide on a ' + inner + ' px screen');
});
await noLeaks('turn 1, orders open');
await viewShapes('turn 1, orders open');

await check('a team cannot do what is the facilitator\'s; the projector only views', async () => {
  const r = await arm.page.evaluate(() => window.ententeRoom.send({ type: 'close' }));
  assert.equal(r.type, 'error');
  const a = await arm.page.evaluate(() => window.ententeRoom.send({ type: 'adjudicate', actor: 'AZE', decision: 'veto', reason: 'x' }));
  assert.equal(a.type, 'error');
  const p = await proj.page.evaluate(() => window.ententeRoom.send({ type: 'message', to: 'all', text: 'from the screen' }));
  assert.equal(p.type, 'error');
  assert.equal((await viewOf(fac)).phase, 'orders');
});

// --- the facilitator's turn: close, rule, inject, advance ------------------------------------------
const REASONS = {};
async function close(turn) {
  await fac.page.click('#close-turn');
  await waitAll(turn, 'closed');
}
// Vetoes `team`'s orders with a reason; the team sees the reason.
async function veto(team, reason) {
  const row = fac.page.locator('#order-' + team);
  await row.locator('input.reason-box').fill(reason);
  await row.locator('button.veto').click();
  await fac.page.waitForFunction((t) => window.ententeRoom.view.orders.find((o) => o.actor === t).status === 'vetoed', team);
  const w = teamPage[team];
  await waitOrders(w, 'vetoed', [], 'applied');
  await w.page.waitForFunction((r) => (document.querySelector('#order-reason') || { textContent: '' }).textContent.includes(r), reason);
  const v = await viewOf(w);
  assert.equal(v.orders.reason, reason);
  assert.ok((await w.page.textContent('#order-status')).includes('vetoed'));
}
async function accept(team, ids) {
  await fac.page.locator('#order-' + team + ' button.accept').click();
  await waitOrders(teamPage[team], 'accepted', ids, 'applied');
}
async function modify(team, ids, reason) {
  const row = fac.page.locator('#order-' + team);
  await row.locator('button.modify').click(); // opens the picker
  for (const box of await row.locator('.picker input[type=checkbox]').all()) {
    const id = await box.getAttribute('value');
    if (ids.includes(id)) await box.check(); else if (await box.isChecked()) await box.uncheck();
  }
  await row.locator('input.reason-box').fill(reason);
  await row.locator('button.modify').click();
  await waitOrders(teamPage[team], 'modified', ids, 'applied');
  await teamPage[team].page.waitForFunction((r) => (document.querySelector('#order-reason') || { textContent: '' }).textContent.includes(r), reason);
}
async function advance(turn) {
  await fac.page.click('#advance');
  await waitAll(turn + 1, 'orders');
}

await check('turn 1: the facilitator closes the turn; the engine\'s actors get orders with their table of expected scores', async () => {
  await close(1);
  const f = await viewOf(fac);
  const engine = f.orders.filter((o) => o.engine);
  assert.equal(engine.length, f.scenario.actors.length - TEAMS.length);
  assert.ok(engine.some((o) => o.table && o.table.length > 0), 'no engine table');
  assert.ok(await fac.page.locator('.order-row.engine .engine-table').count() > 0);
  // Orders can no longer change.
  assert.equal(await arm.page.isDisabled('#submit-orders'), true);
  const r = await arm.page.evaluate((ids) => window.ententeRoom.send({ type: 'submit', moves: ids }), []);
  assert.equal(r.type, 'error');
});
sealed.ARM.length = 0;
sealed.AZE.length = 0;
await shot(fac, 'turn1-facilitator-closed');
await check('turn 1: veto without a reason is refused next to the row; with one, ARM sees it', async () => {
  const sent = await fac.page.evaluate(() => window.ententeRoom.sent.length);
  await fac.page.locator('#order-ARM button.veto').click();
  assert.ok((await fac.page.locator('#order-ARM p.error').textContent()).includes('reason'));
  assert.equal(await fac.page.evaluate(() => window.ententeRoom.sent.length), sent, 'nothing sent without a reason');
  REASONS[1] = 'Turn 1: Yerevan cannot act before the CSTO summit (veto 51d7)';
  await veto('ARM', REASONS[1]);
  await accept('AZE', submitted1.AZE);
});
await shot(arm, 'turn1-arm-vetoed');
await check('turn 1: the command box shows a command\'s output and a refused command\'s error', async () => {
  await fac.page.fill('#command-line', 'inject affinity = [{from="RUS", to="ARM", delta=-0.1}] --label "grain embargo" --reason "the room expects it"');
  await fac.page.click('#run-command');
  await fac.page.waitForFunction(() => !document.querySelector('#command-output').hidden && document.querySelector('#command-output').textContent.includes('inject'));
  assert.equal(await fac.page.locator('#command-error').isHidden(), true);
  await fac.page.fill('#command-line', 'frobnicate now');
  await fac.page.click('#run-command');
  await fac.page.waitForFunction(() => !document.querySelector('#command-error').hidden);
  assert.ok((await fac.page.textContent('#command-error')).length > 0);
  await fac.page.fill('#command-line', 'history');
  await fac.page.click('#run-command');
  await fac.page.waitForFunction(() => document.querySelector('#command-output').textContent.startsWith('> history'));
  assert.equal(await fac.page.locator('#command-error').isHidden(), true);
});
await shot(fac, 'turn1-facilitator-ruled');
await noLeaks('turn 1, closed');
await check('turn 1: advance opens turn 2 on every page', async () => {
  await advance(1);
  for (const w of pages) assert.ok((await w.page.textContent('#turn')).startsWith('Turn 2'), w.name);
  const v = await viewOf(arm);
  assert.equal(v.orders.status, 'none');
});
await check('the projector shows the turn, the fan charts, the newest of the feed (with the inject)', async () => {
  const v = await viewOf(proj);
  assert.ok(v.fan.length > 0);
  await proj.page.waitForFunction((n) => document.querySelectorAll('#fans figure.fan canvas').length >= n, v.fan.length);
  await frame(proj.page);
  const ink = await proj.page.evaluate(() => [...document.querySelectorAll('#fans figure.fan')].map((f) => {
    const canvases = [...f.querySelectorAll('canvas')];
    const { width, height } = canvases[0];
    const ink = new Uint8Array(width * height);
    for (const c of canvases) {
      const { data } = c.getContext('2d').getImageData(0, 0, width, height);
      for (let k = 0; k < data.length; k += 4) if (data[k + 3] > 0 && (data[k] < 235 || data[k + 1] < 235 || data[k + 2] < 235)) ink[k / 4] = 1;
    }
    return ink.reduce((s, x) => s + x, 0) / (width * height);
  }));
  assert.equal(ink.length, v.fan.length);
  for (const x of ink) assert.ok(x > 0.01, 'a fan chart with ' + (x * 100).toFixed(2) + '% ink');
  // The history and the band as sent.
  const o = await proj.page.evaluate(() => window.ententeRoom.chartOption('fan-0'));
  const hist = o.series.find((s) => s.name === 'history').data;
  assert.deepEqual(hist, v.fan[0].history.map((h) => [h.step, h.value]));
  const band = v.fan[0].band;
  if (band) assert.deepEqual(o.series.find((s) => s.name === 'median').data.slice(-band.steps.length), band.steps.map((t, k) => [t, band.p50[k]]));
  const t = await text(proj);
  assert.ok(t.includes('Turn 2'), t.slice(0, 200));
  // The feed, newest first, as sent; the inject is in it (and on the
  // facilitator's page, which shows all of it).
  const shown = await proj.page.evaluate(() => [...document.querySelectorAll('#feed-list li .text')].map((e) => e.textContent));
  assert.ok(shown.length > 0 && shown.length <= v.feed.length);
  assert.deepEqual(shown, v.feed.slice(-shown.length).reverse().map((f) => f.text));
  assert.ok(v.feed.some((f) => f.text.includes('grain embargo')), 'the inject is in the public feed');
  assert.ok((await fac.page.textContent('#feed-list')).includes('grain embargo'));
  if (v.blocs) assert.ok(await proj.page.locator('#blocs-box canvas').count() > 0);
  for (const part of ['#brief', '#orders', '#menu', '#messages', '#dash', '#command']) assert.equal(await proj.page.locator(part).count(), 0, part);
});
await shot(proj, 'turn2-projector', false);
await check('the facilitator\'s look-ahead: a fan chart per observable, the band as sent', async () => {
  const v = await viewOf(fac);
  assert.ok(v.fan.length > 0 && v.fan.some((f) => f.band), 'no band');
  assert.equal(await fac.page.locator('#fans figure.fan').count(), v.fan.length);
  for (let k = 0; k < v.fan.length; ++k) {
    const o = await fac.page.evaluate((k) => window.ententeRoom.chartOption('fan-' + k), k);
    const band = v.fan[k].band;
    assert.deepEqual(o.series.find((s) => s.name === 'history').data, v.fan[k].history.map((h) => [h.step, h.value]));
    if (band) assert.deepEqual(o.series.find((s) => s.name === 'median').data.slice(-band.steps.length), band.steps.map((t, j) => [t, band.p50[j]]));
  }
  await shotOf(fac, '#fan', 'turn2-facilitator-fans');
});
await fogChecks('after turn 1');

// --- turns 2 and 3 -------------------------------------------------------------------------------
const played = { ARM: [...(submitted1.ARM || [])], AZE: [...(submitted1.AZE || [])] };
for (const turn of [2, 3]) {
  if (turn === 3) {
    // The laptop dies mid-game: kill -9, then `entente serve --resume`. The
    // same links work again and every page reconnects by itself.
    await check('a restart in the middle: kill -9, --resume, the same links, every page back on turn 3', async () => {
      const before = await viewOf(fac);
      const problems = pages.map((w) => w.problems.length);
      server.kill('SIGKILL');
      await exited;
      await Promise.all(pages.map((w) => w.page.waitForFunction(() => window.ententeRoom.connection !== 'connected')));
      fs.rmSync(urlsFile);
      startServer(['--resume', '--log', logFile, '--urls', urlsFile]);
      let again = null;
      for (const t0 = Date.now(); again === null && Date.now() - t0 < 30000 && serverExit === null; await sleep(100)) {
        try { again = JSON.parse(fs.readFileSync(urlsFile, 'utf8')); } catch (e) { again = null; }
      }
      assert.ok(again !== null, 'no urls after --resume: ' + serverOut + serverErr);
      assert.deepEqual(again, urls, 'the same links after the restart');
      assert.ok(serverOut.includes('resumed the room'), serverOut);
      await Promise.all(pages.map((w) => w.page.waitForFunction(() => window.ententeRoom.connection === 'connected', null, { timeout: 30000 })));
      await waitAll(3, 'orders');
      const after = await viewOf(fac);
      assert.deepEqual(after.truth, before.truth, 'the state is the one before the kill');
      assert.deepEqual(after.history, before.history);
      // While the server was down the browser may have said its sockets
      // failed to connect; nothing else.
      pages.forEach((w, k) => {
        const added = w.problems.splice(problems[k]);
        for (const p of added) assert.match(p, /WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource/, w.name + ': ' + p);
      });
    });
  }
  const vetoed = turn === 2 ? 'AZE' : 'ARM', other = turn === 2 ? 'ARM' : 'AZE';
  const ids = {};
  await check(`turn ${turn}: both submit; ${vetoed} is vetoed with a reason, ${other} ${turn === 2 ? 'accepted' : 'modified'}`, async () => {
    for (const t of TEAMS) {
      const v = await viewOf(teamPage[t]);
      // A move not submitted before (so that it cannot be public yet), never ARM's draft-only one.
      const choice = available(v).filter((m) => m.id !== (plan.ARM && plan.ARM.draftOnly));
      const fresh = choice.filter((m) => !played[t].includes(m.id));
      const pick = fresh.length > 0 ? fresh[0] : choice[0];
      ids[t] = await submit(t, pick ? [pick.id] : []);
      played[t].push(...ids[t]);
    }
    await sealedUntilClosed(ids);
    await noLeaks(`turn ${turn}, orders open (sealed)`);
    sealed.ARM.length = 0;
    sealed.AZE.length = 0;
    await close(turn);
    REASONS[turn] = `Turn ${turn}: the room judges this escalation implausible now (veto ${turn}e${turn}9)`;
    await veto(vetoed, REASONS[turn]);
    if (turn === 2) await accept(other, ids[other]);
    else {
      // Another of its moves instead, or none.
      const v = await viewOf(teamPage[other]);
      const instead = available(v).filter((m) => !ids[other].includes(m.id)).slice(0, 1).map((m) => m.id);
      REASONS.modify = `Turn ${turn}: control plays a softer move for ${other} (modify 0c${turn})`;
      await modify(other, instead, REASONS.modify);
    }
    if (turn === 3) {
      await shot(fac, 'turn3-facilitator-ruled');
      await shotOf(fac, '#orders', 'turn3-facilitator-orders');
    }
    await advance(turn);
  });
}
await noLeaks('after turn 3');
await viewShapes('after turn 3');
await fogChecks('after turn 3');
await shot(arm, 'turn4-arm');
await shot(aze, 'turn4-aze-phone');

await check('the facilitator\'s lens shows what a team sees', async () => {
  await fac.page.selectOption('#lens', 'ARM');
  const shown = await fac.page.textContent('#dash');
  assert.ok(shown.includes('≈'));
  await fac.page.selectOption('#lens', 'truth');
  assert.ok(!(await fac.page.textContent('#dash')).includes('≈'));
});

// --- the end --------------------------------------------------------------------------------------
await check('End game (two clicks): every page shows the end; the debrief and the log download', async () => {
  await fac.page.click('#end-game');
  assert.equal((await viewOf(fac)).phase, 'orders', 'one click does not end the game');
  await fac.page.click('#end-game');
  await Promise.all(pages.map((w) => w.page.waitForFunction(() => window.ententeRoom.view.phase === 'ended')));
  assert.equal(await fac.page.getAttribute('#debrief-link', 'href'), 'debrief.md');
  assert.equal(await fac.page.getAttribute('#log-link', 'href'), 'log.jsonl');
  const got = await fac.page.evaluate(async () => Promise.all(['debrief.md', 'log.jsonl'].map(async (f) => {
    const r = await fetch(f);
    return { status: r.status, text: await r.text() };
  })));
  assert.equal(got[0].status, 200);
  assert.ok(got[0].text.length > 100, got[0].text);
  assert.equal(got[1].status, 200);
  assert.ok(got[1].text.includes(jsonText(REASONS[1])), 'the log holds the first veto\'s reason');
  // The debrief covers the room: every veto's reason, the engine's choices, the restart.
  for (const [turn, reason] of Object.entries(REASONS)) assert.ok(got[0].text.includes(reason), 'debrief, turn ' + turn + ': ' + reason);
  assert.ok(got[0].text.includes('## The room'), 'the debrief has the room');
  assert.ok(got[0].text.includes('(engine) chose'), 'the debrief has the engine\'s choices');
  assert.ok(got[0].text.includes('the server restarted'), 'the debrief has the restart');
});
await shot(fac, 'end-facilitator');
await shot(proj, 'end-projector', false);

await check('no page logged an error or a warning, broke its CSP, or fetched anything but its own files', async () => {
  for (const w of pages) {
    assert.deepEqual(w.problems, [], w.name);
    assert.deepEqual(await w.page.evaluate(() => window.ententeRoom.violations), [], w.name);
    const other = w.requests.filter((u) => !u.startsWith(w.url) && !u.startsWith('data:'));
    assert.deepEqual(other, [], w.name);
  }
});
for (const w of pages) await w.context.close();

await check('SIGINT stops the server; the audit log holds every veto\'s reason', async () => {
  server.kill('SIGINT');
  const r = await Promise.race([exited, sleep(15000).then(() => null)]);
  assert.ok(r !== null, 'the server is still running 15 s after SIGINT');
  assert.ok(r.code === 0 || r.code === 130, 'exit ' + JSON.stringify(r) + '\n' + serverErr);
  const entries = fs.readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const log = JSON.stringify(entries);
  for (const [turn, reason] of Object.entries(REASONS)) assert.ok(log.includes(jsonText(reason)), 'turn ' + turn + ': ' + reason);
  assert.equal((fs.statSync(logFile).mode & 0o777).toString(8), '600');
});
if (serverExit === null) server.kill('SIGKILL');

// --- without fog: the projector's blocs network and bands ---------------------------------------
// A second room, no teams' fog: the public sees the blocs and the look-ahead.
{
  const urls2File = path.join(outDir, 'urls-nofog.json');
  fs.rmSync(urls2File, { force: true });
  fs.rmSync(path.join(outDir, 'room-nofog.jsonl'), { force: true });  // a log left by an earlier run would be refused
  const clear = spawn(entente, ['serve', 'scenarios/baseline.toml', '--teams', 'ARM', '--port', '0', '--urls', urls2File,
    '--log', path.join(outDir, 'room-nofog.jsonl'), '--fog', 'none'], { cwd: sourceDir, stdio: 'ignore' });
  const done = new Promise((ok) => clear.on('exit', ok));
  let u = null;
  for (const t0 = Date.now(); u === null && Date.now() - t0 < 60000; await sleep(100)) {
    try { u = JSON.parse(fs.readFileSync(urls2File, 'utf8')); } catch (e) { u = null; }
  }
  await check('without fog, the projector draws the blocs network and the look-ahead bands', async () => {
    assert.ok(u !== null, 'no urls file');
    const api = (body) => fetch(u.facilitator + 'api', { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json());
    assert.equal((await api({ type: 'close' })).type, 'ok');
    assert.equal((await api({ type: 'advance' })).type, 'ok');
    const w = await openRole('projector (no fog)', u.projector, { viewport: { width: 1920, height: 1080 } });
    const v = await viewOf(w);
    assert.ok(v.blocs, 'no blocs in the view');
    await w.page.waitForFunction(() => document.querySelectorAll('#blocs-box canvas').length > 0);
    const graph = await w.page.evaluate(() => window.ententeRoom.chartOption('blocs').series[0]);
    assert.deepEqual(graph.data.map((n) => n.id).sort(), v.blocs.groups.map((g) => g.actor).sort());
    assert.equal(graph.links.length, v.blocs.links.filter((l) => Math.abs(l.value) >= 0.05).length);
    for (const g of v.blocs.groups) assert.equal(graph.categories[graph.data.find((n) => n.id === g.actor).category].name, 'bloc ' + g.bloc);
    assert.ok(v.fan.some((f) => f.band), 'no band');
    const o = await w.page.evaluate(() => window.ententeRoom.chartOption('fan-0'));
    assert.deepEqual(o.series.filter((x) => x.type === 'custom').map((x) => x.name), ['5–95%', '25–75%']);
    await frame(w.page);
    await shot(w, 'nofog-projector', false);
    assert.deepEqual(w.problems, []);
    assert.deepEqual(await w.page.evaluate(() => window.ententeRoom.violations), []);
    await w.context.close();
  });
  clear.kill('SIGINT');
  await Promise.race([done, sleep(15000)]);
  clear.kill('SIGKILL');
}
await finish(outDir);
