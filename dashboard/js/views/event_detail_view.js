// The drawer that shows one event's full JSON when its row is clicked.

import { byId, h, replaceChildren, setText } from '../lib/dom.js';
import { formatDateTime } from '../lib/format.js';
import { jsonView } from './json_view.js';

export class EventDetailView {
  constructor() {
    this.drawer = byId('event-detail');
    this.title = byId('event-detail-title');
    this.meta = byId('event-detail-meta');
    this.body = byId('event-detail-body');
    this.copyButton = byId('event-detail-copy');
    this.selectedRow = null;
    this.current = null;
    byId('event-detail-close').addEventListener('click', () => this.close());
    document.addEventListener('keydown', (e) => { if (e.key === 'Escape') this.close(); });
    this.copyButton.addEventListener('click', () => this.copy());
  }

  open(record, row) {
    this.current = record;
    if (this.selectedRow) this.selectedRow.classList.remove('selected');
    this.selectedRow = row;
    row.classList.add('selected');
    const e = record.event;
    setText(this.title, record.kind);
    replaceChildren(this.meta,
      h('span', {}, formatDateTime(record.time)),
      e.session_id ? h('span', { class: 'mono', title: e.session_id }, e.session_id) : null,
      e.source ? h('span', {}, `via ${e.source}`) : null);
    replaceChildren(this.body, jsonView(e));
    setText(this.copyButton, 'Copy JSON');
    this.drawer.hidden = false;
    document.body.classList.add('drawer-open');
  }

  close() {
    this.drawer.hidden = true;
    document.body.classList.remove('drawer-open');
    if (this.selectedRow) this.selectedRow.classList.remove('selected');
    this.selectedRow = null;
  }

  async copy() {
    if (!this.current) return;
    try {
      await navigator.clipboard.writeText(JSON.stringify(this.current.event, null, 2));
      setText(this.copyButton, 'Copied');
    } catch {
      setText(this.copyButton, 'Copy failed: select the text instead');
    }
  }
}
