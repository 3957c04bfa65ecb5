// Renders the marketplace icon, images/icon.png (the marketplace takes PNG, not SVG), from
// images/icon.svg in headless Chromium: `npm run icon`. Needs Debian's chromium and
// playwright-core (a devDependency); commit both files.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadBrowserDriver, repoRoot } from './vscode/codeServer.mjs';

const SIZE = 256;
const source = path.join(repoRoot, 'images', 'icon.svg');
const target = path.join(repoRoot, 'images', 'icon.png');

const { chromiumPath, playwright } = await loadBrowserDriver();
const browser = await playwright.chromium.launch({
  executablePath: chromiumPath,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE }, deviceScaleFactor: 1 });
  // The SVG inline, sized to the viewport, on a transparent page; nothing is loaded from anywhere.
  const svg = fs.readFileSync(source, 'utf8').replace(/<svg\b([^>]*?)\swidth="\d+"\sheight="\d+"/, `<svg$1 width="${SIZE}" height="${SIZE}"`);
  await page.setContent(`<!doctype html><html><body style="margin:0;background:transparent">${svg}</body></html>`);
  const png = await page.locator('svg').screenshot({ omitBackground: true, type: 'png' });
  fs.writeFileSync(target, png);
  console.log(`${path.relative(repoRoot, target)}: ${SIZE}×${SIZE}, ${png.length} bytes`);
} finally {
  await browser.close();
}
