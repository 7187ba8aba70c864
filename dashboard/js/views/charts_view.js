// The live plots: events per second, connected clients and Claude Code's
// spend (docs/telemetry.md), up to the last hour.

import { byId, setText } from '../lib/dom.js';
import { formatCost, formatNumber } from '../lib/format.js';
import { WINDOW_MS } from '../model/heartbeat_series.js';
import { LineChart, windowStart } from './svg_chart.js';

export class ChartsView {
  constructor(series) {
    this.series = series;
    this.rate = new LineChart(byId('chart-rate'), {
      label: 'Events per second over the last hour',
      color: 'var(--accent)',
      formatValue: (v) => `${formatNumber(v)} events/s`,
      emptyText: 'Waiting for two heartbeats…',
    });
    this.clients = new LineChart(byId('chart-clients'), {
      label: 'Connected clients over the last hour',
      color: 'var(--accent-2)',
      formatValue: (v) => `${formatNumber(v)} clients`,
      emptyText: 'Waiting for a heartbeat…',
      integer: true,
    });
    this.cost = new LineChart(byId('chart-cost'), {
      label: 'Dollars Claude Code reported over the last hour',
      color: 'var(--accent)',
      formatValue: (v) => formatCost(v),
      emptyText: 'No telemetry yet (hookbroker install-hooks --telemetry)…',
    });
  }

  render(intervalSeconds) {
    const now = Date.now();
    const rate = this.series.points('rate');
    const clients = this.series.points('clients');
    // The last hour, or less while there is less data; at least twenty heartbeats or a minute.
    const minSpan = Math.max(60 * 1000, 20 * intervalSeconds * 1000);
    const from = windowStart(clients.length ? clients : rate, now, WINDOW_MS, minSpan);
    const gap = this.series.gapMs(intervalSeconds);
    this.rate.update(rate, from, now, gap);
    this.clients.update(clients, from, now, gap);
    this.cost.update(this.series.points('cost'), from, now, gap);
    const minutes = Math.max(1, Math.round((now - from) / 60000));
    const caption = minutes >= 60 ? 'last hour, from heartbeats' : `last ${minutes} min, from heartbeats`;
    setText(byId('chart-rate-caption'), caption);
    setText(byId('chart-clients-caption'), caption);
    setText(byId('chart-cost-caption'), caption);
    const rateNow = this.series.latest('rate');
    const clientsNow = this.series.latest('clients');
    setText(byId('chart-rate-now'), rateNow === null ? '—' : `${formatNumber(rateNow)}/s`);
    setText(byId('chart-clients-now'), clientsNow === null ? '—' : formatNumber(clientsNow));
    const costNow = this.series.latest('cost');
    setText(byId('chart-cost-now'), costNow === null ? '—' : formatCost(costNow));
  }
}
