// The official OpenTelemetry JS exporters (OTLP/HTTP, JSON) talk to the
// broker as Claude Code's do: log events and metrics go to /v1/logs and
// /v1/metrics, and the tokens and dollars arrive in the session. The metrics
// SDK exports cumulative sums by default, so its second export checks that a
// running total is not added twice.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const { LoggerProvider, SimpleLogRecordProcessor } = require("@opentelemetry/sdk-logs");
const { OTLPLogExporter } = require("@opentelemetry/exporter-logs-otlp-http");
const { MeterProvider, PeriodicExportingMetricReader } = require("@opentelemetry/sdk-metrics");
const { OTLPMetricExporter } = require("@opentelemetry/exporter-metrics-otlp-http");
const { resourceFromAttributes } = require("@opentelemetry/resources");
const { startBroker } = require("./lib/broker");

const resource = resourceFromAttributes({ "service.name": "claude-code", "service.version": "2.0.14" });

async function session(broker, id) {
  const res = await fetch(`${broker.url}/api/sessions/${id}`);
  const body = await res.json();
  assert.equal(res.status, 200, JSON.stringify(body));
  return body.session;
}

test("OpenTelemetry JS log and metric exporters reach the session's usage", async () => {
  const broker = await startBroker(["--heartbeat-interval-s", "0.5"]);
  try {
    const logs = new LoggerProvider({
      resource,
      processors: [new SimpleLogRecordProcessor(new OTLPLogExporter({ url: `${broker.url}/v1/logs` }))],
    });
    const logger = logs.getLogger("com.anthropic.claude_code.events", "2.0.14");
    logger.emit({
      body: "claude_code.api_request",
      attributes: {
        "event.name": "api_request",
        "session.id": "js-logs",
        model: "claude-sonnet-4-5",
        cost_usd: 0.042,
        duration_ms: 1830,
        input_tokens: 1234,
        output_tokens: 56,
        cache_read_tokens: 7000,
        cache_creation_tokens: 80,
        query_source: "repl_main_thread",
      },
    });
    logger.emit({
      body: "claude_code.api_error",
      attributes: { "event.name": "api_error", "session.id": "js-logs", status_code: 429, attempt: 1 },
    });
    await logs.forceFlush();
    await logs.shutdown();

    const reader = new PeriodicExportingMetricReader({
      exporter: new OTLPMetricExporter({ url: `${broker.url}/v1/metrics` }),
      exportIntervalMillis: 600000,
    });
    const meters = new MeterProvider({ resource, readers: [reader] });
    const meter = meters.getMeter("com.anthropic.claude_code", "2.0.14");
    const cost = meter.createCounter("claude_code.cost.usage", { unit: "USD" });
    const tokens = meter.createCounter("claude_code.token.usage", { unit: "tokens" });
    const attributes = { "session.id": "js-metrics", model: "claude-haiku-4-5" };
    cost.add(0.5, attributes);
    tokens.add(100, { ...attributes, type: "input" });
    tokens.add(20, { ...attributes, type: "output" });
    await reader.forceFlush();
    cost.add(0.25, attributes);
    tokens.add(11, { ...attributes, type: "input" });
    await reader.forceFlush();
    await meters.shutdown();

    const fromLogs = (await session(broker, "js-logs")).usage;
    assert.equal(fromLogs.source, "logs");
    assert.equal(fromLogs.input_tokens, 1234);
    assert.equal(fromLogs.output_tokens, 56);
    assert.equal(fromLogs.cache_read_tokens, 7000);
    assert.equal(fromLogs.cache_creation_tokens, 80);
    assert.ok(Math.abs(fromLogs.cost_usd - 0.042) < 1e-12, String(fromLogs.cost_usd));
    assert.equal(fromLogs.api_requests, 1);
    assert.equal(fromLogs.api_errors, 1);
    assert.deepEqual(fromLogs.errors_by_status, { 429: 1 });

    const fromMetrics = (await session(broker, "js-metrics")).usage;
    assert.equal(fromMetrics.source, "metrics");
    assert.ok(Math.abs(fromMetrics.cost_usd - 0.75) < 1e-12, String(fromMetrics.cost_usd));
    assert.equal(fromMetrics.input_tokens, 111);
    assert.equal(fromMetrics.output_tokens, 20);
    assert.ok(fromMetrics.by_model["claude-haiku-4-5"], JSON.stringify(fromMetrics));
  } finally {
    await broker.stop();
  }
});
