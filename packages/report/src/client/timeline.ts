/**
 * The browser script of `timeline.html`: one lane per process, one bar per operation from its
 * invocation to its completion, on a zoomable time axis drawn on a canvas. Exposes
 * `window.gyreTimeline = { ready, data, zoom(pxPerSecond), opAt(x, y) }`.
 */
export const TIMELINE_JS = String.raw`
(function () {
  'use strict';
  var T = JSON.parse(document.getElementById('timeline-data').textContent);
  var COL = { ok: '#6DB6FE', info: '#FFAA26', fail: '#FEB5DA', open: '#d0d5dd' };
  var EDGE = { ok: '#2f86dd', info: '#d68400', fail: '#e0609d', open: '#98a2b3' };
  var TYPES = ['ok', 'info', 'fail', 'open'];
  var LANE = 24, TOP = 26, LEFT = 92, NEM = T.periods.length ? 22 : 0;
  var $ = function (id) { return document.getElementById(id); };
  var view = $('tl-view'), scroller = $('tl-scroller'), spacer = $('tl-spacer'), canvas = $('tl-canvas'), ctx = canvas.getContext('2d'), tip = $('tl-tip');
  var W = 0, H = 0, dpr = 1, pps = 0;
  var byLane = T.lanes.map(function () { return []; });
  T.ops.forEach(function (o, i) { byLane[o[0]].push(i); });
  var api = { ready: false, data: T };
  window.gyreTimeline = api;

  function fit() { return Math.max(20, (W - LEFT - 30) / Math.max(T.end / 1e9, 1e-3)); }
  function layout() {
    var r = view.getBoundingClientRect();
    dpr = window.devicePixelRatio || 1; W = Math.max(200, Math.floor(r.width)); H = Math.max(80, Math.floor(r.height));
    canvas.width = W * dpr; canvas.height = H * dpr; canvas.style.width = W + 'px'; canvas.style.height = H + 'px';
    if (!pps) pps = fit();
    spacer.style.width = Math.ceil(LEFT + (T.end / 1e9) * pps + 30) + 'px';
    spacer.style.height = (TOP + NEM + T.lanes.length * LANE + 10) + 'px';
    draw();
  }
  function xOf(t) { return LEFT + (t / 1e9) * pps - scroller.scrollLeft; }
  function yOf(lane) { return TOP + NEM + lane * LANE - scroller.scrollTop; }
  function niceStep(raw) { var p = Math.pow(10, Math.floor(Math.log10(raw))), m = raw / p; return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p; }
  function draw() {
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, W, H);
    var tA = Math.max(0, (scroller.scrollLeft - 10) / pps * 1e9), tB = (scroller.scrollLeft + W) / pps * 1e9;
    T.periods.forEach(function (p) {
      var a = xOf(p[1]), b = Math.max(xOf(p[2]), a + 1);
      ctx.fillStyle = 'rgba(233,220,160,0.55)'; ctx.fillRect(a, TOP, b - a, H - TOP);
      ctx.fillStyle = '#E9DCA0'; ctx.fillRect(a, TOP, b - a, NEM - 4);
      ctx.fillStyle = '#5c5222'; ctx.font = '11px system-ui, sans-serif'; ctx.textAlign = 'left';
      ctx.fillText(p[0], Math.max(a, LEFT) + 4, TOP + 13);
    });
    var step = niceStep(80 / pps), ticks = [];
    ctx.strokeStyle = '#f0f0f0'; ctx.lineWidth = 1;
    for (var s = Math.floor(tA / 1e9 / step) * step; s * 1e9 <= tB; s += step) {
      var x = Math.round(xOf(s * 1e9)) + 0.5;
      ctx.beginPath(); ctx.moveTo(x, TOP); ctx.lineTo(x, H); ctx.stroke();
      ticks.push([x, +s.toFixed(6) + ' s']);
    }
    var l0 = Math.max(0, Math.floor((scroller.scrollTop - NEM) / LANE)), l1 = Math.min(T.lanes.length - 1, Math.ceil((scroller.scrollTop + H) / LANE));
    for (var l = l0; l <= l1; l++) {
      var y = yOf(l), ids = byLane[l];
      if (l % 2) { ctx.fillStyle = 'rgba(0,0,0,0.018)'; ctx.fillRect(LEFT, y, W - LEFT, LANE); }
      var lo = 0, hi = ids.length;
      while (lo < hi) { var mid = (lo + hi) >> 1; if (T.ops[ids[mid]][2] < tA) lo = mid + 1; else hi = mid; }
      for (var k = lo; k < ids.length; k++) {
        var o = T.ops[ids[k]];
        if (o[1] > tB) break;
        var xa = xOf(o[1]), xb = Math.max(xOf(o[2]), xa + 2), ty = TYPES[o[3]];
        ctx.fillStyle = COL[ty]; ctx.fillRect(xa, y + 3, xb - xa, LANE - 6);
        ctx.strokeStyle = EDGE[ty]; ctx.strokeRect(xa + 0.5, y + 3.5, xb - xa - 1, LANE - 7);
        if (xb - xa > 30) {
          ctx.save(); ctx.beginPath(); ctx.rect(xa, y, xb - xa - 2, LANE); ctx.clip();
          ctx.fillStyle = '#1d2330'; ctx.textAlign = 'left'; ctx.fillText(T.fs[o[4]] + ' ' + o[7], xa + 3, y + 16); ctx.restore();
        }
      }
    }
    ctx.fillStyle = '#fafafa'; ctx.fillRect(0, TOP, LEFT, H - TOP);
    ctx.fillStyle = '#344054'; ctx.textAlign = 'right'; ctx.font = '12px system-ui, sans-serif';
    for (l = l0; l <= l1; l++) { var yy = yOf(l); if (yy + LANE / 2 > TOP + NEM) ctx.fillText(T.lanes[l], LEFT - 10, yy + 16); }
    if (NEM) { ctx.fillStyle = '#5c5222'; ctx.fillText('nemesis', LEFT - 10, TOP + 14); }
    ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, W, TOP);
    ctx.fillStyle = '#667085'; ctx.textAlign = 'left'; ctx.fillText('process', 8, 16);
    ctx.textAlign = 'center'; ctx.font = '11px system-ui, sans-serif';
    ticks.forEach(function (t) { if (t[0] >= LEFT - 1) ctx.fillText(t[1], Math.max(t[0], LEFT + 12), 16); });
  }
  function opAt(mx, my) {
    var l = Math.floor((my + scroller.scrollTop - TOP - NEM) / LANE);
    if (my < TOP + NEM || l < 0 || l >= T.lanes.length) return -1;
    var t = (mx + scroller.scrollLeft - LEFT) / pps * 1e9, ids = byLane[l], slack = 3 / pps * 1e9;
    for (var k = 0; k < ids.length; k++) { var o = T.ops[ids[k]]; if (o[1] - slack <= t && t <= Math.max(o[2], o[1]) + slack) return ids[k]; }
    return -1;
  }
  api.opAt = opAt;
  api.pointOf = function (i) {
    var o = T.ops[i], r = view.getBoundingClientRect();
    return { x: r.left + (xOf(o[1]) + Math.max(xOf(o[2]), xOf(o[1]) + 2)) / 2, y: r.top + yOf(o[0]) + LANE / 2 };
  };
  function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; }); }
  function ms(ns) { return (ns / 1e6).toFixed(3) + ' ms'; }
  scroller.addEventListener('mousemove', function (ev) {
    var r = view.getBoundingClientRect(), mx = ev.clientX - r.left, my = ev.clientY - r.top, i = opAt(mx, my);
    if (i < 0) { tip.hidden = true; scroller.style.cursor = ''; return; }
    var o = T.ops[i];
    scroller.style.cursor = 'pointer';
    tip.innerHTML = '<b>process ' + esc(T.lanes[o[0]]) + ' \u00b7 ' + esc(T.fs[o[4]]) + ' \u00b7 <span class="t-' + TYPES[o[3]] + '">' + TYPES[o[3]] + '</span></b>' +
      '<div>invoke #' + o[5] + ' at ' + ms(o[1]) + ': <code>' + esc(o[7]) + '</code></div>' +
      (o[6] >= 0 ? '<div>' + TYPES[o[3]] + ' #' + o[6] + ' at ' + ms(o[2]) + ': <code>' + esc(o[8]) + '</code></div><div>latency ' + ms(o[2] - o[1]) + '</div>' : '<div>never completed</div>') +
      (o[9] ? '<div>error: <code>' + esc(o[9]) + '</code></div>' : '') +
      '<div class="hint">click: show its messages</div>';
    tip.hidden = false;
    tip.style.left = Math.min(mx + 14, W - tip.offsetWidth - 6) + 'px';
    tip.style.top = (my + 16 + tip.offsetHeight > H ? Math.max(0, my - tip.offsetHeight - 8) : my + 16) + 'px';
  });
  scroller.addEventListener('mouseleave', function () { tip.hidden = true; });
  scroller.addEventListener('click', function (ev) {
    var r = view.getBoundingClientRect(), i = opAt(ev.clientX - r.left, ev.clientY - r.top);
    if (i >= 0 && T.messages) window.open(T.messages + '#op=' + T.ops[i][5], 'lamport');
  });
  scroller.addEventListener('scroll', function () { requestAnimationFrame(draw); }, { passive: true });
  function zoom(next, anchorX) {
    var ax = anchorX === undefined ? W / 2 : anchorX, t = (scroller.scrollLeft + ax - LEFT) / pps;
    pps = Math.max(1, Math.min(1e7, next)); layout();
    scroller.scrollLeft = Math.max(0, t * pps + LEFT - ax); draw();
    $('tl-zoom').textContent = (pps >= 1000 ? (pps / 1000).toFixed(1) + ' px/ms' : pps.toFixed(pps < 10 ? 1 : 0) + ' px/s');
  }
  api.zoom = zoom;
  scroller.addEventListener('wheel', function (ev) {
    if (!ev.ctrlKey && !ev.metaKey) return;
    ev.preventDefault();
    var r = view.getBoundingClientRect();
    zoom(pps * (ev.deltaY < 0 ? 1.25 : 0.8), ev.clientX - r.left);
  }, { passive: false });
  $('tl-in').addEventListener('click', function () { zoom(pps * 2); });
  $('tl-out').addEventListener('click', function () { zoom(pps / 2); });
  $('tl-fit').addEventListener('click', function () { zoom(fit()); scroller.scrollLeft = 0; });
  window.addEventListener('resize', layout);
  layout(); zoom(pps);
  api.ready = true;
  document.body.dataset.ready = '1';
})();
`;
