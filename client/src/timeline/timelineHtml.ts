import { encodeBase64 } from './base64';

// The timeline page's HTML shell: a strict Content Security Policy with a
// fresh nonce, local resources only, no inline data. Plan data arrives later
// by message, never interpolated into markup.

export interface TimelineHtmlOptions {
  /** `webview.cspSource`. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  /** Shown until the first plan arrives; escaped. */
  title: string;
  nonce?: string;
}

export function createNonce(): string {
  // Web Crypto: in Node 20 and in the browser alike.
  return encodeBase64(globalThis.crypto.getRandomValues(new Uint8Array(16)));
}

export function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    // blob: for the page's own PNG export (it draws its SVG through an image); nothing remote.
    `img-src ${cspSource} data: blob:`,
    `font-src ${cspSource}`,
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
}

export function timelineHtml(options: TimelineHtmlOptions): string {
  const nonce = options.nonce ?? createNonce();
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(options.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(options.styleUri)}">
<title>${escapeHtml(options.title)}</title>
</head>
<body>
<div id="app" role="application" aria-label="${escapeHtml(options.title)}"></div>
<script nonce="${escapeHtml(nonce)}" src="${escapeHtml(options.scriptUri)}"></script>
</body>
</html>`;
}
