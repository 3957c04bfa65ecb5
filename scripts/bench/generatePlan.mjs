// Deterministic generator of realistic implementation plans for benchmarks and
// large-plan tests: goals, people, milestones with nested tasks, 1–3
// dependencies per task (always on earlier tasks, so the plan is acyclic and
// valid), risks, resources, a change log and comments. Same size → same text.
//
//   node scripts/bench/generatePlan.mjs 5000 > big.plan.yaml

/** Small, fast, seeded PRNG (mulberry32): reproducible across Node versions. */
export function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VERBS = ['Design', 'Build', 'Migrate', 'Review', 'Harden', 'Document', 'Load-test', 'Roll out', 'Instrument', 'Refactor'];
const NOUNS = ['payment API', 'address form', 'search index', 'billing export', 'audit log', 'session store', 'feature flags', 'rate limiter', 'email templates', 'mobile layout', 'tax rules', 'SSO login'];
const FIRST = ['alice', 'bob', 'carol', 'dan', 'erin', 'femi', 'gita', 'hugo', 'ines', 'jon', 'kemal', 'lena', 'mona', 'nils', 'omar', 'pia'];

/** The calendar date `workingDays` working days after the plan's start, plus slack for the holidays. */
function dueDate(workingDays) {
  const day = new Date(Date.UTC(2026, 0, 5));
  let left = workingDays + 5;
  while (left > 0) {
    day.setUTCDate(day.getUTCDate() + 1);
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) left--;
  }
  return day.toISOString().slice(0, 10);
}

/**
 * @param {number} taskCount total number of tasks (leaf and parent) in the plan
 * @returns {string} the plan's YAML text
 */
export function generatePlan(taskCount, seed = 7) {
  const next = random(seed + taskCount);
  const pick = (list) => list[Math.floor(next() * list.length)];
  const peopleCount = Math.min(FIRST.length * 4, Math.max(4, Math.round(taskCount / 25)));
  const people = Array.from({ length: peopleCount }, (_, index) => `${FIRST[index % FIRST.length]}${index >= FIRST.length ? Math.floor(index / FIRST.length) + 1 : ''}`);
  const goalCount = Math.max(2, Math.min(12, Math.round(taskCount / 200)));
  const milestoneCount = Math.max(2, Math.round(taskCount / 40));
  const lines = [];
  const push = (line) => lines.push(line);

  push(`# Generated plan with ${taskCount} tasks (seed ${seed}); see scripts/bench/generatePlan.mjs.`);
  push(`plan: Generated program of ${taskCount} tasks`);
  push('version: 1');
  push(`owner: ${people[0]}                     # accountable for the whole plan`);
  push('summary: A synthetic but realistic program plan used to measure the language server.');
  push('start: 2026-01-05');
  push('as_of: 2026-03-02');
  push('');
  push('calendar:');
  push('  workdays: [mon, tue, wed, thu, fri]');
  push('  holidays: [2026-01-19, 2026-04-03, 2026-05-25]');
  push('');
  push('goals:');
  const goals = [];
  for (let index = 0; index < goalCount; index++) {
    const id = `goal-${index + 1}`;
    goals.push(id);
    push(`  - id: ${id}`);
    push(`    title: Improve ${pick(NOUNS)} outcome ${index + 1}`);
    push(`    owner: ${pick(people)}`);
    push('    metrics:');
    push(`      - { name: conversion ${index + 1}, baseline: ${40 + index}%, target: ${50 + index}% }`);
  }
  push('');
  push('scope:');
  push('  in: [web, api, data]');
  push('  out: [native apps]');
  push('');
  push('people:');
  for (const person of people) {
    push(`  ${person}: { name: ${person[0].toUpperCase()}${person.slice(1)} Example, role: Engineer, allocation: ${pick(['dedicated', '50%', 'shared'])} }`);
  }
  push('');
  push('milestones:');

  const taskIds = [];
  /** Task id → its end in working days from the start, as the scheduler will compute it (roughly). */
  const endOf = new Map();
  let milestoneStart = 0;
  let made = 0;
  const writeTask = (indent, depth, milestoneTasks, phase, earliest = milestoneStart) => {
    made++;
    const id = `task-${made}`;
    const pad = ' '.repeat(indent);
    push(`${pad}- id: ${id}`);
    push(`${pad}  title: ${pick(VERBS)} ${pick(NOUNS)} ${made}`);
    push(`${pad}  owner: ${pick(people)}`);
    // Dependencies on recent earlier tasks of other subtrees keep the graph acyclic and realistic.
    const candidates = milestoneTasks.length > 3 ? milestoneTasks : taskIds;
    const dependencyCount = Math.min(candidates.length, 1 + Math.floor(next() * 3));
    const dependencies = new Set();
    for (let attempt = 0; attempt < dependencyCount * 2 && dependencies.size < dependencyCount; attempt++) {
      const window = Math.min(candidates.length, 30);
      dependencies.add(candidates[candidates.length - 1 - Math.floor(next() * window)]);
    }
    if (dependencies.size > 0) push(`${pad}  depends_on: [${[...dependencies].join(', ')}]`);
    const start = Math.max(earliest, ...[...dependencies].map((dependency) => endOf.get(dependency) ?? 0));
    let end = start;
    // Work is done in plan order: early milestones are finished, one is under way, the rest are planned.
    const status = phase === 'done' ? 'done' : phase === 'active' ? (next() < 0.4 ? 'done' : next() < 0.3 ? 'in-progress' : 'planned') : 'planned';
    const withChildren = depth === 0 && next() < 0.12 && made + 3 < taskCount;
    if (!withChildren) {
      const duration = 1 + Math.floor(next() * 10);
      end = start + duration;
      push(`${pad}  duration: ${duration}d`);
      push(`${pad}  status: ${status}`);
      if (status !== 'planned') push(`${pad}  progress: ${status === 'done' ? 100 : 10 * Math.floor(next() * 9 + 1)}`);
    }
    if (next() < 0.15) push(`${pad}  links: [src/module-${made % 50}/**]   # code this task changes`);
    if (withChildren) {
      push(`${pad}  tasks:`);
      const children = 2 + Math.floor(next() * 3);
      for (let child = 0; child < children && made < taskCount; child++) {
        end = Math.max(end, writeTask(indent + 4, depth + 1, [], phase === 'done' ? 'done' : 'planned', start));
      }
    }
    endOf.set(id, end);
    // Registered after its subtasks so that no subtask can depend on its own parent.
    taskIds.push(id);
    milestoneTasks.push(id);
    return end;
  };

  for (let milestone = 0; milestone < milestoneCount; milestone++) {
    const id = `milestone-${milestone + 1}`;
    push(`  - id: ${id}`);
    push(`    title: Release ${milestone + 1}`);
    push(`    owner: ${pick(people)}`);
    const dueLine = lines.length;
    push(`    goals: [${pick(goals)}]`);
    const afterPrevious = milestone > 0 && next() < 0.5;
    if (afterPrevious) push(`    depends_on: [milestone-${milestone}]`);
    milestoneStart = afterPrevious ? (endOf.get(`milestone-${milestone}`) ?? 0) : 0;
    push('    tasks:');
    const remainingMilestones = milestoneCount - milestone;
    const quota = Math.max(1, Math.round((taskCount - made) / remainingMilestones));
    const milestoneTasks = [];
    const target = made + quota;
    const phase = milestone < milestoneCount * 0.1 ? 'done' : milestone < milestoneCount * 0.1 + 1 ? 'active' : 'planned';
    let milestoneEnd = milestoneStart;
    while (made < target && made < taskCount) milestoneEnd = Math.max(milestoneEnd, writeTask(6, 0, milestoneTasks, phase));
    endOf.set(id, milestoneEnd);
    // Due a little after the computed end: a plan with buffer, as a lead would write it.
    lines.splice(dueLine, 0, `    due: ${dueDate(milestoneEnd + 3)}`);
  }

  push('');
  push('risks:');
  const riskCount = Math.max(2, Math.round(taskCount / 100));
  for (let index = 0; index < riskCount; index++) {
    push(`  - id: risk-${index + 1}`);
    push(`    title: ${pick(NOUNS)} vendor slips`);
    push(`    likelihood: ${pick(['low', 'medium', 'high'])}`);
    push(`    impact: ${pick(['low', 'medium', 'high'])}`);
    push(`    owner: ${pick(people)}`);
    push('    response: Keep the legacy path behind a flag until the new one is proven.');
    push(`    affects: [${pick(taskIds)}]`);
  }
  push('');
  push('resources:');
  push('  budget: { amount: 250000, currency: USD, approved: true }');
  push('  tools:');
  push(`    - { name: Load-test cluster, confirmed: true, needed_by: ${taskIds[Math.floor(taskIds.length / 2)]} }`);
  push('');
  push('changes:');
  push('  - date: 2026-02-02');
  push('    summary: Release 2 moved one week later after review.');
  push(`    approved_by: ${people[0]}`);
  push('    affects: [milestone-2]');
  push('');
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const count = Number(process.argv[2] ?? 1000);
  if (!Number.isInteger(count) || count < 1) {
    process.stderr.write('usage: node scripts/bench/generatePlan.mjs <task count> [seed]\n');
    process.exit(2);
  }
  process.stdout.write(generatePlan(count, Number(process.argv[3] ?? 7)));
}
