import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createPlanService, type PlanTextDocument } from '../../server/src/service';
import { codeSpan, escapeMarkdown, getHover } from '../../server/src/service/hover';
import { fixedToday, planDocument, readFixture, textAt } from '../helpers/fixtures';

// Hover on ids, person keys and references: exact Markdown for the full example,
// and plan text that cannot inject Markdown or HTML.

const checkout = readFixture('valid/checkout.plan.yaml');

/** The hover with the cursor inside the n-th occurrence of `needle` (at its `at`-th character). */
function hoverAt(text: string, needle: string, options: { occurrence?: number; at?: number; document?: PlanTextDocument } = {}) {
  let offset = -1;
  for (let count = 0; count <= (options.occurrence ?? 0); count++) offset = text.indexOf(needle, offset + 1);
  assert.ok(offset >= 0, `${needle} is in the text`);
  const document = options.document ?? planDocument(text, 'checkout.plan.yaml');
  const analysis = createPlanService({ today: fixedToday('2026-01-01') }).analyze(document);
  const hover = getHover(analysis, analysis.lines.positionAt(offset + (options.at ?? 1)));
  return hover && { markdown: hover.contents.value, kind: hover.contents.kind, under: textAt(text, hover.range) };
}

const PAYMENT_API = `**Task** \`payment-api\`: Payment API

- **In:** \`beta\` (Private beta)
- **Owner:** Bob Diaz (\`bob\`), Backend
- **Dates:** 2026-01-05 → 2026-01-26, 15 working days
- **Slack:** 0 working days, on the critical path
- **Status:** done, 100%
- **Depends on:** *none*
- **Dependents:** \`checkout-ui\` (One-page checkout UI), \`address-form\` (Address form) via task \`checkout-ui\`
- **Goals:** \`lower-abandonment\` (Cut checkout abandonment) via milestone \`beta\`
- **Risks:** \`psp-certification\` (Payment provider certification slips, medium × high)`;

describe('hover on tasks and milestones', () => {
  test('a task definition: owner, computed dates, slack, status, dependencies, dependents, goals, risks', () => {
    assert.deepEqual(hoverAt(checkout, 'id: payment-api', { at: 6 }), { markdown: PAYMENT_API, kind: 'markdown', under: 'payment-api' });
  });

  test('a reference shows its definition, over the reference text', () => {
    assert.deepEqual(hoverAt(checkout, '[payment-api]', { at: 3 }), { markdown: PAYMENT_API, kind: 'markdown', under: 'payment-api' });
    // The cursor right after the id still counts, as editors expect.
    assert.deepEqual(hoverAt(checkout, 'payment-api, launch]', { at: 'payment-api'.length })?.under, 'payment-api');
  });

  test('a subtask: its parent, inherited dependencies and slack within its parent', () => {
    assert.equal(
      hoverAt(checkout, 'id: address-form', { at: 5 })?.markdown,
      `**Subtask** \`address-form\`: Address form

- **In:** \`beta\` (Private beta) › \`checkout-ui\` (One-page checkout UI)
- **Owner:** Carol Ng (\`carol\`), Frontend
- **Dates:** 2026-01-27 → 2026-01-30, 4 working days
- **Slack:** 11 working days, not on the critical path
- **Status:** done, 100%
- **Depends on:** \`payment-api\` (Payment API) via task \`checkout-ui\`
- **Dependents:** *none*
- **Goals:** \`lower-abandonment\` (Cut checkout abandonment) via milestone \`beta\`
- **Risks:** *none*`,
    );
  });

  test('a task inherits dependencies and risks from its milestone', () => {
    assert.equal(
      hoverAt(checkout, 'id: rollout', { at: 5 })?.markdown,
      `**Task** \`rollout\`: Staged rollout

- **In:** \`launch\` (General availability)
- **Owner:** Bob Diaz (\`bob\`), Backend
- **Dates:** 2026-02-17 → 2026-03-02, 10 working days
- **Slack:** 0 working days, on the critical path
- **Status:** planned, 0%
- **Depends on:** \`checkout-ui\` (One-page checkout UI), \`beta\` (Private beta) via milestone \`launch\`
- **Dependents:** *none*
- **Goals:** \`lower-abandonment\` (Cut checkout abandonment) via milestone \`launch\`
- **Risks:** \`psp-certification\` (Payment provider certification slips, medium × high) via milestone \`launch\``,
    );
  });

  test('a milestone: computed dates against its due, and dependents including those that inherit', () => {
    const expected = `**Milestone** \`beta\`: Private beta

- **Owner:** Alice Chen (\`alice\`), Product lead
- **Dates:** 2026-01-05 → 2026-02-16, 30 working days
- **Due:** 2026-02-27, 9 working days after its computed end
- **Slack:** 0 working days, on the critical path
- **Status:** in-progress, 100%
- **Depends on:** *none*
- **Dependents:** \`launch\` (General availability), \`rollout\` (Staged rollout) via milestone \`launch\`
- **Goals:** \`lower-abandonment\` (Cut checkout abandonment)
- **Risks:** *none*`;
    assert.equal(hoverAt(checkout, 'id: beta', { at: 5 })?.markdown, expected);
    assert.deepEqual(hoverAt(checkout, 'affects: [beta]', { at: 11 }), { markdown: expected, kind: 'markdown', under: 'beta' });
  });

  test('a milestone past its due says it is late; one without tasks is an event', () => {
    const late = checkout.replace('due: 2026-02-27', 'due: 2026-02-12');
    assert.match(hoverAt(late, 'id: beta', { at: 5 })!.markdown, /^- \*\*Due:\*\* 2026-02-12, 2 working days before its computed end: late$/m);
    const event = checkout.replace(/ {4}tasks:\n {6}- id: rollout[\s\S]*?duration: 2w\n/, '');
    const markdown = hoverAt(event, 'id: launch', { at: 5 })!.markdown;
    assert.match(markdown, /^- \*\*Dates:\*\* an event on its due date 2026-04-10 \(no tasks\)$/m);
    assert.doesNotMatch(markdown, /Slack/);
  });
});

describe('hover on people, goals and risks', () => {
  test('a person: name, role, allocation, what they own', () => {
    const expected = `**Person** \`bob\`: Bob Diaz

- **Role:** Backend
- **Allocation:** 50%
- **Tasks owned:** \`payment-api\` (Payment API), \`rollout\` (Staged rollout)
- **Also owns:** risk \`psp-certification\` (Payment provider certification slips)`;
    assert.deepEqual(hoverAt(checkout, 'bob:   {', { at: 1 }), { markdown: expected, kind: 'markdown', under: 'bob' });
    assert.deepEqual(hoverAt(checkout, 'owner: bob', { at: 8 }), { markdown: expected, kind: 'markdown', under: 'bob' });
    assert.equal(
      hoverAt(checkout, 'alice: {', { at: 1 })?.markdown,
      `**Person** \`alice\`: Alice Chen

- **Role:** Product lead
- **Allocation:** dedicated (100%)
- **Tasks owned:** *none*
- **Also owns:** the plan, goal \`lower-abandonment\` (Cut checkout abandonment), milestone \`beta\` (Private beta), milestone \`launch\` (General availability)`,
    );
  });

  test('a goal: owner, metrics, the work that traces to it', () => {
    const expected = `**Goal** \`lower-abandonment\`: Cut checkout abandonment

- **Owner:** Alice Chen (\`alice\`), Product lead
- **Metrics:**
  - abandonment rate: 68% → 55% by 2026-04-30
- **Traced by:** milestone \`beta\` (Private beta), milestone \`launch\` (General availability)`;
    assert.equal(hoverAt(checkout, 'id: lower-abandonment', { at: 5 })?.markdown, expected);
    assert.deepEqual(hoverAt(checkout, 'goals: [lower-abandonment]', { at: 9, occurrence: 1 }), { markdown: expected, kind: 'markdown', under: 'lower-abandonment' });
  });

  test('a risk: likelihood × impact, owner, response, what it affects', () => {
    assert.deepEqual(hoverAt(checkout, 'id: psp-certification', { at: 5 }), {
      markdown: `**Risk** \`psp-certification\`: Payment provider certification slips

- **Likelihood × impact:** medium × high
- **Owner:** Bob Diaz (\`bob\`), Backend
- **Response:** Start certification in week 1; keep legacy flow behind a flag\\.
- **Status:** open
- **Affects:** \`payment-api\` (Payment API), \`launch\` (General availability)`,
      kind: 'markdown',
      under: 'psp-certification',
    });
  });
});

describe('plan text is escaped', () => {
  const text = readFixture('features/hover-escaping.plan.yaml');

  test('titles, names and roles cannot inject HTML, links, headings or emphasis', () => {
    assert.equal(
      hoverAt(text, 'id: t1', { at: 4 })?.markdown,
      `**Task** \`t1\`: Fix \\<b\\>login\\</b\\> \\&amp; visit www\\.evil\\.example or mail a\\@b\\.example\\_now\\_

- **In:** \`m1\` (\\# Heading? \\[click\\](javascript\\:alert(1)) \\\`code\\\`)
- **Owner:** \\<img src=x onerror=alert(1)\\> Eve (\`eve\`), \\*\\*Lead\\*\\* \\| \\[admin\\](https\\://evil\\.example)
- **Dates:** 2026-03-02 → 2026-03-06, 5 working days
- **Slack:** 0 working days, on the critical path
- **Status:** planned, 0%
- **Depends on:** *none*
- **Dependents:** *none*
- **Risks:** *none*`,
    );
  });

  test('escapeMarkdown: line breaks collapse, block starters at the front are escaped', () => {
    assert.equal(escapeMarkdown('line one\n\n# two'), 'line one \\# two');
    assert.equal(escapeMarkdown('- not a list'), '\\- not a list');
    assert.equal(escapeMarkdown('1) not a list'), '1\\) not a list');
    assert.equal(escapeMarkdown('2. not a list'), '2\\. not a list');
    assert.equal(escapeMarkdown('One-page, 50% off'), 'One-page, 50% off');
  });

  test('codeSpan: ids with backticks stay one code span', () => {
    assert.equal(codeSpan('plain'), '`plain`');
    assert.equal(codeSpan('a`b'), '``a`b``');
    assert.equal(codeSpan('`x'), '`` `x ``');
  });
});

describe('no hover', () => {
  test('on keys, plain values, whitespace and unknown references', () => {
    assert.equal(hoverAt(checkout, 'title: Payment API', { at: 2 }), undefined);
    assert.equal(hoverAt(checkout, 'duration: 3w', { at: 11 }), undefined);
    assert.equal(hoverAt(checkout, '\n\n', { at: 1 }), undefined);
    const unknown = checkout.replace('depends_on: [payment-api]', 'depends_on: [payment-apx]');
    assert.equal(hoverAt(unknown, 'payment-apx', { at: 2 }), undefined);
  });
});

describe('cross-file references', () => {
  const platform = `plan: Platform
owner: pat
start: 2026-01-05
people:
  pat: { name: Pat Lee, role: Platform }
milestones:
  - id: runners
    title: CI runners
    due: 2026-03-31
    owner: pat
    tasks:
      - id: runner-pool
        title: Runner pool
        owner: pat
        duration: 5d
`;
  const app = checkout.replace('depends_on: [checkout-ui]', 'depends_on: [checkout-ui, platform.plan.yaml#runner-pool]');
  const documents = new Map<string, PlanTextDocument>([
    ['file:///workspace/platform.plan.yaml', planDocument(platform, 'platform.plan.yaml')],
    ['file:///workspace/checkout.plan.yaml', planDocument(app, 'checkout.plan.yaml')],
  ]);
  const service = createPlanService({ today: fixedToday('2026-01-01'), workspace: { getDocument: (uri) => documents.get(uri), listPlanUris: () => [...documents.keys()] } });

  test('are described from the other plan when the environment can read it', () => {
    const analysis = service.analyze(documents.get('file:///workspace/checkout.plan.yaml')!);
    const position = analysis.lines.positionAt(app.indexOf('#runner-pool') + 3);
    const hover = getHover(analysis, position, service.environment)!;
    assert.equal(textAt(app, hover.range), 'platform.plan.yaml#runner-pool');
    assert.equal(
      hover.contents.value,
      `**Task** \`runner-pool\`: Runner pool

- **Defined in:** \`platform.plan.yaml\`
- **In:** \`runners\` (CI runners)
- **Owner:** Pat Lee (\`pat\`), Platform
- **Dates:** 2026-01-05 → 2026-01-09, 5 working days
- **Slack:** 0 working days, on the critical path
- **Status:** planned, 0%
- **Depends on:** *none*
- **Dependents:** *none*
- **Risks:** *none*`,
    );
    // Without an environment there is nothing to say about it.
    assert.equal(getHover(analysis, position), undefined);
  });
});
