// A small time-series line chart drawn as SVG by hand: a grid, a filled line
// broken at gaps, axis labels, and a hover read-out. Lighter than any chart
// library for two or three series, and nothing to vendor.

import { svg, h, replaceChildren } from '../lib/dom.js';
import { formatClock } from '../lib/format.js';

const BASE_MARGIN = { top: 10, right: 12, bottom: 22, left: 44 };

const GRID_STEPS = 4;

/**
 * The y-axis maximum: GRID_STEPS gridlines at a round step (1, 2, 2.5 or 5
 * times a power of ten) with a little headroom, so the line never hugs the top.
 */
export function niceMaximum(value) {
  if (!(value > 0)) return GRID_STEPS;
  const rawStep = (value * 1.1) / GRID_STEPS;
  const power = 10 ** Math.floor(Math.log10(rawStep));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= rawStep);
  return step * GRID_STEPS;
}

function compactNumber(v) {
  if (v >= 1e6) return `${+(v / 1e6).toFixed(1)}M`;
  if (v >= 1e3) return `${+(v / 1e3).toFixed(1)}k`;
  return `${+v.toFixed(2)}`;
}

/**
 * Where a time window should start: `windowMs` back from now, narrowed to the
 * data while there is less of it (a fresh series would otherwise be a sliver
 * at the right edge), but never narrower than `minSpanMs`.
 */
export function windowStart(points, now, windowMs, minSpanMs) {
  const oldest = points.length ? points[0].t : now;
  return Math.max(now - windowMs, Math.min(oldest, now - minSpanMs));
}

export class LineChart {
  /**
   * @param container element the chart fills (its width is measured)
   * @param options {height, color (a CSS colour or var()), formatValue (tooltip), formatAxis (y labels),
   *                  emptyText, minMax (lowest y-axis maximum), integer (whole-number gridlines),
   *                  marginLeft (room for y labels), label}
   */
  constructor(container, options = {}) {
    this.container = container;
    this.options = {
      height: 160,
      color: 'var(--accent)',
      formatValue: String,
      formatAxis: compactNumber,
      emptyText: 'No data yet',
      marginLeft: BASE_MARGIN.left,
    };
    // Options left undefined keep their defaults.
    for (const [name, value] of Object.entries(options)) if (value !== undefined) this.options[name] = value;
    this.margin = { ...BASE_MARGIN, left: this.options.marginLeft };
    this.root = svg('svg', { class: 'chart', role: 'img', 'aria-label': options.label || 'chart' });
    this.tooltip = h('div', { class: 'chart-tooltip', hidden: true });
    this.wrapper = h('div', { class: 'chart-wrap' }, this.root, this.tooltip);
    container.append(this.wrapper);
    this.data = { points: [], from: 0, to: 0, gapMs: Infinity };
    this.root.addEventListener('mousemove', (e) => this.hover(e));
    this.root.addEventListener('mouseleave', () => this.hideHover());
    // Redraw on resize: the geometry is computed in pixels, not scaled.
    new ResizeObserver(() => this.draw()).observe(container);
  }

  /** points: [{t (ms), v}] oldest first; from/to: the time window shown. */
  update(points, from, to, gapMs = Infinity) {
    this.data = { points, from, to, gapMs };
    this.draw();
  }

  geometry() {
    const width = Math.max(200, this.container.clientWidth || 400);
    const height = this.options.height;
    const { points, from, to } = this.data;
    let max = niceMaximum(Math.max(this.options.minMax ?? 0, ...points.map((p) => p.v)));
    // Counts read badly in 0.25 steps: keep whole-number gridlines.
    if (this.options.integer) max = Math.ceil(max / GRID_STEPS) * GRID_STEPS;
    const innerW = width - this.margin.left - this.margin.right;
    const innerH = height - this.margin.top - this.margin.bottom;
    const span = Math.max(1, to - from);
    return {
      width,
      height,
      max,
      x: (t) => this.margin.left + ((t - from) / span) * innerW,
      y: (v) => this.margin.top + innerH - (v / max) * innerH,
      innerW,
      innerH,
    };
  }

  draw() {
    const g = this.geometry();
    const { points, from, to, gapMs } = this.data;
    this.root.setAttribute('viewBox', `0 0 ${g.width} ${g.height}`);
    this.root.setAttribute('width', g.width);
    this.root.setAttribute('height', g.height);
    const parts = [];

    // Horizontal gridlines with value labels.
    for (let i = 0; i <= GRID_STEPS; i += 1) {
      const v = (g.max * i) / GRID_STEPS;
      const y = g.y(v);
      parts.push(svg('line', { class: 'grid', x1: this.margin.left, x2: g.width - this.margin.right, y1: y, y2: y }));
      parts.push(svg('text', { class: 'axis', x: this.margin.left - 6, y: y + 3.5, 'text-anchor': 'end' }, this.options.formatAxis(v)));
    }
    // Time labels across the window (fewer on narrow charts); seconds only for short windows.
    const withSeconds = to - from < 10 * 60 * 1000;
    const labels = g.width < (withSeconds ? 480 : 360) ? 2 : 4;
    for (let i = 0; i <= labels; i += 1) {
      const t = from + ((to - from) * i) / labels;
      const anchor = i === 0 ? 'start' : i === labels ? 'end' : 'middle';
      parts.push(svg('text', { class: 'axis', x: g.x(t), y: g.height - 6, 'text-anchor': anchor }, withSeconds ? formatClock(t) : formatClock(t).slice(0, 5)));
    }

    // The line, split where samples are further apart than gapMs.
    const visible = points.filter((p) => p.t >= from && p.t <= to);
    const segments = [];
    let current = [];
    for (const p of visible) {
      if (current.length && p.t - current[current.length - 1].t > gapMs) {
        segments.push(current);
        current = [];
      }
      current.push(p);
    }
    if (current.length) segments.push(current);
    const baseline = g.y(0);
    for (const seg of segments) {
      const line = seg.map((p, i) => `${i ? 'L' : 'M'}${g.x(p.t).toFixed(1)},${g.y(p.v).toFixed(1)}`).join('');
      if (seg.length === 1) {
        parts.push(svg('circle', { class: 'point', cx: g.x(seg[0].t), cy: g.y(seg[0].v), r: 2.5, style: `fill:${this.options.color}` }));
        continue;
      }
      const area = `${line}L${g.x(seg[seg.length - 1].t).toFixed(1)},${baseline}L${g.x(seg[0].t).toFixed(1)},${baseline}Z`;
      parts.push(svg('path', { class: 'area', d: area, style: `fill:${this.options.color}` }));
      parts.push(svg('path', { class: 'line', d: line, style: `stroke:${this.options.color}` }));
    }
    if (!visible.length) {
      parts.push(svg('text', { class: 'empty', x: this.margin.left + g.innerW / 2, y: this.margin.top + g.innerH / 2, 'text-anchor': 'middle' }, this.options.emptyText));
    }
    this.cursor = svg('line', { class: 'cursor', x1: 0, x2: 0, y1: this.margin.top, y2: this.margin.top + g.innerH, visibility: 'hidden' });
    parts.push(this.cursor);
    replaceChildren(this.root, parts);
    this.root.dataset.points = String(visible.length);
  }

  hover(event) {
    const visible = this.data.points.filter((p) => p.t >= this.data.from && p.t <= this.data.to);
    if (!visible.length) return;
    const g = this.geometry();
    const rect = this.root.getBoundingClientRect();
    const px = ((event.clientX - rect.left) / rect.width) * g.width;
    let best = visible[0];
    for (const p of visible) if (Math.abs(g.x(p.t) - px) < Math.abs(g.x(best.t) - px)) best = p;
    const x = g.x(best.t);
    this.cursor.setAttribute('x1', x);
    this.cursor.setAttribute('x2', x);
    this.cursor.setAttribute('visibility', 'visible');
    this.tooltip.hidden = false;
    this.tooltip.textContent = `${formatClock(best.t)}  ·  ${this.options.formatValue(best.v)}`;
    const left = (x / g.width) * rect.width;
    this.tooltip.style.left = `${Math.min(Math.max(left, 60), rect.width - 60)}px`;
  }

  hideHover() {
    this.tooltip.hidden = true;
    if (this.cursor) this.cursor.setAttribute('visibility', 'hidden');
  }
}
