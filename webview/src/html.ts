/**
 * The preview page's HTML, built the same way by the panel host and by the Chromium tests, so
 * the tests load exactly the page VS Code shows. No DOM or `vscode` here: plain strings.
 */

export interface PreviewHtmlOptions {
  /** `webview.cspSource` in VS Code; the test server's origin in tests. */
  cspSource: string;
  /** A fresh random value per page load; only scripts carrying it may run. */
  nonce: string;
  scriptUri: string;
  styleUri: string;
  title?: string;
}

/** Builds the Content-Security-Policy: no inline code, no eval, nothing from the network. */
export function previewCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    // PNG export draws the SVG into a canvas through a blob: image.
    `img-src ${cspSource} data: blob:`,
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function renderPreviewHtml(o: PreviewHtmlOptions): string {
  const title = escapeHtml(o.title ?? 'Stepwise DAG');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(previewCsp(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(o.styleUri)}">
<title>${title}</title>
</head>
<body>
<div id="toolbar" role="toolbar" aria-label="DAG view">
  <span id="flow-name" class="flow-name"></span>
  <span class="spacer"></span>
  <label class="run-label" for="run-picker">Run</label>
  <select id="run-picker" title="Run shown on the graph" disabled><option value="">no runs</option></select>
  <button id="zoom-out" type="button" title="Zoom out" aria-label="Zoom out">−</button>
  <button id="zoom-in" type="button" title="Zoom in" aria-label="Zoom in">+</button>
  <button id="fit" type="button" title="Fit to view" aria-label="Fit to view">Fit</button>
  <button id="export-svg" type="button" title="Export as SVG">SVG</button>
  <button id="export-png" type="button" title="Export as PNG">PNG</button>
  <button id="legend-toggle" type="button" title="What the shapes and colours mean" aria-expanded="false" aria-controls="legend">?</button>
</div>
<div id="legend" class="legend hidden" role="note" aria-label="Legend"></div>
<div id="banner" class="banner hidden" role="alert"></div>
<div id="canvas" class="canvas" tabindex="0" aria-label="Flow graph">
  <svg id="dag" xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="dag-title">
    <title id="dag-title">Flow graph</title>
    <defs>
      <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="10.5" markerHeight="10.5" orient="auto-start-reverse">
        <path class="arrow-head" d="M 0 0 L 10 5 L 0 10 z"></path>
      </marker>
    </defs>
    <g id="viewport"></g>
  </svg>
  <div id="empty" class="empty hidden"></div>
</div>
<script nonce="${escapeHtml(o.nonce)}" src="${escapeHtml(o.scriptUri)}"></script>
</body>
</html>
`;
}

function escapeHtml(s: string): string {
  // Attribute values are double-quoted, so `'` (needed verbatim in the CSP) stays as is.
  return s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
