/** The report's stylesheet (inline; its hash goes into the Content-Security-Policy). */
export const STYLE = `
:root{--fg:#1f2328;--muted:#59636e;--bg:#fff;--panel:#f6f8fa;--line:#d1d9e0;--crit:#82071e;--high:#cf222e;--med:#9a6700;--low:#0969da;--info:#59636e;--ok:#1a7f37;--bad:#cf222e;--sup:#8c959f}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 -apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
header,main{max-width:1280px;margin:0 auto;padding:0 16px}
header{padding-top:16px;border-bottom:1px solid var(--line)}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:24px 0 8px}h3{font-size:15px;margin:16px 0 6px}
.meta{color:var(--muted);margin:0 0 12px}
nav a{margin-right:12px}
.warn{background:#fff8c5;border:1px solid #d4a72c;padding:8px 12px;border-radius:6px}
.cards{display:flex;gap:8px;flex-wrap:wrap}
.card{border:1px solid var(--line);border-radius:6px;padding:8px 14px;min-width:110px;background:var(--panel)}
.card b{display:block;font-size:22px}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(280px,1fr));gap:16px}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
td.n,th.n{text-align:right}
thead th{background:var(--panel)}
#findings-table thead th{position:sticky;top:0}
th button{all:unset;cursor:pointer;font-weight:600}
th button::after{content:" \\2195";color:var(--muted)}
th[aria-sort=ascending] button::after{content:" \\2191"}
th[aria-sort=descending] button::after{content:" \\2193"}
.sev{display:inline-block;border-radius:10px;padding:0 8px;color:#fff;font-size:12px;font-weight:600}
.sev-critical{background:var(--crit)}.sev-high{background:var(--high)}.sev-medium{background:var(--med)}.sev-low{background:var(--low)}.sev-info{background:var(--info)}
.st-suppressed,.st-baseline{color:var(--muted)}
#findings-table{table-layout:fixed}
#findings-table td{overflow-wrap:anywhere}
#findings-table th:nth-child(1){width:90px}#findings-table th:nth-child(2){width:64px}#findings-table th:nth-child(4){width:120px}#findings-table th:nth-child(7){width:96px}#findings-table th:nth-child(8){width:84px}
.filters{display:flex;gap:8px;flex-wrap:wrap;align-items:center;margin:8px 0}
.filters input{min-width:260px}
.count{color:var(--muted)}
code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{background:var(--panel);border:1px solid var(--line);border-radius:6px;padding:8px;overflow:auto;max-height:420px;white-space:pre}
pre .hl{display:block;background:#ffebe9;border-left:3px solid var(--bad)}
dialog{width:min(1000px,95vw);max-height:90vh;overflow:auto;border:1px solid var(--line);border-radius:8px}
dialog::backdrop{background:rgba(0,0,0,.35)}
.dlg-head{display:flex;justify-content:space-between;align-items:start;gap:8px}
.offscreen{position:fixed;left:-9999px;top:0}
svg text{font:12px sans-serif;fill:var(--fg)}
svg .edge{fill:none;stroke-width:1.5;stroke-opacity:.75}
svg .ecount{font-size:11px;font-weight:600;paint-order:stroke;stroke:#fff;stroke-width:3px}
svg .ncount{fill:var(--muted)}
svg .clickable{cursor:pointer}svg .clickable:hover rect,svg .clickable:focus rect{stroke-width:2}
.scan-info{margin:0 0 12px;font-size:13px}.scan-info dd code{overflow-wrap:anywhere;white-space:pre-wrap}
.panes{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:8px;margin:8px 0}
.pane{border:1px solid var(--line);border-radius:6px;padding:4px 8px;margin:0;min-width:0}
.pane legend{font-weight:600;padding:0 4px}
.pane-list{max-height:168px;overflow:auto}
.pane label{display:flex;gap:6px;align-items:baseline;white-space:nowrap;cursor:pointer}
.pane-v{overflow:hidden;text-overflow:ellipsis;flex:1;min-width:0}
.pane-n{color:var(--muted);font-variant-numeric:tabular-nums}
.pane label.zero{color:var(--sup)}
.pager{display:flex;gap:12px;align-items:center;margin:8px 0}
.pager[hidden]{display:none}
svg .unprotected{stroke:var(--bad)}svg .protected{stroke:var(--ok)}svg .suppressed{stroke:var(--sup);stroke-dasharray:4 3}
svg .node-bad{fill:#ffebe9;stroke:var(--bad)}svg .node-ok{fill:#dafbe1;stroke:var(--ok)}svg .node-sup{fill:#f6f8fa;stroke:var(--sup)}
.legend span{margin-right:16px}.legend i{display:inline-block;width:24px;height:3px;vertical-align:middle;margin-right:4px}
.legend .l-bad{background:var(--bad)}.legend .l-ok{background:var(--ok)}.legend .l-sup{background:var(--sup)}
.muted{color:var(--muted)}
dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px}dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}
`;
