// The report's stylesheet, inlined into every page. System fonts only (nothing to download);
// tables and figures reflow on narrow screens; printing leaves out the interactive controls.

export const REPORT_CSS = `
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; --accent: #0969da; --bad: #cf222e; --good: #1a7f37; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #fff; }
header, main, footer { max-width: 1180px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 32px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--line); }
h3 { font-size: 14px; margin: 16px 0 8px; }
.sub, .note { color: var(--muted); }
.note { font-size: 13px; }
nav { margin: 12px 0 0; display: flex; gap: 16px; flex-wrap: wrap; }
nav a { color: var(--accent); text-decoration: none; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 12px; margin: 12px 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; background: var(--soft); }
.card .label { color: var(--muted); font-size: 12px; }
.card .value { font-size: 18px; font-weight: 600; font-variant-numeric: tabular-nums; }
.figures { display: flex; flex-wrap: wrap; gap: 24px; }
figure { margin: 8px 0; max-width: 100%; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: 12.5px; }
.table-wrap { overflow-x: auto; max-width: 100%; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--soft); font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.text { max-width: 260px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
td.wrap { white-space: pre-wrap; word-break: break-word; max-width: 520px; }
.rows th { cursor: pointer; user-select: none; }
.rows th[aria-sort="ascending"]::after { content: " ▲"; font-size: 10px; }
.rows th[aria-sort="descending"]::after { content: " ▼"; font-size: 10px; }
.rows tbody tr { cursor: pointer; }
.rows tbody tr:hover, .rows tbody tr:focus { background: #ddf4ff; outline: none; }
.tag { display: inline-block; margin: 0 4px 2px 0; padding: 0 6px; border-radius: 10px; background: #ffebe9; color: var(--bad); font-size: 12px; white-space: nowrap; }
.controls { display: flex; gap: 12px; align-items: center; flex-wrap: wrap; margin: 8px 0; }
.controls select, .controls input { font: inherit; padding: 3px 6px; }
.detail { position: fixed; top: 0; right: 0; bottom: 0; width: min(560px, 100%); overflow-y: auto; background: #fff; border-left: 1px solid var(--line); box-shadow: -4px 0 16px rgba(0,0,0,.08); padding: 16px 20px; }
.detail dl { margin: 0; }
.detail dt { font-weight: 600; margin-top: 10px; }
.detail dd { margin: 2px 0 0; white-space: pre-wrap; word-break: break-word; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.bad { color: var(--bad); }
.good { color: var(--good); }
.warnings { border: 1px solid #d4a72c; background: #fff8c5; border-radius: 6px; padding: 8px 12px; }
footer { margin: 40px auto 32px; color: var(--muted); font-size: 12.5px; }
[hidden] { display: none !important; }
@media print { .controls, button, .detail { display: none !important; } }
`;
