'use strict';
// The last N accepted events, oldest first, for `history` and `get_history`.

class HistoryRing {
  constructor(capacity) {
    this.capacity = Math.max(1, capacity);
    this.items = new Array(this.capacity);
    this.next = 0;
    this.size = 0;
  }

  push(event) {
    this.items[this.next] = event;
    this.next = (this.next + 1) % this.capacity;
    if (this.size < this.capacity) this.size += 1;
  }

  // The newest `limit` events (optionally only those whose type or subtype is
  // listed), oldest first.
  recent(limit, eventTypes = []) {
    const wanted = new Set(eventTypes);
    const out = [];
    for (let i = 1; i <= this.size && out.length < limit; i += 1) {
      const event = this.items[(this.next - i + this.capacity) % this.capacity];
      if (wanted.size === 0 || wanted.has(event.type) || wanted.has(event.subtype)) out.push(event);
    }
    return out.reverse();
  }
}

module.exports = { HistoryRing };
