// The header pills and the banner: the first thing a user checks is whether
// what they see is live. Also mirrored on <body data-connection data-heartbeat>
// so styles (dimming stale numbers) and tests can key on it.

import { byId, setText } from '../lib/dom.js';
import { formatAgo, formatNumber } from '../lib/format.js';
import { SOCKET, HEARTBEAT } from '../net/connection_state.js';

const SOCKET_LABELS = {
  [SOCKET.CONNECTING]: 'Connecting…',
  [SOCKET.CONNECTED]: 'Connected',
  [SOCKET.RECONNECTING]: 'Reconnecting…',
  [SOCKET.UNAUTHORIZED]: 'Token required',
};

export class ConnectionView {
  constructor(state, { onToken }) {
    this.state = state;
    this.connectionPill = byId('connection-pill');
    this.heartbeatPill = byId('heartbeat-pill');
    this.banner = byId('banner');
    this.bannerText = byId('banner-text');
    this.tokenForm = byId('token-form');
    this.tokenForm.addEventListener('submit', (e) => {
      e.preventDefault();
      const input = this.tokenForm.elements.token;
      if (input.value.trim()) onToken(input.value.trim());
      input.value = '';
    });
    state.addEventListener('change', () => this.render());
    this.render();
  }

  render(now = Date.now()) {
    const { socket, heartbeat } = this.state;
    document.body.dataset.connection = socket;
    document.body.dataset.heartbeat = heartbeat;

    this.connectionPill.dataset.state = socket;
    let socketLabel = SOCKET_LABELS[socket];
    if (socket === SOCKET.RECONNECTING && this.state.reconnectAttempts > 0)
      socketLabel = `Reconnecting… (attempt ${this.state.reconnectAttempts})`;
    if (socket === SOCKET.CONNECTED && this.state.rttMs !== null) socketLabel += ` · ${formatNumber(this.state.rttMs)} ms`;
    setText(this.connectionPill.querySelector('.label'), socketLabel);
    this.connectionPill.title = this.state.lastError || socketLabel;

    this.heartbeatPill.dataset.state = heartbeat;
    const since = this.state.sinceHeartbeatMs(now);
    const interval = `every ${formatNumber(this.state.intervalSeconds)} s`;
    let heartbeatLabel;
    if (heartbeat === HEARTBEAT.STALE)
      heartbeatLabel = since === null ? 'Stale · no heartbeat yet' : `Stale · last heartbeat ${formatAgo(since)}`;
    else if (heartbeat === HEARTBEAT.WAITING) heartbeatLabel = 'Waiting for heartbeat';
    else heartbeatLabel = `Live · heartbeat ${formatAgo(since)}`;
    setText(this.heartbeatPill.querySelector('.label'), heartbeatLabel);
    this.heartbeatPill.title = `The broker sends a heartbeat ${interval}; stale after ${formatNumber(this.state.staleAfterMs() / 1000)} s without one.`;

    this.renderBanner(socket, heartbeat, since);
  }

  renderBanner(socket, heartbeat, since) {
    let text = '';
    let kind = 'warning';
    if (socket === SOCKET.UNAUTHORIZED) {
      kind = 'error';
      text = `The broker requires a token: ${this.state.lastError || 'enter it below'}.`;
    } else if (heartbeat === HEARTBEAT.STALE) {
      const what = since === null ? 'No heartbeat has arrived' : `No heartbeat for ${formatAgo(since).replace(' ago', '')}`;
      const link = socket === SOCKET.CONNECTED ? 'The connection is open but the broker is not answering.' : 'Trying to reconnect.';
      text = `${what} (expected every ${formatNumber(this.state.intervalSeconds)} s): the figures below may be out of date. ${link}`;
    }
    this.banner.hidden = text === '';
    this.banner.dataset.kind = kind;
    this.tokenForm.hidden = socket !== SOCKET.UNAUTHORIZED;
    setText(this.bannerText, text);
  }
}
