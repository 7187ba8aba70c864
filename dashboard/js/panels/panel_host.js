// Extension panels. Every heartbeat key that the fixed panels above do not
// show gets a panel of its own: keys with a purpose-built definition
// (system_metrics, alerts, …) use it, any other key (a custom plugin's) is
// rendered generically, so a new plugin's data appears without changing the
// dashboard. A panel goes away when its key does (the plugin was unloaded or
// disabled). A definition may instead depend on a loaded plugin (from
// `status.plugins`), for panels that read a plugin's HTTP route rather than
// a heartbeat key; such a definition may also name the plugin's own heartbeat
// key, which it then shows itself (onKey) instead of a second, generic panel.

import { h } from '../lib/dom.js';
import { genericPanel } from './generic_value.js';

/**
 * Keys the fixed panels (health, sessions, plots) already show, the core's
 * `previous_tick_ms` (the previous tick's own duration, for benchmarks and
 * metrics), and transport_socketio's `socketio` (request and drop counters,
 * for metrics_prometheus; it is there whenever the dashboard is, so not a panel).
 * sessions_memory's `usage` (spend over all sessions) is the sessions table's.
 */
export const CORE_KEYS = new Set([
  'uptime_seconds', 'connected_clients', 'total_events', 'server_info',
  'active_sessions', 'sessions_summary', 'plugin_errors', 'previous_tick_ms', 'socketio', 'usage',
]);

export class PanelHost {
  /**
   * @param container where panels go
   * @param definitions [{key | plugin (+ key), title, order, caption?, wide?,
   *                      create({body, meta, link}) -> {update, onKey?, onEvent?, dispose?}}]
   * @param link the BrokerLink, for panels that query the broker
   */
  constructor(container, definitions, link) {
    this.container = container;
    this.byKey = new Map(definitions.filter((d) => d.key && !d.plugin).map((d) => [d.key, d]));
    this.byPlugin = definitions.filter((d) => d.plugin);
    // Heartbeat keys shown inside a plugin-driven panel.
    this.keyOwners = new Map(this.byPlugin.filter((d) => d.key).map((d) => [d.key, `plugin:${d.plugin}`]));
    this.link = link;
    this.panels = new Map(); // id ("key:x" / "plugin:x") -> {definition, element, instance}
    this.lastData = {};
  }

  applyHeartbeat(data) {
    this.lastData = data || {};
    const wanted = new Set();
    for (const key of Object.keys(this.lastData)) {
      if (CORE_KEYS.has(key)) continue;
      if (this.keyOwners.has(key)) {
        const owner = this.panels.get(this.keyOwners.get(key));
        if (owner && owner.instance.onKey) this.safely(owner, () => owner.instance.onKey(this.lastData[key]));
        continue;
      }
      const id = `key:${key}`;
      wanted.add(id);
      const panel = this.ensure(id, this.byKey.get(key) || genericPanel(key));
      this.safely(panel, () => panel.instance.update(this.lastData[key], this.lastData));
    }
    this.removeAllBut((id) => !id.startsWith('key:') || wanted.has(id));
  }

  applyStatus(status) {
    const loaded = new Set(Array.isArray(status && status.plugins) ? status.plugins : []);
    for (const definition of this.byPlugin) {
      const id = `plugin:${definition.plugin}`;
      if (!loaded.has(definition.plugin)) continue;
      const panel = this.ensure(id, definition);
      this.safely(panel, () => panel.instance.update(status, this.lastData));
    }
    this.removeAllBut((id) => !id.startsWith('plugin:') || loaded.has(id.slice('plugin:'.length)));
  }

  /** System events other than heartbeats (alert transitions, …) for panels that want them. */
  noteEvent(event) {
    for (const panel of this.panels.values()) {
      if (panel.instance.onEvent) this.safely(panel, () => panel.instance.onEvent(event));
    }
  }

  ensure(id, definition) {
    let panel = this.panels.get(id);
    if (panel) return panel;
    const meta = h('span', { class: 'panel-meta' });
    const body = h('div', { class: 'panel-body' });
    const element = h('section', { class: ['panel', 'ext-panel', definition.wide ? 'wide' : ''], 'data-panel': definition.key || definition.plugin },
      h('header', { class: 'panel-head' },
        h('div', {}, h('h2', {}, definition.title),
          definition.caption ? h('div', { class: 'panel-caption' }, definition.caption) : null),
        meta),
      body);
    panel = { id, definition, element, instance: null, error: h('div', { class: 'panel-error', hidden: true }) };
    element.append(panel.error);
    panel.instance = definition.create({ body, meta, link: this.link });
    this.panels.set(id, panel);
    this.place(panel);
    return panel;
  }

  /** Keeps panels sorted by (order, title) in the container: inserts before the first that ranks after it. */
  place(panel) {
    const after = (a, b) => {
      const oa = a.definition.order ?? 100;
      const ob = b.definition.order ?? 100;
      return oa > ob || (oa === ob && a.definition.title.localeCompare(b.definition.title) > 0);
    };
    const byElement = new Map([...this.panels.values()].map((p) => [p.element, p]));
    const next = [...this.container.children].find((el) => byElement.has(el) && after(byElement.get(el), panel));
    this.container.insertBefore(panel.element, next || null);
    this.container.hidden = false;
  }

  removeAllBut(keep) {
    for (const [id, panel] of this.panels) {
      if (keep(id)) continue;
      if (panel.instance.dispose) panel.instance.dispose();
      panel.element.remove();
      this.panels.delete(id);
    }
    this.container.hidden = this.panels.size === 0;
  }

  /** A panel that throws on odd data shows the error instead of breaking the page. */
  safely(panel, fn) {
    try {
      fn();
      panel.error.hidden = true;
    } catch (err) {
      panel.error.hidden = false;
      panel.error.textContent = `This panel could not show the data: ${err.message}`;
      console.error(`panel ${panel.id}`, err);
    }
  }
}
