/** The optel mark: three bars, one per tier. Used as favicon and in the top bar. */
export const LOGO_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" aria-hidden="true">' +
  '<rect x="1" y="1" width="22" height="22" rx="6" fill="#4f46e5"/>' +
  '<rect x="6" y="11" width="3" height="7" rx="1.5" fill="#c7d2fe"/>' +
  '<rect x="10.5" y="7" width="3" height="11" rx="1.5" fill="#fff"/>' +
  '<rect x="15" y="13" width="3" height="5" rx="1.5" fill="#a5b4fc"/></svg>';

/**
 * The dashboard page: a static skeleton that `/dashboard.js` fills from `/api/state` and keeps
 * current from `/events`. Script and styles are separate files so the page can ship a strict
 * Content-Security-Policy (no inline script at all).
 */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>optel dev</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/dashboard.css">
<script src="/dashboard.js" defer></script>
</head>
<body>
<header class="top">
  <div class="brand">${LOGO_SVG}<span>optel</span><span class="tag">dev</span></div>
  <div class="endpoint"><code id="endpoint">OTEL_EXPORTER_OTLP_ENDPOINT=<b></b></code><button class="btn small" id="copy" type="button">Copy</button></div>
  <div class="spacer"></div>
  <div class="conn" id="conn" data-testid="connection"><span class="dot"></span><span id="conn-text">connecting</span></div>
  <button class="btn" id="clear" type="button" title="Forget everything received so far">Clear</button>
</header>
<main>
  <section class="row cols-4" id="stats"></section>
  <section class="row cols-3" id="tiers"></section>
  <section class="panel" id="activity-panel">
    <header><h2>Activity</h2><span class="hint" id="activity-hint"></span>
      <div class="right seg" id="range"><button type="button" data-range="300000" class="on">5 min</button><button type="button" data-range="900000">15 min</button><button type="button" data-range="3600000">1 hour</button></div>
    </header>
    <div class="body"><div id="activity"></div><div class="legend" id="legend"></div></div>
  </section>
  <section class="panel">
    <header><h2>Events</h2><span class="hint" id="events-hint"></span></header>
    <div class="body" id="events"></div>
  </section>
  <section class="panel" id="detail" hidden>
    <header><h2>Event detail</h2></header>
    <div class="body" id="detail-body"></div>
  </section>
  <section class="row cols-2">
    <section class="panel"><header><h2>Recent log records</h2><span class="hint">events tier</span></header><div class="body scroll" id="logs"></div></section>
    <section class="panel"><header><h2>Recent spans</h2><span class="hint">traces tier</span></header><div class="body scroll" id="spans"></div></section>
  </section>
  <section class="row cols-2">
    <section class="panel"><header><h2>Resource</h2><span class="hint">who is sending</span></header><div class="body" id="resources"></div></section>
    <section class="panel"><header><h2>Refused</h2><span class="hint">4xx answers and partial successes</span></header><div class="body scroll" id="rejections"></div></section>
  </section>
</main>
<footer id="footer"></footer>
</body>
</html>
`;
