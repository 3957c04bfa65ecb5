import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixturesDir } from './fixtures';

// The adversarial corpus (see test/unit/adversarial.test.ts for each case's
// expected outcome): small cases are files in test/fixtures/adversarial/
// (byte-exact: BOM, CR, CRLF and tabs are kept by the .gitattributes there),
// big ones are generated here, the same way for the unit and the CLI tests.

export const ADVERSARIAL_DIR = path.join(fixturesDir, 'adversarial');

/** The corpus files, by name. */
export function corpusFiles(): string[] {
  return fs.readdirSync(ADVERSARIAL_DIR).filter((name) => name.endsWith('.plan.yaml')).sort();
}

export function readCorpusFile(name: string): string {
  return fs.readFileSync(path.join(ADVERSARIAL_DIR, name), 'utf8');
}

const LEVELS = 10_000;

/** A valid flow-style plan header, all on one line; `rest` goes before the closing brace. */
export function oneLinePlan(rest: string): string {
  return `{plan: One line, owner: ana, start: 2026-03-02, as_of: 2026-02-27, people: {ana: {name: Ana}}, goals: [{id: g, title: G, owner: ana, metrics: [{name: m, target: 1}]}], ${rest}}`;
}

/** Generated cases, by the name they are reported under. */
export const GENERATED = {
  /** 10,000 nested flow sequences. */
  'deep-flow-seq': () => `${'['.repeat(LEVELS)}${']'.repeat(LEVELS)}\n`,
  /** 10,000 nested flow mappings. */
  'deep-flow-map': () => `${'{a: '.repeat(LEVELS)}1${'}'.repeat(LEVELS)}\n`,
  /** 10,000 nested block sequences, written compactly (`- - - … x`). */
  'deep-block-seq': () => `${'- '.repeat(LEVELS)}x\n`,
  /** 10,000 nested block mappings, each indented one more space (50 MB). */
  'deep-block-map': () => {
    const lines: string[] = [];
    for (let level = 0; level < LEVELS; level++) lines.push(`${' '.repeat(level)}a:\n`);
    return lines.join('');
  },
  /** 10 MB on one line: a flow plan whose summary is 10 MB of words, then a bad date and a duplicate key. */
  'one-line-10mb': () => oneLinePlan(`summary: ${'lorem ipsum '.repeat(850_000)}end, end: 2026-13-01, owner: ana`),
  /** A quarter of a MB with 20,000 list entries and 2,000 aliases (alias resolution was a walk of the whole document per alias). */
  'many-aliases': () => `plan: Aliases\nowner: ana\nstart: 2026-03-02\nas_of: 2026-02-27\npeople:\n  ana: { name: &name Ana }\nconstraints: [${Array(20_000).fill('c').join(', ')}]\nscope:\n  in: [${Array(2_000).fill('*name').join(', ')}]\n`,
  /** One milestone of 8,000 tasks on one line (per-plan lists were spread into call arguments). */
  'many-tasks': () => oneLinePlan(`milestones: [{id: m, title: M, due: 2099-06-01, owner: ana, goals: [g], tasks: [${Array.from({ length: 8_000 }, (_, index) => `{id: t${index}, title: T, duration: 1d}`).join(', ')}]}]`),
  /**
   * A parent task whose 3,000 dependencies its 3,000 subtasks inherit (nine
   * million task → dependency pairs, which the scheduler and the rules once
   * built one by one); s0 starts too early, s1 is done before them, and d5
   * waits for s2, which waits for d5 through its parent.
   */
  'wide-inheritance': () => {
    const count = 3_000;
    const lines = ['plan: Wide inheritance', 'owner: ana', 'start: 2026-03-02', 'as_of: 2026-02-27', 'people:', '  ana: { name: Ana }', 'goals:', '  - { id: g, title: G, owner: ana, metrics: [{ name: m, target: 1 }] }', 'milestones:'];
    lines.push('  - id: m0', '    title: Dependencies', '    owner: ana', '    due: 2026-12-31', '    goals: [g]', '    tasks:');
    for (let index = 0; index < count; index++) lines.push(`      - { id: d${index}, title: D, duration: 1d${index === 5 ? ', depends_on: [s2]' : ''} }`);
    lines.push('  - id: m1', '    title: Inheritors', '    owner: ana', '    due: 2026-12-31', '    goals: [g]', '    tasks:', '      - id: p', '        title: Parent', `        depends_on: [${Array.from({ length: count }, (_, index) => `d${index}`).join(', ')}]`, '        tasks:');
    for (let index = 0; index < count; index++) lines.push(`          - { id: s${index}, title: S, duration: 1d${index === 0 ? ', start: 2026-03-02' : index === 1 ? ', status: done' : ''} }`);
    return `${lines.join('\n')}\n`;
  },
} as const;

export type GeneratedCase = keyof typeof GENERATED;
