/** Dashboard script, part 2: inline SVG charts (activity, sparklines, latency histogram) and attribute bars. */
export const CLIENT_CHARTS = String.raw`
var BARS = 30;

/** Counts per display bar for one event's sparse series, over the window ending now. */
function rebin(series, bucketMs, first, barMs) {
  var out = new Array(BARS).fill(0);
  (series || []).forEach(function (p) {
    var i = Math.floor((p[0] * bucketMs - first) / barMs);
    if (i >= 0 && i < BARS) out[i] += p[1];
  });
  return out;
}

function windowOf(range, now) {
  var barMs = range / BARS;
  var last = Math.floor(now / barMs) * barMs;
  return { barMs: barMs, first: last - (BARS - 1) * barMs };
}

function niceMax(v) {
  if (v <= 4) return 4;
  var p = Math.pow(10, Math.floor(Math.log10(v)));
  var steps = [1, 2, 2.5, 5, 10];
  for (var i = 0; i < steps.length; i++) if (steps[i] * p >= v) return steps[i] * p;
  return 10 * p;
}

function activityChart(box, legendBox, state, range, now) {
  var width = Math.max(320, box.clientWidth || 800), height = 168;
  var m = { l: 38, r: 6, t: 8, b: 22 };
  var w = width - m.l - m.r, hgt = height - m.t - m.b;
  var win = windowOf(range, now);
  var ranked = state.events.map(function (e) {
    var bars = rebin(e.series, state.bucketMs, win.first, win.barMs);
    return { name: e.name, bars: bars, total: bars.reduce(function (a, b) { return a + b; }, 0) };
  }).filter(function (e) { return e.total > 0; }).sort(function (a, b) { return b.total - a.total; });
  var top = ranked.slice(0, 6);
  if (ranked.length > 6) {
    var rest = new Array(BARS).fill(0);
    ranked.slice(6).forEach(function (e) { e.bars.forEach(function (n, i) { rest[i] += n; }); });
    top.push({ name: 'other', bars: rest, total: 1, other: true });
  }
  var totals = new Array(BARS).fill(0);
  top.forEach(function (e) { e.bars.forEach(function (n, i) { totals[i] += n; }); });
  var max = niceMax(Math.max.apply(null, totals));
  var g = svg('svg', { class: 'chart', width: width, height: height, viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': 'occurrences over time' });
  for (var k = 0; k <= 4; k++) {
    var y = m.t + hgt - (hgt * k) / 4;
    g.appendChild(svg('line', { class: 'gridline', x1: m.l, x2: width - m.r, y1: y, y2: y }));
    if (k % 2 === 0) g.appendChild(svg('text', { x: m.l - 6, y: y + 4, 'text-anchor': 'end', text: fmtCount((max * k) / 4) }));
  }
  var bw = w / BARS, gap = Math.min(4, bw * 0.25);
  for (var i = 0; i < BARS; i++) {
    var y0 = m.t + hgt;
    var x = m.l + i * bw + gap / 2;
    top.forEach(function (e, j) {
      var n = e.bars[i];
      if (!n) return;
      var bh = (n / max) * hgt;
      y0 -= bh;
      var from = win.first + i * win.barMs;
      g.appendChild(svg('rect', { x: x, y: y0, width: Math.max(1, bw - gap), height: Math.max(1, bh), rx: 2,
        fill: e.other ? 'var(--faint)' : PALETTE[j % PALETTE.length] }, title(e.name + ': ' + fmtCount(n) + '  (' + fmtClock(from) + ' to ' + fmtClock(from + win.barMs) + ')')));
    });
    if (i % 6 === 0 || i === BARS - 1) {
      var t = fmtClock(win.first + i * win.barMs);
      g.appendChild(svg('text', { x: m.l + i * bw + bw / 2, y: height - 6, 'text-anchor': 'middle', text: range <= 300000 ? t : t.slice(0, 5) }));
    }
  }
  fill(box, g);
  fill(legendBox, top.map(function (e, j) {
    var sw = h('i');
    sw.style.background = e.other ? 'var(--faint)' : PALETTE[j % PALETTE.length];
    return h('span', null, [sw, e.name]);
  }));
  return ranked.reduce(function (a, e) { return a + e.total; }, 0);
}

function sparkline(series, bucketMs, range, now) {
  var width = 120, height = 26;
  var win = windowOf(range, now);
  var bars = rebin(series, bucketMs, win.first, win.barMs);
  var max = Math.max(1, Math.max.apply(null, bars));
  var g = svg('svg', { class: 'spark', width: width, height: height, viewBox: '0 0 ' + width + ' ' + height, 'aria-hidden': 'true' });
  var bw = width / BARS;
  g.appendChild(svg('line', { class: 'gridline', x1: 0, x2: width, y1: height - 0.5, y2: height - 0.5 }));
  bars.forEach(function (n, i) {
    if (!n) return;
    var bh = Math.max(2, (n / max) * (height - 2));
    g.appendChild(svg('rect', { x: i * bw + 0.5, y: height - bh, width: Math.max(1, bw - 1), height: bh, rx: 1, fill: 'var(--accent)' }));
  });
  return g;
}

/** x position (in buckets) of a value inside the bucket holding it, interpolated. */
function bucketPos(d, v) {
  var b = d.bounds, i = 0;
  while (i < b.length && v > b[i]) i++;
  var lo = i === 0 ? Math.min(0, b[0] || 0) : b[i - 1];
  var hi = i < b.length ? b[i] : (d.max !== undefined ? d.max : lo);
  if (i === 0 && d.min !== undefined) lo = Math.max(lo, d.min);
  return i + (hi > lo ? Math.min(1, Math.max(0, (v - lo) / (hi - lo))) : 0.5);
}

function histogramChart(d, width) {
  var n = d.buckets.length;
  var first = d.buckets.findIndex(function (c) { return c > 0; });
  var last = n - 1 - d.buckets.slice().reverse().findIndex(function (c) { return c > 0; });
  if (first < 0) { first = 0; last = Math.min(n - 1, 5); }
  var start = Math.max(0, first - 1), end = Math.min(n - 1, last + 1);
  while (end - start < 7 && (start > 0 || end < n - 1)) { if (end < n - 1) end++; if (end - start < 7 && start > 0) start--; }
  var shown = end - start + 1;
  var height = 224, m = { l: 34, r: 8, t: 40, b: 34 };
  var w = width - m.l - m.r, hgt = height - m.t - m.b, bw = w / shown;
  var max = niceMax(Math.max.apply(null, d.buckets));
  var g = svg('svg', { class: 'chart', width: width, height: height, viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': 'latency histogram' });
  for (var k = 0; k <= 2; k++) {
    var y = m.t + hgt - (hgt * k) / 2;
    g.appendChild(svg('line', { class: 'gridline', x1: m.l, x2: width - m.r, y1: y, y2: y }));
    g.appendChild(svg('text', { x: m.l - 6, y: y + 4, 'text-anchor': 'end', text: fmtCount((max * k) / 2) }));
  }
  var every = Math.ceil(shown / Math.max(1, Math.floor(w / 64)));
  for (var i = start; i <= end; i++) {
    var c = d.buckets[i], x = m.l + (i - start) * bw;
    var lo = i === 0 ? null : d.bounds[i - 1], hi = i < d.bounds.length ? d.bounds[i] : null;
    var label = hi === null ? '> ' + fmtMeasure(lo, d.unit) : '≤ ' + fmtMeasure(hi, d.unit);
    if (c > 0) {
      var bh = (c / max) * hgt;
      g.appendChild(svg('rect', { class: 'bar-h', x: x + 2, y: m.t + hgt - bh, width: Math.max(1, bw - 4), height: bh, rx: 3 },
        title(fmtCount(c) + ' in ' + (lo === null ? '' : '(' + fmtMeasure(lo, d.unit) + ', ') + (hi === null ? '∞)' : fmtMeasure(hi, d.unit) + ']'))));
    }
    if ((i - start) % every === 0) g.appendChild(svg('text', { x: x + bw / 2, y: height - 14, 'text-anchor': 'middle', text: label }));
  }
  // Two label rows (p95 above p50) so labels never collide; lines first, then haloed labels on top.
  var marks = [['p95', d.p95, 'var(--p95)', 12], ['p50', d.p50, 'var(--p50)', 27]].filter(function (p) { return p[1] !== undefined; });
  marks.forEach(function (p) {
    p.push(Math.max(m.l, Math.min(width - m.r, m.l + (bucketPos(d, p[1]) - start) * bw)));
    g.appendChild(svg('line', { class: 'pline', x1: p[4], x2: p[4], y1: p[3] + 4, y2: m.t + hgt, stroke: p[2] }));
  });
  marks.forEach(function (p) {
    var x = p[4], anchor = x > width - 90 ? 'end' : 'start';
    var t = svg('text', { class: 'plabel', x: anchor === 'end' ? x - 5 : x + 5, y: p[3] + 4, 'text-anchor': anchor, text: p[0] + ' ' + fmtMeasure(p[1], d.unit) });
    t.style.fill = p[2];
    g.appendChild(t);
  });
  return g;
}

function breakdownView(attributes) {
  if (!attributes.length) return empty('No attributes.');
  return attributes.map(function (a) {
    // By magnitude: an up-down counter's values may be negative.
    var total = a.values.reduce(function (s, v) { return s + Math.abs(v.count); }, Math.abs(a.other));
    var shown = a.values.slice(0, 6);
    var more = a.values.length - shown.length;
    var rows = shown.map(function (v) {
      var fillEl = h('div', { class: 'fill' });
      fillEl.style.width = (total ? (Math.abs(v.count) / total) * 100 : 0).toFixed(1) + '%';
      return h('div', { class: 'attr-row', 'data-testid': 'attr-value', 'data-key': a.key, 'data-value': v.value }, [
        h('span', { class: 'val', title: v.value, text: v.value }),
        h('div', { class: 'track' }, fillEl),
        h('span', { class: 'n', text: fmtCount(v.count) }),
      ]);
    });
    if (more > 0 || a.other > 0) rows.push(h('div', { class: 'faint', text: '+ ' + (more > 0 ? more + ' more values' : '') + (a.other > 0 ? (more > 0 ? ', ' : '') + fmtCount(a.other) + ' past the cap' : '') }));
    return h('div', { class: 'attr' }, [
      h('div', { class: 'attr-key' }, [h('span', { text: a.key }), h('span', { class: 'faint', text: plural(a.values.length, 'value', 'values') })]),
    ].concat(rows));
  });
}
`;
