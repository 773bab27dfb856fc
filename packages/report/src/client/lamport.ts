/**
 * The browser script of `messages.html`, the interactive Lamport view (plain ES2020, no
 * dependencies). It decodes the packed columns (base64 → inflate → typed arrays), keeps a
 * filtered row list, and draws only the visible rows on a canvas under a virtual scroller.
 *
 * Exposes `window.gyreLamport` for tests and tools: `{ ready, meta, state(), jump(hash) }`.
 */
export const LAMPORT_JS = String.raw`
(function () {
  'use strict';
  var META = JSON.parse(document.getElementById('lamport-meta').textContent);
  var ROW_H = [20, 12, 5, 2];
  var HEADER = 30, GUTTER = 84, MAXH = 15000000, BLOCK = 256;
  var COLORS = { err: '#FF1E90', client: '#81BFFC', server: '#000000' };
  var $ = function (id) { return document.getElementById(id); };
  var api = { ready: false, meta: META };
  window.gyreLamport = api;

  function b64bytes(s) {
    if (Uint8Array.fromBase64) return Uint8Array.fromBase64(s);
    var bin = atob(s), n = bin.length, out = new Uint8Array(n);
    for (var i = 0; i < n; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function inflate(bytes) {
    // The size is known, so chunks are copied straight into place (much faster than Response.arrayBuffer()).
    var out = new Uint8Array(META.rawBytes), off = 0;
    var reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
    function pump() {
      return reader.read().then(function (r) {
        if (r.done) {
          if (off !== out.length) throw new Error('the packed data is ' + off + ' bytes, expected ' + out.length);
          return out.buffer;
        }
        out.set(r.value, off); off += r.value.length;
        return pump();
      });
    }
    return pump();
  }

  var T0 = performance.now(), marks = api.marks = { start: T0 };
  var packed = b64bytes($('lamport-data').textContent.trim());
  marks.base64 = performance.now();
  inflate(packed).then(function (buf) { marks.inflate = performance.now(); start(buf); }, function (e) { fail(e); });

  function fail(e) {
    $('status').textContent = 'Could not load the messages: ' + (e && e.message ? e.message : e);
    document.body.dataset.ready = 'error';
  }

  var D = {};
  function start(buf) {
    try { decode(buf); marks.decode = performance.now(); init(); } catch (e) { fail(e); throw e; }
  }

  function decode(buf) {
    var types = { u8: Uint8Array, i8: Int8Array, u16: Uint16Array, i16: Int16Array, u32: Uint32Array, i32: Int32Array, f64: Float64Array };
    var cols = {};
    META.columns.forEach(function (c) { cols[c.name] = new types[c.type](buf, c.offset, c.length); });
    var rows = META.rows, nm = META.messages, i;
    var time = new Float64Array(rows), big = 0, cur = 0;
    for (i = 0; i < rows; i++) {
      var d = cols.rowDt[i];
      cur = d === 0xffffffff ? cols.rowBig[big++] : cur + d;
      time[i] = cur;
    }
    var send = new Int32Array(nm), end = new Int32Array(nm), id = new Float64Array(nm);
    var msgOfRow = new Int32Array(rows).fill(-1);
    var s = 0, idc = 0;
    for (i = 0; i < nm; i++) {
      s += cols.mSend[i]; send[i] = s;
      idc += cols.mId[i]; id[i] = idc;
      end[i] = cols.mEnd[i] ? s + cols.mEnd[i] : (cols.mKind[i] & 7) > 4 ? s : -1;
      if (!(cols.mKind[i] & 4)) msgOfRow[s] = i;
      if (end[i] >= 0) msgOfRow[end[i]] = i;
    }
    var bodyText = new TextDecoder().decode(cols.bodies);
    D = {
      rows: rows, nm: nm, time: time, send: send, end: end, id: id, kind: cols.mKind,
      src: cols.mSrc, dest: cols.mDest, type: cols.mType, body: cols.mBody,
      msgId: cols.mMsgId, reply: cols.mReply, msgOfRow: msgOfRow,
      bodies: bodyText.split('\n'),
      oInv: cols.oInv, oEnd: cols.oEnd, oProc: cols.oProc, oT0: cols.oT0, oT1: cols.oT1, oF: cols.oF, oType: cols.oType,
      clientProc: cols.clientProc, parts: META.participants, types: META.types
    };
    D.isClientPart = D.parts.map(function (p) { return p.charAt(0) === 'c'; });
  }

  // ---------- filters and the visible row list ----------
  var F = { nodes: null, types: null, from: -Infinity, to: Infinity, text: '' };
  var V = {};
  function applyFilters() {
    var nm = D.nm, rows = D.rows, vis = new Uint8Array(nm), i;
    var textSet = null;
    if (F.text) {
      textSet = new Uint8Array(D.bodies.length);
      for (i = 0; i < D.bodies.length; i++) if (D.bodies[i].indexOf(F.text) >= 0) textSet[i] = 1;
    }
    var usedPart = new Uint8Array(D.parts.length), count = 0;
    for (i = 0; i < nm; i++) {
      if (F.nodes && !F.nodes[D.src[i]] && !F.nodes[D.dest[i]]) continue;
      if (F.types && !F.types[D.type[i]]) continue;
      var t = D.time[D.send[i]];
      if (t < F.from || t > F.to) continue;
      if (textSet && !textSet[D.body[i]] && D.types[D.type[i]].indexOf(F.text) < 0) continue;
      vis[i] = 1; count++;
      usedPart[D.src[i]] = 1; usedPart[D.dest[i]] = 1;
    }
    var vRowOf = new Int32Array(rows).fill(-1), list = new Int32Array(rows), n = 0;
    for (var r = 0; r < rows; r++) {
      var m = D.msgOfRow[r];
      if (m >= 0 && vis[m]) { vRowOf[r] = n; list[n++] = r; }
    }
    var vm = new Int32Array(count), vs = new Int32Array(count), ve = new Int32Array(count), k = 0;
    for (i = 0; i < nm; i++) if (vis[i]) {
      vm[k] = i;
      vs[k] = vRowOf[D.send[i]];
      ve[k] = D.end[i] >= 0 ? vRowOf[D.end[i]] : vs[k];
      k++;
    }
    var nb = Math.ceil(Math.max(n, 1) / BLOCK) + 1, cnt = new Int32Array(nb + 1), j, b;
    for (j = 0; j < count; j++) for (b = Math.floor(vs[j] / BLOCK) + 1; b * BLOCK <= ve[j]; b++) cnt[b + 1]++;
    for (b = 0; b < nb; b++) cnt[b + 1] += cnt[b];
    var fill = cnt.slice(0, nb), cross = new Int32Array(cnt[nb]);
    for (j = 0; j < count; j++) for (b = Math.floor(vs[j] / BLOCK) + 1; b * BLOCK <= ve[j]; b++) cross[fill[b]++] = j;
    var filtered = F.nodes || F.types || F.text || F.from > -Infinity || F.to < Infinity;
    var cols = [], names = [], clientCol = [], colOf = new Int32Array(D.parts.length).fill(-1), merged = -1;
    var merge = $('merge').value === '1';
    for (i = 0; i < D.parts.length; i++) {
      if (filtered && !usedPart[i] && !(F.nodes && F.nodes[i])) continue;
      if (merge && D.isClientPart[i]) {
        if (merged < 0) { merged = cols.length; cols.push(i); names.push('clients'); clientCol.push(true); }
        colOf[i] = merged;
        continue;
      }
      colOf[i] = cols.length; cols.push(i); names.push(D.parts[i]); clientCol.push(D.isClientPart[i]);
    }
    V = { vis: vis, vRowOf: vRowOf, list: list.subarray(0, n), n: n, vm: vm, vs: vs, ve: ve, count: count,
      crossStart: cnt, cross: cross, cols: cols, names: names, clientCol: clientCol, colOf: colOf };
    $('shown').textContent = filtered
      ? n.toLocaleString() + ' of ' + D.rows.toLocaleString() + ' events (' + count.toLocaleString() + ' messages) match'
      : D.rows.toLocaleString() + ' events, ' + D.nm.toLocaleString() + ' messages';
    layout();
  }

  // ---------- layout and scrolling ----------
  var view = $('view'), scroller = $('scroller'), spacer = $('spacer'), canvas = $('canvas'), ctx = canvas.getContext('2d');
  var rowH = 20, colW = 120, W = 0, H = 0, dpr = 1, contentH = 0;
  function layout() {
    var rect = view.getBoundingClientRect();
    dpr = window.devicePixelRatio || 1;
    W = Math.max(200, Math.floor(rect.width)); H = Math.max(100, Math.floor(rect.height));
    canvas.width = W * dpr; canvas.height = H * dpr;
    canvas.style.width = W + 'px'; canvas.style.height = H + 'px';
    var nc = Math.max(1, V.cols.length);
    colW = Math.max(rowH >= 12 ? 72 : 36, (W - GUTTER - 20) / nc);
    contentH = HEADER + V.n * rowH + 40;
    spacer.style.height = Math.min(contentH, MAXH) + 'px';
    spacer.style.width = Math.ceil(GUTTER + nc * colW + 20) + 'px';
    schedule();
  }
  function scrollRange() { return Math.max(0, Math.min(contentH, MAXH) - scroller.clientHeight); }
  function posOf(scrollTop) {
    var range = scrollRange(), real = Math.max(0, contentH - scroller.clientHeight);
    return range > 0 ? scrollTop * (real / range) : 0;
  }
  function scrollToPos(pos) {
    var range = scrollRange(), real = Math.max(0, contentH - scroller.clientHeight);
    scroller.scrollTop = real > 0 ? Math.round(pos * (range / real)) : 0;
  }
  function scrollToRow(vrow, frac) {
    var pos = vrow * rowH - (H - HEADER) * (frac === undefined ? 0.33 : frac);
    scrollToPos(Math.max(0, pos));
    schedule();
  }
  var pending = false;
  function schedule() { if (!pending) { pending = true; requestAnimationFrame(function () { pending = false; draw(); }); } }

  // ---------- labels and bodies ----------
  function restOf(m) { return D.bodies[D.body[m]]; }
  function fullBody(m) {
    if (D.kind[m] & 4) return '(the send of this message was not journaled)';
    var rest = restOf(m);
    if (rest.charAt(0) === '\u0000') return rest.slice(1);
    var t = D.types[D.type[m]], parts = [];
    if (t !== '?' || rest.indexOf('"type"') < 0) parts.push('"type":' + JSON.stringify(t));
    if (D.msgId[m]) parts.push('"msg_id":' + (D.msgId[m] - 1));
    if (D.reply[m]) parts.push('"in_reply_to":' + (D.reply[m] - 1));
    if (rest.length > 2) parts.push(rest.slice(1, -1));
    return '{' + parts.join(',') + '}';
  }
  function clip(s, n) { return s.length > n ? s.slice(0, n - 1) + '\u2026' : s; }
  var labelCache = new Map();
  function label(m) {
    var key = D.type[m] * 4294967296 + D.body[m], s = labelCache.get(key);
    if (s !== undefined) return s;
    var t = D.types[D.type[m]], rest = restOf(m);
    if (t === 'error') {
      try { var e = JSON.parse(rest || '{}'); s = 'error' + (e.code !== undefined ? ' ' + e.code : '') + (e.text ? ' ' + e.text : ''); }
      catch (x) { s = 'error ' + rest; }
    } else s = rest && rest !== '{}' ? t + ' ' + (rest.charAt(0) === '\u0000' ? rest.slice(1) : rest) : t;
    s = clip(s, 48);
    if (labelCache.size > 50000) labelCache.clear();
    labelCache.set(key, s);
    return s;
  }
  function colorOf(m) {
    if (D.kind[m] & 8) return COLORS.err;
    if (D.isClientPart[D.src[m]] || D.isClientPart[D.dest[m]]) return COLORS.client;
    return COLORS.server;
  }
  function ms(t) { return (t / 1e6).toFixed(3); }

  // ---------- drawing ----------
  var drawn = [], highlight = null, selected = -1, band = null, marker = -1;
  function xOfCol(c, sl) { return GUTTER + (c + 0.5) * colW - sl; }
  function lowerBound(arr, n, v) { var lo = 0, hi = n; while (lo < hi) { var mid = (lo + hi) >> 1; if (arr[mid] < v) lo = mid + 1; else hi = mid; } return lo; }

  function visibleMessages(r0, r1) {
    var out = [], b = Math.floor(r0 / BLOCK), j, k;
    if (b > 0) for (k = V.crossStart[b]; k < V.crossStart[b + 1]; k++) { j = V.cross[k]; if (V.ve[j] >= r0 && V.vs[j] < b * BLOCK) out.push(j); }
    for (j = lowerBound(V.vs, V.count, b * BLOCK); j < V.count && V.vs[j] <= r1; j++) if (V.ve[j] >= r0) out.push(j);
    return out;
  }

  function draw() {
    var t0 = performance.now();
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, W, H);
    var pos = posOf(scroller.scrollTop), sl = scroller.scrollLeft;
    var r0 = Math.max(0, Math.floor(pos / rowH) - 1), r1 = Math.min(V.n - 1, Math.ceil((pos + H) / rowH));
    var yOf = function (vr) { return HEADER + (vr + 0.5) * rowH - pos; };
    api.topRow = Math.max(0, Math.floor(pos / rowH));
    if (band && V.n) {
      var lt = timesOfList(), b0 = lowerBound(lt, V.n, band[0]), b1 = lowerBound(lt, V.n, band[1] + 1);
      var ya = HEADER + b0 * rowH - pos, yb = HEADER + b1 * rowH - pos;
      if (yb > HEADER && ya < H) { ctx.fillStyle = 'rgba(255,214,102,0.28)'; ctx.fillRect(GUTTER, Math.max(ya, HEADER), W - GUTTER, Math.min(yb, H) - Math.max(ya, HEADER)); }
    }
    ctx.strokeStyle = '#dddddd'; ctx.lineWidth = 1;
    for (var c = 0; c < V.cols.length; c++) {
      var x = Math.round(xOfCol(c, sl)) + 0.5;
      if (x < GUTTER - 2 || x > W + 2) continue;
      ctx.beginPath(); ctx.moveTo(x, HEADER); ctx.lineTo(x, H); ctx.stroke();
    }
    drawn = [];
    if (V.n > 0) {
      var msgs = visibleMessages(r0, r1), big = rowH >= 12, i;
      ctx.font = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
      ctx.textAlign = 'center';
      for (var pass = 0; pass < 2; pass++) for (i = 0; i < msgs.length; i++) {
        var j = msgs[i], m = V.vm[j], hl = (highlight && highlight.has(m)) || m === selected;
        if ((pass === 1) !== hl) continue;
        var x1 = xOfCol(V.colOf[D.src[m]], sl), x2 = xOfCol(V.colOf[D.dest[m]], sl);
        var y1 = yOf(V.vs[j]), y2 = yOf(V.ve[j]), endKind = D.kind[m] & 3, color = colorOf(m);
        if (endKind === 0 || D.kind[m] & 4) {
          if (D.kind[m] & 4) { x1 = x2; }
          else { x2 = x1 + (x2 - x1) * 0.25; y2 = y1 + rowH * 0.5; }
        } else if (endKind === 2) { x2 = x1 + (x2 - x1) * 0.5; }
        drawn.push([m, x1, y1, x2, y2]);
        ctx.strokeStyle = color; ctx.fillStyle = color;
        ctx.lineWidth = hl ? 3 : (big ? 1.2 : 1);
        if (hl) { ctx.save(); ctx.strokeStyle = m === selected ? '#ff7f0e' : '#ffb000'; ctx.lineWidth = 7; ctx.globalAlpha = 0.55; line(x1, y1, x2, y2, false); ctx.restore(); }
        if (endKind === 2 || endKind === 0) { ctx.setLineDash([4, 3]); line(x1, y1, x2, y2, false); ctx.setLineDash([]); if (endKind === 2) cross(x2, y2, color); }
        else line(x1, y1, x2, y2, true);
        if (big) {
          var dx = x2 - x1, dy = y2 - y1, ang = Math.atan2(dy, dx);
          if (ang > Math.PI / 2) ang -= Math.PI; else if (ang < -Math.PI / 2) ang += Math.PI;
          ctx.save(); ctx.translate((x1 + x2) / 2, (y1 + y2) / 2); ctx.rotate(ang);
          ctx.lineWidth = 3; ctx.strokeStyle = 'rgba(255,255,255,0.9)'; ctx.lineJoin = 'round';
          var lab = label(m);
          ctx.strokeText(lab, 0, -4);
          ctx.fillStyle = color === COLORS.client ? '#2f7fc8' : color; ctx.fillText(lab, 0, -4);
          ctx.restore();
        }
      }
    }
    if (marker >= 0) {
      var my = HEADER + marker * rowH - pos;
      ctx.strokeStyle = '#D96918'; ctx.lineWidth = 2; ctx.beginPath(); ctx.moveTo(0, my); ctx.lineTo(W, my); ctx.stroke();
    }
    // gutter with times
    ctx.fillStyle = '#fafafa'; ctx.fillRect(0, HEADER, GUTTER, H - HEADER);
    ctx.strokeStyle = '#e5e5e5'; ctx.beginPath(); ctx.moveTo(GUTTER + 0.5, HEADER); ctx.lineTo(GUTTER + 0.5, H); ctx.stroke();
    ctx.fillStyle = '#777'; ctx.textAlign = 'right'; ctx.font = '10px ui-monospace, SFMono-Regular, Menlo, monospace';
    var every = Math.max(1, Math.ceil(36 / rowH));
    for (var r = Math.ceil(r0 / every) * every; r <= r1; r += every) {
      var yy = yOf(r);
      if (yy < HEADER + 6) continue;
      ctx.fillText(ms(D.time[V.list[r]]), GUTTER - 6, yy + 3);
    }
    // header with names
    ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, W, HEADER);
    ctx.strokeStyle = '#ccc'; ctx.beginPath(); ctx.moveTo(0, HEADER - 0.5); ctx.lineTo(W, HEADER - 0.5); ctx.stroke();
    ctx.textAlign = 'center'; ctx.font = '600 12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
    for (c = 0; c < V.cols.length; c++) {
      var xc = xOfCol(c, sl);
      if (xc < GUTTER - 40 || xc > W + 40) continue;
      ctx.fillStyle = V.clientCol[c] ? '#2f7fc8' : '#333';
      ctx.fillText(V.names[c], xc, 19);
    }
    ctx.fillStyle = '#999'; ctx.textAlign = 'left'; ctx.font = '10px system-ui, sans-serif'; ctx.fillText('time (ms)', 6, 19);
    var dt = performance.now() - t0;
    api.lastDrawMs = dt;
  }
  var listTimes = null, listTimesFor = null;
  function timesOfList() {
    if (listTimesFor !== V.list) { listTimes = new Float64Array(V.n); for (var i = 0; i < V.n; i++) listTimes[i] = D.time[V.list[i]]; listTimesFor = V.list; }
    return listTimes;
  }
  function line(x1, y1, x2, y2, head) {
    ctx.beginPath(); ctx.moveTo(x1, y1); ctx.lineTo(x2, y2); ctx.stroke();
    if (!head) return;
    var a = Math.atan2(y2 - y1, x2 - x1), s = 7;
    ctx.beginPath(); ctx.moveTo(x2, y2);
    ctx.lineTo(x2 - s * Math.cos(a - 0.4), y2 - s * Math.sin(a - 0.4));
    ctx.lineTo(x2 - s * Math.cos(a + 0.4), y2 - s * Math.sin(a + 0.4));
    ctx.closePath(); ctx.fill();
  }
  function cross(x, y, color) {
    ctx.strokeStyle = color; ctx.lineWidth = 1.5; ctx.beginPath();
    ctx.moveTo(x - 4, y - 4); ctx.lineTo(x + 4, y + 4); ctx.moveTo(x + 4, y - 4); ctx.lineTo(x - 4, y + 4); ctx.stroke();
  }

  // ---------- hover and selection ----------
  var tip = $('tip');
  function hit(ev) {
    var rect = view.getBoundingClientRect(), mx = ev.clientX - rect.left, my = ev.clientY - rect.top, best = -1, bd = 7;
    for (var i = 0; i < drawn.length; i++) {
      var d = drawn[i], dx = d[3] - d[1], dy = d[4] - d[2], l2 = dx * dx + dy * dy;
      var t = l2 ? Math.max(0, Math.min(1, ((mx - d[1]) * dx + (my - d[2]) * dy) / l2)) : 0;
      var ex = d[1] + t * dx - mx, ey = d[2] + t * dy - my, dist = Math.sqrt(ex * ex + ey * ey);
      if (dist < bd) { bd = dist; best = d[0]; }
    }
    return { m: best, x: mx, y: my };
  }
  function describe(m) {
    var s = D.send[m], e = D.end[m], k = D.kind[m] & 3, out = [];
    out.push('<div class="tip-head">' + esc(D.parts[D.src[m]]) + ' \u2192 ' + esc(D.parts[D.dest[m]]) + ' <span class="tip-type">' + esc(D.types[D.type[m]]) + '</span></div>');
    out.push('<div class="tip-body">' + esc(fullBody(m)) + '</div>');
    var meta = 'message ' + D.id[m];
    if (!(D.kind[m] & 4)) meta += ' \u00b7 sent ' + ms(D.time[s]) + ' ms';
    if (k === 1) meta += ' \u00b7 received ' + ms(D.time[e]) + ' ms (' + ((D.time[e] - D.time[s]) / 1e6).toFixed(3) + ' ms later)';
    else if (k === 2) meta += ' \u00b7 dropped at ' + ms(D.time[e]) + ' ms';
    else meta += ' \u00b7 never delivered';
    out.push('<div class="tip-meta">' + meta + '</div>');
    return out.join('');
  }
  function esc(s) { return String(s).replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; }); }
  scroller.addEventListener('mousemove', function (ev) {
    var h = hit(ev);
    if (h.m < 0) { tip.hidden = true; scroller.style.cursor = ''; return; }
    scroller.style.cursor = 'pointer';
    tip.innerHTML = describe(h.m);
    tip.hidden = false;
    var tw = tip.offsetWidth, th = tip.offsetHeight;
    tip.style.left = Math.min(h.x + 14, W - tw - 6) + 'px';
    tip.style.top = (h.y + 16 + th > H ? Math.max(0, h.y - th - 8) : h.y + 16) + 'px';
  });
  scroller.addEventListener('mouseleave', function () { tip.hidden = true; });
  scroller.addEventListener('click', function (ev) {
    var h = hit(ev);
    selected = h.m;
    if (h.m >= 0) { history.replaceState(null, '', '#msg=' + D.id[h.m]); $('status').innerHTML = describe(h.m); }
    schedule();
  });
  scroller.addEventListener('scroll', schedule, { passive: true });
  window.addEventListener('resize', function () { layout(); });

  // ---------- deep links ----------
  function firstRowAtOrAfter(t) { return lowerBound(D.time, D.rows, t); }
  function reveal(rows) {
    // Makes sure the given original rows are visible; clears filters when they are not.
    for (var i = 0; i < rows.length; i++) if (rows[i] >= 0 && rows[i] < D.rows && V.vRowOf[rows[i]] < 0) { clearFilters(); return; }
  }
  function nearestVisibleRow(row) {
    var v = V.vRowOf[row];
    if (v >= 0) return v;
    return Math.min(V.n - 1, lowerBound(V.list, V.n, row));
  }
  function jump(hash) {
    var m = /^#?(t|msg|op)=(-?[0-9.e+]+)$/.exec(hash || '');
    highlight = null; band = null; marker = -1;
    if (!m) { schedule(); return false; }
    var key = m[1], val = Number(m[2]), row = -1, info = '';
    if (key === 't') {
      row = firstRowAtOrAfter(val);
      if (row >= D.rows) row = D.rows - 1;
      reveal([row]);
      marker = nearestVisibleRow(row);
      info = 'time ' + ms(val) + ' ms';
    } else if (key === 'msg') {
      for (var i = 0; i < D.nm; i++) if (D.id[i] === val) { selected = i; break; }
      if (i === D.nm) { $('status').textContent = 'No message ' + val + ' in the journal.'; schedule(); return false; }
      row = D.kind[selected] & 4 ? D.end[selected] : D.send[selected];
      reveal([row]);
      info = 'message ' + val;
      $('status').innerHTML = describe(selected);
    } else {
      var k = -1;
      for (var o = 0; o < D.oInv.length; o++) if (D.oInv[o] === val || D.oEnd[o] === val) { k = o; break; }
      if (k < 0) { $('status').textContent = 'Operation ' + val + ' is not a client operation of this history.'; schedule(); return false; }
      var a = D.oT0[k], b = D.oT1[k], p = D.oProc[k], clients = new Uint8Array(D.parts.length), any = false;
      for (var c = 0; c < D.parts.length; c++) if (D.clientProc[c] === p) { clients[c] = 1; any = true; }
      highlight = new Set();
      var r0 = firstRowAtOrAfter(a), firstHl = -1, rs = [];
      for (var r = r0; r < D.rows && D.time[r] <= b; r++) {
        var mm = D.msgOfRow[r];
        if (mm < 0 || D.send[mm] !== r) continue;
        if (any && (clients[D.src[mm]] || clients[D.dest[mm]])) { highlight.add(mm); rs.push(r); if (firstHl < 0) firstHl = r; }
      }
      band = [a, b];
      row = firstHl >= 0 ? firstHl : Math.min(r0, D.rows - 1);
      reveal(rs.length ? rs : [row]);
      var types = ['ok', 'info', 'fail', 'still open'];
      info = 'operation ' + val + ': process ' + p + ' ' + META.fs[D.oF[k]] + ' \u2192 ' + types[D.oType[k]] + ', ' + ((b - a) / 1e6).toFixed(3) + ' ms; ' +
        (highlight.size ? highlight.size + ' client message' + (highlight.size === 1 ? '' : 's') + ' highlighted' : 'no client messages found; showing the messages in its time window');
      $('status').textContent = info;
    }
    if (row >= 0 && V.n) scrollToRow(nearestVisibleRow(row));
    var focus = highlight && highlight.size ? Array.from(highlight) : selected >= 0 && key === 'msg' ? [selected] : [];
    if (focus.length) {
      var lo = Infinity, hi = -Infinity;
      focus.forEach(function (mm) { [D.src[mm], D.dest[mm]].forEach(function (pp) { var cc = V.colOf[pp]; if (cc >= 0) { lo = Math.min(lo, cc); hi = Math.max(hi, cc); } }); });
      if (lo <= hi) {
        var xa = GUTTER + lo * colW, xb = GUTTER + (hi + 1) * colW, sl = scroller.scrollLeft;
        if (xa < sl + GUTTER || xb > sl + W) scroller.scrollLeft = Math.max(0, (xa + xb) / 2 - (W + GUTTER) / 2);
      }
    }
    api.jumped = { key: key, value: val, row: row, info: info };
    schedule();
    return true;
  }
  api.jump = jump;
  window.addEventListener('hashchange', function () { jump(location.hash); });

  // ---------- controls ----------
  function clearFilters() {
    F = { nodes: null, types: null, from: -Infinity, to: Infinity, text: '' };
    Array.prototype.forEach.call(document.querySelectorAll('#nodes input, #types input'), function (i) { i.checked = true; });
    $('t-start').value = ''; $('t-end').value = ''; $('search').value = '';
    applyFilters();
  }
  function checkList(box, names, counts, onChange) {
    var html = '<div class="ck-actions"><button type="button" data-all="1">all</button> <button type="button" data-all="0">none</button></div>';
    names.forEach(function (n, i) { html += '<label><input type="checkbox" checked data-i="' + i + '"> ' + esc(n) + (counts ? ' <span class="count">' + counts[i].toLocaleString() + '</span>' : '') + '</label>'; });
    box.innerHTML = html;
    box.addEventListener('change', onChange);
    box.addEventListener('click', function (ev) {
      var a = ev.target.getAttribute && ev.target.getAttribute('data-all');
      if (a === null || a === undefined) return;
      Array.prototype.forEach.call(box.querySelectorAll('input'), function (i) { i.checked = a === '1'; });
      onChange();
    });
  }
  function readChecks(box) {
    var inputs = box.querySelectorAll('input'), sel = new Uint8Array(inputs.length), all = true;
    Array.prototype.forEach.call(inputs, function (i) { var k = +i.getAttribute('data-i'); sel[k] = i.checked ? 1 : 0; if (!i.checked) all = false; });
    return all ? null : sel;
  }
  function init() {
    var typeCounts = new Array(D.types.length).fill(0);
    for (var i = 0; i < D.nm; i++) typeCounts[D.type[i]]++;
    checkList($('nodes'), D.parts, null, function () { F.nodes = readChecks($('nodes')); applyFilters(); });
    checkList($('types'), D.types, typeCounts, function () { F.types = readChecks($('types')); applyFilters(); });
    var num = function (id) { var v = $(id).value.trim(); return v === '' ? NaN : Number(v) * 1e6; };
    var onTime = function () { var a = num('t-start'), b = num('t-end'); F.from = isNaN(a) ? -Infinity : a; F.to = isNaN(b) ? Infinity : b; applyFilters(); };
    $('t-start').addEventListener('change', onTime); $('t-end').addEventListener('change', onTime);
    var timer = 0;
    $('search').addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(function () { F.text = $('search').value; applyFilters(); }, 250); });
    $('density').addEventListener('change', function () {
      var top = V.list[api.topRow] || 0;
      rowH = ROW_H[+$('density').value] || 20; layout(); scrollToRow(nearestVisibleRow(top), 0);
    });
    $('clear').addEventListener('click', function () { clearFilters(); });
    if (D.isClientPart.filter(Boolean).length <= 6) $('merge').value = '0';
    $('merge').addEventListener('change', function () { applyFilters(); });
    $('goto').addEventListener('change', function () { var v = Number($('goto').value); if (!isNaN(v)) location.hash = 't=' + Math.round(v * 1e6); });
    applyFilters();
    marks.index = performance.now();
    $('status').textContent = 'Hover an arrow to see its message; click to select it. Deep links: #t=<ns>, #msg=<message id>, #op=<history index>.';
    if (location.hash) jump(location.hash);
    draw();
    api.ready = true;
    api.loadMs = performance.now() - T0;
    api.readyAt = performance.now();
    document.body.dataset.ready = '1';
  }

  api.state = function () {
    return {
      rows: D.rows, messages: D.nm, visibleRows: V.n, topRow: api.topRow,
      topOriginalRow: V.list ? V.list[api.topRow] : -1,
      highlighted: highlight ? Array.from(highlight).map(function (m) { return D.id[m]; }) : [],
      selected: selected >= 0 ? D.id[selected] : null,
      drawnMessages: drawn.map(function (d) { return D.id[d[0]]; }),
      columns: V.names.slice(),
      rowHeight: rowH
    };
  };
  api.pointOf = function (id) {
    for (var i = 0; i < drawn.length; i++) if (D.id[drawn[i][0]] === id) {
      var r = view.getBoundingClientRect(), d = drawn[i];
      return { x: r.left + (d[1] + d[3]) / 2, y: r.top + (d[2] + d[4]) / 2 };
    }
    return null;
  };
  api.scrollToFraction = function (f) { scrollToPos(Math.max(0, contentH - scroller.clientHeight) * f); };
  api.setFilter = function (f) {
    if (f.types) F.types = new Uint8Array(D.types.length).map(function (_, i) { return f.types.indexOf(D.types[i]) >= 0 ? 1 : 0; });
    if (f.nodes) F.nodes = new Uint8Array(D.parts.length).map(function (_, i) { return f.nodes.indexOf(D.parts[i]) >= 0 ? 1 : 0; });
    if (f.text !== undefined) F.text = f.text;
    if (f.from !== undefined) F.from = f.from;
    if (f.to !== undefined) F.to = f.to;
    applyFilters();
  };
})();
`;
