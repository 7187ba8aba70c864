// claude-mpm's dashboard on hookbroker: a stock socket.io-client subscribed
// the way claude-mpm's Svelte dashboard is (lib/stores/socket.svelte.ts:
// polling then websocket; claude_event, heartbeat, event_history), plus the
// HTTP routes its Files and Tools views call. With mpm_compat on it gets
// what claude-mpm's monitor sends; with it off nothing changes.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { io } = require("socket.io-client");
const { startBroker, postEvent, nextEvent, waitFor, scaled } = require("./lib/broker");

const MPM_ON = ["--set", "plugins.mpm_compat.enabled=true"];

/** A project directory, a secret beside it and a symlink from one to the other. */
function makeProject() {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "hookbroker-mpm-")));
  const project = path.join(base, "webshop");
  fs.mkdirSync(path.join(project, "src"), { recursive: true });
  fs.writeFileSync(path.join(project, "README.md"), "# webshop\n");
  fs.writeFileSync(path.join(project, "src", "total.py"), "total = 1\n");
  fs.writeFileSync(path.join(base, "secret.txt"), "not for the dashboard\n");
  fs.symlinkSync("../secret.txt", path.join(project, "leak.txt"));
  return { base, project, remove: () => fs.rmSync(base, { recursive: true, force: true }) };
}

function nativeHook(name, fields) {
  return { hook_event_name: name, session_id: "sess-mpm-1", ...fields };
}

/** Connects as claude-mpm's dashboard does and records every event by name. */
function dashboardSocket(url) {
  const socket = io(url, { transports: ["polling", "websocket"], upgrade: true, reconnection: false });
  const seen = [];
  socket.onAny((name, ...args) => seen.push({ name, args }));
  return { socket, seen, named: (name) => seen.filter((e) => e.name === name).map((e) => e.args[0]) };
}

async function get(broker, route) {
  const res = await fetch(broker.url + route);
  return { status: res.status, body: await res.json() };
}

async function post(broker, route, body) {
  const res = await fetch(broker.url + route, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

const q = (p) => encodeURIComponent(p);

test("mpm_compat on: event_history, heartbeat events, correlation_id and tool_parameters", async () => {
  const project = makeProject();
  const broker = await startBroker(["--heartbeat-interval-s", "0.3", ...MPM_ON]);
  let socket;
  try {
    // Earlier events, from before the page opened.
    assert.equal(await postEvent(broker, nativeHook("SessionStart", { cwd: project.project, source: "startup" })), 204);
    const readInput = { file_path: path.join(project.project, "README.md") };
    assert.equal(
      await postEvent(broker, nativeHook("PreToolUse", { cwd: project.project, tool_name: "Read", tool_input: readInput, tool_use_id: "toolu_01" })),
      204,
    );
    const dashboard = dashboardSocket(broker.url);
    socket = dashboard.socket;
    const named = dashboard.named;

    const [history] = await nextEvent(socket, "event_history");
    assert.equal(history.count, 2);
    assert.equal(history.total_available, 2);
    assert.deepEqual(history.events.map((e) => e.subtype), ["session_start", "pre_tool"]);
    const earlier = history.events[1];
    assert.equal(earlier.correlation_id, "toolu_01");
    assert.equal(earlier.data.correlation_id, "toolu_01");
    assert.deepEqual(earlier.data.tool_parameters, readInput);
    assert.ok(named("history").length === 1, "hookbroker's own `history` is still sent");

    // Heartbeats on `heartbeat`, none on system_event.
    await waitFor(() => named("heartbeat").length >= 2, 5000, "two heartbeats");
    const beat = named("heartbeat")[0];
    assert.equal(beat.subtype, "heartbeat");
    assert.equal(typeof beat.data.uptime_seconds, "number");
    assert.equal(named("system_event").filter((e) => e.subtype === "heartbeat").length, 0);

    // Live tool events carry the pairing id and the parameters.
    const live = nextEvent(socket, "claude_event");
    assert.equal(
      await postEvent(broker, nativeHook("PostToolUse", { tool_name: "Read", tool_input: readInput, tool_use_id: "toolu_01", tool_response: {} })),
      204,
    );
    const [post] = await live;
    assert.equal(post.subtype, "post_tool");
    assert.equal(post.correlation_id, "toolu_01");
    assert.equal(post.data.correlation_id, "toolu_01");
    assert.deepEqual(post.data.tool_parameters, readInput);

    // claude-mpm's own sender's events keep its ids.
    const mpm = nextEvent(socket, "claude_event");
    const sent = {
      namespace: "",
      event: "claude_event",
      data: {
        event: "claude_event", source: "hook", type: "hook", subtype: "pre_tool", timestamp: "2026-01-17T12:00:00.000001+00:00",
        data: { tool_name: "Bash", tool_parameters: { command: "ls" }, session_id: "sess-mpm-1", working_directory: project.project, correlation_id: "mpm-corr-7" },
      },
    };
    assert.equal(await postEvent(broker, sent), 204);
    const [mpmEvent] = await mpm;
    assert.equal(mpmEvent.correlation_id, "mpm-corr-7");
    assert.deepEqual(mpmEvent.data.tool_parameters, { command: "ls" });
  } finally {
    if (socket) socket.close();
    await broker.stop();
    project.remove();
  }
});

test("mpm_compat on: /health, working directory and file routes, confined to the sessions' directories", async () => {
  const project = makeProject();
  const broker = await startBroker(MPM_ON);
  try {
    const health = await get(broker, "/health");
    assert.equal(health.status, 200);
    assert.equal(health.body.service, "claude-mpm-monitor", "claude-mpm's launcher recognises its monitor");
    assert.equal(typeof health.body.uptime, "number");
    assert.equal(health.body.implementation, "hookbroker");
    assert.equal(health.body.status, "ok");
    assert.equal(typeof health.body.uptime_seconds, "number");
    assert.equal(health.body.port, broker.port);

    const none = await get(broker, `/api/file/read?path=${q(path.join(project.project, "README.md"))}`);
    assert.equal(none.status, 403, "no session yet: nothing is served");

    assert.equal(await postEvent(broker, nativeHook("SessionStart", { cwd: project.project })), 204);
    const wd = await get(broker, "/api/working-directory");
    assert.equal(wd.status, 200);
    assert.equal(wd.body.success, true);
    assert.equal(wd.body.working_directory, project.project);

    const read = await get(broker, `/api/file/read?path=${q(path.join(project.project, "README.md"))}`);
    assert.equal(read.status, 200);
    assert.equal(read.body.success, true);
    assert.equal(read.body.content, "# webshop\n");
    assert.equal(read.body.type, "md");

    const list = await get(broker, `/api/files?path=${q(project.project)}`);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.directories.map((d) => d.name), ["src"]);
    assert.deepEqual(list.body.files.map((f) => f.name), ["README.md"], "the symlink out is not listed");

    const refusals = [
      `/api/file/read?path=${q(path.join(project.project, "src", "..", "..", "secret.txt"))}`,
      `/api/file/read?path=${q(path.join(project.base, "secret.txt"))}`,
      `/api/file/read?path=${q("/etc/passwd")}`,
      `/api/file/read?path=${q(path.join(project.project, "leak.txt"))}`,
      `/api/files?path=${q(project.base)}`,
      `/api/file/diff?path=${q(path.join(project.project, "leak.txt"))}`,
    ];
    for (const route of refusals) {
      const r = await get(broker, route);
      assert.equal(r.status, 403, route);
      assert.equal(r.body.success, false, route);
      assert.match(r.body.error, /outside the working directories|"\.\." is not allowed/, route);
    }
    const history = await post(broker, "/api/git-history", { path: path.join(project.base, "secret.txt") });
    assert.equal(history.status, 403);
    assert.deepEqual(history.body.commits, []);

    const diff = await get(broker, `/api/file/diff?path=${q(path.join(project.project, "README.md"))}`);
    assert.equal(diff.status, 200);
    assert.equal(diff.body.tracked, false, "not a git repository");

    const config = await get(broker, "/api/config/agents/deployed");
    assert.equal(config.status, 501);
    assert.equal(config.body.success, false);
    assert.match(config.body.error, /does not manage claude-mpm's agents/);
  } finally {
    await broker.stop();
    project.remove();
  }
});

test("mpm_compat off: no event_history, heartbeats on system_event, no file routes", async () => {
  const project = makeProject();
  const broker = await startBroker(["--heartbeat-interval-s", "0.3"]);
  const { socket, named } = dashboardSocket(broker.url);
  try {
    assert.equal(await postEvent(broker, nativeHook("SessionStart", { cwd: project.project })), 204);
    await nextEvent(socket, "history");
    await waitFor(() => named("system_event").filter((e) => e.subtype === "heartbeat").length >= 2, 5000, "heartbeats");
    assert.equal(named("event_history").length, 0);
    assert.equal(named("heartbeat").length, 0);

    const live = nextEvent(socket, "claude_event");
    assert.equal(await postEvent(broker, nativeHook("PreToolUse", { tool_name: "Bash", tool_input: { command: "ls" }, tool_use_id: "toolu_9" })), 204);
    const [pre] = await live;
    assert.equal(pre.correlation_id, undefined);
    assert.equal(pre.data.tool_parameters, undefined);

    const health = await get(broker, "/health");
    assert.equal(health.body.service, "hookbroker");
    assert.equal(health.body.implementation, "hookbroker");
    const wd = await fetch(`${broker.url}/api/working-directory`);
    await wd.arrayBuffer();
    assert.equal(wd.status, 404);
  } finally {
    socket.close();
    await broker.stop();
    project.remove();
  }
});
