/**
 * The report's script (inline; its hash goes into the Content-Security-Policy). It only ever writes data
 * into the page with textContent / createElement: never innerHTML, never eval.
 * Kept free of backticks and dollar-brace so it can live in this template string.
 */
export const CLIENT_SCRIPT = `
(function () {
  'use strict';
  var dataEl = document.getElementById('ta-data');
  var D = JSON.parse(dataEl ? dataEl.textContent || '{}' : '{}');
  var tbody = document.getElementById('rows');
  if (!tbody) return;
  var rows = Array.prototype.slice.call(tbody.rows);
  var texts = rows.map(function (r) { return (r.textContent || '').toLowerCase(); });
  var fSev = document.getElementById('f-sev');
  var fRule = document.getElementById('f-rule');
  var fStatus = document.getElementById('f-status');
  var fText = document.getElementById('f-text');
  var count = document.getElementById('count');

  function applyFilter() {
    var sev = fSev.value, rule = fRule.value, status = fStatus.value;
    var q = fText.value.trim().toLowerCase();
    var shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      var ok = (!sev || r.getAttribute('data-sev') === sev) &&
        (!rule || r.getAttribute('data-rule') === rule) &&
        (!status || r.getAttribute('data-status') === status) &&
        (!q || texts[i].indexOf(q) !== -1);
      r.hidden = !ok;
      if (ok) shown++;
    }
    count.textContent = shown + ' of ' + rows.length + ' findings shown';
  }
  [fSev, fRule, fStatus].forEach(function (el) { el.addEventListener('change', applyFilter); });
  fText.addEventListener('input', applyFilter);

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

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
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
  applyFilter();
  document.documentElement.setAttribute('data-ready', 'true');
})();
`;
