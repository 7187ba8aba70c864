// Renders any JSON value a heartbeat contributor might send, readably:
//   scalar                  -> formatted by the unit its key names
//   object                  -> a key/value grid (nested objects indented)
//   array of objects        -> a table with the union of their keys
//   array of scalars        -> chips
// This is what lets a custom plugin's heartbeat key appear on the dashboard
// without a dashboard change.

import { h } from '../lib/dom.js';
import { formatByKey, humanizeKey } from '../lib/format.js';
import { jsonView } from '../views/json_view.js';

const MAX_DEPTH = 3;
const MAX_ROWS = 50;
const MAX_COLUMNS = 8;

const isScalar = (v) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

function scalar(key, value) {
  const cls = typeof value === 'number' ? 'num' : typeof value === 'boolean' ? (value ? 'yes' : 'no') : '';
  return h('span', { class: ['value', cls] }, formatByKey(key, value));
}

function tableOf(key, rows, depth) {
  const columns = [];
  for (const row of rows.slice(0, MAX_ROWS)) {
    for (const k of Object.keys(row)) if (!columns.includes(k) && columns.length < MAX_COLUMNS) columns.push(k);
  }
  const body = rows.slice(0, MAX_ROWS).map((row) =>
    h('tr', {}, columns.map((c) => h('td', {}, renderValue(c, row[c], depth + 1)))));
  return h('div', { class: 'generic-table-wrap' },
    h('table', { class: 'generic-table' },
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { title: c }, humanizeKey(c))))),
      h('tbody', {}, body)),
    rows.length > MAX_ROWS ? h('div', { class: 'muted small' }, `and ${rows.length - MAX_ROWS} more`) : null);
}

export function renderValue(key, value, depth = 0) {
  if (isScalar(value)) return scalar(key, value);
  if (depth >= MAX_DEPTH) return jsonView(value);
  if (Array.isArray(value)) {
    if (!value.length) return h('span', { class: 'muted' }, 'none');
    if (value.every(isScalar)) return h('span', { class: 'chips' }, value.map((v) => h('span', { class: 'chip' }, formatByKey(key, v))));
    if (value.every((v) => v && typeof v === 'object' && !Array.isArray(v))) return tableOf(key, value, depth);
    return jsonView(value);
  }
  const entries = Object.entries(value);
  if (!entries.length) return h('span', { class: 'muted' }, 'empty');
  return h('dl', { class: ['kv', depth ? 'nested' : ''] },
    entries.map(([k, v]) => [
      h('dt', { title: k }, humanizeKey(k)),
      h('dd', { 'data-key': k }, renderValue(k, v, depth + 1)),
    ]));
}

/**
 * A plugin's scalar counters as one compact, wrapping line of "label value"
 * pairs (for a panel's footer, where a full key/value grid would be tall).
 */
export function facts(object, skip = []) {
  const entries = Object.entries(object || {}).filter(([k, v]) => !skip.includes(k) && isScalar(v));
  return h('div', { class: 'facts' }, entries.map(([k, v]) =>
    h('span', { class: 'fact', 'data-key': k }, h('span', { class: 'fact-label' }, humanizeKey(k)), ' ', h('span', { class: 'fact-value' }, formatByKey(k, v)))));
}

/**
 * The list a plugin's value holds: the value itself when it is an array, else
 * the first array under one of `keys` (plugins may wrap their list with
 * counts); null when there is none.
 */
export function listIn(value, keys) {
  if (Array.isArray(value)) return value;
  if (value && typeof value === 'object') {
    const key = keys.find((k) => Array.isArray(value[k]));
    if (key) return value[key];
  }
  return null;
}

/** The panel definition used for any key without a purpose-built one. */
export function genericPanel(key) {
  return {
    key,
    title: humanizeKey(key),
    order: 100,
    caption: `heartbeat key “${key}”`,
    create({ body }) {
      return {
        update(value) {
          body.replaceChildren(renderValue(key, value));
        },
      };
    },
  };
}
