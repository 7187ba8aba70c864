// The purpose-built extension panels. Any heartbeat key not listed here still
// gets a generic panel (see panel_host.js); add a definition here only when a
// key deserves a better view than the generic one.

import { alertsPanel } from './alerts_panel.js';
import { clientsPanel } from './clients_panel.js';
import { clusterPanel } from './cluster_panel.js';
import { heartbeatHistoryPanel } from './heartbeat_history_panel.js';
import { systemMetricsPanel } from './system_metrics_panel.js';

export const PANEL_DEFINITIONS = [alertsPanel, systemMetricsPanel, clusterPanel, clientsPanel, heartbeatHistoryPanel];
