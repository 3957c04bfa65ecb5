import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { computeLayout, type TimelineLayout } from '../../server/src/timeline/layout';
import { escapeXmlAttribute, escapeXmlText, serializeSvg, sliceByX, svgNode, timelineSvg } from '../../server/src/timeline/svg';
import type { PlanView } from '../../server/src/protocol/planView';
import { createPlanService } from '../../server/src/service';
import { PNG_MAX_PIXELS, PNG_MAX_SIDE, rasterSize } from '../../client/src/webview/raster';
import { contains, LayoutIndex, marginExtent, nearExtent, OVERSCAN_ROWS, prefetchExtent, renderExtent, visibleExtent, X_BLOCK, type Extent } from '../../client/src/webview/viewport';
import { fixedToday, planDocument, readFixture, repoRoot } from '../helpers/fixtures';

// What the virtualised timeline draws (client/src/webview/viewport.ts), the
// PNG export's size cap (raster.ts) and the DOM-free SVG serialiser
// (server/src/timeline/svg.ts), without a browser.

const checkout: PlanView = createPlanService({ today: fixedToday('2026-02-10') }).getPlanView(planDocument(readFixture('valid/checkout.plan.yaml')));

/** A plan of `count` chained tasks under one milestone, a working week each. */
function chain(count: number): PlanView {
  const lines = ['plan: Chain', 'owner: ann', 'start: 2026-01-05', 'as_of: 2026-01-05', 'people:', '  ann: { name: Ann }', 'milestones:', '  - id: m', '    title: M', '    owner: ann', '    tasks:'];
  for (let index = 0; index < count; index++) lines.push(`      - { id: t${index}, title: T${index}, owner: ann, duration: 5d${index > 0 ? `, depends_on: [t${index - 1}]` : ', start: 2026-01-05'} }`);
  return createPlanService().getPlanView(planDocument(lines.join('\n') + '\n', 'chain.plan.yaml'));
}

describe('which rows, items and arrows are near the viewport', () => {
  const layout = computeLayout(chain(300), { zoom: 'quarter', grouping: 'milestone' });
  const index = new LayoutIndex(layout);
  const box = { scrollLeft: 0, scrollTop: 0, clientWidth: 1280, clientHeight: 800 };

  test('the visible extent leaves out the sticky label column and axis', () => {
    assert.deepEqual(visibleExtent(layout, { ...box, scrollTop: 280, scrollLeft: 10 }), { left: 10, right: 10 + 1280 - 260, top: 280, bottom: 280 + 800 - 40 });
  });

  test('overscan: whole rows and whole column blocks, within the chart', () => {
    const visible = visibleExtent(layout, { ...box, scrollTop: 100 * 28 + 5 });
    const target = renderExtent(layout, visible);
    assert.equal(target.top, (100 - OVERSCAN_ROWS) * 28);
    assert.equal(target.bottom % 28, 0);
    assert.ok(target.bottom >= visible.bottom + OVERSCAN_ROWS * 28);
    assert.equal(target.left, 0, 'not left of the chart');
    assert.equal(target.right % X_BLOCK === 0 || target.right === layout.width, true);
    const top = renderExtent(layout, visibleExtent(layout, box));
    assert.equal(top.top, 0);
  });

  test('rows in a range, the row under a y', () => {
    assert.deepEqual(index.rowRange(0, 28), [0, 1]);
    assert.deepEqual(index.rowRange(27, 57), [0, 3]);
    assert.deepEqual(index.rowRange(28 * 300, 28 * 400), [300, 301]);
    assert.equal(index.rowAt(28 * 5 + 3), 5);
    assert.equal(index.rowAt(-1), -1);
    assert.equal(index.rowAt(layout.height + 1), -1);
  });

  test('items of the drawn rows, whatever their x (rows with few items)', () => {
    const extent: Extent = { left: 0, right: 10, top: 28 * 200, bottom: 28 * 210 };
    const items = index.itemsIn(extent);
    assert.deepEqual(items.map((item) => layout.items[item].row), [200, 201, 202, 203, 204, 205, 206, 207, 208, 209]);
    // t199 is on row 200 (the milestone is row 0) and far to the right of x 10.
    assert.equal(layout.items[items[0]].id, 't199');
    assert.ok(layout.items[items[0]].bar!.x > 10);
  });

  test('arrows: every arrow with an end at a drawn item, and those passing through; not the far ones', () => {
    const extent: Extent = { left: 0, right: layout.width, top: 28 * 100, bottom: 28 * 110 };
    const items = index.itemsIn(extent);
    const arrows = index.arrowsIn(extent, items).map((arrow) => `${layout.arrows[arrow].from}→${layout.arrows[arrow].to}`);
    // Rows 100–109 hold t99–t108: the chain's arrows into and out of them.
    assert.deepEqual(arrows, Array.from({ length: 11 }, (_, offset) => `t${98 + offset}→t${99 + offset}`));
    // An arrow drawn for a pinned item far away (the tab stop).
    const far = index.arrowsIn(extent, [index.indexOfId('t250')]).map((arrow) => `${layout.arrows[arrow].from}→${layout.arrows[arrow].to}`);
    assert.ok(far.includes('t249→t250') && far.includes('t250→t251'));
  });

  test('dense rows (an owner\'s track) draw only the items in the drawn columns', () => {
    const lanes = computeLayout(chain(300), { zoom: 'day', grouping: 'owner' });
    const laneIndex = new LayoutIndex(lanes);
    const track = lanes.rows.findIndex((row) => row.kind === 'track');
    assert.equal(laneIndex.itemsByRow[track].length, 300, 'the chain never overlaps: one track');
    const extent: Extent = { left: 0, right: 2000, top: 0, bottom: lanes.height };
    const drawn = laneIndex.itemsIn(extent).filter((item) => lanes.items[item].kind === 'task');
    assert.ok(drawn.length > 5 && drawn.length < 20, `${drawn.length} bars`);
    for (const item of drawn) assert.ok(lanes.items[item].bar!.x <= 2000);
  });

  test('keyboard rows: top to bottom, each left to right', () => {
    assert.equal(index.rowsWithItems.length, layout.rows.length);
    assert.equal(index.rowPositionOfItem[index.indexOfId('t0')], 1);
    assert.equal(index.indexOfId('nowhere'), -1);
  });

  test('drawn again ahead of time when the viewport nears the drawn part\'s edge, at once when it is about to reach it', () => {
    const at = (row: number) => visibleExtent(layout, { ...box, scrollTop: 28 * row });
    const drawn = renderExtent(layout, at(150));
    // 760 px visible: 27 rows (a 28th in part); 20 rows of overscan each side.
    assert.deepEqual([drawn.top / 28, drawn.bottom / 28], [130, 198]);
    // Scrolling 10 rows either way leaves 10 to spare: nothing to do.
    for (const row of [140, 150, 160]) assert.ok(contains(drawn, prefetchExtent(layout, at(row))), `row ${row}`);
    // Further: drawn again when the page is idle…
    for (const row of [139, 161]) {
      assert.ok(!contains(drawn, prefetchExtent(layout, at(row))), `row ${row}`);
      assert.ok(contains(drawn, marginExtent(layout, at(row))), `row ${row}`);
    }
    // …and at once within 2 rows of the edge.
    assert.ok(contains(drawn, marginExtent(layout, at(132))));
    assert.ok(!contains(drawn, marginExtent(layout, at(131))));
    assert.ok(contains(drawn, marginExtent(layout, at(168))));
    assert.ok(!contains(drawn, marginExtent(layout, at(169))));
    // The first drawing is the viewport and two rows.
    const near = nearExtent(layout, at(150));
    assert.deepEqual([near.top / 28, near.bottom / 28], [148, 180]);
  });
});

describe('the PNG size cap', () => {
  test('device pixel ratio, below the cap', () => {
    assert.deepEqual(rasterSize(860, 208, 2), { width: 1720, height: 416, scale: 2, capped: false });
    assert.deepEqual(rasterSize(860, 208, 1), { width: 860, height: 208, scale: 1, capped: false });
    assert.deepEqual(rasterSize(860, 208, Number.NaN), { width: 860, height: 208, scale: 1, capped: false });
  });

  test('a 5,000-task chart is scaled down whole, within the side and pixel limits', () => {
    // Quarter zoom of the 5,000-task benchmark plan: 260 + 17,894 px by 40 + 5,125 rows × 28 px.
    const size = rasterSize(18_154, 143_540, 2);
    assert.equal(size.capped, true);
    assert.ok(size.width <= PNG_MAX_SIDE && size.height <= PNG_MAX_SIDE);
    assert.ok(size.width * size.height <= PNG_MAX_PIXELS);
    assert.ok(Math.abs(size.width / size.height - 18_154 / 143_540) < 0.001);
    // A long, thin chart is limited by its side.
    const thin = rasterSize(100_000, 300, 1);
    assert.equal(thin.width, PNG_MAX_SIDE);
    assert.equal(thin.height, Math.floor(300 * (PNG_MAX_SIDE / 100_000)));
  });
});

describe('the SVG serialiser', () => {
  test('text and attribute values are escaped; characters XML does not allow are replaced', () => {
    assert.equal(escapeXmlText('a <b> & c'), 'a &lt;b&gt; &amp; c');
    assert.equal(escapeXmlAttribute('say "hi"\n\tthere'), 'say &quot;hi&quot;&#10;&#9;there');
    assert.equal(escapeXmlText('bell\u0007 nul\u0000 \ud800 ok \ud83d\ude00'), 'bell\ufffd nul\ufffd \ufffd ok \ud83d\ude00');
    const svg = serializeSvg(svgNode('svg', { xmlns: 'http://www.w3.org/2000/svg', 'data-x': '1 < 2 & "3"' }, undefined, [svgNode('text', { x: 1 }, 'label', [], ']]> <script>')]));
    assert.equal(svg, '<svg xmlns="http://www.w3.org/2000/svg" data-x="1 &lt; 2 &amp; &quot;3&quot;">\n  <text x="1" class="label">]]&gt; &lt;script&gt;</text>\n</svg>');
  });

  test('names come from code: a bad element or attribute name is refused', () => {
    assert.throws(() => serializeSvg(svgNode('svg', { 'on click': 'x' })), /not an XML name/);
    assert.throws(() => serializeSvg(svgNode('<script>')), /not an XML name/);
  });

  test('sliceByX finds what meets a range in a list sorted by x', () => {
    const list = [0, 10, 20, 30, 40].map((x) => ({ x, width: 5 }));
    assert.deepEqual(sliceByX(list, 12, 31), [1, 4], '10–15 meets 12–31; 40–45 does not');
    assert.deepEqual(sliceByX(list, 6, 9), [1, 1], 'nothing between 5 and 10');
    assert.deepEqual(sliceByX(list, -Infinity, Infinity), [0, 5]);
  });

  test('the standalone SVG of the example: one item per task and milestone, a bar per task, painted, nothing interactive', () => {
    const layout: TimelineLayout = computeLayout(checkout, { zoom: 'week', grouping: 'milestone' });
    const svg = timelineSvg(layout);
    assert.equal((svg.match(/<g class="item item-task /g) ?? []).length, 4);
    assert.equal((svg.match(/<g class="item item-milestone /g) ?? []).length, 2);
    assert.equal((svg.match(/class="bar-track"/g) ?? []).length, 6);
    assert.equal((svg.match(/class="diamond"/g) ?? []).length, 2);
    assert.equal((svg.match(/class="arrow-line[ "]/g) ?? []).length, layout.arrows.length);
    assert.equal((svg.match(/class="arrow-head[ "]/g) ?? []).length, layout.arrows.length);
    assert.ok(!/tabindex|data-id|focus-ring|bar-handle|role="button"/.test(svg));
    // Colours: critical outline, done fill, the as-of line.
    assert.match(svg, /<rect x="0" y="33" width="264" height="14" rx="3" class="bar-track" fill="#388a34" fill-opacity="0.35" stroke="#e51400" stroke-width="2"\/>/);
    assert.match(svg, /class="as-of-line" stroke="#005fb8" stroke-width="2" stroke-dasharray="4 3"/);
    assert.ok(svg.endsWith('</svg>\n'));
  });
});

describe('server/src/timeline is shared by the webview bundle and the CLI', () => {
  test('it imports nothing but its own modules and the PlanView type: no DOM, Node, VS Code or service code', () => {
    const folder = path.join(repoRoot, 'server', 'src', 'timeline');
    const imports = fs
      .readdirSync(folder)
      .filter((name) => name.endsWith('.ts'))
      .flatMap((name) => [...fs.readFileSync(path.join(folder, name), 'utf8').matchAll(/^import\s[^;]*?from\s+'([^']+)'/gm)].map((match) => `${name}: ${match[1]}`));
    assert.deepEqual(imports.sort(), ["layout.ts: ../protocol/planView", 'svg.ts: ./layout']);
    // Type-only, so the webview bundle carries no protocol code.
    assert.match(fs.readFileSync(path.join(folder, 'layout.ts'), 'utf8'), /^import type \{[^}]*\} from '\.\.\/protocol\/planView';$/m);
  });
});
