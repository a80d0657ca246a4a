/**
 * The trust graph, drawn by the report's script (part of CLIENT_SCRIPT, whose hash is in the CSP): third
 * parties on the left grouped by vendor (AWS services, unnamed accounts and anyone are groups too), roles
 * on the right grouped by the account that owns them. One line per pair of visible nodes, as thick as the
 * number of findings it stands for, with that number on it; a click on a group shows its members. Only the
 * findings that the table's filters keep are drawn. SVG is built with createElementNS and textContent.
 * Kept free of backticks and dollar-brace: it is pasted into a template string.
 */
export const GRAPH_SCRIPT = `
  var G = D.G || { p: [], r: [], an: {}, ok: [] };
  var SVGNS = 'http://www.w3.org/2000/svg';
  var RANK = { unprotected: 2, suppressed: 1, protected: 0 };
  var NODE_CLASS = { unprotected: 'node-bad', suppressed: 'node-sup', protected: 'node-ok' };
  var MAX_NODES = 40;
  var expL = {}, expR = {};
  var membersL = {}, membersR = {};
  G.p.forEach(function (p, i) { (membersL[p.g] = membersL[p.g] || []).push(i); });
  G.r.forEach(function (r, i) { (membersR[r.a] = membersR[r.a] || []).push(i); });
  // Few roles: show them all at once.
  if (G.r.length <= 24) Object.keys(membersR).forEach(function (a) { expR[a] = true; });

  function leftKey(pi) { var g = G.p[pi].g; return membersL[g].length === 1 || expL[g] ? 'n' + pi : 'g' + g; }
  function rightKey(ri) { var a = G.r[ri].a; return membersR[a].length === 1 || expR[a] ? 'n' + ri : 'g' + a; }
  function facetOfNode(pi) { var p = G.p[pi]; return p.g === 'Unnamed accounts' ? p.l : p.g; }

  function leftInfo(k) {
    if (k.charAt(0) === 'g') {
      var g = k.slice(1), n = membersL[g].length;
      return { label: '\\u25b8 ' + g + ' \\u00b7 ' + n + (g === 'AWS services' ? ' services' : ' accounts'), kind: 'group', toggle: function () { expL[g] = true; } };
    }
    var p = G.p[Number(k.slice(1))];
    var grouped = membersL[p.g].length > 1;
    return {
      label: (grouped ? '\\u25be ' : '') + (grouped && p.g !== 'Unnamed accounts' && p.g !== 'AWS services' && p.l.indexOf(p.g) !== 0 ? p.g + ': ' + p.l : p.l),
      kind: 'account',
      toggle: grouped ? function () { delete expL[p.g]; } : null
    };
  }
  function rightInfo(k) {
    if (k.charAt(0) === 'g') {
      var a = k.slice(1), n = membersR[a].length;
      var who = a ? 'account ' + a + (G.an[a] ? ' (' + G.an[a] + ')' : '') : 'owner unknown';
      return { label: '\\u25b8 ' + who + ' \\u00b7 ' + n + ' roles', kind: 'group', toggle: function () { expR[a] = true; } };
    }
    var r = G.r[Number(k.slice(1))];
    var grouped = membersR[r.a].length > 1 && G.r.length > 24;
    return { label: (grouped ? '\\u25be ' : '') + r.l, kind: 'role', toggle: grouped ? function () { delete expR[r.a]; } : null };
  }

  function svgEl(tag, attrs, text) {
    var e = document.createElementNS(SVGNS, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function short(s, n) { return s.length > n ? s.slice(0, n - 1) + '\\u2026' : s; }

  function drawGraph() {
    var box = document.getElementById('graph-box');
    if (!box) return;
    var edges = {};
    function add(l, r, st, roleIdx) {
      var k = l + '|' + r;
      var e = edges[k] || (edges[k] = { l: l, r: r, n: 0, ok: 0, roles: {}, st: 'protected' });
      if (st === 'protected') e.ok++; else e.n++;
      e.roles[roleIdx] = true;
      if (RANK[st] > RANK[e.st]) e.st = st;
    }
    shownSet.forEach(function (fi) {
      var f = D.f[fi];
      var st = f.status === 'suppressed' ? 'suppressed' : 'unprotected';
      f.gp.forEach(function (pi) { add(leftKey(pi), rightKey(f.gr), st, f.gr); });
    });
    // Trust without a finding has no severity, rule, file or status: shown unless one of those is filtered.
    var onlyVendor = !state.q && ['sev', 'rule', 'file', 'status'].every(function (k) { return !selected(k).length; });
    if (onlyVendor) {
      var vs = state.sel.vendor, anyV = selected('vendor').length > 0;
      G.ok.forEach(function (e) { if (!anyV || vs[facetOfNode(e[0])]) add(leftKey(e[0]), rightKey(e[1]), 'protected', e[1]); });
    }
    var list = Object.keys(edges).map(function (k) { return edges[k]; });
    function side(keyOf) {
      var m = {};
      list.forEach(function (e) {
        var k = keyOf(e);
        var n = m[k] || (m[k] = { key: k, n: 0, ok: 0, st: 'protected' });
        n.n += e.n;
        n.ok += e.ok;
        if (RANK[e.st] > RANK[n.st]) n.st = e.st;
      });
      return Object.keys(m).map(function (k) { return m[k]; }).sort(function (a, b) {
        return RANK[b.st] - RANK[a.st] || b.n - a.n || b.ok - a.ok || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
      });
    }
    var left = side(function (e) { return e.l; }), right = side(function (e) { return e.r; });
    var moreL = Math.max(0, left.length - MAX_NODES), moreR = Math.max(0, right.length - MAX_NODES);
    left = left.slice(0, MAX_NODES); right = right.slice(0, MAX_NODES);
    var ly = {}, ry = {};
    var W = 960, nodeW = 310, nodeH = 24, gap = 8, top = 28, leftX = 10, rightX = W - nodeW - 10;
    left.forEach(function (n, i) { ly[n.key] = top + i * (nodeH + gap); });
    right.forEach(function (n, i) { ry[n.key] = top + i * (nodeH + gap); });
    var drawn = list.filter(function (e) { return e.l in ly && e.r in ry; });
    while (box.firstChild) box.removeChild(box.firstChild);
    if (!drawn.length) {
      box.appendChild(el('p', G.p.length ? 'No cross-account trust among the findings shown.' : 'No cross-account trust found.', 'muted'));
      return;
    }
    var rowsN = Math.max(left.length, right.length);
    var H = top + rowsN * (nodeH + gap) + 10;
    var svg = svgEl('svg', { id: 'trust-graph', width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-labelledby': 'graph-title' });
    svg.appendChild(svgEl('title', { id: 'graph-title' }, 'Third parties and the roles they can assume'));
    svg.appendChild(svgEl('text', { x: leftX, y: 16, 'font-weight': 'bold' }, 'Third party (by vendor)'));
    svg.appendChild(svgEl('text', { x: rightX, y: 16, 'font-weight': 'bold' }, 'Role it can assume (by account)'));
    var labelled = drawn.length <= 80;
    drawn.forEach(function (e) {
      var y1 = ly[e.l] + nodeH / 2, y2 = ry[e.r] + nodeH / 2, x1 = leftX + nodeW, x2 = rightX, mx = (x1 + x2) / 2;
      var roles = Object.keys(e.roles).length;
      var w = Math.min(8, 1.5 + Math.log(Math.max(1, e.n)) / Math.LN2);
      var path = svgEl('path', { 'class': 'edge ' + e.st, 'data-state': e.st, 'data-count': e.n, 'stroke-width': w.toFixed(1), d: 'M' + x1 + ' ' + y1 + ' C' + mx + ' ' + y1 + ' ' + mx + ' ' + y2 + ' ' + x2 + ' ' + y2 });
      path.appendChild(svgEl('title', {}, (e.n ? e.n + ' finding' + (e.n === 1 ? '' : 's') + ' on ' + roles + ' role' + (roles === 1 ? '' : 's') : e.ok + ' trust' + (e.ok === 1 ? '' : 's') + ' without a finding (a condition or your own account)') + ': ' + e.st));
      svg.appendChild(path);
      if (labelled && e.n > 1) svg.appendChild(svgEl('text', { 'class': 'ecount', x: mx, y: (y1 + y2) / 2 + 4, 'text-anchor': 'middle' }, String(e.n)));
    });
    function node(x, y, n, info, sideName) {
      var g = svgEl('g', { 'class': 'node' + (info.toggle ? ' clickable' : ''), 'data-kind': info.kind, 'data-side': sideName, 'data-state': n.st, 'data-count': n.n });
      var what = n.n ? n.n + ' finding' + (n.n === 1 ? '' : 's') : n.ok + ' trust' + (n.ok === 1 ? '' : 's') + ' without a finding';
      g.appendChild(svgEl('title', {}, info.label + ' \\u2014 ' + what));
      g.appendChild(svgEl('rect', { 'class': NODE_CLASS[n.st], x: x, y: y, width: nodeW, height: nodeH, rx: 4 }));
      g.appendChild(svgEl('text', { x: x + 8, y: y + 16 }, short(info.label, 40)));
      g.appendChild(svgEl('text', { 'class': 'ncount', x: x + nodeW - 8, y: y + 16, 'text-anchor': 'end' }, n.n ? String(n.n) : '\\u2713'));
      if (info.toggle) {
        g.setAttribute('tabindex', '0');
        g.setAttribute('role', 'button');
        var t = info.toggle;
        var go = function () { t(); drawGraph(); };
        g.addEventListener('click', go);
        g.addEventListener('keydown', function (ev) { if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); go(); } });
      }
      svg.appendChild(g);
    }
    left.forEach(function (n) { node(leftX, ly[n.key], n, leftInfo(n.key), 'left'); });
    right.forEach(function (n) { node(rightX, ry[n.key], n, rightInfo(n.key), 'right'); });
    box.appendChild(svg);
    if (moreL || moreR) box.appendChild(el('p', 'Not drawn: ' + moreL + ' more third parties and ' + moreR + ' more roles or accounts; filter the table or collapse a group to see them.', 'muted'));
  }
`;
