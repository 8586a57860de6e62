/**
 * The report's only stylesheet, inlined (the CSP allows inline styles and nothing else). System fonts, no
 * web font; light and dark by the reader's preference; print always light, charts kept whole on a page.
 * Colours keep text at 4.5:1 or better against its background in both schemes.
 */
export const reportStyles = `
:root { color-scheme: light dark; --bg: #ffffff; --fg: #1b1d21; --muted: #50565f; --line: #d0d4da;
  --ref: #51627a; --cur: #c2410c; --alert-bg: #fde4e2; --alert-fg: #8a1712; --ok-bg: #e2f3e6; --ok-fg: #185a2a;
  --panel: #f5f6f8; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #15171b; --fg: #e7e9ec; --muted: #a9b0ba; --line: #3a3f47; --ref: #9db2cc; --cur: #fb923c;
    --alert-bg: #4a1512; --alert-fg: #ffc9c4; --ok-bg: #123a1d; --ok-fg: #b9ecc6; --panel: #1e2126; }
}
@media print {
  :root { color-scheme: light; --bg: #ffffff; --fg: #000000; --muted: #333333; --line: #999999;
    --ref: #51627a; --cur: #c2410c; --alert-bg: #ffffff; --alert-fg: #8a1712; --ok-bg: #ffffff; --ok-fg: #185a2a;
    --panel: #ffffff; }
  body { margin: 0; max-width: none; }
  figure, section.column, table, .verdict { break-inside: avoid; }
  details > *:not(summary) { display: block; }
}
* { box-sizing: border-box; }
body { margin: 0 auto; padding: 1.5rem; max-width: 72rem; background: var(--bg); color: var(--fg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; overflow-wrap: break-word; }
.name { overflow-wrap: anywhere; }
th[scope="row"] { min-width: 9rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
h3 { font-size: 1.05rem; margin: 1.5rem 0 .25rem; }
.note, .muted { color: var(--muted); }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .9em; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: 1rem 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.verdict { padding: .75rem 1rem; border-radius: 6px; margin: 1rem 0; font-weight: 600; }
.verdict.drifted, .badge.drifted { background: var(--alert-bg); color: var(--alert-fg); }
.verdict.stable, .badge.stable { background: var(--ok-bg); color: var(--ok-fg); }
.verdict.unknown, .badge.unknown { background: var(--panel); color: var(--fg); }
.badge { display: inline-block; white-space: nowrap; padding: 0 .5rem; border-radius: 999px; font-size: .85em; font-weight: 600; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-variant-numeric: tabular-nums; }
caption { text-align: left; color: var(--muted); padding-bottom: .25rem; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
thead th { border-bottom-width: 2px; }
td.num, th.num { text-align: right; }
td.num { white-space: nowrap; }
section.column { margin: 1.5rem 0; }
.legend { display: flex; gap: 1.25rem; margin: .25rem 0; font-size: .9em; }
.key { display: inline-block; width: .8rem; height: .8rem; margin-right: .35rem;
  vertical-align: -1px; border-radius: 2px; }
.key.ref { background: var(--ref); } .key.cur { background: var(--cur); }
svg.chart { display: block; max-width: 100%; height: auto; }
svg.chart .bar-ref { fill: var(--ref); } svg.chart .bar-cur { fill: var(--cur); }
svg.chart .grid { stroke: var(--line); stroke-width: 1; }
svg.chart text { fill: var(--fg); font-size: 11px; }
svg.chart text.tick { fill: var(--muted); }
details { margin: .25rem 0 1rem; }
summary { cursor: pointer; color: var(--muted); }
footer { margin-top: 2.5rem; border-top: 1px solid var(--line); padding-top: 1rem; font-size: .92em; }
`;
