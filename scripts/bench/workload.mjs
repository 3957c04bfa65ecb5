// What the benchmark does to a plan, the same for every server and for the
// in-process measurements: where the one-character edits go, where completion
// is asked, and the small broken plan that proves a server validates at all.
// Everything is derived from the text, so the same plan gives the same places.

/** @typedef {{ line: number, character: number }} Position */
/** @typedef {{ range: { start: Position, end: Position }, text: string }} RangeChange */

/** Lines of a task's title (tasks sit at indent 8, subtasks deeper; goals and milestones at 4). */
const TASK_TITLE = /^ {8,}title: /;
const TASK_OWNER = /^( {8,}owner: )\S/;
const DEPENDS_ON = /^( {8,}depends_on: \[)/;
const PLANNED_STATUS = /^ {8,}status: planned$/;
const TASK_DURATION = /^( {8,}duration: )(\d+)([dw])$/;

/**
 * `count` distinct lines matching `pattern`, spread evenly over the file and visited in a
 * scattered order (stride through the list), so edits land at the top, middle and end.
 * @param {string[]} lines @param {RegExp} pattern @param {number} count @param {number} phase 0 or 1: two disjoint sets
 * @returns {number[]}
 */
function spreadLines(lines, pattern, count, phase) {
  const candidates = [];
  for (let index = 0; index < lines.length; index++) if (pattern.test(lines[index])) candidates.push(index);
  if (candidates.length === 0) throw new Error(`no line matches ${pattern}`);
  const slots = Math.min(count, Math.max(1, Math.floor(candidates.length / 2)));
  /** @type {number[]} */
  const chosen = [];
  for (let slot = 0; slot < slots; slot++) {
    const at = Math.floor(((slot + (phase === 0 ? 0.25 : 0.75)) * candidates.length) / slots);
    chosen.push(candidates[Math.min(at, candidates.length - 1)]);
  }
  // Visit in a scattered order: 0, 7, 14, 1, 8, ... (7 is coprime with 20).
  const stride = slots % 7 === 0 ? 1 : 7;
  return Array.from({ length: slots }, (_, index) => chosen[(index * stride) % slots]);
}

/** A document being edited: its lines, its version, and the change each edit sends. */
export class EditedText {
  /** @param {string} text */
  constructor(text) {
    this.lines = text.split('\n');
    this.version = 1;
  }

  get text() {
    return this.lines.join('\n');
  }

  /**
   * Lengthens the task duration on line `line` by one unit (`3d` → `4d`): an edit that moves dates.
   * @param {number} line
   */
  lengthenDuration(line) {
    const match = /** @type {RegExpExecArray} */ (TASK_DURATION.exec(this.lines[line]));
    this.lines[line] = `${match[1]}${Number(match[2]) + 1}${match[3]}`;
    this.version++;
  }

  /**
   * Inserts `character` at the end of line `line` and returns the incremental change.
   * @param {number} line @param {string} character
   * @returns {RangeChange}
   */
  insertAtLineEnd(line, character) {
    const position = { line, character: this.lines[line].length };
    this.lines[line] += character;
    this.version++;
    return { range: { start: position, end: position }, text: character };
  }
}

/**
 * The lines the `count` one-character edits go to: the end of task titles (appending a letter to a title
 * keeps the plan valid). Phase 0 and 1 are disjoint sets (full sync, then incremental sync).
 * @param {string} text @param {number} count @param {0 | 1} phase
 */
export function editLines(text, count, phase) {
  return spreadLines(text.split('\n'), TASK_TITLE, count, phase);
}

/**
 * Lines of task durations (`duration: 3d`), for the edits that move dates (in-process only).
 * @param {string} text @param {number} count @param {0 | 1} phase
 */
export function durationLines(text, count, phase) {
  return spreadLines(text.split('\n'), TASK_DURATION, count, phase);
}

/**
 * Where completion is asked: just after `owner: ` of a task, and just after the `[` of `depends_on: [`.
 * @param {string} text @param {number} count positions of each kind
 * @returns {{ owner: Position[], dependsOn: Position[] }}
 */
export function completionPositions(text, count) {
  const lines = text.split('\n');
  const at = (/** @type {RegExp} */ pattern) =>
    spreadLines(lines, pattern, count, 0).map((line) => ({ line, character: /** @type {RegExpExecArray} */ (pattern.exec(lines[line]))[1].length }));
  return { owner: at(TASK_OWNER), dependsOn: at(DEPENDS_ON) };
}

/**
 * The line of a `status: planned` about 80% into the file: appending `z` there makes a value the
 * schema rejects, which proves a server applied an incremental change where it was meant to go.
 * @param {string} text
 */
export function statusCheckLine(text) {
  const lines = text.split('\n');
  for (let index = Math.floor(lines.length * 0.8); index < lines.length; index++) if (PLANNED_STATUS.test(lines[index])) return index;
  for (let index = Math.floor(lines.length * 0.8); index >= 0; index--) if (PLANNED_STATUS.test(lines[index])) return index;
  throw new Error('no `status: planned` line to check incremental sync with');
}

/**
 * A small plan with a defect only a schema catches (an unknown status value), and the line it is on.
 * Every server must report a diagnostic on that line before its numbers are trusted.
 */
export function brokenPlan() {
  const text = [
    'plan: Broken on purpose',
    'owner: alice',
    'start: 2026-01-05',
    'people:',
    '  alice: { name: Alice, role: Lead }',
    'milestones:',
    '  - id: m1',
    '    title: First',
    '    owner: alice',
    '    due: 2026-03-02',
    '    tasks:',
    '      - id: t1',
    '        title: Something',
    '        owner: alice',
    '        duration: 2d',
    '        status: finished-ish',
    '',
  ].join('\n');
  return { text, line: text.split('\n').findIndex((line) => line.endsWith('status: finished-ish')) };
}
