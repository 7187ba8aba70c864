// Pretty-printed, syntax-coloured JSON built from DOM nodes (never HTML
// strings, since the content comes from outside).

import { h } from '../lib/dom.js';

const TOKEN = /("(?:\\.|[^"\\])*")(\s*:)?|\b(true|false|null)\b|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|([{}[\],])/g;

export function jsonView(value) {
  const text = JSON.stringify(value, null, 2) ?? 'undefined';
  const pre = h('pre', { class: 'json' });
  let last = 0;
  for (const m of text.matchAll(TOKEN)) {
    if (m.index > last) pre.append(text.slice(last, m.index));
    if (m[1] !== undefined) {
      pre.append(h('span', { class: m[2] ? 'json-key' : 'json-string' }, m[1]));
      if (m[2]) pre.append(m[2]);
    } else if (m[3] !== undefined) {
      pre.append(h('span', { class: 'json-literal' }, m[3]));
    } else if (m[4] !== undefined) {
      pre.append(h('span', { class: 'json-number' }, m[4]));
    } else {
      pre.append(h('span', { class: 'json-punct' }, m[5]));
    }
    last = m.index + m[0].length;
  }
  if (last < text.length) pre.append(text.slice(last));
  return pre;
}
