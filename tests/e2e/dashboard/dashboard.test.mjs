// The dashboard in a real headless Chromium against the real broker:
// connection and heartbeat state, the sessions table following a Claude Code
// hook lifecycle, the event stream, plots, rebuild after reload, the stale
// indicator when the broker stops or freezes, recovery when a broker returns
// on the same port, heartbeat-keyed extension panels, and a session's detail
// (agent tree, tool timeline, errors) with the table's colour telling whom
// each session waits for; with a real redis-server and two cluster_redis
// brokers, the cluster's nodes and each session's node, and a killed node
// shown lost with its sessions marked. Screenshots go to HOOKBROKER_TEST_OUTPUT.
//
// Run by ctest (tests/e2e/dashboard/CMakeLists.txt sets the environment).
// Exits 77 (ctest: skipped) with a message when Chromium or the npm packages
// are missing; everything else is a pass or a failure.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { BrokerProcess, findProgram, ms, postEvent, startRedis } from './broker_process.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const sourceDir = resolve(here, '../../..');
const env = {
  broker: process.env.HOOKBROKER_BIN || join(sourceDir, 'build/bin/hookbroker'),
  chromium: process.env.HOOKBROKER_CHROMIUM || '/usr/bin/chromium',
  nodeModules: process.env.HOOKBROKER_NODE_MODULES || join(sourceDir, 'node_modules'),
  dashboard: process.env.HOOKBROKER_DASHBOARD_DIR || join(sourceDir, 'build/share/hookbroker/dashboard'),
  fixtures: process.env.HOOKBROKER_HOOK_FIXTURES || join(sourceDir, 'tests/fixtures/hooks'),
  fixturePlugins: process.env.HOOKBROKER_FIXTURE_PLUGINS || join(sourceDir, 'build/test-fixtures/plugins'),
  output: process.env.HOOKBROKER_TEST_OUTPUT || join(sourceDir, 'build/test-output/dashboard'),
};

function skip(reason) {
  console.log(`SKIP dashboard browser test: ${reason}`);
  process.exit(77);
}

if (!existsSync(env.chromium)) skip(`${env.chromium} not found (install Debian's chromium: scripts/install-deps.sh)`);
if (!existsSync(join(env.nodeModules, 'playwright-core'))) skip(`playwright-core not in ${env.nodeModules} (run npm ci in ${sourceDir})`);
if (!existsSync(join(env.dashboard, 'vendor/socket.io.js')))
  skip(`${env.dashboard}/vendor/socket.io.js missing: the build ran without node_modules (npm ci, then re-run cmake)`);
if (!existsSync(env.broker)) throw new Error(`broker binary ${env.broker} not found: build the hookbroker target first`);

const { chromium } = createRequire(join(env.nodeModules, 'noop.js'))('playwright-core');

const HEARTBEAT_INTERVAL_S = 0.5;
const lifecycle = JSON.parse(readFileSync(join(env.fixtures, 'claude_code_session_lifecycle.json'), 'utf8'));
// A modern session: a background subagent, a failed call in it, a rate limit, an MCP elicitation.
const modern = JSON.parse(readFileSync(join(env.fixtures, 'claude_code_background_lifecycle.json'), 'utf8'));
const SESSION = lifecycle.session_id;
const OTHER_SESSION = 'b7e0d3c1-5a5a-4c4c-9d9d-2f1e0c9b8a77';
// The second session goes as far as a running delegation and stays there.
const otherSteps = lifecycle.steps.slice(0, 6).map((s) => ({
  ...s,
  event: { ...s.event, session_id: OTHER_SESSION, cwd: '/home/dev/src/api-gateway', transcript_path: undefined },
}));

// The optional plugins of issue 6 and the heartbeat key (= panel) each adds.
// Whichever of them is built is exercised for real; the others are skipped.
const pluginDir = join(dirname(env.broker), '..', 'lib', 'hookbroker', 'plugins');
// Plugins whose heartbeat key gets a panel, and that key (spool_replay's and otlp_claude's are shown generically).
const OPTIONAL_PANELS = { sysmetrics: 'system_metrics', client_heartbeats: 'clients', alerts: 'alerts', history_sqlite: 'history_sqlite', spool_replay: 'spool_replay', otlp_claude: 'telemetry' };
const builtOptional = Object.keys(OPTIONAL_PANELS).filter((name) => existsSync(join(pluginDir, `${name}.so`)));
const setAll = (names, enabled) => names.flatMap((name) => ['--set', `plugins.${name}.enabled=${enabled}`]);
// A rule that fires as soon as the dashboard is connected.
const CLIENT_RULE = JSON.stringify([{ name: 'dashboard_connected', metric: 'connected_clients', op: '>=', value: 1, for_ticks: 1, severity: 'info', message: 'a client is connected' }]);

function startBroker(port, extraArgs = []) {
  return new BrokerProcess(env.broker, ['--port', String(port), '--heartbeat-interval-s', String(HEARTBEAT_INTERVAL_S), ...extraArgs]);
}

describe('dashboard in headless Chromium', () => {
  let broker;
  let port;
  let context;
  let page;
  let profileDir;
  const pageErrors = [];

  /** Waits until `fn(arg)` is truthy in the page. */
  const waitInPage = (fn, arg, timeout = ms(10000)) => page.waitForFunction(fn, arg, { timeout, polling: 50 });
  const waitBody = (connection, heartbeat, timeout) =>
    waitInPage(([c, h]) => (!c || document.body.dataset.connection === c) && (!h || document.body.dataset.heartbeat === h), [connection, heartbeat], timeout);
  /** Saves a screenshot into the test's output dir, scrolled to the top (so the sticky header sits where it belongs). */
  const screenshot = async (name, options = {}) => {
    await page.mouse.move(0, 0); // no hover highlight in the picture
    // Asked again until it holds: a smooth scroll still running (the event
    // stream scrolls into view after "Show its events") would undo one request.
    await waitInPage(() => {
      window.scrollTo({ top: 0, behavior: 'instant' });
      return window.scrollY === 0;
    });
    await page.screenshot({ path: join(env.output, name), ...options });
  };
  const statValue = (id) => page.$eval(`#${id}`, (el) => el.dataset.value);
  const eventRowCount = () => page.$$eval('#events-body tr', (rows) => rows.length);
  const sessionRow = (id) => page.$eval(`tr[data-session-id="${id}"]`, (tr) => ({
    status: tr.dataset.status, agent: tr.dataset.agent, activity: tr.dataset.activity,
    inactive: tr.classList.contains('inactive'), text: tr.textContent,
  }));

  before(async () => {
    mkdirSync(env.output, { recursive: true });
    broker = startBroker(0);
    port = await broker.port();
    await broker.waitForLog(/System heartbeat sent/, ms(10000));
    profileDir = mkdtempSync(join(tmpdir(), 'hookbroker-chromium-'));
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: env.chromium,
      headless: true,
      viewport: { width: 1440, height: 900 },
      colorScheme: 'dark',
      timeout: ms(30000),
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = context.pages()[0] || (await context.newPage());
    page.on('pageerror', (err) => pageErrors.push(err.message));
  });

  after(async () => {
    if (context) await context.close();
    if (broker) await broker.stop();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  });

  it('is served at / and goes live', { timeout: ms(30000) }, async () => {
    const response = await page.goto(`http://127.0.0.1:${port}/`);
    assert.equal(response.status(), 200);
    assert.match(response.headers()['content-type'], /text\/html/);
    await waitBody('connected', 'fresh');
    assert.equal(await page.$eval('#banner', (el) => el.hidden), true);
    // A panel for each default-on optional plugin that is loaded, and no other.
    const loaded = await page.$$eval('#plugin-list .chip', (chips) => chips.map((c) => c.textContent));
    const expected = builtOptional.filter((name) => loaded.includes(name)).map((name) => OPTIONAL_PANELS[name]);
    for (const key of expected) await page.waitForSelector(`#extension-panels [data-panel="${key}"]`, { timeout: ms(10000) });
    const panels = await page.$$eval('#extension-panels [data-panel]', (els) => els.map((e) => e.dataset.panel));
    assert.deepEqual(panels.sort(), expected.sort());
  });

  it('shows heartbeat numbers and keeps them updating', { timeout: ms(30000) }, async () => {
    const health = await (await fetch(`http://127.0.0.1:${port}/health`)).json();
    await waitInPage(() => Number(document.getElementById('stat-heartbeat').dataset.value) >= 1);
    const first = Number(await statValue('stat-heartbeat'));
    const firstUptime = Number(await statValue('stat-uptime'));
    // Three more heartbeats arrive and are counted; the broker's uptime moves on.
    await waitInPage((n) => Number(document.getElementById('stat-heartbeat').dataset.value) >= n + 3, first);
    await waitInPage((u) => Number(document.getElementById('stat-uptime').dataset.value) > u, firstUptime, ms(5000));
    assert.ok(Number(await statValue('stat-clients')) >= 1, 'this page is a connected client');
    assert.equal(await statValue('stat-version'), health.version);
    assert.match(await page.textContent('#stat-version'), new RegExp(`port ${port}`));
    assert.match(await page.textContent('#stat-heartbeat'), /0\.50 s/);
  });

  it('follows a session through its hook lifecycle', { timeout: ms(60000) }, async () => {
    const seen = [];
    for (const step of lifecycle.steps) {
      assert.equal(await postEvent(port, step.event), 204, `POST ${step.step}`);
      const { status, agent, activity } = step.expect;
      await waitInPage(([id, s, a, act]) => {
        const tr = document.querySelector(`tr[data-session-id="${id}"]`);
        return tr && tr.dataset.status === s && tr.dataset.agent === a && tr.dataset.activity === act;
      }, [SESSION, status, agent, activity]).catch(async (err) => {
        const row = await sessionRow(SESSION).catch(() => 'no row');
        throw new Error(`after ${step.step} expected ${JSON.stringify(step.expect)}, row is ${JSON.stringify(row)}: ${err.message}`);
      });
      if (seen[seen.length - 1] !== status) seen.push(status);
    }
    assert.deepEqual(seen, ['active', 'delegated', 'active', 'completed']);
    const row = await sessionRow(SESSION);
    assert.equal(row.inactive, true, 'a completed session is greyed');
    assert.match(row.text, /engineer/, 'the delegation shows its subagent type');
    assert.match(row.text, /\/home\/dev\/src\/webshop/);
    assert.match(row.text, /\d+ s ago/);
    // The heartbeat's total catches up with what was posted.
    await waitInPage((n) => Number(document.getElementById('stat-events').dataset.value) >= n, lifecycle.steps.length);
  });

  it('lists every event newest first, filters them and shows their JSON', { timeout: ms(30000) }, async () => {
    const total = lifecycle.steps.length;
    await waitInPage((n) => document.querySelectorAll('#events-body tr').length === n, total);
    assert.equal(await page.$eval('#events-body tr', (tr) => tr.dataset.kind), 'session_end');

    const preTools = lifecycle.steps.filter((s) => s.event.hook_event_name === 'PreToolUse').length;
    await page.selectOption('#filter-type', 'pre_tool');
    assert.equal(await eventRowCount(), preTools);
    await page.selectOption('#filter-type', '');

    await page.fill('#filter-text', 'discount');
    await waitInPage((n) => { const c = document.querySelectorAll('#events-body tr').length; return c > 0 && c < n; }, total);
    await page.fill('#filter-text', '');
    await waitInPage((n) => document.querySelectorAll('#events-body tr').length === n, total);

    await page.click('#events-body tr:first-child');
    await page.waitForSelector('#event-detail:not([hidden])');
    assert.match(await page.textContent('#event-detail-body'), /"hook_event_name": "SessionEnd"/);
    await screenshot('dashboard-event-detail.png');
    await page.keyboard.press('Escape');
    await page.waitForSelector('#event-detail', { state: 'hidden' });

    // Paused: new events are counted, not shown; resumed: they appear.
    await page.click('#pause-toggle');
    for (const step of otherSteps) assert.equal(await postEvent(port, step.event), 204);
    await waitInPage((n) => document.getElementById('pause-toggle').textContent.includes(`(${n} new)`), otherSteps.length);
    assert.equal(await eventRowCount(), total);
    await page.click('#pause-toggle');
    await waitInPage((n) => document.querySelectorAll('#events-body tr').length === n, total + otherSteps.length);

    // Clicking a session opens its detail; from there, "Show its events" shows only its events.
    await page.click(`tr[data-session-id="${OTHER_SESSION}"]`);
    await page.waitForSelector(`#session-detail[data-session-id="${OTHER_SESSION}"][data-state="loaded"]:not([hidden])`);
    await page.click('#session-detail-events');
    await page.waitForSelector('#session-detail', { state: 'hidden' });
    assert.equal(await page.$eval('#filter-session', (el) => el.value), OTHER_SESSION);
    const sessions = await page.$$eval('#events-body tr', (rows) => [...new Set(rows.map((r) => r.dataset.session))]);
    assert.deepEqual(sessions, [OTHER_SESSION]);
    await page.selectOption('#filter-session', '');
  });

  it('plots events per second and connected clients', { timeout: ms(30000) }, async () => {
    await waitInPage(() => Number(document.querySelector('#chart-clients svg').dataset.points) >= 2);
    await waitInPage(() => Number(document.querySelector('#chart-rate svg').dataset.points) >= 1);
    await waitBody('connected', 'fresh');
    await page.waitForSelector(`tr[data-session-id="${OTHER_SESSION}"][data-status="delegated"]`);
    await screenshot('dashboard.png', { fullPage: true });
  });

  it('rebuilds its state after a reload from history and the next heartbeat', { timeout: ms(30000) }, async () => {
    // More events than the broker replays on connect (50), so the page must ask for the rest.
    for (let i = 0; i < 40; i += 1) {
      assert.equal(await postEvent(port, { type: 'test', subtype: 'reload_probe', data: { i } }), 204);
    }
    await waitInPage((n) => document.querySelectorAll('#events-body tr').length === n, lifecycle.steps.length + otherSteps.length + 40);
    const before = await eventRowCount();
    await page.reload();
    await waitBody('connected', 'fresh');
    await waitInPage((n) => document.querySelectorAll('#events-body tr').length === n, before);
    assert.equal((await sessionRow(SESSION)).status, 'completed');
    assert.equal((await sessionRow(OTHER_SESSION)).status, 'delegated');
    // The plots come back from what the page remembered, not only from new heartbeats.
    assert.ok(Number(await page.$eval('#chart-clients svg', (el) => el.dataset.points)) >= 2);
  });

  it('turns stale when the broker freezes and live again when it resumes', { timeout: ms(30000) }, async () => {
    broker.signal('SIGSTOP');
    try {
      await waitBody(null, 'stale');
      assert.equal(await page.$eval('#banner', (el) => el.hidden), false);
      assert.match(await page.textContent('#heartbeat-pill'), /Stale/);
      await screenshot('dashboard-stale.png');
    } finally {
      broker.signal('SIGCONT');
    }
    await waitBody('connected', 'fresh');
    assert.equal(await page.$eval('#banner', (el) => el.hidden), true);
  });

  it('turns stale when the broker stops and recovers when one returns on the same port', { timeout: ms(60000) }, async () => {
    const rowTexts = () => page.$$eval('#events-body tr', (rows) => rows.map((r) => r.textContent));
    const rowsBefore = await rowTexts();
    const uptimeBefore = Number(await statValue('stat-uptime'));
    assert.deepEqual(await broker.stop(), { code: 0, signal: null }, `broker exit; output:\n${broker.output}`);
    await waitBody('reconnecting', 'stale');

    // The new broker loads every optional plugin that is built (their panels
    // appear), plus two test plugins: one contributes its own heartbeat key,
    // one throws, to show a custom key's panel and plugin errors.
    broker = startBroker(port, [
      ...setAll(builtOptional, true),
      ...(builtOptional.includes('alerts') ? ['--set', `plugins.alerts.config.rules=${CLIENT_RULE}`] : []),
      '--plugin-dir', join(env.fixturePlugins, 'good'), '--set', 'plugins.fixture_good.enabled=true',
      '--plugin-dir', join(env.fixturePlugins, 'contributor_throws'), '--set', 'plugins.fixture_contributor_throws.enabled=true']);
    assert.equal(await broker.port(), port);
    await waitBody('connected', 'fresh', ms(20000));

    // Events seen before the restart are all still listed (the new broker may add its own, e.g. alerts).
    const rowsAfter = new Set(await rowTexts());
    assert.deepEqual(rowsBefore.filter((text) => !rowsAfter.has(text)), []);
    assert.ok(Number(await statValue('stat-uptime')) <= uptimeBefore, 'uptime is the new broker\'s');
    // The new broker tracks no sessions: the completed one goes, the running one is kept greyed.
    await page.waitForSelector(`tr[data-session-id="${SESSION}"]`, { state: 'detached', timeout: ms(10000) });
    assert.equal((await sessionRow(OTHER_SESSION)).status, 'gone');

    const panel = await page.waitForSelector('[data-panel="fixture_good"]', { timeout: ms(10000) });
    assert.match(await panel.textContent(), /Threshold\s*5/);
    await page.waitForSelector('#plugin-errors:not([hidden])');
    assert.match(await page.textContent('#plugin-errors'), /fixture_contributor_throws/);
    for (const name of builtOptional) {
      await page.waitForSelector(`#extension-panels [data-panel="${OPTIONAL_PANELS[name]}"]`, { timeout: ms(10000) });
    }
    if (builtOptional.includes('sysmetrics')) {
      await waitInPage(() => /\d/.test(document.querySelector('[data-metric="rss_bytes"] .metric-value')?.textContent || ''));
    }
    if (builtOptional.includes('alerts')) {
      await waitInPage(() => /dashboard_connected/.test(document.querySelector('[data-panel="alerts"]').textContent));
    }
    if (builtOptional.includes('client_heartbeats')) {
      // The page itself sends two-way heartbeats: it is listed by name, with the round trip it measured.
      await waitInPage(() => /dashboard\s*\S+\s*[\d.]+ ms/.test(document.querySelector('[data-panel="clients"]').textContent), null, ms(20000));
      assert.match(await page.textContent('#connection-pill'), /Connected · [\d.]+ ms/);
    }
    if (builtOptional.includes('history_sqlite')) {
      await waitInPage(() => /Stored\s*\d/.test(document.querySelector('[data-panel="history_sqlite"]').textContent));
    }
    await screenshot('dashboard-after-restart.png', { fullPage: true });
  });

  it('hides the plugins\' panels when their heartbeat keys go away', { timeout: ms(60000) }, async () => {
    assert.deepEqual(await broker.stop(), { code: 0, signal: null }, `broker exit; output:\n${broker.output}`);
    await waitBody('reconnecting', 'stale');
    broker = startBroker(port, setAll(builtOptional, false));
    assert.equal(await broker.port(), port);
    await waitBody('connected', 'fresh', ms(20000));
    await page.waitForSelector('[data-panel="fixture_good"]', { state: 'detached', timeout: ms(10000) });
    await page.waitForSelector('#plugin-errors', { state: 'hidden' });
    assert.equal(await page.$eval('#extension-panels', (el) => el.hidden), true);
  });

  it('renders the metrics, alerts, clients and history panels from their keys and plugins', { timeout: ms(30000) }, async () => {
    // Drives the panel host with the heartbeat keys of the optional plugins
    // (sysmetrics, alerts, client_heartbeats, history_sqlite) in this page.
    const result = await page.evaluate(async () => {
      const { PanelHost } = await import('/js/panels/panel_host.js');
      const { PANEL_DEFINITIONS } = await import('/js/panels/index.js');
      const box = document.createElement('div');
      box.className = 'extension-panels';
      box.id = 'panel-fixture';
      document.querySelector('main').prepend(box);
      const now = Date.now();
      const iso = (msAgo) => new Date(now - msAgo).toISOString();
      const stored = [0, 1, 2, 3].map((i) => ({
        type: 'system', event: 'heartbeat', subtype: 'heartbeat', timestamp: iso((4 - i) * 60000),
        data: { uptime_seconds: 600 + i * 60, total_events: 100 + i * 120, connected_clients: 1 + (i % 2), sessions_summary: { total: i } },
      }));
      const requested = [];
      const link = { getJson: async (path) => { requested.push(path); return { events: [...stored].reverse(), count: stored.length, next_cursor: null }; } };
      const host = new PanelHost(box, PANEL_DEFINITIONS, link);
      const panels = () => [...box.querySelectorAll('[data-panel]')].map((p) => p.dataset.panel);

      // Shapes as the sysmetrics, alerts, client_heartbeats and history_sqlite plugins send them.
      const data = {
        uptime_seconds: 700,
        total_events: 5,
        system_metrics: {
          cpu_percent: 3.5, rss_bytes: 24 * 1024 * 1024, open_fds: 17, threads: 4, load_1m: 0.42, load_5m: 0.3, load_15m: 0.25,
          memory_available_bytes: 8 * 1024 ** 3, memory_total_bytes: 16 * 1024 ** 3, memory_available_percent: 50, host_uptime_seconds: 86400 * 3, cpu_count: null,
        },
        alerts: {
          firing_count: 1,
          firing: [{ alert: 'cpu_high', rule: 'cpu_high', severity: 'warning', message: 'system_metrics.cpu_percent 91 > 80', value: 91, since: iso(30000) }],
          pending: 0, evaluations: 12, evaluated_at: iso(0),
        },
        clients: {
          count: 2, stale: 1, heartbeating: 2, stale_after_seconds: 30, listed: 2, omitted: 0,
          list: [
            { id: 'c-1', client_id: 'monitor-1', name: 'monitor', transport: 'socketio', connected_at: iso(60000), last_seen: iso(2000), rtt_ms: 1.4, heartbeats: 30, stale: false },
            { id: 'c-2', client_id: null, name: 'old-tab', transport: 'socketio', connected_at: iso(600000), last_seen: iso(90000), rtt_ms: 9.8, heartbeats: 3, stale: true }],
        },
        history_sqlite: { path: '/tmp/h.db', stored: 1234, duplicates: 0, dropped: 0, failed: 0, pending: 0, batches: 40, last_batch_size: 3, last_commit_ms: 0.8, deleted: 0, database_bytes: 3 * 1024 * 1024 },
        my_plugin: { queue_depth: 3, last_flush_ms: 12 },
      };
      host.applyStatus({ plugins: ['sessions_memory', 'history_sqlite'] });
      host.applyHeartbeat(data);
      host.noteEvent({ type: 'system', event: 'alert', subtype: 'alert', timestamp: iso(30000), data: { alert: 'cpu_high', rule: 'cpu_high', state: 'firing', severity: 'warning', message: 'system_metrics.cpu_percent 91 > 80' } });
      await new Promise((r) => setTimeout(r, 300)); // the history panel's fetch
      const shown = {
        panels: panels(),
        requested,
        metrics: box.querySelector('[data-panel="system_metrics"]').textContent,
        alerts: box.querySelector('[data-panel="alerts"]').textContent,
        clients: box.querySelector('[data-panel="clients"]').textContent,
        generic: box.querySelector('[data-panel="my_plugin"]').textContent,
        history: box.querySelector('[data-panel="history_sqlite"]').textContent,
        historyPoints: [...box.querySelectorAll('[data-panel="history_sqlite"] svg')].map((s) => Number(s.dataset.points)),
      };
      window.__panelFixture = { host, data };
      return shown;
    });
    // The history_sqlite heartbeat key is shown inside its panel, not as a second, generic one.
    assert.deepEqual(result.panels, ['alerts', 'system_metrics', 'clients', 'history_sqlite', 'my_plugin']);
    assert.match(result.requested[0], /^\/api\/history\?type=heartbeat&from=[^&]+&limit=1000$/);
    assert.match(result.metrics, /CPU percent\s*3\.50 %/);
    assert.match(result.metrics, /RSS bytes\s*24\.0 MiB/);
    assert.match(result.metrics, /Host uptime seconds\s*3 d 0 h/);
    assert.match(result.metrics, /CPU count\s*—/);
    assert.match(result.alerts, /1 firing/);
    assert.match(result.alerts, /cpu_high/);
    assert.match(result.alerts, /Evaluations\s*12/);
    assert.match(result.alerts, /Recent transitions/);
    assert.match(result.clients, /2 reporting · 1 stale/);
    assert.match(result.clients, /old-tab\s*stale/);
    assert.match(result.generic, /Queue depth\s*3/);
    assert.match(result.generic, /Last flush ms\s*12 ms/);
    assert.match(result.history, /4 heartbeats/);
    assert.match(result.history, /Database bytes\s*3\.0 MiB/);
    assert.match(result.history, /Last commit ms\s*0\.80 ms/);
    assert.deepEqual(result.historyPoints, [3, 4, 4]);
    await page.evaluate(() => window.scrollTo({ top: 0, behavior: 'instant' }));
    const clip = await (await page.$('#panel-fixture')).boundingBox();
    await screenshot('dashboard-plugin-panels.png', { fullPage: true, clip });

    // Keys gone and plugin unloaded: every one of those panels is removed.
    const remaining = await page.evaluate(() => {
      const { host } = window.__panelFixture;
      host.applyHeartbeat({ uptime_seconds: 701, total_events: 5 });
      host.applyStatus({ plugins: ['sessions_memory'] });
      const box = document.getElementById('panel-fixture');
      const left = box.querySelectorAll('[data-panel]').length;
      box.remove();
      return { left, hidden: box.hidden };
    });
    assert.deepEqual(remaining, { left: 0, hidden: true });
  });

  it('asks for the token of a broker that requires one, then connects with it', { timeout: ms(30000) }, async () => {
    const guarded = startBroker(0, ['--token', 'dashboard-test-secret']);
    const guardedPage = await context.newPage();
    guardedPage.on('pageerror', (err) => pageErrors.push(err.message));
    try {
      const guardedPort = await guarded.port();
      await guardedPage.goto(`http://127.0.0.1:${guardedPort}/`);
      await guardedPage.waitForFunction(() => document.body.dataset.connection === 'unauthorized', null, { timeout: ms(10000) });
      assert.match(await guardedPage.textContent('#banner'), /requires a token/);
      await guardedPage.fill('#token-form input[name="token"]', 'dashboard-test-secret');
      await guardedPage.click('#token-form button');
      await guardedPage.waitForFunction(() => document.body.dataset.connection === 'connected' && document.body.dataset.heartbeat === 'fresh', null, { timeout: ms(10000) });
      // The token also opens the REST routes the page reads.
      assert.equal(await postEvent(guardedPort, lifecycle.steps[0].event, 'dashboard-test-secret'), 204);
      await guardedPage.waitForSelector(`tr[data-session-id="${SESSION}"][data-status="active"]`, { timeout: ms(10000) });
    } finally {
      await guardedPage.close();
      await guarded.stop();
    }
  });

  it('shows whom each session waits for, and a session\'s agents, tool calls and errors when clicked', { timeout: ms(60000) }, async () => {
    const own = startBroker(0);
    const detailPage = await context.newPage();
    detailPage.on('pageerror', (err) => pageErrors.push(err.message));
    const wait = (fn, arg, timeout = ms(10000)) => detailPage.waitForFunction(fn, arg, { timeout, polling: 50 });
    const row = (id) => detailPage.$eval(`tr[data-session-id="${id}"]`, (tr) => ({ attention: tr.dataset.attention, text: tr.textContent }));
    try {
      const ownPort = await own.port();
      await detailPage.setViewportSize({ width: 1440, height: 900 });
      await detailPage.goto(`http://127.0.0.1:${ownPort}/`);
      await detailPage.waitForFunction(() => document.body.dataset.connection === 'connected', null, { timeout: ms(10000) });
      const id = modern.session_id;
      // The table's colour follows whom the session waits for, step by step.
      const kinds = { working: 'working', waiting_for_input: 'you', waiting_for_answer: 'you', waiting_for_permission: 'you', error: 'error', ended: 'ended' };
      const steps = modern.steps.slice(0, -1); // all but SessionEnd: the detail is looked at while it lives
      for (const step of steps) {
        assert.equal(await postEvent(ownPort, step.event), 204, `POST ${step.step}`);
        await wait(([sid, kind]) => document.querySelector(`tr[data-session-id="${sid}"]`)?.dataset.attention === kind,
          [id, kinds[step.expect.activity]]).catch(async (err) => {
          throw new Error(`after ${step.step} expected ${step.expect.activity}, row is ${JSON.stringify(await row(id).catch(() => 'none'))}: ${err.message}`);
        });
        if (step.step.startsWith('Stop (main turn over')) {
          assert.match((await row(id)).text, /Waiting for input\s*1 in background/, 'the user is waited for while a subagent works');
        }
        if (step.step === 'StopFailure rate_limit') assert.match((await row(id)).text, /Error\s*rate limit/);
      }

      // Claude Code's own telemetry for the session (otlp_claude, on by default): cost and tokens join it.
      const apiRequest = (model, cost, input, output) => ({
        eventName: 'claude_code.api_request',
        attributes: [
          { key: 'session.id', value: { stringValue: id } }, { key: 'model', value: { stringValue: model } },
          { key: 'cost_usd', value: { doubleValue: cost } }, { key: 'input_tokens', value: { intValue: String(input) } },
          { key: 'output_tokens', value: { intValue: output } }, { key: 'duration_ms', value: { intValue: 2100 } }],
      });
      const exported = await fetch(`http://127.0.0.1:${ownPort}/v1/logs`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ resourceLogs: [{ scopeLogs: [{ scope: { name: 'com.anthropic.claude_code.events' },
          logRecords: [apiRequest('claude-opus-5', 0.5, 12000, 800), apiRequest('claude-sonnet-5', 0.125, 3000, 400)] }] }] }),
      });
      assert.equal(exported.status, 200, `POST /v1/logs: ${await exported.text()}`);
      await wait((sid) => /\$0\.6250/.test(document.querySelector(`tr[data-session-id="${sid}"] td.cost`)?.textContent || ''), id)
        .catch(async (err) => { throw new Error(`no cost in the sessions table: ${JSON.stringify(await row(id))}: ${err.message}`); });

      await detailPage.click(`tr[data-session-id="${id}"]`);
      await detailPage.waitForSelector('#session-detail[data-state="loaded"]:not([hidden])');
      const byModel = await detailPage.$$eval('#session-detail .usage-table[data-split="model"] tr', (rows) => rows.map((r) => r.textContent));
      assert.ok(byModel.some((r) => /claude-opus-5.*\$0\.5000/.test(r)), `per model: ${JSON.stringify(byModel)}`);
      assert.ok(byModel.some((r) => /claude-sonnet-5.*\$0\.1250/.test(r)), `per model: ${JSON.stringify(byModel)}`);
      const text = () => detailPage.textContent('#session-detail');
      assert.match(await text(), /checkout-discount/, 'the session title heads it');
      assert.match(await text(), /claude-opus-5/);
      // The agent tree: the main thread and the background Explore subagent, finished, with its last message.
      const agents = await detailPage.$$eval('#session-detail .agent-node', (nodes) => nodes.map((n) => ({ id: n.dataset.agentId, status: n.dataset.status, text: n.textContent })));
      assert.deepEqual(agents.map((a) => [a.id, a.status]), [['main', 'running'], ['a4d2c8f1e0b3a297', 'completed']]);
      assert.match(agents[1].text, /Explore/);
      assert.match(agents[1].text, /background/);
      assert.match(agents[1].text, /claude-sonnet-5/);
      assert.match(agents[1].text, /total\.ts never subtracts it/);
      // The tool timeline: newest first, with durations and the failure.
      const calls = await detailPage.$$eval('#session-detail .tool-row', (rows) => rows.map((r) => r.textContent));
      assert.equal(calls.length, 4);
      assert.match(calls[0], /mcp__jira__create_issue.*main.*2\.3 s.*ok/);
      assert.match(calls[1], /Bash.*Explore.*4\.2 s.*failed.*Exit code 1/);
      assert.match(calls[3], /Agent.*main.*41 ms.*ok/);
      // The error of the rate-limited turn, and the last message.
      assert.match(await detailPage.textContent('#session-detail .error-box'), /rate limit — 429 Too Many Requests/);
      assert.match(await detailPage.textContent('#session-last-message'), /Filed SHOP-142/);
      await detailPage.mouse.move(0, 0);
      await detailPage.screenshot({ path: join(env.output, 'dashboard-session-detail.png') });

      // The open detail follows the session's next event.
      assert.equal(await postEvent(ownPort, modern.steps[modern.steps.length - 1].event), 204);
      await detailPage.waitForSelector('#session-detail[data-attention="ended"]', { timeout: ms(10000) });
      await detailPage.keyboard.press('Escape');
      await detailPage.waitForSelector('#session-detail', { state: 'hidden' });
    } finally {
      await detailPage.close();
      await own.stop();
    }
  });

  it('shows the cluster\'s nodes and each session\'s node, and marks a lost node and its sessions', { timeout: ms(60000) }, async (t) => {
    if (!existsSync(join(pluginDir, 'cluster_redis.so'))) return t.skip('cluster_redis is not built (libhiredis-dev missing)');
    const redisBinary = findProgram('redis-server');
    if (!redisBinary) return t.skip('redis-server is not installed (scripts/install-deps.sh)');
    const redis = await startRedis(redisBinary);
    // Fast announcements so that a killed node is lost within two seconds.
    const member = (id) => startBroker(0, ['--set', 'plugins.cluster_redis.enabled=true',
      '--set', `plugins.cluster_redis.config.url=redis://127.0.0.1:${redis.port}/0`,
      '--set', `plugins.cluster_redis.config.node_id=${id}`,
      '--set', 'plugins.cluster_redis.config.announce_interval_s=0.2', '--set', 'plugins.cluster_redis.config.node_ttl_s=1.5']);
    const here = member('e2e-here');
    const there = member('e2e-there');
    const clusterPage = await context.newPage();
    clusterPage.on('pageerror', (err) => pageErrors.push(err.message));
    const waitFor = (fn, arg) => clusterPage.waitForFunction(fn, arg, { timeout: ms(15000), polling: 50 });
    // Runs in the page: only its argument crosses, no closure.
    const nodeIs = ([node, state]) => document.querySelector(`[data-panel="cluster"] tr[data-node-id="${node}"]`)?.dataset.state === state;
    try {
      const herePort = await here.port();
      const therePort = await there.port();
      await clusterPage.goto(`http://127.0.0.1:${herePort}/`);
      // Both nodes up, and this broker's link to Redis.
      await waitFor(nodeIs, ['e2e-here', 'up']);
      await waitFor(nodeIs, ['e2e-there', 'up']);
      await waitFor(() => document.querySelector('[data-panel="cluster"] .cluster-redis')?.dataset.state === 'connected');
      const hereRow = await clusterPage.textContent('[data-panel="cluster"] tr[data-node-id="e2e-here"]');
      assert.match(hereRow, /\(this\)/);
      assert.match(hereRow, new RegExp(`127\\.0\\.0\\.1:${herePort}`));
      assert.match(await clusterPage.textContent('[data-panel="cluster"] tr[data-node-id="e2e-there"]'), new RegExp(`:${therePort}`));
      assert.match(await clusterPage.textContent('[data-panel="cluster"] .panel-meta'), /2 up · redis connected/);

      // A session that runs on the other broker shows here, with its node.
      const remoteSession = 'cluster-remote-session';
      assert.equal(await postEvent(therePort, { ...lifecycle.steps[0].event, session_id: remoteSession }), 204);
      await waitFor((id) => document.querySelector(`tr[data-session-id="${id}"]`)?.dataset.node === 'e2e-there', remoteSession);
      assert.equal(await clusterPage.textContent(`tr[data-session-id="${remoteSession}"] .node-badge`), 'e2e-there');
      // A session of this broker's own has no badge.
      assert.equal(await postEvent(herePort, { ...lifecycle.steps[0].event, session_id: `${remoteSession}-own` }), 204);
      await waitFor((id) => document.querySelector(`tr[data-session-id="${id}"]`), `${remoteSession}-own`);
      assert.equal(await clusterPage.$(`tr[data-session-id="${remoteSession}-own"] .node-badge`), null);
      await clusterPage.$eval('.sessions-panel', (el) => el.scrollIntoView({ block: 'start', behavior: 'instant' }));
      await clusterPage.screenshot({ path: join(env.output, 'dashboard-cluster.png') });

      // The other broker dies: its node is shown lost, its session marked, not dropped.
      there.signal('SIGKILL');
      await waitFor(nodeIs, ['e2e-there', 'lost']);
      await waitFor((id) => document.querySelector(`tr[data-session-id="${id}"]`)?.dataset.nodeState === 'lost', remoteSession);
      assert.equal(await clusterPage.textContent(`tr[data-session-id="${remoteSession}"] .node-badge`), 'e2e-there · lost');
      assert.match(await clusterPage.textContent('[data-panel="cluster"] .panel-meta'), /1 up · 1 lost/);
    } finally {
      await clusterPage.close();
      await there.stop();
      await here.stop();
      await redis.stop();
    }
  });

  it('raised no error in the page', () => {
    assert.deepEqual(pageErrors, []);
  });
});
