import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { deflateSync } from 'node:zlib';
import type { PlanView } from '../../server/src/protocol/planView';
import { createPlanService } from '../../server/src/service';
import { computeLayout } from '../../server/src/timeline/layout';
import { LIGHT_PALETTE, timelineSvg } from '../../server/src/timeline/svg';
import { checkPng, editsOnly, isCalendarDate, isInertSvg, MAX_SVG_LENGTH, parsePageMessage, revivablePlanUri } from '../../client/src/timeline/pageMessages';
import { MAX_PNG_BASE64_LENGTH } from '../../client/src/webview/protocol';
import { PNG_MAX_PIXELS, PNG_MAX_SIDE } from '../../client/src/webview/raster';
import { fixedToday, planDocument, readFixture } from '../helpers/fixtures';

// The host's check of every message from the timeline page
// (client/src/timeline/pageMessages.ts): a forged message is dropped, so it
// cannot make the extension open, write or reveal anything but the panel's
// own plan, at the ranges the server computed.

const PLAN_URI = 'file:///workspace/checkout.plan.yaml';
const plan: PlanView = createPlanService({ today: fixedToday('2026-02-10') }).getPlanView(planDocument(readFixture('valid/checkout.plan.yaml'), 'checkout.plan.yaml', 7));
/** Another plan, with an id of its own. */
const otherPlan: PlanView = JSON.parse(JSON.stringify(plan));
otherPlan.uri = 'file:///elsewhere/secret.plan.yaml';
otherPlan.milestones[0].tasks[0].id = 'secret-task';

/** A real PNG, base64: 3 × 2 grey RGBA pixels (IHDR, one zlib IDAT, IEND, correct CRCs). */
const PNG_3X2 = 'iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAYAAACddGYaAAAAEUlEQVR4nGNoaGj4D8MMyBwAvlUO+8S/xV4AAAAASUVORK5CYII=';
const PNG_BYTES = Buffer.from(PNG_3X2, 'base64');

/** A PNG of the given chunks (CRCs are not checked by the host: zeros). */
function pngOf(chunks: [string, Buffer][]): Buffer {
  const parts: Buffer[] = [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])];
  for (const [type, data] of chunks) {
    const header = Buffer.alloc(8);
    header.writeUInt32BE(data.length, 0);
    header.write(type, 4, 'latin1');
    parts.push(header, data, Buffer.alloc(4));
  }
  return Buffer.concat(parts);
}
function ihdr(width: number, height: number): Buffer {
  const data = Buffer.alloc(13);
  data.writeUInt32BE(width, 0);
  data.writeUInt32BE(height, 4);
  data.set([8, 6, 0, 0, 0], 8);
  return data;
}
const idat = () => deflateSync(Buffer.alloc(16));
const b64 = (bytes: Buffer) => bytes.toString('base64');

const exportedSvg = timelineSvg(computeLayout(plan, { zoom: 'week', grouping: 'milestone' }));

function payloadPlan(): PlanView {
  const view: PlanView = JSON.parse(JSON.stringify(plan));
  const payload = '<img src=x onerror=alert(1)>"\'&amp;</text><script>alert(2)</script>]]><!-- url(https://evil) javascript:alert(3)';
  view.title = payload;
  view.milestones[0].title = payload;
  view.milestones[0].tasks[0].title = payload;
  view.milestones[0].tasks[0].owner = payload;
  view.people[1].name = payload;
  return view;
}

describe('page messages: valid ones are accepted, with what the host needs taken from the plan', () => {
  test('ready', () => {
    assert.deepEqual(parsePageMessage({ type: 'ready' }, undefined), { type: 'ready' });
    assert.deepEqual(parsePageMessage({ type: 'ready' }, plan), { type: 'ready' });
  });

  test('reveal: the range is the server\'s, for a milestone or a task at any depth', () => {
    const milestone = plan.milestones[0];
    const nested = milestone.tasks[1].tasks[0];
    assert.deepEqual(parsePageMessage({ type: 'reveal', id: milestone.id }, plan), { type: 'reveal', id: milestone.id, range: milestone.selectionRange });
    assert.deepEqual(parsePageMessage({ type: 'reveal', id: nested.id }, plan), { type: 'reveal', id: nested.id, range: nested.selectionRange });
    // A copy: the page's message and the plan are never aliased.
    const parsed = parsePageMessage({ type: 'reveal', id: milestone.id }, plan) as { range: unknown };
    assert.notEqual(parsed.range, milestone.selectionRange);
  });

  test('reschedule: a task of this plan, this plan\'s version, real dates', () => {
    assert.deepEqual(parsePageMessage({ type: 'reschedule', id: 'payment-api', version: 7, start: '2026-01-12' }, plan), { type: 'reschedule', id: 'payment-api', version: 7, start: '2026-01-12' });
    assert.deepEqual(parsePageMessage({ type: 'reschedule', id: 'address-form', version: 7, end: '2026-02-27' }, plan), { type: 'reschedule', id: 'address-form', version: 7, end: '2026-02-27' });
    assert.deepEqual(parsePageMessage({ type: 'reschedule', id: 'payment-api', version: 7, start: '2026-01-12', end: '2026-01-30' }, plan), { type: 'reschedule', id: 'payment-api', version: 7, start: '2026-01-12', end: '2026-01-30' });
    // Structured clone keeps an undefined field: the same as an absent one.
    assert.deepEqual(parsePageMessage({ type: 'reschedule', id: 'payment-api', version: 7, start: undefined, end: '2026-01-30' }, plan), { type: 'reschedule', id: 'payment-api', version: 7, end: '2026-01-30' });
    assert.ok(isCalendarDate('2028-02-29'));
    // An older version: the page's plan when a newer one came during the drag; the server answers "stale".
    assert.deepEqual(parsePageMessage({ type: 'reschedule', id: 'payment-api', version: 6, start: '2026-01-12' }, plan), { type: 'reschedule', id: 'payment-api', version: 6, start: '2026-01-12' });
  });

  test('exportSvg: the timeline\'s own SVG, also with HTML and script payloads in every plan string', () => {
    assert.deepEqual(parsePageMessage({ type: 'exportSvg', svg: exportedSvg }, plan), { type: 'exportSvg', svg: exportedSvg });
    for (const grouping of ['milestone', 'owner'] as const) {
      const svg = timelineSvg(computeLayout(payloadPlan(), { zoom: 'day', grouping }));
      assert.ok(svg.includes('&lt;script&gt;'));
      assert.ok(isInertSvg(svg), grouping);
    }
    // A theme font with quotes, as the page's palette may have it.
    assert.ok(isInertSvg(timelineSvg(computeLayout(plan, { zoom: 'week', grouping: 'milestone' }), { ...LIGHT_PALETTE, fontFamily: '"Segoe WPC", \'Segoe UI\', sans-serif' })));
    assert.ok(isInertSvg(timelineSvg(computeLayout(plan, { zoom: 'week', grouping: 'milestone' }), { ...LIGHT_PALETTE, fontFamily: 'Curlz MT, serif' })));
  });

  test('exportPng: the decoded bytes of one PNG within the export cap', () => {
    const message = parsePageMessage({ type: 'exportPng', png: PNG_3X2 }, plan);
    assert.equal(message?.type, 'exportPng');
    assert.deepEqual([...(message as { png: Uint8Array }).png], [...PNG_BYTES]);
    assert.deepEqual(checkPng(new Uint8Array(PNG_BYTES)), { width: 3, height: 2 });
    const largest = pngOf([['IHDR', ihdr(PNG_MAX_SIDE, Math.floor(PNG_MAX_PIXELS / PNG_MAX_SIDE))], ['IDAT', idat()], ['IEND', Buffer.alloc(0)]]);
    assert.deepEqual(checkPng(new Uint8Array(largest)), { width: PNG_MAX_SIDE, height: PNG_MAX_PIXELS / PNG_MAX_SIDE });
  });
});

describe('page messages: forged ones are dropped', () => {
  const huge = 'a'.repeat(1_000_000);
  const withProto = JSON.parse('{"type":"reveal","id":"beta","__proto__":{"id":"payment-api"}}');
  const protoOnly = Object.create({ type: 'ready' });
  const inherited = Object.assign(Object.create({ id: 'beta' }), { type: 'reveal' });
  class Message {
    type = 'ready';
  }
  const cases: [string, unknown, PlanView | undefined][] = [
    // Not a message.
    ['null', null, plan],
    ['undefined', undefined, plan],
    ['a string', 'ready', plan],
    ['a number', 42, plan],
    ['an array', ['ready'], plan],
    ['an array with a type', Object.assign(['x'], { type: 'ready' }), plan],
    ['a class instance', new Message(), plan],
    ['a type inherited from the prototype', protoOnly, plan],
    ['a Date', new Date(), plan],
    // Unknown or misspelt types, prototype keys.
    ['no type', { id: 'beta' }, plan],
    ['unknown type', { type: 'open', path: '/etc/passwd' }, plan],
    ['command type', { type: 'command', command: 'workbench.action.terminal.new' }, plan],
    ['type __proto__', { type: '__proto__' }, plan],
    ['type constructor', { type: 'constructor' }, plan],
    ['type toString', { type: 'toString' }, plan],
    ['type hasOwnProperty', { type: 'hasOwnProperty' }, plan],
    ['type in the wrong case', { type: 'Ready' }, plan],
    ['type as an object', { type: { toString: () => 'ready' } }, plan],
    ['type as an array', { type: ['ready'] }, plan],
    // Extra fields.
    ['ready with an extra field', { type: 'ready', extra: 1 }, plan],
    ['ready with an own __proto__ key', JSON.parse('{"type":"ready","__proto__":{"polluted":true}}'), plan],
    ['reveal with an own __proto__ key', withProto, plan],
    ['reveal with an inherited id', inherited, plan],
    ['reveal with a constructor key', { type: 'reveal', id: 'beta', constructor: {} }, plan],
    ['reveal with a symbol key', { type: 'reveal', id: 'beta', [Symbol('x')]: 1 }, plan],
    // Reveal: only ids of the plan shown; never a uri or range from the page.
    ['reveal before any plan', { type: 'reveal', id: 'beta' }, undefined],
    ['reveal with a uri', { type: 'reveal', id: 'beta', uri: 'file:///etc/passwd' }, plan],
    ['reveal with a range', { type: 'reveal', id: 'beta', range: { start: { line: 0, character: 0 }, end: { line: 999, character: 0 } } }, plan],
    ['reveal with a uri for id', { type: 'reveal', id: 'file:///etc/passwd' }, plan],
    ['reveal with a path for id', { type: 'reveal', id: '../../etc/passwd' }, plan],
    ['reveal with an id of another plan', { type: 'reveal', id: 'secret-task' }, plan],
    ['reveal with an unknown id', { type: 'reveal', id: 'nope' }, plan],
    ['reveal with a goal id', { type: 'reveal', id: plan.goals[0]?.id ?? 'lower-abandonment' }, plan],
    ['reveal with a person id', { type: 'reveal', id: 'alice' }, plan],
    ['reveal with a risk id', { type: 'reveal', id: plan.risks[0]?.id ?? 'risk' }, plan],
    ['reveal with an empty id', { type: 'reveal', id: '' }, plan],
    ['reveal with a huge id', { type: 'reveal', id: huge }, plan],
    ['reveal with an id of 201 characters', { type: 'reveal', id: 'x'.repeat(201) }, plan],
    ['reveal with a number id', { type: 'reveal', id: 1 }, plan],
    ['reveal with an array id', { type: 'reveal', id: ['beta'] }, plan],
    ['reveal with a String object id', { type: 'reveal', id: Object('beta') }, plan],
    ['reveal with an HTML id', { type: 'reveal', id: '<img src=x onerror=alert(1)>' }, plan],
    ['reveal with a newline in the id', { type: 'reveal', id: 'beta\n' }, plan],
    ['reveal without id', { type: 'reveal' }, plan],
    // Reschedule: a task of this plan, this version, real dates.
    ['reschedule before any plan', { type: 'reschedule', id: 'payment-api', version: 7, start: '2026-01-12' }, undefined],
    ['reschedule a task of another plan', { type: 'reschedule', id: 'secret-task', version: 7, start: '2026-01-12' }, plan],
    ['reschedule an unknown id', { type: 'reschedule', id: 'nope', version: 7, start: '2026-01-12' }, plan],
    ['reschedule a milestone', { type: 'reschedule', id: 'beta', version: 7, start: '2026-01-12' }, plan],
    ['reschedule with a uri', { type: 'reschedule', id: 'payment-api', version: 7, start: '2026-01-12', uri: 'file:///elsewhere/secret.plan.yaml' }, plan],
    ['reschedule with setExplicitStart', { type: 'reschedule', id: 'payment-api', version: 7, start: '2026-01-12', setExplicitStart: true }, plan],
    ['reschedule a newer version', { type: 'reschedule', id: 'payment-api', version: 8, start: '2026-01-12' }, plan],
    ['reschedule with version NaN', { type: 'reschedule', id: 'payment-api', version: NaN, start: '2026-01-12' }, plan],
    ['reschedule with version Infinity', { type: 'reschedule', id: 'payment-api', version: Infinity, start: '2026-01-12' }, plan],
    ['reschedule with version MAX_SAFE_INTEGER + 2', { type: 'reschedule', id: 'payment-api', version: Number.MAX_SAFE_INTEGER + 2, start: '2026-01-12' }, plan],
    ['reschedule with version 7.5', { type: 'reschedule', id: 'payment-api', version: 7.5, start: '2026-01-12' }, plan],
    ['reschedule with version "7"', { type: 'reschedule', id: 'payment-api', version: '7', start: '2026-01-12' }, plan],
    ['reschedule with version 7n', { type: 'reschedule', id: 'payment-api', version: 7n, start: '2026-01-12' }, plan],
    ['reschedule without version', { type: 'reschedule', id: 'payment-api', start: '2026-01-12' }, plan],
    ['reschedule without dates', { type: 'reschedule', id: 'payment-api', version: 7 }, plan],
    ['reschedule with no real date (Feb 30)', { type: 'reschedule', id: 'payment-api', version: 7, start: '2026-02-30' }, plan],
    ['reschedule with no real date (month 13)', { type: 'reschedule', id: 'payment-api', version: 7, end: '2026-13-01' }, plan],
    ['reschedule with a date and a time', { type: 'reschedule', id: 'payment-api', version: 7, start: '2026-01-12T00:00' }, plan],
    ['reschedule with a far-away year', { type: 'reschedule', id: 'payment-api', version: 7, start: '9999-01-01' }, plan],
    ['reschedule with year 0000', { type: 'reschedule', id: 'payment-api', version: 7, start: '0000-01-01' }, plan],
    ['reschedule with an empty date', { type: 'reschedule', id: 'payment-api', version: 7, start: '' }, plan],
    ['reschedule with a number date', { type: 'reschedule', id: 'payment-api', version: 7, start: 20260112 }, plan],
    ['reschedule with a null date', { type: 'reschedule', id: 'payment-api', version: 7, start: null }, plan],
    ['reschedule with a YAML payload date', { type: 'reschedule', id: 'payment-api', version: 7, start: '2026-01-12\n  owner: mallory' }, plan],
    ['reschedule ending before it starts', { type: 'reschedule', id: 'payment-api', version: 7, start: '2026-02-12', end: '2026-01-30' }, plan],
    ['reschedule with an HTML id', { type: 'reschedule', id: '"><svg onload=alert(1)>', version: 7, start: '2026-01-12' }, plan],
    // Export SVG: the timeline's own drawing only.
    ['exportSvg with a path', { type: 'exportSvg', svg: exportedSvg, path: '/home/user/.bashrc' }, plan],
    ['exportSvg with a uri', { type: 'exportSvg', svg: exportedSvg, uri: 'file:///etc/cron.d/x' }, plan],
    ['exportSvg not a string', { type: 'exportSvg', svg: 42 }, plan],
    ['exportSvg empty', { type: 'exportSvg', svg: '' }, plan],
    ['exportSvg too long', { type: 'exportSvg', svg: `<svg xmlns="http://www.w3.org/2000/svg">${' '.repeat(MAX_SVG_LENGTH)}</svg>` }, plan],
    ['exportSvg HTML', { type: 'exportSvg', svg: '<html><script>alert(1)</script></html>' }, plan],
    ['exportSvg with a script', { type: 'exportSvg', svg: exportedSvg.replace('</svg>', '<script>alert(1)</script></svg>') }, plan],
    ['exportSvg with an event handler', { type: 'exportSvg', svg: exportedSvg.replace('<svg ', '<svg onload="alert(1)" ') }, plan],
    ['exportSvg with foreignObject', { type: 'exportSvg', svg: exportedSvg.replace('</svg>', '<foreignObject><div/></foreignObject></svg>') }, plan],
    ['exportSvg with a link', { type: 'exportSvg', svg: exportedSvg.replace('</svg>', '<a href="javascript:alert(1)"><text>x</text></a></svg>') }, plan],
    ['exportSvg with an image', { type: 'exportSvg', svg: exportedSvg.replace('</svg>', '<image href="https://evil.example/track.png"/></svg>') }, plan],
    ['exportSvg with a remote fill', { type: 'exportSvg', svg: exportedSvg.replace('fill="#ffffff"', 'fill="url(https://evil.example/x#p)"') }, plan],
    ['exportSvg with an escaped url in a fill', { type: 'exportSvg', svg: exportedSvg.replace('fill="#ffffff"', 'fill="&#117;rl(https://evil.example/x#p)"') }, plan],
    ['exportSvg with a style attribute', { type: 'exportSvg', svg: exportedSvg.replace('<svg ', '<svg style="background:url(https://evil.example)" ') }, plan],
    ['exportSvg with a style element', { type: 'exportSvg', svg: exportedSvg.replace('</svg>', '<style>@import "https://evil.example";</style></svg>') }, plan],
    ['exportSvg with a doctype (entities)', { type: 'exportSvg', svg: `<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n${exportedSvg}` }, plan],
    ['exportSvg with an XML stylesheet', { type: 'exportSvg', svg: `<?xml-stylesheet href="https://evil.example/x.xsl"?>\n${exportedSvg}` }, plan],
    ['exportSvg with CDATA', { type: 'exportSvg', svg: exportedSvg.replace('</svg>', '<text><![CDATA[<script>]]></text></svg>') }, plan],
    ['exportSvg with a comment', { type: 'exportSvg', svg: exportedSvg.replace('</svg>', '<!-- x --></svg>') }, plan],
    ['exportSvg with an unknown entity', { type: 'exportSvg', svg: exportedSvg.replace('</svg>', '<text>&xxe;</text></svg>') }, plan],
    ['exportSvg with a second root', { type: 'exportSvg', svg: `${exportedSvg}<svg xmlns="http://www.w3.org/2000/svg"/>` }, plan],
    ['exportSvg with text after the root', { type: 'exportSvg', svg: `${exportedSvg}<script>` }, plan],
    ['exportSvg not closed', { type: 'exportSvg', svg: exportedSvg.replace(/<\/svg>\s*$/, '') }, plan],
    ['exportSvg badly nested', { type: 'exportSvg', svg: exportedSvg.replace('</svg>', '<g><text></g></text></svg>') }, plan],
    ['exportSvg in another namespace', { type: 'exportSvg', svg: exportedSvg.replace('http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xhtml') }, plan],
    ['exportSvg with xlink', { type: 'exportSvg', svg: exportedSvg.replace('<svg ', '<svg xmlns:xlink="http://www.w3.org/1999/xlink" ') }, plan],
    ['exportSvg with a duplicate attribute', { type: 'exportSvg', svg: exportedSvg.replace('<svg ', '<svg width="1" ') }, plan],
    ['exportSvg with a single-quoted handler', { type: 'exportSvg', svg: exportedSvg.replace('<svg ', "<svg onload='alert(1)' ") }, plan],
    // Export PNG: one PNG within the cap, base64 only.
    ['exportPng with a path', { type: 'exportPng', png: PNG_3X2, path: '/tmp/x.png' }, plan],
    ['exportPng with a data: prefix', { type: 'exportPng', png: `data:image/png;base64,${PNG_3X2}` }, plan],
    ['exportPng not base64', { type: 'exportPng', png: `${PNG_3X2.slice(0, -4)}!!!!` }, plan],
    ['exportPng cut short', { type: 'exportPng', png: PNG_3X2.slice(0, -1) }, plan],
    ['exportPng not a string', { type: 'exportPng', png: 42 }, plan],
    ['exportPng bytes as an array', { type: 'exportPng', png: [...PNG_BYTES] }, plan],
    ['exportPng an SVG', { type: 'exportPng', png: b64(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')) }, plan],
    ['exportPng a GIF', { type: 'exportPng', png: 'R0lGODlhAQABAAAAACw=' }, plan],
    ['exportPng too long', { type: 'exportPng', png: PNG_3X2 + 'A'.repeat(MAX_PNG_BASE64_LENGTH) }, plan],
    ['exportPng with data after IEND (a polyglot)', { type: 'exportPng', png: b64(Buffer.concat([PNG_BYTES, Buffer.from('<script>alert(1)</script>\n')])) }, plan],
    ['exportPng with a chunk running past the end', { type: 'exportPng', png: b64(PNG_BYTES.subarray(0, PNG_BYTES.length - 12)) }, plan],
    ['exportPng without IEND', { type: 'exportPng', png: b64(pngOf([['IHDR', ihdr(3, 2)], ['IDAT', idat()]])) }, plan],
    ['exportPng without IDAT', { type: 'exportPng', png: b64(pngOf([['IHDR', ihdr(3, 2)], ['IEND', Buffer.alloc(0)]])) }, plan],
    ['exportPng with IHDR not first', { type: 'exportPng', png: b64(pngOf([['tEXt', Buffer.from('a\0b')], ['IHDR', ihdr(3, 2)], ['IDAT', idat()], ['IEND', Buffer.alloc(0)]])) }, plan],
    ['exportPng with a zero size', { type: 'exportPng', png: b64(pngOf([['IHDR', ihdr(0, 2)], ['IDAT', idat()], ['IEND', Buffer.alloc(0)]])) }, plan],
    ['exportPng wider than the cap', { type: 'exportPng', png: b64(pngOf([['IHDR', ihdr(PNG_MAX_SIDE + 1, 1)], ['IDAT', idat()], ['IEND', Buffer.alloc(0)]])) }, plan],
    ['exportPng with more pixels than the cap', { type: 'exportPng', png: b64(pngOf([['IHDR', ihdr(PNG_MAX_SIDE, PNG_MAX_SIDE)], ['IDAT', idat()], ['IEND', Buffer.alloc(0)]])) }, plan],
    ['exportPng with a bad chunk type', { type: 'exportPng', png: b64(pngOf([['IHDR', ihdr(3, 2)], ['ID\0T', idat()], ['IEND', Buffer.alloc(0)]])) }, plan],
  ];

  for (const [name, message, view] of cases) {
    test(name, () => assert.equal(parsePageMessage(message, view), undefined));
  }

  test('a forged prototype key pollutes nothing', () => {
    parsePageMessage(JSON.parse('{"type":"ready","__proto__":{"polluted":true}}'), plan);
    parsePageMessage(JSON.parse('{"__proto__":{"type":"ready"}}'), plan);
    assert.equal(({} as { polluted?: unknown }).polluted, undefined);
    assert.equal(parsePageMessage(JSON.parse('{"__proto__":{"type":"ready"}}'), plan), undefined);
  });

  test('the same id is accepted for the plan that has it, and only for it', () => {
    assert.equal(parsePageMessage({ type: 'reveal', id: 'secret-task' }, otherPlan)?.type, 'reveal');
    assert.equal(parsePageMessage({ type: 'reveal', id: 'secret-task' }, plan), undefined);
    assert.equal(parsePageMessage({ type: 'reveal', id: 'payment-api' }, otherPlan), undefined);
  });

  test('a plan whose range is not a range (never from the server) reveals nothing', () => {
    const broken: PlanView = JSON.parse(JSON.stringify(plan));
    broken.milestones[0].selectionRange = { start: { line: -1, character: 0 }, end: { line: NaN, character: 0 } };
    assert.equal(parsePageMessage({ type: 'reveal', id: broken.milestones[0].id }, broken), undefined);
  });
});

describe('what the host does in return', () => {
  test('a reschedule edit is applied only when it edits the panel\'s own plan, text only', () => {
    assert.ok(editsOnly({ changes: { [PLAN_URI]: [] } }, PLAN_URI));
    assert.ok(editsOnly({ changes: {} }, PLAN_URI));
    assert.ok(!editsOnly({ changes: { [PLAN_URI]: [], 'file:///home/user/.bashrc': [] } }, PLAN_URI));
    assert.ok(!editsOnly({ changes: { 'file:///elsewhere/secret.plan.yaml': [] } }, PLAN_URI));
    assert.ok(!editsOnly({ documentChanges: [{ kind: 'create', uri: 'file:///tmp/x' }] }, PLAN_URI));
    assert.ok(!editsOnly({ changes: { [PLAN_URI]: [] }, changeAnnotations: {} }, PLAN_URI));
    assert.ok(!editsOnly(null, PLAN_URI));
  });

  test('a timeline is revived only for a plan file named by a plain file uri', () => {
    assert.equal(revivablePlanUri({ uri: PLAN_URI, zoom: 'week' }), PLAN_URI);
    assert.equal(revivablePlanUri({ uri: 'vscode-remote://ssh-remote%2Bbox/home/me/q3.plan.yml' }), 'vscode-remote://ssh-remote%2Bbox/home/me/q3.plan.yml');
    for (const state of [
      undefined,
      null,
      'file:///workspace/checkout.plan.yaml',
      { uri: 42 },
      { uri: 'file:///etc/passwd' },
      { uri: 'file:///workspace/../etc/x.plan.yaml' },
      { uri: 'file:///workspace/%2e%2e/etc/x.plan.yaml' },
      { uri: 'http://evil.example/x.plan.yaml' },
      { uri: 'command:workbench.action.quit?x.plan.yaml' },
      { uri: 'vscode://settings/x.plan.yaml' },
      { uri: 'file:///workspace/x.plan.yaml?query' },
      { uri: 'file:///workspace/x.plan.yaml#fragment' },
      { uri: 'file:///workspace/x.plan.yaml\n' },
      { uri: 'file:\\\\\\\\host\\share\\x.plan.yaml' },
      { uri: `file:///${'a/'.repeat(1100)}x.plan.yaml` },
      JSON.parse('{"__proto__":{"uri":"file:///workspace/checkout.plan.yaml"}}'),
    ]) {
      assert.equal(revivablePlanUri(state), undefined, JSON.stringify(state));
    }
  });
});
