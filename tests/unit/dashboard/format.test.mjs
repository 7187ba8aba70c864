// Formatting helpers of the dashboard (dashboard/js/lib/format.js).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatAgo, formatByKey, formatBytes, formatDuration, formatNumber, humanizeKey, shortId, truncate } from '../../../dashboard/js/lib/format.js';

test('durations keep the two most significant units', () => {
  assert.equal(formatDuration(0), '0 s');
  assert.equal(formatDuration(59.9), '59 s');
  assert.equal(formatDuration(252), '4 min 12 s');
  assert.equal(formatDuration(3725), '1 h 02 min');
  assert.equal(formatDuration(3 * 86400 + 4 * 3600 + 5), '3 d 4 h');
  assert.equal(formatDuration(-1), '—');
  assert.equal(formatDuration(undefined), '—');
});

test('elapsed time reads as "12 s ago"', () => {
  assert.equal(formatAgo(12_000), '12 s ago');
  assert.equal(formatAgo(-500), '0 s ago'); // clock skew never shows "in the future"
  assert.equal(formatAgo(5 * 60_000), '5 min ago');
  assert.equal(formatAgo(3 * 3600_000), '3 h ago');
  assert.equal(formatAgo(NaN), '—');
});

test('numbers and bytes', () => {
  assert.equal(formatNumber(1234567), '1,234,567');
  assert.equal(formatNumber(3.14159), '3.14');
  assert.equal(formatNumber(42.42), '42.4');
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(24 * 1024 * 1024), '24.0 MiB');
  assert.equal(formatBytes(8 * 1024 ** 3), '8.0 GiB');
});

test('values are formatted by the unit their key names', () => {
  assert.equal(formatByKey('rss_bytes', 1024 * 1024), '1.0 MiB');
  assert.equal(formatByKey('cpu_percent', 3.5), '3.50 %');
  assert.equal(formatByKey('rtt_ms', 1.4), '1.40 ms');
  assert.equal(formatByKey('uptime_seconds', 30), '30 s');
  assert.equal(formatByKey('uptime_seconds', 7200), '2 h 00 min');
  assert.equal(formatByKey('threads', 4), '4');
  assert.equal(formatByKey('ok', true), 'yes');
  assert.equal(formatByKey('name', 'x'), 'x');
  assert.equal(formatByKey('anything', null), '—');
});

test('keys become labels, acronyms kept', () => {
  assert.equal(humanizeKey('cpu_percent'), 'CPU percent');
  assert.equal(humanizeKey('open_fds'), 'Open FDS');
  assert.equal(humanizeKey('loadAverage'), 'Load average');
  assert.equal(humanizeKey('last_flush_ms'), 'Last flush ms');
});

test('ids and text are shortened for cells', () => {
  assert.equal(shortId('4f1c2a9e-7b3d-4e58', 8), '4f1c2a9e…');
  assert.equal(shortId('short', 8), 'short');
  assert.equal(truncate('a  b\n c', 10), 'a b c');
  assert.equal(truncate('abcdefghijk', 5), 'abcd…');
});

test('cost and tokens from telemetry', async () => {
  const { formatCost, formatTokens, totalTokens } = await import('../../../dashboard/js/lib/format.js');
  assert.equal(formatCost(0.0144), '$0.0144');
  assert.equal(formatCost(12.345), '$12.35');
  assert.equal(formatCost(0), '$0');
  assert.equal(formatCost(undefined), '—');
  assert.equal(formatCost(-1), '—');
  assert.equal(formatTokens(950), '950');
  assert.equal(formatTokens(1500), '1.50k');
  assert.equal(formatTokens(28100), '28.1k');
  assert.equal(formatTokens(4560000), '4.56M');
  assert.equal(totalTokens({ input_tokens: 1500, output_tokens: 430, cache_read_tokens: 8000, cache_creation_tokens: 400 }), 10330);
  assert.equal(totalTokens(null), 0);
});
