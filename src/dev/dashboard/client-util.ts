/**
 * Dashboard script, part 1: DOM and formatting helpers. Plain ES2020 inside one IIFE (see
 * `assets.ts`); everything is built with `textContent`, never `innerHTML`, because attribute
 * values come from whoever sends telemetry.
 */
export const CLIENT_UTIL = String.raw`
var SVG_NS = 'http://www.w3.org/2000/svg';
var PALETTE = ['#6366f1', '#06b6d4', '#f59e0b', '#ec4899', '#10b981', '#8b5cf6', '#ef4444', '#84cc16'];
var TIER_LETTER = { metrics: 'M', events: 'E', traces: 'T' };

function byId(id) { return document.getElementById(id); }

function h(tag, attrs, children) {
  var el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

function svg(tag, attrs, children) {
  var el = document.createElementNS(SVG_NS, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

function setAttrs(el, attrs) {
  if (!attrs) return;
  Object.keys(attrs).forEach(function (k) {
    var v = attrs[k];
    if (v === undefined || v === null || v === false) return;
    if (k === 'text') el.textContent = String(v);
    else if (k === 'class') el.setAttribute('class', v);
    else if (k === 'onclick') el.addEventListener('click', v);
    else if (k === 'onkeydown') el.addEventListener('keydown', v);
    else el.setAttribute(k, v === true ? '' : String(v));
  });
}

function append(el, children) {
  if (children === undefined || children === null) return;
  if (!Array.isArray(children)) children = [children];
  children.forEach(function (c) {
    if (c === undefined || c === null || c === false) return;
    el.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  });
}

function fill(el, children) {
  while (el.firstChild) el.removeChild(el.firstChild);
  append(el, children);
}

function title(text) { return svg('title', { text: text }); }

function fmtCount(n) {
  if (n === undefined || n === null) return '-';
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

function sig(v) {
  if (v === 0) return '0';
  var digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(v))));
  return String(Number(v.toFixed(Math.min(digits, 6))));
}

function fmtMeasure(v, unit) {
  if (v === undefined || v === null || !isFinite(v)) return '-';
  var s = unit === 's' ? v : unit === 'ms' ? v / 1000 : unit === 'us' ? v / 1e6 : null;
  if (s === null) return sig(v) + (unit && unit.charAt(0) !== '{' ? ' ' + unit : '');
  if (s < 0.001) return sig(s * 1e6) + ' µs';
  if (s < 1) return sig(s * 1000) + ' ms';
  if (s < 60) return sig(s) + ' s';
  return fmtSpan(s * 1000);
}

function fmtMs(ms) { return fmtMeasure(ms / 1000, 's'); }

function fmtSpan(ms) {
  var s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return s + 's';
  var m = Math.floor(s / 60);
  if (m < 60) return m + 'm ' + String(s % 60).padStart(2, '0') + 's';
  return Math.floor(m / 60) + 'h ' + String(m % 60).padStart(2, '0') + 'm';
}

function fmtAgo(at, now) {
  if (!at) return 'never';
  var d = now - at;
  if (d < 5000) return 'just now';
  return fmtSpan(d) + ' ago';
}

function fmtClock(ms) {
  var d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map(function (n) { return String(n).padStart(2, '0'); }).join(':');
}

function fmtBytes(n) {
  if (n < 1000) return n + ' B';
  if (n < 1e6) return sig(n / 1000) + ' kB';
  return sig(n / 1e6) + ' MB';
}

// A gauge or up-down counter alone has no occurrences: it shows its value instead.
function countText(e) { return e.count === 0 && e.value !== undefined ? '= ' + fmtCount(e.value) : fmtCount(e.count); }

function plural(n, one, many) { return fmtCount(n) + ' ' + (n === 1 ? one : many); }

function badges(tiers) {
  return h('span', { class: 'badges' }, tiers.map(function (t) {
    return h('span', { class: 'badge ' + t, title: t + ' tier', text: TIER_LETTER[t] || t });
  }));
}

function chips(attributes) {
  return h('div', { class: 'chips' }, Object.keys(attributes).map(function (k) {
    var v = String(attributes[k]);
    return h('span', { class: 'chip', title: k + '=' + v }, [k + '=', h('b', { text: v })]);
  }));
}

function empty(text) { return h('div', { class: 'empty', text: text }); }
`;
