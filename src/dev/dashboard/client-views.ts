/** Dashboard script, part 3: one render function per section, each a pure function of the state. */
export const CLIENT_VIEWS = String.raw`
var TIER_WHAT = {
  metrics: 'Counters and duration histograms, anonymous',
  events: 'One log record per occurrence (opt-in)',
  traces: 'Spans around command handlers (opt-in)'
};
var TIER_ITEMS = { metrics: ['data point', 'data points'], events: ['log record', 'log records'], traces: ['span', 'spans'] };

function stat(testid, label, value, sub) {
  return h('div', { class: 'panel stat', 'data-testid': testid }, [
    h('div', { class: 'label', text: label }),
    h('div', { class: 'value', 'data-testid': testid + '-value', text: value }),
    h('div', { class: 'sub', text: sub, title: sub }),
  ]);
}

function renderStats(s, now) {
  var total = s.events.reduce(function (a, e) { return a + e.count; }, 0);
  var last = Math.max(0, s.tiers.metrics.lastAt || 0, s.tiers.events.lastAt || 0, s.tiers.traces.lastAt || 0);
  var apps = s.resources.map(function (r) { return r.service + (r.version ? ' ' + r.version : ''); }).join(', ');
  var rejected = s.totals.rejectedRequests ? ', ' + plural(s.totals.rejectedRequests, 'refused', 'refused') : '';
  fill(byId('stats'), [
    stat('total-events', 'Occurrences', fmtCount(total), plural(s.events.length, 'event', 'events')),
    stat('total-requests', 'Export requests', fmtCount(s.totals.requests), fmtBytes(s.totals.bytes) + ' received' + rejected),
    stat('installations', 'Installations', fmtCount(s.installations), apps || 'no app yet'),
    stat('uptime', 'Listening for', fmtSpan(now - s.startedAt), last ? 'last data ' + fmtAgo(last, now) : 'waiting for data'),
  ]);
}

function renderTiers(s, now) {
  fill(byId('tiers'), ['metrics', 'events', 'traces'].map(function (t) {
    var tier = s.tiers[t], on = tier.items > 0;
    var live = on && now - tier.lastAt < 120000;
    return h('div', { class: 'panel tier' + (on ? ' on' : ''), 'data-tier': t, 'data-testid': 'tier-' + t, 'data-state': on ? 'on' : 'off' }, [
      h('span', { class: 'icon' }),
      h('span', { class: 'name', text: t }),
      h('span', { class: 'state', text: on ? (live ? 'arriving' : 'seen') : 'not seen' }),
      h('span', { class: 'what', text: TIER_WHAT[t] }),
      h('span', { class: 'count', text: on ? plural(tier.items, TIER_ITEMS[t][0], TIER_ITEMS[t][1]) + ' · ' + fmtAgo(tier.lastAt, now) : '' }),
    ]);
  }));
}

function renderActivity(s, now) {
  var n = activityChart(byId('activity'), byId('legend'), s, range, now);
  byId('activity-hint').textContent = plural(n, 'occurrence', 'occurrences') + ' in the last ' + fmtSpan(range).replace(' 00s', '').replace(' 00m', '');
}

function gettingStarted() {
  var origin = location.origin;
  return h('div', { class: 'start' }, [
    h('h3', { text: 'Waiting for telemetry' }),
    h('div', { class: 'muted', text: 'Point any OTLP/HTTP exporter here (protobuf or JSON, gzip or not). For a CLI built with optel:' }),
    h('pre', { text: 'export OTEL_EXPORTER_OTLP_ENDPOINT=' + origin + '\nexport MYAPP_TELEMETRY_FLUSH=immediate   # send at once, not hourly\nexport MYAPP_TELEMETRY_EVENTS=on          # optional: log records\nexport MYAPP_TELEMETRY_TRACES=on          # optional: spans\nmyapp <command>' }),
  ]);
}

function renderEvents(s, now) {
  var box = byId('events');
  byId('events-hint').textContent = s.events.length ? 'click a row for its latency and attributes' : '';
  if (!s.events.length) { fill(box, gettingStarted()); return; }
  var head = h('tr', null, ['Event', 'Tiers', 'Count', 'Trend', 'p50', 'p95', 'Failed', 'Last seen'].map(function (t, i) {
    return h('th', { class: i >= 2 && i !== 3 ? 'num' : '', text: t });
  }));
  var rows = s.events.map(function (e) {
    var unit = e.duration ? e.duration.unit : 's';
    var bumped = prevCounts[e.name] !== undefined && prevCounts[e.name] !== e.count;
    prevCounts[e.name] = e.count;
    var failed = e.failures ? h('span', { class: 'fail', text: fmtCount(e.failures) + ' (' + Math.round((100 * e.failures) / Math.max(1, e.count)) + '%)' }) : h('span', { class: 'okc', text: '0' });
    var tr = h('tr', { 'data-testid': 'event-row', 'data-event': e.name, tabindex: 0, class: e.name === selected ? 'selected' : '',
      onclick: function () { select(e.name); },
      onkeydown: function (ev) { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); select(e.name); } } }, [
      h('td', null, [h('div', { class: 'ev-name', text: e.name }), e.description ? h('div', { class: 'ev-desc', text: e.description }) : null]),
      h('td', null, badges(e.tiers)),
      h('td', { class: 'num count' + (bumped ? ' bump' : ''), 'data-testid': 'event-count', 'data-count': e.count,
        title: 'metrics ' + fmtCount(e.counts.metrics) + ' · events ' + fmtCount(e.counts.events) + ' · traces ' + fmtCount(e.counts.traces), text: countText(e) }),
      h('td', null, sparkline(e.series, s.bucketMs, range, now)),
      h('td', { class: 'num', 'data-testid': 'event-p50', text: e.duration ? fmtMeasure(e.duration.p50, unit) : '-' }),
      h('td', { class: 'num', 'data-testid': 'event-p95', text: e.duration ? fmtMeasure(e.duration.p95, unit) : '-' }),
      h('td', { class: 'num' }, failed),
      h('td', { class: 'num faint', text: fmtAgo(e.lastAt, now) }),
    ]);
    return tr;
  });
  fill(box, h('table', { class: 'events', 'data-testid': 'events-table' }, [h('thead', null, head), h('tbody', null, rows)]));
}

function renderDetail(s) {
  var panel = byId('detail');
  var e = s.events.find(function (x) { return x.name === selected; });
  if (!e) { panel.hidden = true; return; }
  panel.hidden = false;
  var d = e.duration, unit = d ? d.unit : 's';
  var kv = [
    ['Count', countText(e), ''], ['Failed', e.failures ? fmtCount(e.failures) + ' (' + Math.round((100 * e.failures) / Math.max(1, e.count)) + '%)' : '0', ''],
    ['p50', d ? fmtMeasure(d.p50, unit) : '-', 'p50'], ['p95', d ? fmtMeasure(d.p95, unit) : '-', 'p95'],
    ['Mean', d && d.count ? fmtMeasure(d.sum / d.count, unit) : '-', ''], ['Max', d ? fmtMeasure(d.max, unit) : '-', ''],
  ];
  var body = byId('detail-body');
  var chartBox = h('div', { class: 'hist' });
  fill(body, [
    h('div', { class: 'detail-head' }, [h('span', { class: 'ev-name', 'data-testid': 'detail-name', text: e.name }), badges(e.tiers),
      h('span', { class: 'faint', text: e.description || '' }),
      h('span', { class: 'right faint', text: 'metrics ' + fmtCount(e.counts.metrics) + ' · events ' + fmtCount(e.counts.events) + ' · traces ' + fmtCount(e.counts.traces) })]),
    h('div', { class: 'kv' }, kv.map(function (x) {
      return h('div', null, [h('div', { class: 'k', text: x[0] }), h('div', { class: 'v ' + x[2], 'data-testid': 'detail-' + x[0].toLowerCase(), text: x[1] })]);
    })),
    h('div', { class: 'detail-grid' }, [
      h('div', null, [h('h3', { text: d ? 'Latency (' + plural(d.count, 'measurement', 'measurements') + ')' : 'Latency' }),
        d ? chartBox : empty('No duration recorded for this event.')]),
      h('div', null, [h('h3', { text: 'Attributes' })].concat(breakdownView(e.attributes))),
    ]),
  ]);
  // Drawn once laid out: the chart takes the width its grid column actually got.
  if (d) fill(chartBox, histogramChart(d, Math.max(280, chartBox.clientWidth || 600)));
}

function renderLogs(s) {
  var box = byId('logs');
  if (!s.logs.length) { fill(box, empty(s.tiers.events.items ? 'No log records kept.' : 'No log records yet: the events tier is off unless the user opts in.')); return; }
  fill(box, h('table', { class: 'list' }, h('tbody', null, s.logs.slice(0, 100).map(function (l) {
    return h('tr', { 'data-testid': 'log-row', 'data-event': l.event }, [
      h('td', { class: 'time', text: fmtClock(l.at) }),
      h('td', null, [h('div', { class: 'ev-name', text: l.event || '(no event name)' }), l.severity ? h('span', { class: 'sev', text: l.severity }) : null,
        l.body ? h('div', { class: 'muted', text: l.body }) : null]),
      h('td', null, chips(l.attributes)),
    ]);
  }))));
}

function renderSpans(s) {
  var box = byId('spans');
  if (!s.spans.length) { fill(box, empty(s.tiers.traces.items ? 'No spans kept.' : 'No spans yet: the traces tier is off unless the user opts in.')); return; }
  var max = Math.max.apply(null, s.spans.map(function (x) { return x.durationMs; }).concat([0.001]));
  fill(box, h('table', { class: 'list' }, h('tbody', null, s.spans.slice(0, 100).map(function (x) {
    var bar = h('div', { class: 'fill' });
    bar.style.width = Math.max(2, (x.durationMs / max) * 100).toFixed(1) + '%';
    return h('tr', { 'data-testid': 'span-row', 'data-name': x.name }, [
      h('td', { class: 'time', text: fmtClock(x.at) }),
      h('td', null, [h('div', { class: 'ev-name', text: x.name }), h('div', { class: 'faint mono', title: 'trace ' + x.traceId + ' / span ' + x.spanId, text: x.traceId.slice(0, 8) + '…' + x.spanId.slice(0, 4) })]),
      h('td', null, h('span', { class: 'status ' + x.status, title: x.statusMessage || '', text: x.status })),
      h('td', { class: 'num' }, h('div', { class: 'dur' }, [h('span', { text: fmtMs(x.durationMs) }), h('div', { class: 'track' }, bar)])),
    ]);
  }))));
}

function renderResources(s, now) {
  var box = byId('resources');
  if (!s.resources.length) { fill(box, empty('No resource yet.')); return; }
  fill(box, s.resources.map(function (r) {
    return h('div', { class: 'app', 'data-testid': 'resource', 'data-service': r.service }, [
      h('div', { class: 'app-head' }, [h('span', { class: 'app-name', text: r.service }), h('span', { class: 'app-ver', text: r.version || '' }),
        h('span', { class: 'app-inst' }, [h('b', { 'data-testid': 'resource-installations', text: fmtCount(r.installations) }), r.installations === 1 ? ' installation' : ' installations', ' · ' + fmtAgo(r.lastAt, now)])]),
      chips(r.attributes),
    ]);
  }));
}

function renderRejections(s) {
  var box = byId('rejections');
  if (!s.rejections.length) { fill(box, empty('Nothing refused.')); return; }
  fill(box, h('table', { class: 'list rej' }, h('tbody', null, s.rejections.map(function (r) {
    return h('tr', { 'data-testid': 'rejection' }, [
      h('td', { class: 'time', text: fmtClock(r.at) }),
      h('td', null, h('span', { class: 'code' + (r.status === 200 ? ' partial' : ''), text: r.status === 200 ? 'partial' : String(r.status) })),
      h('td', { class: 'mono', text: r.path }),
      h('td', { class: 'muted', text: r.reason }),
    ]);
  }))));
}

function renderFooter(s) {
  var parts = ['Kept in memory only: every aggregate, plus the last ' + fmtCount(s.limits.maxItems) + ' log records and spans'];
  if (s.limits.droppedEvents) parts.push(fmtCount(s.limits.droppedEvents) + ' items of events past the ' + s.limits.maxEvents + '-event cap not tracked');
  if (s.save) parts.push('saving OTLP/JSON lines to ' + s.save.file + ' (' + plural(s.save.lines, 'line', 'lines') + (s.save.errors ? ', ' + s.save.errors + ' failed' : '') + ')');
  byId('footer').textContent = parts.join(' · ');
}
`;
