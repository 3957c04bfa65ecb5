// The text of a new plan: a complete, healthy starting point that passes
// every check (a unit test holds it to that). Pure: no vscode import.

function iso(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

function addDays(date: Date, days: number): Date {
  const copy = new Date(date);
  copy.setDate(copy.getDate() + days);
  return copy;
}

/** Starts on the next Monday after `today`, with a two-week task, a one-week follow-up and buffer before the end. */
export function planTemplate(title: string, owner: string, today: Date): string {
  const start = addDays(today, ((8 - today.getDay()) % 7) || 7);
  const due = addDays(start, 25); // a Friday, four weeks later (3w of work + slack)
  const end = addDays(start, 39); // two more weeks of buffer
  const safeTitle = /^[A-Za-z0-9][\w .,()/-]*$/.test(title) ? title : JSON.stringify(title);
  return `plan: ${safeTitle}
owner: ${owner}
summary: What this plan changes, and why.
start: ${iso(start)}
end: ${iso(end)}

goals:
  - id: first-goal
    title: The outcome this plan is for
    owner: ${owner}
    metrics:
      - { name: what you measure, baseline: today's value, target: the value you aim for, by: ${iso(end)} }

scope:
  in: [what is part of this plan]
  out: [what is deliberately not]

people:
  ${owner}: { name: ${owner}, role: Plan owner, allocation: dedicated }

milestones:
  - id: first-milestone
    title: The first thing that ships
    due: ${iso(due)}
    owner: ${owner}
    goals: [first-goal]
    tasks:
      - id: first-task
        title: The first piece of work
        owner: ${owner}
        duration: 2w
      - id: second-task
        title: The work that follows it
        owner: ${owner}
        depends_on: [first-task]
        duration: 1w

risks:
  - id: first-risk
    title: What could stop the plan
    likelihood: low
    impact: medium
    owner: ${owner}
    response: What you will do about it.

changes: []
`;
}
