/**
 * The report's script (inline; its hash goes into the Content-Security-Policy). It only ever writes data
 * into the page with textContent / createElement: never innerHTML, never eval.
 * Kept free of backticks and dollar-brace so it can live in this template string.
 */
import { GRAPH_SCRIPT } from './client-graph.js';

/** The filter on the usage verdicts (only on a page whose findings carry usage evidence). */
const USAGE_FACET = `,
    { key: 'verdict', title: 'Usage verdict', of: function (f) { return f.uv || ['no usage evidence']; } }`;

/** The "Usage" section of a finding's detail panel: what was read, RoleLastUsed and a row per third party. */
const USAGE_SECTION = `
    if (f.u) {
      var us = section('Usage');
      var ud = el('dl');
      function ufact(k, v) { if (v === undefined || v === null || v === '') return; ud.appendChild(el('dt', k)); ud.appendChild(el('dd', v)); }
      ufact('Window', f.u.w || 'no CloudTrail read');
      ufact('Read', f.u.src.join('; '));
      ufact('RoleLastUsed', f.u.last);
      ufact('Note', f.u.note);
      ufact('Not read', f.u.nr);
      us.appendChild(ud);
      if (f.u.t.length) {
        var ut = el('table', null, 'usage');
        var uh = el('tr');
        ['Third party', 'Verdict', 'Calls', 'First seen', 'Last seen', 'External ids sent', 'Without id', 'With MFA', 'Denied', 'Advice'].forEach(function (k) { uh.appendChild(el('th', k)); });
        var uhead = el('thead'); uhead.appendChild(uh); ut.appendChild(uhead);
        var ub = el('tbody');
        f.u.t.forEach(function (t) {
          var tr = el('tr');
          tr.setAttribute('data-account', t.a);
          var vc = el('td'); vc.appendChild(el('span', t.v.replace(/-/g, ' '), 'uv uv-' + t.v));
          var ids = t.ids.map(function (e) { return JSON.stringify(e[0]) + ' \u00d7' + e[1]; }).join(', ');
          if (t.more) ids += ' +' + t.more + ' more';
          [el('td', t.a), vc, el('td', t.n), el('td', t.fs || ''), el('td', t.ls || ''), el('td', ids || 'none'), el('td', t.noid), el('td', t.mfa), el('td', t.dn + (t.ec ? ' (' + t.ec + ')' : '')), el('td', t.adv)].forEach(function (c) { tr.appendChild(c); });
          ub.appendChild(tr);
        });
        ut.appendChild(ub);
        us.appendChild(ut);
      } else if (f.u.own === false) us.appendChild(el('p', 'No verdict: the logs read hold other accounts but not the role\u2019s.', 'muted'));
      if (f.u.cav) us.appendChild(el('p', f.u.cav, 'muted'));
    }
`;

/** The page's script; with `withUsage`, the usage filter and detail section too. */
export function clientScript(withUsage: boolean): string {
  return `
(function () {
  'use strict';
  var dataEl = document.getElementById('ta-data');
  var D = JSON.parse(dataEl ? dataEl.textContent || '{}' : '{}');
  var tbody = document.getElementById('rows');
  if (!tbody) return;
  var rows = Array.prototype.slice.call(tbody.rows);
  var texts = rows.map(function (r) { return (r.textContent || '').toLowerCase(); });
  var fText = document.getElementById('f-text');
  var count = document.getElementById('count');
  var panesEl = document.getElementById('panes');
  var pgPrev = document.getElementById('pg-prev');
  var pgNext = document.getElementById('pg-next');
  var pgInfo = document.getElementById('pg-info');
  var pgSize = document.getElementById('pg-size');
  var SEV_ORDER = ['critical', 'high', 'medium', 'low', 'info'];
  var FACETS = [
    { key: 'sev', title: 'Severity', of: function (f) { return [f.sev]; } },
    { key: 'rule', title: 'Rule', of: function (f) { return [f.rule]; } },
    { key: 'vendor', title: 'Vendor or account', of: function (f) { return f.v; } },
    { key: 'file', title: 'File', of: function (f) { return [f.fl]; } },
    { key: 'status', title: 'Status', of: function (f) { return [f.status]; } }${withUsage ? USAGE_FACET : ''}
  ];
  var state = { sel: {}, q: '', page: 1, size: 50 };
  FACETS.forEach(function (fc) { state.sel[fc.key] = {}; });
  var boxes = {};
  var countEls = {};

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  // One pane of checkboxes per facet, each value with the number of findings it would show.
  FACETS.forEach(function (fc) {
    var totals = {};
    D.f.forEach(function (f) { fc.of(f).forEach(function (v) { totals[v] = (totals[v] || 0) + 1; }); });
    var values = Object.keys(totals);
    if (fc.key === 'sev') values.sort(function (a, b) { return SEV_ORDER.indexOf(a) - SEV_ORDER.indexOf(b); });
    else values.sort(function (a, b) { return totals[b] - totals[a] || (a < b ? -1 : a > b ? 1 : 0); });
    var fs = el('fieldset', null, 'pane');
    fs.setAttribute('data-facet', fc.key);
    fs.appendChild(el('legend', fc.title + ' (' + values.length + ')'));
    var list = el('div', null, 'pane-list');
    boxes[fc.key] = {};
    countEls[fc.key] = {};
    values.forEach(function (v) {
      var lab = el('label');
      var cb = document.createElement('input');
      cb.type = 'checkbox';
      cb.value = v;
      cb.addEventListener('change', function () {
        if (cb.checked) state.sel[fc.key][v] = true; else delete state.sel[fc.key][v];
        state.page = 1;
        apply(true);
      });
      boxes[fc.key][v] = cb;
      lab.appendChild(cb);
      var name = el('span', fc.key === 'rule' && D.T && D.T[v] ? v + ' ' + D.T[v] : v, 'pane-v');
      lab.appendChild(name);
      var n = el('span', '', 'pane-n');
      countEls[fc.key][v] = n;
      lab.appendChild(n);
      lab.title = name.textContent;
      list.appendChild(lab);
    });
    fs.appendChild(list);
    panesEl.appendChild(fs);
  });

  function selected(key) { return Object.keys(state.sel[key]); }
  function facetOk(f, fc) {
    var sel = state.sel[fc.key];
    if (!Object.keys(sel).length) return true;
    var vs = fc.of(f);
    for (var i = 0; i < vs.length; i++) if (sel[vs[i]]) return true;
    return false;
  }
  function textOk(i) { return !state.q || texts[i].indexOf(state.q) !== -1; }
  function matches(i, except) {
    var f = D.f[i];
    for (var k = 0; k < FACETS.length; k++) if (FACETS[k] !== except && !facetOk(f, FACETS[k])) return false;
    return textOk(i);
  }
  function anyFilter() {
    if (state.q) return true;
    for (var k = 0; k < FACETS.length; k++) if (selected(FACETS[k].key).length) return true;
    return false;
  }

  // The filters live in the URL hash (#sev=high&rule=TA001&page=2): a link shows the same view.
  function writeHash() {
    var parts = [];
    FACETS.forEach(function (fc) {
      selected(fc.key).forEach(function (v) { parts.push(fc.key + '=' + encodeURIComponent(v)); });
    });
    if (state.q) parts.push('q=' + encodeURIComponent(state.q));
    if (state.page > 1) parts.push('page=' + state.page);
    if (state.size !== 50) parts.push('size=' + state.size);
    var h = parts.length ? '#' + parts.join('&') : '';
    if (h === location.hash || (!h && !location.hash)) return;
    try { history.replaceState(null, '', h || location.pathname + location.search); } catch (e) { location.hash = h; }
  }
  function readHash() {
    var h = location.hash.replace(/^#/, '');
    if (h.indexOf('=') === -1) return false;
    FACETS.forEach(function (fc) { state.sel[fc.key] = {}; });
    state.q = ''; state.page = 1; state.size = 50;
    h.split('&').forEach(function (kv) {
      var at = kv.indexOf('=');
      if (at < 1) return;
      var k = kv.slice(0, at), v;
      try { v = decodeURIComponent(kv.slice(at + 1)); } catch (e) { return; }
      if (k === 'q') state.q = v.toLowerCase();
      else if (k === 'page') state.page = Math.max(1, parseInt(v, 10) || 1);
      else if (k === 'size') state.size = Math.max(0, parseInt(v, 10) || 0);
      else if (state.sel[k] && boxes[k] && boxes[k][v]) state.sel[k][v] = true;
    });
    FACETS.forEach(function (fc) {
      Object.keys(boxes[fc.key]).forEach(function (v) { boxes[fc.key][v].checked = !!state.sel[fc.key][v]; });
    });
    fText.value = state.q;
    pgSize.value = String(state.size);
    if (pgSize.value !== String(state.size)) { state.size = 50; pgSize.value = '50'; }
    return true;
  }

  var shownSet = [];
  function apply(toHash) {
    // Pane counts: what each value would show with the other panes' choices.
    FACETS.forEach(function (fc) {
      var c = {};
      for (var i = 0; i < D.f.length; i++) {
        if (!matches(i, fc)) continue;
        fc.of(D.f[i]).forEach(function (v) { c[v] = (c[v] || 0) + 1; });
      }
      Object.keys(countEls[fc.key]).forEach(function (v) {
        var n = c[v] || 0;
        countEls[fc.key][v].textContent = String(n);
        countEls[fc.key][v].parentNode.classList.toggle('zero', n === 0);
      });
    });
    var hit = [];
    for (var r = 0; r < rows.length; r++) {
      var i = Number(rows[r].getAttribute('data-i'));
      if (matches(i, null)) hit.push(r);
    }
    var size = state.size > 0 ? state.size : hit.length || 1;
    var pages = Math.max(1, Math.ceil(hit.length / size));
    if (state.page > pages) state.page = pages;
    var from = (state.page - 1) * size, to = Math.min(hit.length, from + size);
    var onPage = {};
    for (var j = from; j < to; j++) onPage[hit[j]] = true;
    for (var x = 0; x < rows.length; x++) rows[x].hidden = !onPage[x];
    shownSet = hit.map(function (r) { return Number(rows[r].getAttribute('data-i')); });
    count.textContent = hit.length + ' of ' + rows.length + ' findings shown';
    pgInfo.textContent = hit.length ? 'Page ' + state.page + ' of ' + pages + ' (' + (from + 1) + '\u2013' + to + ')' : 'No finding matches';
    pgPrev.disabled = state.page <= 1;
    pgNext.disabled = state.page >= pages;
    document.getElementById('pager').hidden = rows.length <= 25;
    if (toHash) writeHash();
    drawGraph();
  }
  fText.addEventListener('input', function () { state.q = fText.value.trim().toLowerCase(); state.page = 1; apply(true); });
  pgPrev.addEventListener('click', function () { if (state.page > 1) { state.page--; apply(true); } });
  pgNext.addEventListener('click', function () { state.page++; apply(true); });
  pgSize.addEventListener('change', function () { state.size = Number(pgSize.value); state.page = 1; apply(true); });
  document.getElementById('f-clear').addEventListener('click', function () {
    FACETS.forEach(function (fc) { state.sel[fc.key] = {}; Object.keys(boxes[fc.key]).forEach(function (v) { boxes[fc.key][v].checked = false; }); });
    state.q = ''; fText.value = ''; state.page = 1;
    apply(true);
  });
  window.addEventListener('hashchange', function () { if (readHash()) apply(false); });

  var collator = new Intl.Collator(undefined, { numeric: true });
  var heads = Array.prototype.slice.call(document.querySelectorAll('#findings-table thead th[data-col]'));
  heads.forEach(function (th) {
    var btn = th.querySelector('button');
    if (!btn) return;
    btn.addEventListener('click', function () {
      var col = Number(th.getAttribute('data-col'));
      var asc = th.getAttribute('aria-sort') !== 'ascending';
      heads.forEach(function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
      var numeric = th.getAttribute('data-type') === 'num';
      var keys = rows.map(function (r) { return key(r, col, numeric); });
      var order = rows.map(function (r, i) { return i; });
      order.sort(function (a, b) {
        var c = numeric ? keys[a] - keys[b] : collator.compare(keys[a], keys[b]);
        return (asc ? c : -c) || a - b;
      });
      var nr = [], nt = [];
      order.forEach(function (i) { nr.push(rows[i]); nt.push(texts[i]); });
      rows = nr; texts = nt;
      // Detach the body while re-ordering so the table is laid out once.
      var table = tbody.parentNode, next = tbody.nextSibling;
      table.removeChild(tbody);
      var frag = document.createDocumentFragment();
      rows.forEach(function (r) { frag.appendChild(r); });
      tbody.appendChild(frag);
      table.insertBefore(tbody, next);
      apply(false);
    });
  });
  function key(row, col, numeric) {
    var cell = row.cells[col];
    var v = cell ? (cell.getAttribute('data-key') || cell.textContent || '') : '';
    return numeric ? Number(v) : v;
  }

  var dlg = document.getElementById('detail');
  var body = document.getElementById('detail-body');
  var closeBtn = document.getElementById('detail-close');
  closeBtn.addEventListener('click', function () { dlg.close(); });
  tbody.addEventListener('click', function (ev) {
    var t = ev.target;
    if (!t || !t.closest) return;
    var b = t.closest('button[data-i]');
    if (!b) return;
    show(Number(b.getAttribute('data-i')));
  });

  function indent(s, pad) { return s.split('\\n').map(function (l) { return pad + l; }).join('\\n'); }

  function policyPre(policy, hl) {
    var pre = el('pre');
    if (policy && typeof policy === 'object' && !Array.isArray(policy)) {
      var keys = Object.keys(policy);
      pre.appendChild(document.createTextNode('{\\n'));
      keys.forEach(function (k, ki) {
        var comma = ki < keys.length - 1 ? ',' : '';
        var v = policy[k];
        if (k === 'Statement' && Array.isArray(v)) {
          pre.appendChild(document.createTextNode('  ' + JSON.stringify(k) + ': [\\n'));
          v.forEach(function (st, si) {
            var text = indent(JSON.stringify(st, null, 2), '    ') + (si < v.length - 1 ? ',' : '');
            var span = el('span', text, si === hl ? 'hl' : '');
            if (si === hl) span.setAttribute('data-hl', 'true');
            pre.appendChild(span);
            if (si !== hl) pre.appendChild(document.createTextNode('\\n'));
          });
          pre.appendChild(document.createTextNode('  ]' + comma + '\\n'));
        } else {
          var txt = '  ' + JSON.stringify(k) + ': ' + indent(JSON.stringify(v, null, 2), '  ').replace(/^ +/, '') + comma + '\\n';
          if (k === 'Statement' && hl === 0) {
            var sp = el('span', txt, 'hl');
            sp.setAttribute('data-hl', 'true');
            pre.appendChild(sp);
          } else pre.appendChild(document.createTextNode(txt));
        }
      });
      pre.appendChild(document.createTextNode('}'));
    } else {
      pre.textContent = JSON.stringify(policy, null, 2);
    }
    return pre;
  }

  function copyButton(getText) {
    var btn = el('button', 'Copy', 'copy');
    btn.type = 'button';
    btn.addEventListener('click', function () {
      var text = getText();
      function done(ok) {
        btn.textContent = ok ? 'Copied' : 'Copy failed: select the text and copy it';
        setTimeout(function () { btn.textContent = 'Copy'; }, 2000);
      }
      function fallback() {
        var ta = el('textarea', null, 'offscreen');
        ta.value = text;
        ta.setAttribute('readonly', '');
        dlg.appendChild(ta);
        ta.select();
        var ok = false;
        try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
        ta.remove();
        return ok;
      }
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(fallback()); });
      } else done(fallback());
    });
    return btn;
  }

  ${GRAPH_SCRIPT}

  function section(title) { var s = el('section'); s.appendChild(el('h3', title)); body.appendChild(s); return s; }

  function show(i) {
    var f = D.f[i];
    if (!f) return;
    var role = f.r >= 0 ? D.r[f.r] : null;
    while (body.firstChild) body.removeChild(body.firstChild);
    var h = el('h2');
    h.appendChild(el('span', f.sev, 'sev sev-' + f.sev));
    h.appendChild(document.createTextNode(' ' + f.rule + ' ' + f.role));
    body.appendChild(h);
    body.appendChild(el('p', f.m));
    var facts = el('dl');
    function fact(k, v) { if (v === undefined || v === null || v === '') return; facts.appendChild(el('dt', k)); facts.appendChild(el('dd', v)); }
    fact('Role', f.arn || f.id);
    fact('Location', f.loc);
    fact('Trusted principals', f.pr.join('; '));
    fact('Status', f.status + (f.sup ? ': ' + f.sup : ''));
    fact('Fingerprint', f.fp);
    if (role) {
      fact('Description', role.description);
      if (role.tags) fact('Tags', Object.keys(role.tags).map(function (k) { return k + '=' + role.tags[k]; }).join(', '));
    }
    body.appendChild(facts);

    var ps = section('Trust policy');
    if (role && role.policy !== undefined) {
      ps.appendChild(policyPre(role.policy, f.s));
      if (f.s !== null) ps.appendChild(el('p', 'The highlighted statement is the one that lets the principal in.', 'muted'));
    } else ps.appendChild(el('p', 'The trust policy is not included in this report.', 'muted'));

    var es = section('Evidence');
    es.appendChild(el('p', f.ev.summary));
    if (f.ev.details.length) {
      var ul = el('ul');
      f.ev.details.forEach(function (d) { ul.appendChild(el('li', D.S[d])); });
      es.appendChild(ul);
    }
    if (f.ev.request) {
      es.appendChild(el('p', 'A request that would be allowed:'));
      es.appendChild(el('pre', JSON.stringify(f.ev.request, null, 2)));
    }
${withUsage ? USAGE_SECTION : ''}
    var rs = section('Remediation');
    rs.appendChild(el('p', f.rem.summary));
    if (f.rem.steps.length) {
      var ol = el('ol');
      f.rem.steps.forEach(function (s) { ol.appendChild(el('li', D.S[s])); });
      rs.appendChild(ol);
    }
    if (f.rem.command) {
      var cmd = f.rem.command;
      rs.appendChild(el('h3', 'Command'));
      rs.appendChild(copyButton(function () { return cmd; }));
      rs.appendChild(el('pre', cmd));
    }
    if (f.rem.cp !== undefined) {
      var cp = JSON.stringify(D.P[f.rem.cp], null, 2);
      var ch = el('h3', 'Corrected trust policy ');
      ch.appendChild(copyButton(function () { return cp; }));
      rs.appendChild(ch);
      var pre = el('pre', cp);
      pre.id = 'corrected-policy';
      rs.appendChild(pre);
    }
    if (!dlg.open) dlg.showModal();
    closeBtn.focus();
  }
  var fromHash = readHash();
  apply(false);
  if (fromHash) { var fe = document.getElementById('findings'); if (fe && fe.scrollIntoView) fe.scrollIntoView(); }
  document.documentElement.setAttribute('data-ready', 'true');
})();
`;
}

export const CLIENT_SCRIPT = clientScript(false);
