import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { contentSecurityPolicy, createNonce, timelineHtml } from '../../client/src/timeline/timelineHtml';
import { isFromWebview } from '../../client/src/webview/protocol';

describe('timeline HTML shell', () => {
  test('strict CSP: nothing but nonced scripts and the webview\'s own styles and images', () => {
    assert.equal(
      contentSecurityPolicy('https://file+.vscode-resource.vscode-cdn.net', 'abc'),
      "default-src 'none'; script-src 'nonce-abc'; style-src https://file+.vscode-resource.vscode-cdn.net; img-src https://file+.vscode-resource.vscode-cdn.net data:; font-src https://file+.vscode-resource.vscode-cdn.net; form-action 'none'; base-uri 'none'",
    );
  });

  test('a fresh random nonce each time', () => {
    const nonces = new Set(Array.from({ length: 50 }, createNonce));
    assert.equal(nonces.size, 50);
    for (const nonce of nonces) assert.match(nonce, /^[A-Za-z0-9+/]{22}==$/);
  });

  test('the script carries the nonce; titles are escaped; no inline script or style', () => {
    const html = timelineHtml({ cspSource: 'vscode-resource:', scriptUri: 'vscode-resource:/t.js', styleUri: 'vscode-resource:/t.css', title: 'Timeline: <img src=x onerror=alert(1)>"', nonce: 'N0nce' });
    assert.match(html, /<script nonce="N0nce" src="vscode-resource:\/t.js"><\/script>/);
    assert.ok(!html.includes('<img'));
    assert.ok(html.includes('Timeline: &lt;img src=x onerror=alert(1)&gt;&quot;'));
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.ok(!/<style|style=/.test(html));
  });
});

describe('messages from the page are validated', () => {
  test('well-formed messages pass', () => {
    assert.ok(isFromWebview({ type: 'ready' }));
    assert.ok(isFromWebview({ type: 'reveal', id: 'checkout-ui' }));
    assert.ok(isFromWebview({ type: 'reschedule', id: 'a.b_c-1', version: 3, start: '2026-01-05' }));
    assert.ok(isFromWebview({ type: 'exportSvg', svg: '<svg xmlns="http://www.w3.org/2000/svg"></svg>' }));
  });

  test('forged or malformed messages are dropped', () => {
    for (const message of [
      null,
      'reveal',
      { type: 'open', path: '/etc/passwd' },
      { type: 'reveal', id: '../../etc/passwd' },
      { type: 'reveal', id: 'x'.repeat(201) },
      { type: 'reveal' },
      { type: 'ready', extra: 1 },
      { type: 'reschedule', id: 'a', version: 1 },
      { type: 'reschedule', id: 'a', version: '1', start: '2026-01-05' },
      { type: 'reschedule', id: 'a', version: 1, start: '2026-01-05T00:00' },
      { type: 'exportSvg', svg: '<script>alert(1)</script>' },
      { type: '__proto__' },
    ]) {
      assert.equal(isFromWebview(message), false, JSON.stringify(message));
    }
  });
});
