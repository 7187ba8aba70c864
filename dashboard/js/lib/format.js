// Formatting of numbers, durations and times for people.

const ACRONYMS = new Set(['cpu', 'rss', 'rtt', 'id', 'ids', 'fds', 'fd', 'io', 'pid', 'url', 'http', 'api', 'os']);

export function formatNumber(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return String(value ?? '—');
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** 3725 -> "1 h 02 min"; short forms keep the two most significant units. */
export function formatDuration(totalSeconds) {
  if (typeof totalSeconds !== 'number' || !Number.isFinite(totalSeconds) || totalSeconds < 0) return '—';
  const s = Math.floor(totalSeconds);
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  const pad = (n) => String(n).padStart(2, '0');
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${pad(minutes)} min`;
  if (minutes > 0) return `${minutes} min ${pad(seconds)} s`;
  return `${seconds} s`;
}

/** Milliseconds elapsed -> "12 s ago", "4 min ago", "2 h ago". */
export function formatAgo(elapsedMs) {
  if (typeof elapsedMs !== 'number' || !Number.isFinite(elapsedMs)) return '—';
  const s = Math.max(0, Math.round(elapsedMs / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

export function formatBytes(bytes) {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = Math.abs(bytes);
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${bytes < 0 ? '-' : ''}${v.toFixed(i === 0 || v >= 100 ? 0 : 1)} ${units[i]}`;
}

/** ISO string or ms -> Date, or null when it does not parse. */
export function toDate(value) {
  if (value instanceof Date) return value;
  if (typeof value === 'number') return new Date(value);
  if (typeof value !== 'string' || value === '') return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

const pad2 = (n) => String(n).padStart(2, '0');

/** Local wall-clock time "14:03:27"; with ms "14:03:27.412". */
export function formatClock(value, withMs = false) {
  const d = toDate(value);
  if (!d) return '—';
  const base = `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
  return withMs ? `${base}.${String(d.getMilliseconds()).padStart(3, '0')}` : base;
}

/** Local date and time, date omitted when it is today. */
export function formatDateTime(value) {
  const d = toDate(value);
  if (!d) return '—';
  const today = new Date();
  const sameDay = d.toDateString() === today.toDateString();
  const date = `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} `;
  return `${sameDay ? '' : date}${formatClock(d)}`;
}

/** "cpu_percent" -> "CPU percent", "loadAverage" -> "Load average". */
export function humanizeKey(key) {
  const words = String(key)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[_\s.-]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase());
  return words
    .map((w, i) => (ACRONYMS.has(w) ? w.toUpperCase() : i === 0 ? w[0].toUpperCase() + w.slice(1) : w))
    .join(' ');
}

/**
 * A value formatted by the unit its key names. Contributors follow the
 * convention of naming units in keys (rss_bytes, uptime_seconds, rtt_ms,
 * cpu_percent), which is what lets unknown plugins' data read well.
 */
export function formatByKey(key, value) {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value !== 'number') {
    if (typeof value === 'string' && /(_at|_time|timestamp|last_seen|since)$/.test(key) && toDate(value))
      return formatDateTime(value);
    return String(value);
  }
  const k = String(key).toLowerCase();
  if (/(_bytes|bytes)$/.test(k) || k === 'rss' || /_kb$/.test(k)) return formatBytes(/_kb$/.test(k) ? value * 1024 : value);
  if (/(percent|_pct|ratio_pct)$/.test(k)) return `${formatNumber(value)} %`;
  if (/_ms$/.test(k)) return `${formatNumber(value)} ms`;
  if (/_us$/.test(k)) return `${formatNumber(value)} µs`;
  if (/(_seconds|_secs|_s)$/.test(k)) return value >= 120 ? formatDuration(value) : `${formatNumber(value)} s`;
  return formatNumber(value);
}

/** Shortens long ids for table cells: "4f1c2a9e-7b3d-…" keeps enough to tell apart. */
export function shortId(id, keep = 8) {
  const s = String(id ?? '');
  return s.length > keep + 1 ? `${s.slice(0, keep)}…` : s;
}

export function truncate(text, max) {
  const s = String(text ?? '').replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** Dollars as Claude Code estimates them: "$0.0144", "$12.35"; "—" when unknown. */
export function formatCost(usd) {
  if (typeof usd !== 'number' || !Number.isFinite(usd) || usd < 0) return '—';
  if (usd === 0) return '$0';
  return usd < 1 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

/** A token count, short: 950, "12.3k", "4.56M". */
export function formatTokens(count) {
  if (typeof count !== 'number' || !Number.isFinite(count) || count < 0) return '—';
  if (count < 1000) return String(Math.round(count));
  if (count < 1e6) return `${(count / 1000).toFixed(count < 1e4 ? 2 : 1)}k`;
  return `${(count / 1e6).toFixed(2)}M`;
}

/** All the tokens of a `usage` object (input, output and both cache kinds). */
export function totalTokens(usage) {
  if (!usage || typeof usage !== 'object') return 0;
  return ['input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_creation_tokens']
    .reduce((sum, key) => sum + (typeof usage[key] === 'number' ? usage[key] : 0), 0);
}
