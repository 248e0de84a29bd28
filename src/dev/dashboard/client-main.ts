/** Dashboard script, part 4: state, the `/api/state` fetch, the `/events` stream, and user input. */
export const CLIENT_MAIN = String.raw`
var state = null;
var skew = 0;
var range = 300000;
var selected = null;
var prevCounts = {};

function serverNow() { return Date.now() + skew; }

function select(name) {
  selected = name;
  render();
  var panel = byId('detail');
  if (panel && panel.getBoundingClientRect().top > window.innerHeight) panel.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
}

function render() {
  if (!state) return;
  var now = serverNow();
  if (!state.events.some(function (e) { return e.name === selected; })) selected = state.events.length ? state.events[0].name : null;
  renderStats(state, now);
  renderTiers(state, now);
  renderActivity(state, now);
  renderEvents(state, now);
  renderDetail(state);
  renderLogs(state);
  renderSpans(state);
  renderResources(state, now);
  renderRejections(state);
  renderFooter(state);
  document.body.setAttribute('data-version', String((Number(document.body.getAttribute('data-version')) || 0) + 1));
}

function apply(next) {
  state = next;
  // Charts are aligned to the server's clock, so a skewed browser clock does not shift the bars.
  skew = next.now - Date.now();
  render();
}

function setConnection(live, text) {
  var el = byId('conn');
  el.className = 'conn ' + (live ? 'live' : 'down');
  byId('conn-text').textContent = text;
}

function connect() {
  if (!window.EventSource) { setConnection(false, 'no live updates'); return; }
  var es = new EventSource('/events');
  es.addEventListener('state', function (ev) {
    try { apply(JSON.parse(ev.data)); } catch (err) { /* a torn message: the next one is complete */ }
  });
  es.onopen = function () { setConnection(true, 'live'); };
  es.onerror = function () { setConnection(false, 'reconnecting'); };
}

function init() {
  var endpoint = byId('endpoint');
  endpoint.querySelector('b').textContent = location.origin;
  byId('copy').addEventListener('click', function () {
    var text = 'OTEL_EXPORTER_OTLP_ENDPOINT=' + location.origin;
    if (navigator.clipboard) navigator.clipboard.writeText(text).then(function () {
      byId('copy').textContent = 'Copied';
      setTimeout(function () { byId('copy').textContent = 'Copy'; }, 1500);
    }, function () {});
  });
  byId('clear').addEventListener('click', function () {
    fetch('/api/clear', { method: 'POST', headers: { 'x-optel-dev': 'clear' } }).then(function () { prevCounts = {}; });
  });
  Array.prototype.forEach.call(byId('range').querySelectorAll('button'), function (b) {
    b.addEventListener('click', function () {
      range = Number(b.getAttribute('data-range'));
      Array.prototype.forEach.call(byId('range').querySelectorAll('button'), function (o) { o.className = o === b ? 'on' : ''; });
      render();
    });
  });
  var resizeTimer = null;
  window.addEventListener('resize', function () { clearTimeout(resizeTimer); resizeTimer = setTimeout(render, 120); });
  // Time moves even when no data arrives: "12s ago" and the charts' window need a tick.
  setInterval(render, 5000);
  fetch('/api/state', { cache: 'no-store' }).then(function (r) { return r.json(); }).then(function (s) { if (!state) apply(s); }, function () {});
  connect();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
else init();
`;
