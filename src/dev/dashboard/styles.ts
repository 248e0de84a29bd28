/** The dashboard's stylesheet: light and dark from the system setting, no web fonts, no framework. */
export const DASHBOARD_CSS = String.raw`
:root {
  color-scheme: light dark;
  --bg: #f5f6f8; --panel: #ffffff; --panel-2: #f0f2f5; --border: #e2e5ea; --grid: #eceef2;
  --text: #161a21; --muted: #5f6877; --faint: #8a93a2;
  --accent: #4f46e5; --accent-soft: rgba(79, 70, 229, .10);
  --metrics: #2563eb; --events: #9333ea; --traces: #d97706;
  --ok: #16a34a; --bad: #dc2626; --warn: #b45309;
  --p50: #0891b2; --p95: #db2777;
  --shadow: 0 1px 2px rgba(16, 24, 40, .05), 0 1px 3px rgba(16, 24, 40, .06);
  --radius: 10px;
  --sans: ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Liberation Sans", Arial, sans-serif;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --panel: #151b23; --panel-2: #1c232d; --border: #262f3b; --grid: #202833;
    --text: #e6e9ee; --muted: #98a2b3; --faint: #6b7686;
    --accent: #818cf8; --accent-soft: rgba(129, 140, 248, .14);
    --metrics: #60a5fa; --events: #c084fc; --traces: #fbbf24;
    --ok: #4ade80; --bad: #f87171; --warn: #fbbf24;
    --p50: #22d3ee; --p95: #f472b6;
    --shadow: 0 1px 2px rgba(0, 0, 0, .4);
  }
}
* { box-sizing: border-box; }
html, body { margin: 0; background: var(--bg); color: var(--text); font: 14px/1.45 var(--sans); }
body { min-height: 100vh; }
code, .mono, .num { font-family: var(--mono); font-size: 12.5px; }
.num { font-variant-numeric: tabular-nums; text-align: right; white-space: nowrap; }
button { font: inherit; color: inherit; cursor: pointer; }

/* Top bar */
.top { position: sticky; top: 0; z-index: 5; display: flex; align-items: center; gap: 16px; padding: 10px 24px;
  background: color-mix(in srgb, var(--panel) 88%, transparent); backdrop-filter: blur(8px); border-bottom: 1px solid var(--border); }
.brand { display: flex; align-items: center; gap: 8px; font-weight: 650; font-size: 16px; letter-spacing: -.01em; }
.brand svg { width: 22px; height: 22px; }
.brand .tag { font: 600 11px var(--mono); padding: 2px 6px; border-radius: 6px; background: var(--accent-soft); color: var(--accent); }
.endpoint { display: flex; align-items: center; gap: 6px; margin-left: 8px; min-width: 0; }
.endpoint code { padding: 4px 8px; border-radius: 6px; background: var(--panel-2); border: 1px solid var(--border); color: var(--muted);
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.endpoint code b { color: var(--text); font-weight: 500; }
.spacer { flex: 1; }
.conn { display: flex; align-items: center; gap: 7px; color: var(--muted); font-size: 13px; white-space: nowrap; }
.conn .dot { width: 8px; height: 8px; border-radius: 50%; background: var(--faint); }
.conn.live .dot { background: var(--ok); box-shadow: 0 0 0 0 color-mix(in srgb, var(--ok) 60%, transparent); animation: pulse 2s infinite; }
.conn.down .dot { background: var(--warn); }
@keyframes pulse { 70% { box-shadow: 0 0 0 6px transparent; } 100% { box-shadow: 0 0 0 0 transparent; } }
.btn { padding: 5px 11px; border-radius: 7px; border: 1px solid var(--border); background: var(--panel); font-size: 13px; }
.btn:hover { border-color: var(--accent); color: var(--accent); }
.btn.small { padding: 3px 8px; font-size: 12px; }

/* Layout */
main { max-width: 1320px; margin: 0 auto; padding: 20px 24px 40px; display: grid; gap: 16px; }
.row { display: grid; gap: 16px; }
.cols-4 { grid-template-columns: repeat(4, minmax(0, 1fr)); }
.cols-3 { grid-template-columns: repeat(3, minmax(0, 1fr)); }
.cols-2 { grid-template-columns: repeat(2, minmax(0, 1fr)); }
@media (max-width: 980px) { .cols-4 { grid-template-columns: repeat(2, minmax(0, 1fr)); } .cols-3, .cols-2 { grid-template-columns: minmax(0, 1fr); } .endpoint { display: none; } }
@media (max-width: 560px) { .cols-4 { grid-template-columns: minmax(0, 1fr); } main { padding: 12px; } }
#events { overflow-x: auto; }
.panel { background: var(--panel); border: 1px solid var(--border); border-radius: var(--radius); box-shadow: var(--shadow); min-width: 0; }
.panel > header { display: flex; align-items: baseline; gap: 10px; padding: 14px 16px 0; }
.panel > header h2 { margin: 0; font-size: 13px; font-weight: 650; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
.panel > header .hint { color: var(--faint); font-size: 12.5px; }
.panel > header .right { margin-left: auto; }
.panel .body { padding: 12px 16px 16px; }
.muted { color: var(--muted); }
.faint { color: var(--faint); }
.empty { color: var(--faint); padding: 18px 4px; text-align: center; font-size: 13px; }

/* Stat cards */
.stat { padding: 14px 16px; }
.stat .label { color: var(--muted); font-size: 12.5px; font-weight: 550; }
.stat .value { font-size: 26px; font-weight: 650; letter-spacing: -.02em; margin-top: 2px; font-variant-numeric: tabular-nums; }
.stat .sub { color: var(--faint); font-size: 12.5px; margin-top: 2px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }

/* Tiers */
.tier { padding: 14px 16px; display: grid; grid-template-columns: auto 1fr auto; gap: 2px 12px; align-items: center; border-left: 4px solid var(--tier); }
.tier[data-tier="metrics"] { --tier: var(--metrics); }
.tier[data-tier="events"] { --tier: var(--events); }
.tier[data-tier="traces"] { --tier: var(--traces); }
.tier .name { font-weight: 650; text-transform: capitalize; }
.tier .what { grid-column: 1 / 3; color: var(--faint); font-size: 12.5px; }
.tier .state { justify-self: end; font-size: 12px; font-weight: 600; padding: 2px 8px; border-radius: 99px; background: var(--panel-2); color: var(--faint); }
.tier.on .state { background: color-mix(in srgb, var(--ok) 15%, transparent); color: var(--ok); }
.tier .count { grid-column: 3; grid-row: 2; justify-self: end; color: var(--muted); font-size: 12.5px; }
.tier .icon { width: 10px; height: 10px; border-radius: 3px; background: var(--tier); }
.tier:not(.on) { border-left-color: var(--grid); }
.tier:not(.on) .icon { background: var(--border); }

/* Segmented control */
.seg { display: inline-flex; border: 1px solid var(--border); border-radius: 7px; overflow: hidden; }
.seg button { border: 0; background: transparent; padding: 3px 10px; font-size: 12px; color: var(--muted); }
.seg button + button { border-left: 1px solid var(--border); }
.seg button.on { background: var(--accent-soft); color: var(--accent); font-weight: 600; }

/* Charts */
svg text { fill: var(--faint); font: 11px var(--sans); }
.chart { width: 100%; display: block; }
.gridline { stroke: var(--grid); stroke-width: 1; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 14px; margin-top: 8px; font-size: 12px; color: var(--muted); }
.legend span { display: inline-flex; align-items: center; gap: 6px; }
.legend i { width: 10px; height: 10px; border-radius: 3px; display: inline-block; }
.spark { display: block; }

/* Events table */
table { width: 100%; border-collapse: collapse; }
th { text-align: left; font-size: 11.5px; font-weight: 600; color: var(--faint); text-transform: uppercase; letter-spacing: .04em;
  padding: 8px 10px; border-bottom: 1px solid var(--border); white-space: nowrap; }
th.num { text-align: right; }
td { padding: 9px 10px; border-bottom: 1px solid var(--grid); vertical-align: middle; }
tr:last-child td { border-bottom: 0; }
.events tbody tr { cursor: pointer; }
.events tbody tr:hover td { background: var(--panel-2); }
.events tbody tr.selected td { background: var(--accent-soft); }
.events tbody tr.selected td:first-child { box-shadow: inset 3px 0 0 var(--accent); }
.ev-name { font-family: var(--mono); font-size: 13px; font-weight: 600; }
.ev-desc { color: var(--faint); font-size: 12px; margin-top: 1px; }
.count { font-weight: 650; font-size: 14px; }
.bump { animation: bump 1.2s ease-out; }
@keyframes bump { 0% { color: var(--accent); text-shadow: 0 0 10px var(--accent-soft); } 100% { } }
.badges { display: inline-flex; gap: 4px; }
.badge { font: 600 10.5px var(--mono); padding: 2px 6px; border-radius: 5px; border: 1px solid; letter-spacing: .02em; }
.badge.metrics { color: var(--metrics); border-color: color-mix(in srgb, var(--metrics) 40%, transparent); background: color-mix(in srgb, var(--metrics) 9%, transparent); }
.badge.events { color: var(--events); border-color: color-mix(in srgb, var(--events) 40%, transparent); background: color-mix(in srgb, var(--events) 9%, transparent); }
.badge.traces { color: var(--traces); border-color: color-mix(in srgb, var(--traces) 40%, transparent); background: color-mix(in srgb, var(--traces) 9%, transparent); }
.fail { color: var(--bad); font-weight: 600; }
.okc { color: var(--faint); }

/* Detail */
.detail-head { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
.detail-head .ev-name { font-size: 15px; }
.detail-head .right { margin-left: auto; font-size: 12.5px; }
.kv { display: grid; grid-template-columns: repeat(6, minmax(0, 1fr)); gap: 8px; margin: 12px 0 6px; }
.kv div { background: var(--panel-2); border-radius: 8px; padding: 8px 10px; }
.kv .k { color: var(--faint); font-size: 11.5px; text-transform: uppercase; letter-spacing: .04em; }
.kv .v { font: 600 15px var(--mono); font-variant-numeric: tabular-nums; }
.kv .v.p50 { color: var(--p50); } .kv .v.p95 { color: var(--p95); }
.detail-grid { display: grid; grid-template-columns: minmax(0, 1.25fr) minmax(0, 1fr); gap: 24px; margin-top: 10px; }
@media (max-width: 980px) { .detail-grid { grid-template-columns: minmax(0, 1fr); } .kv { grid-template-columns: repeat(3, 1fr); } }
h3 { margin: 0 0 8px; font-size: 12.5px; font-weight: 650; color: var(--muted); }
.bar-h { fill: var(--accent); opacity: .85; }
.bar-h:hover { opacity: 1; }
.pline { stroke-width: 1.5; stroke-dasharray: 4 3; }
svg text.plabel { font-weight: 650; paint-order: stroke; stroke: var(--panel); stroke-width: 4px; stroke-linejoin: round; }
.attr { margin-bottom: 14px; }
.attr-key { font: 600 12px var(--mono); color: var(--text); margin-bottom: 4px; display: flex; justify-content: space-between; }
.attr-row { display: grid; grid-template-columns: minmax(70px, 34%) 1fr 64px; gap: 8px; align-items: center; font-size: 12.5px; padding: 2px 0; }
.attr-row .val { font-family: var(--mono); font-size: 12px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.attr-row .track { height: 8px; background: var(--panel-2); border-radius: 4px; overflow: hidden; }
.attr-row .fill { height: 100%; background: var(--accent); border-radius: 4px; opacity: .75; }
.attr-row .n { text-align: right; font-family: var(--mono); font-size: 12px; color: var(--muted); }

/* Lists */
.scroll { max-height: 360px; overflow: auto; }
.list td { font-size: 12.5px; padding: 7px 10px; }
.time { font-family: var(--mono); font-size: 12px; color: var(--faint); white-space: nowrap; }
.chips { display: flex; flex-wrap: wrap; gap: 4px; }
.chip { font: 11.5px var(--mono); padding: 1px 6px; border-radius: 5px; background: var(--panel-2); border: 1px solid var(--border); color: var(--muted);
  max-width: 260px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.chip b { color: var(--text); font-weight: 500; }
.dur { display: flex; align-items: center; gap: 8px; justify-content: flex-end; }
.dur .track { width: 70px; height: 6px; background: var(--panel-2); border-radius: 3px; overflow: hidden; }
.dur .fill { height: 100%; background: var(--traces); }
.status { font: 600 10.5px var(--mono); padding: 1px 6px; border-radius: 5px; text-transform: uppercase; }
.status.ok { color: var(--ok); background: color-mix(in srgb, var(--ok) 12%, transparent); }
.status.error { color: var(--bad); background: color-mix(in srgb, var(--bad) 12%, transparent); }
.status.unset { color: var(--faint); background: var(--panel-2); }
.sev { font: 600 10.5px var(--mono); color: var(--faint); }
.app { display: grid; gap: 8px; padding: 10px 0; border-bottom: 1px solid var(--grid); }
.app:last-child { border-bottom: 0; }
.app-head { display: flex; align-items: baseline; gap: 10px; }
.app-name { font-weight: 650; font-size: 15px; }
.app-ver { font-family: var(--mono); color: var(--muted); }
.app-inst { margin-left: auto; color: var(--muted); font-size: 12.5px; }
.app-inst b { color: var(--text); font-variant-numeric: tabular-nums; }
.rej td { font-size: 12.5px; }
.code { font: 600 11px var(--mono); padding: 1px 6px; border-radius: 5px; color: var(--bad); background: color-mix(in srgb, var(--bad) 12%, transparent); }
.code.partial { color: var(--warn); background: color-mix(in srgb, var(--warn) 14%, transparent); }

/* Getting started */
.start { padding: 26px 20px; text-align: center; }
.start h3 { font-size: 15px; color: var(--text); margin-bottom: 6px; }
.start pre { display: inline-block; text-align: left; margin: 10px auto 0; padding: 12px 14px; border-radius: 8px; background: var(--panel-2);
  border: 1px solid var(--border); font: 12.5px/1.6 var(--mono); color: var(--text); white-space: pre-wrap; }
footer { max-width: 1320px; margin: 0 auto; padding: 0 24px 28px; color: var(--faint); font-size: 12px; }
`;
