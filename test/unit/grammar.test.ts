import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

// The plan grammar (syntaxes/plan.tmLanguage.json) layered on VS Code's own
// YAML grammar, tokenized the way VS Code does it (vscode-textmate +
// vscode-oniguruma). VS Code's YAML grammar comes from the devDependency
// @codingame/monaco-vscode-yaml-default-extension, which ships VS Code's
// built-in YAML extension (grammar files source.yaml, source.yaml.1.x, ...).

/** The repository root, from the compiled location out/test/unit. */
const repoRoot = path.resolve(__dirname, '..', '..', '..');
const planGrammarPath = path.join(repoRoot, 'syntaxes', 'plan.tmLanguage.json');
const fixturePath = path.join(repoRoot, 'test', 'fixtures', 'grammar', 'highlight.plan.yaml');
const yamlExtensionDir = path.join(repoRoot, 'node_modules', '@codingame', 'monaco-vscode-yaml-default-extension', 'resources');

const PLAN = 'source.plan-yaml';
/** A grammar with none of ours: what YAML alone makes of the same text. */
const YAML_ONLY = 'source.plan-yaml.yaml-only';

interface Token {
  text: string;
  scopes: string[];
}

function grammarFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const manifest = JSON.parse(fs.readFileSync(path.join(yamlExtensionDir, 'package.json'), 'utf8')) as {
    contributes: { grammars: { scopeName: string; path: string }[] };
  };
  for (const grammar of manifest.contributes.grammars) {
    files.set(grammar.scopeName, path.join(yamlExtensionDir, path.basename(grammar.path)));
  }
  files.set(PLAN, planGrammarPath);
  return files;
}

async function createRegistry(): Promise<vsctm.Registry> {
  const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  const files = grammarFiles();
  return new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName: string) => {
      if (scopeName === YAML_ONLY) {
        return vsctm.parseRawGrammar(JSON.stringify({ scopeName: YAML_ONLY, patterns: [{ include: 'source.yaml' }] }), 'yaml-only.json');
      }
      const file = files.get(scopeName);
      return file ? vsctm.parseRawGrammar(fs.readFileSync(file, 'utf8'), file) : null;
    },
  });
}

function tokenize(grammar: vsctm.IGrammar, text: string): Token[][] {
  let state = vsctm.INITIAL;
  return text.split(/\r?\n/).map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((token) => ({ text: line.slice(token.startIndex, token.endIndex), scopes: token.scopes }));
  });
}

const isPlanScope = (scope: string) => scope.endsWith('.plan');

describe('plan grammar', () => {
  let registry: vsctm.Registry;
  let plan: vsctm.IGrammar;
  let yamlOnly: vsctm.IGrammar;
  let fixtureLines: string[];
  let fixtureTokens: Token[][];

  before(async () => {
    registry = await createRegistry();
    const loadedPlan = await registry.loadGrammar(PLAN);
    const loadedYaml = await registry.loadGrammar(YAML_ONLY);
    assert.ok(loadedPlan && loadedYaml, 'grammars load');
    plan = loadedPlan;
    yamlOnly = loadedYaml;
    const fixture = fs.readFileSync(fixturePath, 'utf8');
    fixtureLines = fixture.split(/\r?\n/);
    fixtureTokens = tokenize(plan, fixture);
  });

  /** The tokens of the (only) fixture line that is `line` once trimmed. */
  function lineTokens(line: string): Token[] {
    const indexes = fixtureLines.flatMap((text, index) => (text.trim() === line ? [index] : []));
    assert.equal(indexes.length, 1, `exactly one fixture line is ${JSON.stringify(line)}`);
    return fixtureTokens[indexes[0]];
  }

  /** The scopes of the token whose text is exactly `text` on that line (the n-th such token). */
  function scopesOf(line: string, text: string, nth = 0): string[] {
    const tokens = lineTokens(line).filter((token) => token.text === text);
    assert.ok(tokens.length > nth, `a token ${JSON.stringify(text)} on ${JSON.stringify(line)}; tokens: ${JSON.stringify(lineTokens(line).map((t) => t.text))}`);
    const scopes = tokens[nth].scopes;
    assert.equal(scopes[0], PLAN, 'the root scope is the plan grammar');
    return scopes;
  }

  /** The innermost scope of a token. */
  function scopeOf(line: string, text: string, nth = 0): string {
    return scopesOf(line, text, nth).at(-1)!;
  }

  test('the grammar file declares the scope package.json contributes', () => {
    const raw = JSON.parse(fs.readFileSync(planGrammarPath, 'utf8')) as { scopeName: string; patterns: { include: string }[] };
    assert.equal(raw.scopeName, PLAN);
    assert.deepEqual(raw.patterns, [{ include: 'source.yaml' }]);
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      contributes: { grammars: { language: string; scopeName: string; path: string }[] };
    };
    const contributed = manifest.contributes.grammars.find((grammar) => grammar.language === 'plan-yaml');
    assert.ok(contributed);
    assert.equal(contributed.scopeName, PLAN);
    assert.equal(path.resolve(repoRoot, contributed.path), planGrammarPath);
  });

  test('ids', () => {
    assert.equal(scopeOf('- id: payment-api', 'payment-api'), 'entity.name.function.plan');
    assert.equal(scopeOf('- id: lower-abandonment', 'lower-abandonment'), 'entity.name.function.plan');
    assert.equal(scopeOf('- id: psp-certification', 'psp-certification'), 'entity.name.function.plan');
  });

  test('references in a flow list', () => {
    assert.equal(scopeOf('affects: [payment-api, launch]', 'payment-api'), 'variable.other.reference.plan');
    assert.equal(scopeOf('affects: [payment-api, launch]', 'launch'), 'variable.other.reference.plan');
    assert.equal(scopeOf('affects: [payment-api, launch]', '['), 'punctuation.definition.sequence.begin.yaml');
    assert.equal(scopeOf('affects: [payment-api, launch]', ','), 'punctuation.separator.sequence.yaml');
    assert.equal(scopeOf('affects: [payment-api, launch]', ']'), 'punctuation.definition.sequence.end.yaml');
    assert.ok(scopesOf('affects: [payment-api, launch]', 'launch').includes('meta.flow.sequence.yaml'));
    assert.equal(scopeOf('goals: [lower-abandonment, shared/company.plan.yaml#revenue]', 'lower-abandonment'), 'variable.other.reference.plan');
  });

  test('references in a block list', () => {
    assert.equal(scopeOf('- payment-api', 'payment-api'), 'variable.other.reference.plan');
    assert.equal(scopeOf('- payment-api', '-'), 'punctuation.definition.block.sequence.item.yaml');
    assert.equal(scopeOf('- bob', 'bob'), 'variable.other.reference.plan');
  });

  test('single references, in block and flow mappings', () => {
    assert.equal(scopeOf('owner: alice', 'alice'), 'variable.other.reference.plan');
    assert.equal(scopeOf('approved_by: alice  # blueprint-disable-next-line schema, missing-owner', 'alice'), 'variable.other.reference.plan');
    const tool = '- { name: PSP sandbox account, confirmed: false, needed_by: payment-api }';
    assert.equal(scopeOf(tool, 'payment-api'), 'variable.other.reference.plan');
    assert.ok(scopesOf(tool, 'payment-api').includes('meta.flow.mapping.yaml'));
  });

  test('cross-file references are one token', () => {
    assert.equal(scopeOf('goals: [lower-abandonment, shared/company.plan.yaml#revenue]', 'shared/company.plan.yaml#revenue'), 'variable.other.reference.plan');
    assert.equal(scopeOf('- ../platform/auth.plan.yaml#sso', '../platform/auth.plan.yaml#sso'), 'variable.other.reference.plan');
  });

  test('dates, durations, statuses and levels', () => {
    assert.equal(scopeOf('start: 2026-01-05', '2026-01-05'), 'constant.numeric.date.plan');
    assert.equal(scopeOf('holidays: [2026-01-19]', '2026-01-19'), 'constant.numeric.date.plan');
    assert.equal(scopeOf('baseline: { start: 2026-01-27, end: 2026-02-16 }', '2026-01-27'), 'constant.numeric.date.plan');
    assert.equal(scopeOf('baseline: { start: 2026-01-27, end: 2026-02-16 }', '2026-02-16'), 'constant.numeric.date.plan');
    assert.equal(scopeOf('- date: 2026-02-02', '2026-02-02'), 'constant.numeric.date.plan');
    assert.equal(scopeOf('duration: 3w', '3w'), 'constant.numeric.duration.plan');
    assert.equal(scopeOf('duration: 15d', '15d'), 'constant.numeric.duration.plan');
    assert.equal(scopeOf('status: in-progress', 'in-progress'), 'constant.language.status.in-progress.plan');
    assert.equal(scopeOf('status: open', 'open'), 'constant.language.status.open.plan');
    assert.equal(scopeOf('likelihood: medium', 'medium'), 'constant.language.level.medium.plan');
    assert.equal(scopeOf('impact: high', 'high'), 'constant.language.level.high.plan');
  });

  test('the disable directive comment', () => {
    const line = '# blueprint-disable-next-line unknown-reference';
    assert.equal(scopeOf(line, '#'), 'punctuation.definition.comment.yaml');
    assert.equal(scopeOf(line, 'blueprint-disable-next-line'), 'keyword.control.directive.plan');
    assert.equal(scopeOf(line, 'unknown-reference'), 'constant.other.rule-id.plan');
    for (const token of lineTokens(line).filter((t) => t.text.trim() !== '')) {
      assert.ok(token.scopes.includes('comment.line.number-sign.yaml'), `${token.text} stays a comment`);
    }
    const trailing = 'approved_by: alice  # blueprint-disable-next-line schema, missing-owner';
    assert.equal(scopeOf(trailing, 'blueprint-disable-next-line'), 'keyword.control.directive.plan');
    assert.equal(scopeOf(trailing, 'schema'), 'constant.other.rule-id.plan');
    assert.equal(scopeOf(trailing, 'missing-owner'), 'constant.other.rule-id.plan');
  });

  test('plain YAML keeps its YAML scopes', () => {
    assert.equal(scopeOf('owner: alice                     # the one person accountable', 'owner'), 'entity.name.tag.yaml');
    assert.equal(scopeOf('owner: alice                     # the one person accountable', ':'), 'punctuation.separator.map.value.yaml');
    assert.equal(scopeOf('owner: alice                     # the one person accountable', '#'), 'punctuation.definition.comment.yaml');
    assert.equal(scopeOf('owner: alice                     # the one person accountable', ' the one person accountable'), 'comment.line.number-sign.yaml');
    assert.equal(scopeOf('depends_on:', 'depends_on'), 'entity.name.tag.yaml');
    assert.equal(scopeOf('plan: Checkout v2 rollout', 'Checkout v2 rollout'), 'string.unquoted.plain.out.yaml');
    assert.equal(scopeOf('summary: "Replace the legacy checkout"', 'Replace the legacy checkout'), 'string.quoted.double.yaml');
    assert.equal(scopeOf('summary: "Replace the legacy checkout"', '"', 0), 'punctuation.definition.string.begin.yaml');
    assert.equal(scopeOf('budget: { amount: 120000, currency: USD, approved: true }', 'true'), 'constant.language.boolean.yaml');
    assert.equal(scopeOf('budget: { amount: 120000, currency: USD, approved: true }', 'amount'), 'entity.name.tag.yaml');
    // the list of goal definitions under `goals:` is still YAML's block sequence of mappings
    assert.ok(scopesOf('- id: lower-abandonment', '-').includes('meta.block.sequence.yaml'));
    assert.equal(scopeOf('- id: lower-abandonment', 'id'), 'entity.name.tag.yaml');
  });

  test('no plan scopes where the text is not a plan value', () => {
    const noPlanScopes = (line: string) => {
      for (const token of lineTokens(line)) {
        assert.ok(!token.scopes.some(isPlanScope), `${JSON.stringify(token.text)} on ${JSON.stringify(line)}: ${token.scopes.join(' ')}`);
      }
    };
    noPlanScopes('title: Released 2026-01-05 to a few users'); // a date inside text
    noPlanScopes('owner: carol, dave'); // one scalar in block context, not a list
    noPlanScopes('workdays: [mon, tue, wed, thu, fri]'); // not a reference key
    noPlanScopes('depends_on: [nothing]'); // text inside a `notes: |` block scalar
    assert.equal(scopeOf('depends_on: [nothing]', 'depends_on: [nothing]'), 'string.unquoted.block.yaml');
  });

  test('outside plan tokens, the tokens are exactly those of YAML alone', () => {
    const fixtures = [fixturePath, path.join(repoRoot, 'test', 'fixtures', 'valid', 'checkout.plan.yaml')].filter((file) => fs.existsSync(file));
    for (const file of fixtures) {
      const text = fs.readFileSync(file, 'utf8');
      const ours = tokenize(plan, text);
      const theirs = tokenize(yamlOnly, text);
      ours.forEach((lineTokens, index) => {
        // YAML's scopes at each character, without the root scope
        const yamlScopes: string[] = [];
        let offset = 0;
        for (const token of theirs[index]) {
          for (let i = 0; i < token.text.length; i++) yamlScopes[offset + i] = token.scopes.slice(1).join(' ');
          offset += token.text.length;
        }
        offset = 0;
        for (const token of lineTokens) {
          if (!token.scopes.some(isPlanScope) && token.text.trim() !== '') {
            for (let i = 0; i < token.text.length; i++) {
              assert.equal(
                token.scopes.slice(1).join(' '),
                yamlScopes[offset + i],
                `${path.basename(file)}:${index + 1} ${JSON.stringify(token.text)}`,
              );
            }
          }
          offset += token.text.length;
        }
      });
    }
  });
});

describe('language configuration', () => {
  interface OnEnterRule {
    beforeText: string;
    afterText?: string;
    action: { indent: string; appendText?: string };
  }
  const config = JSON.parse(fs.readFileSync(path.join(repoRoot, 'language-configuration.json'), 'utf8')) as {
    comments: { lineComment: string };
    brackets: [string, string][];
    folding: { offSide: boolean };
    wordPattern: { pattern: string; flags: string };
    indentationRules: { increaseIndentPattern: string; decreaseIndentPattern: string };
    onEnterRules: OnEnterRule[];
  };

  /** The word at a column, the way VS Code finds it: the wordPattern match that contains the column. */
  function wordAt(line: string, column: number): string | undefined {
    const pattern = new RegExp(config.wordPattern.pattern, `g${config.wordPattern.flags}`);
    for (const match of line.matchAll(pattern)) {
      if (match.index! <= column && column <= match.index! + match[0].length) return match[0];
    }
    return undefined;
  }

  /** The action of the first onEnter rule that applies when Enter is pressed at the end of `before`. */
  function onEnter(before: string, after = ''): OnEnterRule['action'] | undefined {
    return config.onEnterRules.find(
      (rule) => new RegExp(rule.beforeText).test(before) && (rule.afterText === undefined || new RegExp(rule.afterText).test(after)),
    )?.action;
  }

  test('comments, brackets and folding', () => {
    assert.equal(config.comments.lineComment, '#');
    assert.deepEqual(config.brackets, [['{', '}'], ['[', ']']]);
    assert.equal(config.folding.offSide, true);
  });

  test('ids and cross-file references are one word', () => {
    const cases: [string, string][] = [
      ['    depends_on: [checkout-ui]', 'checkout-ui'],
      ['    depends_on: [v1.2]', 'v1.2'],
      ['  - id: a_b', 'a_b'],
      ['    needed_by: x.plan.yaml#id', 'x.plan.yaml#id'],
      ['      - ../platform/auth.plan.yaml#sso-login', '../platform/auth.plan.yaml#sso-login'],
      ['    start: 2026-01-05', '2026-01-05'],
      ['# blueprint-disable-next-line unknown-reference', 'unknown-reference'],
    ];
    for (const [line, word] of cases) {
      const start = line.indexOf(word);
      for (const column of [start, start + Math.floor(word.length / 2), start + word.length]) {
        assert.equal(wordAt(line, column), word, `${JSON.stringify(line)} at ${column}`);
      }
    }
    // keys stop at the colon; list punctuation is not part of a word
    assert.equal(wordAt('    depends_on: [a]', 6), 'depends_on');
    assert.equal(wordAt('  - payment-api', 2), undefined);
    // while typing, a trailing '-' or '#' stays in the word
    assert.equal(wordAt('    depends_on: [checkout-', 26), 'checkout-');
    assert.equal(wordAt('    needed_by: other.plan.yaml#', 30), 'other.plan.yaml#');
  });

  test('indentation rules', () => {
    const increase = new RegExp(config.indentationRules.increaseIndentPattern);
    for (const line of ['milestones:', '  - tasks:', '    depends_on:   # why', '    notes: |', '    depends_on: [', '  -']) {
      assert.ok(increase.test(line), line);
    }
    for (const line of ['title: x', '  - id: beta', '  # note:', '    depends_on: [a]', '    - payment-api']) {
      assert.ok(!increase.test(line), line);
    }
    assert.ok(new RegExp(config.indentationRules.decreaseIndentPattern).test('  ]'));
  });

  test('onEnter continues scalar list items and aligns mapping items', () => {
    assert.deepEqual(onEnter('          - payment-api'), { indent: 'none', appendText: '- ' });
    assert.deepEqual(onEnter('    - { name: PSP sandbox account, confirmed: true }'), { indent: 'none', appendText: '- ' });
    assert.deepEqual(onEnter('  - payment-api  # note: why'), { indent: 'none', appendText: '- ' });
    assert.equal(onEnter('  - payment-api', 'more text'), undefined, 'not when splitting a line');
    assert.deepEqual(onEnter('  - id: beta'), { indent: 'none', appendText: '  ' });
    assert.deepEqual(onEnter('  - tasks:'), { indent: 'indent', appendText: '  ' });
    assert.deepEqual(onEnter('milestones:'), { indent: 'indent' });
    assert.deepEqual(onEnter('    depends_on:  # one per line'), { indent: 'indent' });
    assert.equal(onEnter('  title: Private beta'), undefined);
    assert.equal(onEnter('  # - commented out'), undefined);
  });
});
