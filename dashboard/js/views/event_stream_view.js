// The live event stream: newest first, filtered by session, event type and
// free text, with pause/resume. Rows exist only for events the store holds
// (at most its limit), so the page stays small however long it runs.

import { byId, h, setText } from '../lib/dom.js';
import { formatClock, formatNumber, shortId } from '../lib/format.js';
import { summarizeEvent } from './event_summary.js';

export class EventStreamView {
  constructor(store, { onOpen }) {
    this.store = store;
    this.onOpen = onOpen;
    this.body = byId('events-body');
    this.empty = byId('events-empty');
    this.meta = byId('events-meta');
    this.sessionFilter = byId('filter-session');
    this.typeFilter = byId('filter-type');
    this.textFilter = byId('filter-text');
    this.pauseButton = byId('pause-toggle');
    this.rowOf = new Map(); // record id -> <tr>
    this.paused = false;
    this.pendingWhilePaused = 0;
    this.queued = []; // added records waiting for the next animation frame
    this.frameRequested = false;
    this.optionKeys = { session: '', type: '' };

    this.sessionFilter.addEventListener('change', () => this.renderAll());
    this.typeFilter.addEventListener('change', () => this.renderAll());
    let debounce = null;
    this.textFilter.addEventListener('input', () => {
      clearTimeout(debounce);
      debounce = setTimeout(() => this.renderAll(), 120);
    });
    this.pauseButton.addEventListener('click', () => this.setPaused(!this.paused));
    byId('clear-events').addEventListener('click', () => store.clear());
    store.addEventListener('change', (e) => this.onStoreChange(e.detail));
    this.renderAll();
  }

  filters() {
    return {
      session: this.sessionFilter.value,
      type: this.typeFilter.value,
      text: this.textFilter.value.trim().toLowerCase(),
    };
  }

  matches(record, f = this.filters()) {
    if (f.session && record.sessionId !== f.session) return false;
    if (f.type && record.kind !== f.type) return false;
    if (f.text && !record.text.includes(f.text)) return false;
    return true;
  }

  /** Shows one session's events (from a click in the sessions table). */
  showSession(sessionId) {
    this.refreshFilterOptions(sessionId);
    this.sessionFilter.value = sessionId;
    this.renderAll();
    byId('events-panel').scrollIntoView({ behavior: 'smooth', block: 'start' });
  }

  setPaused(paused) {
    this.paused = paused;
    this.pauseButton.dataset.paused = String(paused);
    this.pauseButton.setAttribute('aria-pressed', String(paused));
    if (!paused) {
      this.pendingWhilePaused = 0;
      this.renderAll();
    }
    this.renderPauseLabel();
  }

  renderPauseLabel() {
    const label = this.paused
      ? `▶ Resume${this.pendingWhilePaused ? ` (${formatNumber(this.pendingWhilePaused)} new)` : ''}`
      : '❚❚ Pause';
    setText(this.pauseButton, label);
  }

  onStoreChange({ added, evicted }) {
    this.refreshFilterOptions();
    if (this.paused) {
      // The frozen view keeps its rows; what arrived is counted and shown on resume.
      const f = this.filters();
      this.pendingWhilePaused += added.filter((r) => this.matches(r, f)).length;
      this.renderPauseLabel();
      this.renderMeta();
      return;
    }
    for (const record of evicted) {
      const row = this.rowOf.get(record.id);
      if (row) row.remove();
      this.rowOf.delete(record.id);
    }
    this.queued.push(...added);
    if (!this.frameRequested) {
      this.frameRequested = true;
      requestAnimationFrame(() => this.flush());
    }
  }

  /** Adds the queued records: prepended when they are the newest (the live case), else a full redraw. */
  flush() {
    this.frameRequested = false;
    const queued = this.queued;
    this.queued = [];
    if (this.paused || !queued.length) {
      this.renderMeta();
      return;
    }
    const records = this.store.records;
    const queuedIds = new Set(queued.map((r) => r.id));
    const allNewest = records.slice(0, queued.length).every((r) => queuedIds.has(r.id));
    if (!allNewest) {
      this.renderAll();
      return;
    }
    const f = this.filters();
    const fresh = records.slice(0, queued.length).filter((r) => this.matches(r, f)).map((r) => this.rowFor(r));
    this.body.prepend(...fresh);
    // The highlight plays once: a row re-inserted by a later filter change must not flash again.
    for (const row of fresh) {
      row.classList.add('fresh');
      row.addEventListener('animationend', () => row.classList.remove('fresh'), { once: true });
    }
    this.renderMeta();
  }

  rowFor(record) {
    let row = this.rowOf.get(record.id);
    if (row) return row;
    const e = record.event;
    row = h('tr', { class: ['event-row', e.type === 'system' ? 'system' : ''], tabindex: 0, 'data-kind': record.kind, 'data-session': record.sessionId },
      h('td', { class: 'time mono', title: e.timestamp || '' }, formatClock(record.time, true)),
      h('td', {}, h('span', { class: ['kind', `kind-${record.kind}`] }, record.kind)),
      h('td', { class: 'mono session-id', title: record.sessionId }, record.sessionId ? shortId(record.sessionId, 8) : '—'),
      h('td', { class: 'summary' }, summarizeEvent(e)),
      h('td', { class: 'source muted' }, e.source || ''),
    );
    const open = () => this.onOpen(record, row);
    row.addEventListener('click', open);
    row.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') open(); });
    this.rowOf.set(record.id, row);
    return row;
  }

  renderAll() {
    const f = this.filters();
    const rows = [];
    for (const record of this.store.records) if (this.matches(record, f)) rows.push(this.rowFor(record));
    // A detached row's animation never ends; re-inserted, it would flash again.
    for (const row of rows) row.classList.remove('fresh');
    this.body.replaceChildren(...rows);
    // Rows of events the store no longer holds are not kept around.
    const held = new Set(this.store.records.map((r) => r.id));
    for (const id of this.rowOf.keys()) if (!held.has(id)) this.rowOf.delete(id);
    this.renderMeta();
  }

  refreshFilterOptions(extraSession) {
    const sessions = [...this.store.sessionIds.keys()];
    if (extraSession && !sessions.includes(extraSession)) sessions.push(extraSession);
    const kinds = [...this.store.kinds.keys()].sort();
    this.fillSelect(this.sessionFilter, 'session', sessions.sort(), 'All sessions', (id) => shortId(id, 12));
    this.fillSelect(this.typeFilter, 'type', kinds, 'All event types', (k) => k);
  }

  fillSelect(select, which, values, allLabel, label) {
    const current = select.value;
    if (current && !values.includes(current)) values.push(current); // never drop the active filter
    const key = values.join('\n');
    if (key === this.optionKeys[which]) return;
    this.optionKeys[which] = key;
    select.replaceChildren(h('option', { value: '' }, allLabel), ...values.map((v) => h('option', { value: v, title: v }, label(v))));
    select.value = current;
  }

  renderMeta() {
    const shown = this.body.children.length;
    const held = this.store.records.length;
    const filtered = shown !== held ? `${formatNumber(shown)} shown · ` : '';
    setText(this.meta, `${filtered}${formatNumber(held)} held (keeps the newest ${formatNumber(this.store.limit)})`);
    this.empty.hidden = shown > 0;
    setText(this.empty, held === 0 ? 'No events yet. They appear here as hooks post to /api/events.' : 'No events match the filters.');
  }
}
