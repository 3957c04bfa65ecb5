import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isKnownCodeLanguage, resolveCodeMarkerFile, scanCodeMarkers, type CodeMarker } from '../../server/src/service/codeMarkers';
import { LineIndex } from '../../server/src/service/lineIndex';
import { readFixture, textAt } from '../helpers/fixtures';

// `plan:` markers in code comments (server/src/service/codeMarkers.ts). Each
// sample has markers that count (`plan:ok-…`) and markers in strings, code or
// other non-comment text (`plan:bad…`) that must not.

const lines = (...text: string[]) => text.join('\n');

/** The markers as `id` or `file#id`, after checking that each span covers exactly its text. */
function markers(text: string, languageId: string): string[] {
  return scanCodeMarkers(text, languageId).map((marker) => {
    assert.equal(text.slice(marker.idSpan[0], marker.idSpan[1]), marker.id);
    assert.equal(text.slice(marker.span[0], marker.span[1]), `plan:${marker.file === undefined ? '' : `${marker.file}#`}${marker.id}`);
    assert.equal(marker.span[1], marker.idSpan[1]);
    return marker.file === undefined ? marker.id : `${marker.file}#${marker.id}`;
  });
}

function expectMarkers(languageId: string, text: string, expected: string[]): void {
  assert.deepEqual(markers(text, languageId), expected, `${languageId}:\n${text}`);
}

describe('code markers: comment syntaxes and the strings around them', () => {
  test('JavaScript and TypeScript: line, block and doc comments; strings, templates and regular expressions', () => {
    const text = lines(
      'const s = "plan:bad1"; // plan:ok-line',
      "const t = 'plan:bad2'; /* plan:ok-block */",
      'const u = `plan:bad3 ${f(`plan:bad4 ${"}"}`) /* plan:ok-in-template */} plan:bad5`;',
      'const v = `multi',
      '// plan:bad6',
      '`; // plan:ok-after-template',
      'const re = /"plan:bad7/g; // plan:ok-after-regex',
      'const d = a / b; // plan:ok-after-division',
      'if (x) return /[/]"/.test(y); // plan:ok-regex-class',
      '/**',
      ' * The checkout form. plan:ok-doc',
      ' */',
      "const url = 'https://example.com/plan:bad8'; const no = '// plan:bad9';",
    );
    for (const languageId of ['javascript', 'typescript', 'javascriptreact', 'typescriptreact']) {
      expectMarkers(languageId, text, ['ok-line', 'ok-block', 'ok-in-template', 'ok-after-template', 'ok-after-regex', 'ok-after-division', 'ok-regex-class', 'ok-doc']);
    }
    expectMarkers('typescriptreact', 'const a = <div title="plan:bad1">{/* plan:ok-jsx */}</div>;', ['ok-jsx']);
    expectMarkers('typescriptreact', lines('return <p>x</p>; // plan:ok-after-closing-tag', 'return <Foo a={b} />; // plan:ok-after-self-closing', 'const n = a++ / 2; // plan:ok-after-increment'), ['ok-after-closing-tag', 'ok-after-self-closing', 'ok-after-increment']);
  });

  test('Java: text blocks; Kotlin and Scala: raw strings and nested comments', () => {
    expectMarkers('java', lines('String q = """', '  // plan:bad1', '  "plan:bad2" \\""" still', '  """; // plan:ok-java', "char c = '\"'; /* plan:ok-block */"), ['ok-java', 'ok-block']);
    expectMarkers('kotlin', lines('val raw = """C:\\ plan:bad1"""  // plan:ok-kt', '/* a /* nested */ plan:ok-nested */', 'fun `name plan:bad2`() = "\\"plan:bad3"'), ['ok-kt', 'ok-nested']);
    expectMarkers('scala', lines("val s = 'sym // plan:ok-after-symbol", "val c = '\"' // plan:ok-after-char", 's"""plan:bad1 // plan:bad2""" /* /* */ plan:ok-nested */'), ['ok-after-symbol', 'ok-after-char', 'ok-nested']);
  });

  test('C and C++: raw strings, digit separators, backslash-continued comments', () => {
    expectMarkers('c', lines('#include "plan:bad1.h" // plan:ok-c', "char q = '\"'; /* plan:ok-block", ' * plan:ok-block-2 */', '// continued \\', 'plan:ok-continued', 'int x = 1; // plan:ok-last'), ['ok-c', 'ok-block', 'ok-block-2', 'ok-continued', 'ok-last']);
    expectMarkers('cpp', lines('auto r = R"x(plan:bad1 )" // plan:bad2 )x"; // plan:ok-after-raw', "int n = 1'000'000; // plan:ok-after-separators", 'auto u = u8R"(plan:bad3)"; /* plan:ok-block */'), ['ok-after-raw', 'ok-after-separators', 'ok-block']);
  });

  test('C#: verbatim, interpolated and raw strings', () => {
    expectMarkers(
      'csharp',
      lines(
        'var v = @"C:\\dir\\ "" // plan:bad1',
        'still verbatim plan:bad2"; // plan:ok-after-verbatim',
        'var i = $"{x} plan:bad3"; var j = $@"{y} plan:bad4 ""q"""; /* plan:ok-block */',
        'var raw = """',
        '  "plan:bad5" // plan:bad6',
        '  """; // plan:ok-after-raw',
        '/// <summary>plan:ok-doc</summary>',
      ),
      ['ok-after-verbatim', 'ok-block', 'ok-after-raw', 'ok-doc'],
    );
  });

  test('Go: raw strings and runes', () => {
    expectMarkers('go', lines('package main // plan:ok-package', 'var raw = `plan:bad1', '// plan:bad2', '`', "var r = '\"' // plan:ok-after-rune", 'func main() { fmt.Println("plan:bad3 // plan:bad4") } /* plan:ok-block */'), ['ok-package', 'ok-after-rune', 'ok-block']);
  });

  test('Rust: raw strings, lifetimes, character literals, nested comments, multi-line strings', () => {
    expectMarkers(
      'rust',
      lines(
        '//! plan:ok-inner-doc',
        "fn f<'a>(x: &'a str) -> char { // plan:ok-after-lifetime",
        '    let r = r#"plan:bad1 "quoted" // plan:bad2"#;',
        "    let c = '\"'; let e = '\\''; // plan:ok-after-char",
        '    let b = br"plan:bad3"; let id = r#match; // plan:ok-after-raw-ident',
        '    /* outer /* inner plan:ok-nested */ still plan:ok-nested-tail */',
        '    let s = "multi',
        '    // plan:bad4',
        '    line";',
        "    'x'",
        '}',
      ),
      ['ok-inner-doc', 'ok-after-lifetime', 'ok-after-char', 'ok-after-raw-ident', 'ok-nested', 'ok-nested-tail'],
    );
  });

  test('Swift: extended and multi-line strings; an apostrophe is no quote', () => {
    expectMarkers('swift', lines('let s = #"plan:bad1 "// plan:bad2"#  // plan:ok-after-raw', 'let m = """', '  // plan:bad3', '  """', "// it's plan:ok-apostrophe", '/* /* */ plan:ok-nested */'), ['ok-after-raw', 'ok-apostrophe', 'ok-nested']);
  });

  test('PHP: only inside <?php … ?>, # comments, heredocs', () => {
    expectMarkers(
      'php',
      lines(
        '<p>// plan:bad1 <!-- plan:ok-html --></p>',
        '<?php',
        '$s = "plan:bad2 ?>"; # plan:ok-hash',
        '#[Attribute] // plan:ok-after-attribute',
        '$h = <<<EOT',
        '  // plan:bad3',
        '  EOT; /* plan:ok-block */',
        '// a comment ends at ?> plan:bad4 <?= $x /* plan:ok-echo */ ?>',
        '<script>const a = "plan:bad5"; // plan:ok-script',
        '</script>',
      ),
      ['ok-html', 'ok-hash', 'ok-after-attribute', 'ok-block', 'ok-echo', 'ok-script'],
    );
  });

  test('CSS: block comments only; SCSS and Less: line comments too, not in url()', () => {
    expectMarkers('css', lines('a::after { content: "/* plan:bad1 */"; } /* plan:ok-css */', 'b { background: url(//cdn/plan:bad2.png) } // plan:bad3'), ['ok-css']);
    for (const languageId of ['scss', 'less']) {
      expectMarkers(languageId, lines('$x: "// plan:bad1"; // plan:ok-line', 'a { b: url(//cdn.example.com/plan:bad2) } /* plan:ok-block */'), ['ok-line', 'ok-block']);
    }
  });

  test('Python: # comments; docstrings count, other strings (triple-quoted too) do not', () => {
    expectMarkers(
      'python',
      lines(
        '"""Module docstring. plan:ok-module-doc"""',
        'import os  # plan:ok-line',
        '',
        'def f():',
        "    '''Function docstring.",
        '    plan:ok-function-doc',
        "    '''",
        '    x = """plan:bad1 # plan:bad2"""',
        "    y = 'plan:bad3'  # plan:ok-after-string",
        '    s = f"{x!r} plan:bad4 # plan:bad5"',
        '    call("""plan:bad6""")',
        "    return rb'plan:bad7'",
        '',
        'class C:',
        '    r"""Raw docstring plan:ok-class-doc."""',
        '    z = ("""plan:bad8"""',
        '         """plan:bad9""")',
        '    """plan:bad10""".strip()',
        '    w = 1 + \\',
        '        """plan:bad11"""',
      ),
      ['ok-module-doc', 'ok-line', 'ok-function-doc', 'ok-after-string', 'ok-class-doc'],
    );
  });

  test('Ruby: =begin blocks, heredocs, %-literals, character literals', () => {
    expectMarkers(
      'ruby',
      lines(
        'x = "plan:bad1 #{y}" # plan:ok-line',
        '=begin',
        'plan:ok-begin',
        '=end',
        'sql = <<~SQL # plan:ok-after-heredoc-start',
        '  -- # plan:bad2',
        '  SQL',
        "w = %w[plan:bad3 #plan:bad4] ; c = ?# ; r = /#plan:bad5/ # plan:ok-after-literals",
        "puts 'plan:bad6' unless x.nil? # plan:ok-last",
      ),
      ['ok-line', 'ok-begin', 'ok-after-heredoc-start', 'ok-after-literals', 'ok-last'],
    );
  });

  test('Shell: # only at a word start; quotes, $#, ${#x}, heredocs', () => {
    expectMarkers(
      'shellscript',
      lines(
        '#!/bin/bash',
        'echo "plan:bad1 # plan:bad2" # plan:ok-line',
        "echo 'it''s' $# ${#arr[@]} a#plan:bad3 $'\\'#plan:bad4' # plan:ok-after-specials",
        'cat <<-EOF # plan:ok-after-heredoc-start',
        '\t# plan:bad5',
        '\tEOF',
        'x=$((1 << 2)) # plan:ok-after-shift',
      ),
      ['ok-line', 'ok-after-specials', 'ok-after-heredoc-start', 'ok-after-shift'],
    );
  });

  test('YAML: # after whitespace; quoted scalars; block scalars are text', () => {
    expectMarkers(
      'yaml',
      lines(
        'name: "plan:bad1 # plan:bad2" # plan:ok-line',
        "note: it's fine # plan:ok-apostrophe-in-plain",
        'url: http://x/#plan:bad3',
        'script: |',
        '  echo hi # plan:bad4',
        '',
        '  done',
        '# plan:ok-after-block',
        "list: ['plan:bad5', a] # plan:ok-flow",
      ),
      ['ok-line', 'ok-apostrophe-in-plain', 'ok-after-block', 'ok-flow'],
    );
  });

  test('TOML, Dockerfile, Makefile, INI', () => {
    expectMarkers('toml', lines('a = "plan:bad1 # plan:bad2" # plan:ok-line', "b = '''", '# plan:bad3', "''' # plan:ok-after-multiline"), ['ok-line', 'ok-after-multiline']);
    expectMarkers('dockerfile', lines('# plan:ok-dockerfile', 'RUN echo "#plan:bad1" && \\', '  # plan:ok-in-continuation', '  make'), ['ok-dockerfile', 'ok-in-continuation']);
    expectMarkers('makefile', lines('CFLAGS = -O2 # plan:ok-make', 'HASH = \\#plan:bad1', 'build:', '\techo "# plan:bad2" # plan:ok-recipe'), ['ok-make', 'ok-recipe']);
    expectMarkers('ini', lines('; plan:ok-semicolon', '  # plan:ok-hash', 'url = http://x/#plan:bad1 ; plan:bad2'), ['ok-semicolon', 'ok-hash']);
  });

  test('Perl: POD, quote-like operators, $#', () => {
    expectMarkers(
      'perl',
      lines(
        'my $n = $#array; # plan:ok-line',
        'my $s = q{plan:bad1 # plan:bad2}; my $t = qq#plan:bad3#; # plan:ok-after-quotes',
        's/a#plan:bad4/b/; $x =~ tr/a-z/A-Z/; # plan:ok-after-substitution',
        'my $d = $x / 2; # plan:ok-after-division',
        '=pod',
        '',
        'plan:ok-pod',
        '',
        '=cut',
        'print <<"END"; # plan:ok-after-heredoc-start',
        '# plan:bad5',
        'END',
      ),
      ['ok-line', 'ok-after-quotes', 'ok-after-substitution', 'ok-after-division', 'ok-pod', 'ok-after-heredoc-start'],
    );
  });

  test('R and PowerShell', () => {
    expectMarkers('r', lines('x <- "plan:bad1 # plan:bad2" # plan:ok-r', 'y <- r"(plan:bad3 "# plan:bad4)" # plan:ok-after-raw'), ['ok-r', 'ok-after-raw']);
    expectMarkers(
      'powershell',
      lines('$s = "a `"plan:bad1 # plan:bad2" # plan:ok-line', '<# plan:ok-block', '#>', "$h = @'", "# plan:bad3 '@ still", "'@ # plan:ok-after-here-string", 'echo a#plan:bad4 `#plan:bad5'),
      ['ok-line', 'ok-block', 'ok-after-here-string'],
    );
  });

  test('SQL, Lua, Haskell: -- comments', () => {
    expectMarkers(
      'sql',
      lines(
        "SELECT 'it''s -- plan:bad1' AS a, \"col -- plan:bad2\" -- plan:ok-sql",
        "FROM t /* outer /* nested */ plan:ok-nested */ WHERE s = E'\\' -- plan:bad3'; -- plan:ok-after-escape-string",
        'CREATE FUNCTION f() RETURNS int AS $$',
        '  -- plan:ok-in-function-body',
        '  SELECT 1;',
        '$$ LANGUAGE sql;',
      ),
      ['ok-sql', 'ok-nested', 'ok-after-escape-string', 'ok-in-function-body'],
    );
    expectMarkers('lua', lines('local s = "-- plan:bad1" -- plan:ok-line', '--[==[ long', 'plan:ok-long ]] still ]==] local l = [[', '-- plan:bad2 ]] -- plan:ok-after-long-string'), ['ok-line', 'ok-long', 'ok-after-long-string']);
    expectMarkers(
      'haskell',
      lines('x = "-- plan:bad1" -- plan:ok-line', "y = a --> b -- plan:ok-after-operator", "f x' = '\"' {- plan:ok-block {- nested -} plan:ok-block-tail -}", "z = x' -- plan:ok-after-prime"),
      ['ok-line', 'ok-after-operator', 'ok-block', 'ok-block-tail', 'ok-after-prime'],
    );
  });

  test('Elixir: doc attributes count, other strings and sigils do not', () => {
    expectMarkers(
      'elixir',
      lines(
        'defmodule M do',
        '  @moduledoc """',
        '  plan:ok-moduledoc',
        '  """',
        '  @doc "plan:ok-doc"',
        '  def f, do: "plan:bad1 # plan:bad2" # plan:ok-line',
        '  def g, do: ~r/#plan:bad3/ # plan:ok-after-sigil',
        '  def h, do: ?# # plan:ok-after-char',
        '  @other """',
        '  plan:bad4',
        '  """',
        'end',
      ),
      ['ok-moduledoc', 'ok-doc', 'ok-line', 'ok-after-sigil', 'ok-after-char'],
    );
  });

  test('Erlang and TeX: % comments', () => {
    expectMarkers('erlang', lines('S = "% plan:bad1", % plan:ok-erlang', "C = $%, A = '% plan:bad2', % plan:ok-after-char", 'Q = $\\", % plan:ok-after-escaped-char'), ['ok-erlang', 'ok-after-char', 'ok-after-escaped-char']);
    for (const languageId of ['latex', 'tex']) expectMarkers(languageId, lines('50\\% plan:bad1 % plan:ok-tex', 'line\\\\% plan:ok-after-break'), ['ok-tex', 'ok-after-break']);
  });

  test('Clojure, Lisp: ; comments', () => {
    expectMarkers('clojure', lines('(def s "; plan:bad1") ; plan:ok-clojure', '(def c \\;) ;; plan:ok-after-char'), ['ok-clojure', 'ok-after-char']);
    expectMarkers('lisp', lines('(setq s "; plan:bad1") ; plan:ok-lisp', '#| plan:ok-block #| nested |# plan:ok-block-tail |#', '(list #\\; #\\") ; plan:ok-after-chars'), ['ok-lisp', 'ok-block', 'ok-block-tail', 'ok-after-chars']);
  });

  test("Visual Basic: ' and REM", () => {
    expectMarkers('vb', lines(`Dim s = "it's ""quoted"" ' plan:bad1" ' plan:ok-vb`, 'REM plan:ok-rem', 'Dim remark = 1 : Rem plan:ok-rem-after-colon'), ['ok-vb', 'ok-rem', 'ok-rem-after-colon']);
  });

  test('HTML, XML, Vue, Svelte: <!-- -->, and the code in script and style', () => {
    const html = lines(
      '<!DOCTYPE html>',
      '<a title="<!-- plan:bad1 -->" href=\'x\'>// plan:bad2</a> <!-- plan:ok-html',
      'plan:ok-html-2 -->',
      '<script type="module">',
      '  const s = "<!-- plan:bad3 -->"; // plan:ok-script',
      '</script>',
      '<style>a { content: "/* plan:bad4 */" } /* plan:ok-style */ // plan:bad5</style>',
      '<pre>plan:bad6</pre>',
    );
    expectMarkers('html', html, ['ok-html', 'ok-html-2', 'ok-script', 'ok-style']);
    expectMarkers('vue', lines('<template><!-- plan:ok-template --><p>{{ "plan:bad1" }}</p></template>', '<script setup lang="ts">', '// plan:ok-script', '</script>', '<style lang="scss">', '// plan:ok-scss', '</style>'), ['ok-template', 'ok-script', 'ok-scss']);
    expectMarkers('svelte', lines('<script>let s = "plan:bad1"; /* plan:ok-script */</script>', '<!-- plan:ok-markup -->'), ['ok-script', 'ok-markup']);
    expectMarkers('xml', lines('<?xml version="1.0"?>', '<a b="<!-- plan:bad1 -->"><![CDATA[ <!-- plan:bad2 --> ]]><!-- plan:ok-xml --></a>', '<script>// plan:bad3</script>'), ['ok-xml']);
  });

  test('Markdown: HTML comments outside code; prose and code are not markers', () => {
    expectMarkers(
      'markdown',
      lines(
        '# Title plan:bad1',
        'Write `<!-- plan:bad2 -->` or ``a ` <!-- plan:bad3 -->`` in prose. <!-- plan:ok-md -->',
        'An unclosed ` backtick <!-- plan:ok-after-unclosed -->',
        '```html',
        '<!-- plan:bad4 -->',
        '```',
        '~~~~',
        '<!-- plan:bad5 -->',
        '```',
        '~~~~',
        '<!--',
        '  plan:ok-multi-line',
        '-->',
      ),
      ['ok-md', 'ok-after-unclosed', 'ok-multi-line'],
    );
  });

  test('plaintext: the whole text', () => {
    expectMarkers('plaintext', lines('Notes: plan:ok-one and "plan:ok-two".', '// plan:ok-three'), ['ok-one', 'ok-two', 'ok-three']);
  });

  test('unknown languages: //, #, /* */ comments and both quote kinds as strings', () => {
    expectMarkers('some-new-language', lines('x = "plan:bad1 // plan:bad2" // plan:ok-slash', "y = '# plan:bad3' # plan:ok-hash", '/* plan:ok-block */'), ['ok-slash', 'ok-hash', 'ok-block']);
    expectMarkers('', '# plan:ok-empty-id', ['ok-empty-id']);
    expectMarkers('TypeScript', '// plan:ok-case-insensitive-id', ['ok-case-insensitive-id']);
    assert.equal(isKnownCodeLanguage('TypeScript'), true);
    assert.equal(isKnownCodeLanguage('some-new-language'), false);
  });

  test('more languages: JSON with comments, Dart, F#, Julia, GraphQL, Terraform, batch files', () => {
    expectMarkers('jsonc', '{ "a": "// plan:bad1" } // plan:ok-jsonc', ['ok-jsonc']);
    expectMarkers('dart', lines("var s = '''", '// plan:bad1', "'''; // plan:ok-dart"), ['ok-dart']);
    expectMarkers('fsharp', lines('let s = "(* plan:bad1 *)" // plan:ok-line', '(* plan:ok-block (* nested *) *)'), ['ok-line', 'ok-block']);
    expectMarkers('julia', lines('s = "# plan:bad1" # plan:ok-line', "a' #= plan:ok-block #= nested =# =#"), ['ok-line', 'ok-block']);
    expectMarkers('graphql', lines('"""', 'Description # plan:bad1', '"""', 'type Q { a: Int } # plan:ok-graphql'), ['ok-graphql']);
    expectMarkers('terraform', lines('name = "# plan:bad1" # plan:ok-hash', 'x = 1 // plan:ok-slash'), ['ok-hash', 'ok-slash']);
    expectMarkers('bat', lines('REM plan:ok-rem', ':: plan:ok-colons', 'echo plan:bad1'), ['ok-rem', 'ok-colons']);
  });
});

describe('code markers: the marker grammar', () => {
  test('typical forms: TODO(plan:…), several per comment, lists', () => {
    expectMarkers('typescript', '// TODO(plan:checkout-ui): wire it', ['checkout-ui']);
    expectMarkers('python', '# FIXME plan:a, plan:b; plan:c', ['a', 'b', 'c']);
    expectMarkers('typescript', '/* see plan:checkout-ui */', ['checkout-ui']);
    expectMarkers('typescript', '/*plan:tight*/', ['tight']);
    expectMarkers('typescript', '///plan:triple-slash', ['triple-slash']);
    expectMarkers('sql', '---plan:three-dashes', ['three-dashes']);
    expectMarkers('typescript', '// [plan:bracketed] {plan:braced} <plan:angled> "plan:quoted" \'plan:single\'', ['bracketed', 'braced', 'angled', 'quoted', 'single']);
  });

  test('trailing sentence punctuation is not part of an id; inner dots, dashes and underscores are', () => {
    expectMarkers('typescript', '// see plan:api. Then plan:v1.2-beta_3... and plan:x-- or plan:y.-', ['api', 'v1.2-beta_3', 'x', 'y']);
    expectMarkers('typescript', '// plan:api: the endpoint; plan:done! plan:why? (plan:paren)', ['api', 'done', 'why', 'paren']);
  });

  test('cross-file markers', () => {
    const text = '// plan:roadmap/q3.plan.yaml#checkout-ui, plan:../shared/infra.plan.yml#runners. plan:./local.plan.yaml#x';
    expectMarkers('typescript', text, ['roadmap/q3.plan.yaml#checkout-ui', '../shared/infra.plan.yml#runners', './local.plan.yaml#x']);
    const [first] = scanCodeMarkers(text, 'typescript');
    assert.deepEqual(first, { id: 'checkout-ui', file: 'roadmap/q3.plan.yaml', span: [3, 40], idSpan: [29, 40] });
    assert.deepEqual(scanCodeMarkers('// plan:checkout-ui', 'typescript'), [{ id: 'checkout-ui', span: [3, 19], idSpan: [8, 19] }]);
  });

  test('not markers: no id, a plan file without #id, a path or URL that runs on, a longer word', () => {
    expectMarkers('plaintext', 'plan: x plan:. plan:- plan:#x plan:q3.plan.yaml plan:q3.plan.yaml# plan:a/b plan:a/b#c plan:x:y plan:x#y plan:x@y plan:x/ plan:café', []);
    expectMarkers('plaintext', 'myplan:x my_plan:x 1plan:x éplan:x Plan:x PLAN:x', []);
    expectMarkers('plaintext', 'plan:x.plan.yaml.#y', []);
    expectMarkers('plaintext', '-plan:ok-after-dash /plan:ok-after-slash (plan:ok-paren) *plan:ok-star 🚀plan:ok-emoji plan:ok-end:', ['ok-after-dash', 'ok-after-slash', 'ok-paren', 'ok-star', 'ok-emoji', 'ok-end']);
    expectMarkers('plaintext', 'plan:x…', ['x']);
  });

  test('a marker never crosses the end of its comment', () => {
    expectMarkers('typescript', '/* plan:a */b.plan.yaml#c */', ['a']);
    expectMarkers('typescript', lines('// plan:', 'x = 1'), []);
    expectMarkers('typescript', lines('// plan', ':x'), []);
    expectMarkers('python', '# plan:roadmap/q3.plan.yaml\n#launch', []);
  });
});

describe('code markers: offsets', () => {
  test('UTF-16 offsets after emoji and combining characters; LSP positions', () => {
    const text = lines('const s = "🚀é"; // 👩‍💻 cafe\u0301 plan:ok-first', '/* 𝔘𝔫𝔦 */ // plan:roadmap/𝔮3.plan.yaml#ok-second');
    expectMarkers('typescript', text, ['ok-first', 'roadmap/𝔮3.plan.yaml#ok-second']);
    const index = new LineIndex(text);
    const [first, second] = scanCodeMarkers(text, 'typescript');
    assert.deepEqual(index.rangeOf(first.idSpan), { start: { line: 0, character: 37 }, end: { line: 0, character: 45 } });
    assert.equal(textAt(text, index.rangeOf(first.span)), 'plan:ok-first');
    assert.equal(textAt(text, index.rangeOf(second.span)), 'plan:roadmap/𝔮3.plan.yaml#ok-second');
    assert.equal(index.rangeOf(second.span).start.character, 16);
  });

  test('CRLF line endings', () => {
    const text = ['// plan:ok-one', 'x = "plan:bad1"; // plan:ok-two', '/* plan:ok-three', '*/ y # plan:bad2', ''].join('\r\n');
    expectMarkers('typescript', text, ['ok-one', 'ok-two', 'ok-three']);
    const python = ['def f():', '    """plan:ok-doc"""', '    # plan:ok-line', '    x = """plan:bad1"""', ''].join('\r\n');
    expectMarkers('python', python, ['ok-doc', 'ok-line']);
    const shell = ['cat <<EOF # plan:ok-start', '# plan:bad1', 'EOF', '# plan:ok-after', ''].join('\r\n');
    expectMarkers('shellscript', shell, ['ok-start', 'ok-after']);
    const index = new LineIndex(text);
    assert.deepEqual(
      scanCodeMarkers(text, 'typescript').map((marker) => index.rangeOf(marker.idSpan).start),
      [
        { line: 0, character: 8 },
        { line: 1, character: 25 },
        { line: 2, character: 8 },
      ],
    );
  });
});

describe('code markers: unterminated and nested constructs', () => {
  test('unterminated comments run to the end; unterminated one-line strings end with the line', () => {
    expectMarkers('typescript', lines('x = "open plan:bad1', '// plan:ok-next-line', '/* open plan:ok-open-block'), ['ok-next-line', 'ok-open-block']);
    expectMarkers('python', lines("x = 'open plan:bad1", '# plan:ok-next-line', 'y = """open', '# plan:bad2'), ['ok-next-line']);
    expectMarkers('html', '<!-- plan:ok-open', ['ok-open']);
    expectMarkers('rust', '/* /* plan:ok-depth-2 */ still open plan:ok-depth-1', ['ok-depth-2', 'ok-depth-1']);
    expectMarkers('typescript', '/* /* plan:ok-not-nested */ plan:bad1 */', ['ok-not-nested']);
    expectMarkers('typescript', '`open template ${ "x" // plan:ok-in-expression\n}` + "plan:bad1" // plan:ok-after', ['ok-in-expression', 'ok-after']);
    expectMarkers('shellscript', "echo 'open # plan:bad1\n# plan:bad2", []);
  });

  test('texts without markers, empty texts, markers at the very end', () => {
    expectMarkers('typescript', '', []);
    expectMarkers('typescript', '// no markers here', []);
    expectMarkers('typescript', '//plan:z', ['z']);
    expectMarkers('python', '#plan:z', ['z']);
  });
});

describe('code markers: cost', () => {
  const SIZE = 2 * 1024 * 1024;
  const timed = (text: string, languageId: string): { ms: number; result: CodeMarker[] } => {
    const start = performance.now();
    const result = scanCodeMarkers(text, languageId);
    return { ms: performance.now() - start, result };
  };
  const pathological: [name: string, text: string, languages: string[]][] = [
    ['a line of /*', '/*'.repeat(SIZE / 2) + ' plan:x', ['typescript', 'rust', 'css', 'sql', 'some-unknown']],
    ['a line of */', '*/'.repeat(SIZE / 2) + ' plan:x', ['typescript', 'rust']],
    ['a line of double quotes', '"'.repeat(SIZE) + ' plan:x', ['typescript', 'python', 'csharp', 'shellscript', 'yaml', 'toml', 'ruby', 'perl', 'elixir', 'sql']],
    ['a line of single quotes', "'".repeat(SIZE) + ' plan:x', ['typescript', 'python', 'rust', 'haskell', 'shellscript', 'yaml', 'vb', 'lisp']],
    ['alternating quotes', '"\''.repeat(SIZE / 2) + ' plan:x', ['typescript', 'python', 'go', 'ruby', 'powershell']],
    ['a line of backticks', '`'.repeat(SIZE) + ' plan:x', ['typescript', 'go', 'markdown', 'kotlin']],
    ['backtick runs of growing length', Array.from({ length: 2000 }, (_, n) => '`'.repeat(n + 1)).join('x') + ' <!-- plan:x -->', ['markdown']],
    ['template openers', '`${'.repeat(SIZE / 3) + ' plan:x', ['typescript']],
    ['unclosed regular expression classes', '=/['.repeat(SIZE / 3) + ' plan:x', ['javascript']],
    ['a comment full of plan:', '// ' + 'plan:'.repeat(SIZE / 5), ['typescript']],
    ['plan: runs', '// ' + 'plan:a'.repeat(SIZE / 6), ['typescript']],
    ['a path that never ends in .plan.yaml', '// plan:' + 'a/'.repeat(SIZE / 2), ['typescript']],
    ['path runs with many plan:', '# ' + 'plan:x/'.repeat(SIZE / 7), ['python']],
    ['many short comments, one marker at the end', '// x\n'.repeat(SIZE / 5) + '// plan:x', ['typescript', 'python', 'sql', 'yaml', 'markdown']],
    ['heredoc openers', '<<A '.repeat(SIZE / 4) + '\n# plan:x', ['shellscript', 'ruby', 'perl']],
    ['script tags', '<script>/*'.repeat(SIZE / 10) + ' plan:x', ['html']],
    ['nested comment openers', '{-'.repeat(SIZE / 2) + ' plan:x', ['haskell']],
    ['Lua long brackets', '--[=['.repeat(SIZE / 5) + ' plan:x', ['lua']],
    ['raw string openers', 'r#"'.repeat(SIZE / 3) + ' plan:x', ['rust']],
    ['dollar signs', '$'.repeat(SIZE) + ' plan:x', ['shellscript', 'perl', 'csharp', 'php']],
  ];
  for (const [name, text, languages] of pathological) {
    test(`${name} (${(text.length / 1024 / 1024).toFixed(1)} M characters): bounded time`, () => {
      for (const languageId of languages) {
        const { ms } = timed(text, languageId);
        assert.ok(ms < 1000, `${languageId}: ${ms.toFixed(0)} ms`);
      }
    });
  }

  test('time grows linearly with size (no quadratic case): 4× the text takes less than 10× the time', () => {
    const make = (n: number) => '/*"\'`${'.repeat(n) + '\n' + '// x\n'.repeat(n) + '# plan:x';
    for (const languageId of ['typescript', 'python', 'rust', 'shellscript', 'markdown']) {
      const best = (text: string) => Math.min(...[0, 1, 2].map(() => timed(text, languageId).ms));
      const small = best(make(50_000));
      const large = best(make(200_000));
      assert.ok(large < Math.max(10 * small, 50), `${languageId}: ${small.toFixed(1)} ms → ${large.toFixed(1)} ms`);
    }
  });

  test('a large realistic file with many markers', () => {
    const chunk = lines('// plan:ok-a', 'const s = "plan:bad"; /* plan:ok-b, plan:roadmap/q3.plan.yaml#ok-c */', 'const t = `${x} plan:bad`;', '');
    const text = chunk.repeat(20_000);
    const { ms, result } = timed(text, 'typescript');
    assert.equal(result.length, 60_000);
    assert.ok(ms < 1000, `${ms.toFixed(0)} ms`);
  });
});

describe('code markers: realistic source files (test/fixtures/code)', () => {
  /** Each marker as `line:character file#id`, 0-based like LSP. */
  function located(file: string, languageId: string): string[] {
    const text = readFixture(`code/${file}`);
    const index = new LineIndex(text);
    return scanCodeMarkers(text, languageId).map((marker) => {
      const { line, character } = index.positionAt(marker.idSpan[0]);
      assert.equal(text.slice(marker.idSpan[0], marker.idSpan[1]), marker.id);
      return `${line}:${character} ${marker.file === undefined ? '' : `${marker.file}#`}${marker.id}`;
    });
  }

  test('checkout.ts', () => {
    assert.deepEqual(located('checkout.ts', 'typescript'), [
      '0:8 checkout-ui',
      '12:38 payment-api',
      '19:15 address-form',
      '21:45 ../../plans/platform.plan.yaml#runners',
      '31:47 checkout-ui',
      '35:8 beta',
    ]);
  });

  test('billing.py', () => {
    assert.deepEqual(located('billing.py', 'python'), [
      '0:44 billing',
      '10:12 invoices',
      '13:15 payment-api',
      '22:45 roadmap/q3.plan.yaml#tax-rules',
      '30:11 refunds',
      '30:28 chargebacks',
    ]);
  });

  test('server.go', () => {
    assert.deepEqual(located('server.go', 'go'), [
      '0:8 platform-api',
      '12:8 rate-limits',
      '23:62 health-checks',
      '30:24 ./ops.plan.yml#alerting',
    ]);
  });

  test('schema.sql', () => {
    assert.deepEqual(located('schema.sql', 'sql'), [
      '0:8 orders-schema',
      '7:38 soft-delete',
      '10:8 audit-log',
      '11:8 audit-log.retention',
      '19:10 order-totals',
    ]);
  });
});

describe('code markers: resolving a marker file', () => {
  const root = 'file:///workspace';
  const source = 'file:///workspace/src/app/checkout.ts';
  test('./ and ../ are relative to the source file, other paths to the workspace root', () => {
    assert.equal(resolveCodeMarkerFile('./local.plan.yaml', source, root), 'file:///workspace/src/app/local.plan.yaml');
    assert.equal(resolveCodeMarkerFile('../../plans/platform.plan.yaml', source, root), 'file:///workspace/plans/platform.plan.yaml');
    assert.equal(resolveCodeMarkerFile('roadmap/q3.plan.yaml', source, root), 'file:///workspace/roadmap/q3.plan.yaml');
    assert.equal(resolveCodeMarkerFile('q3.plan.yaml', source, `${root}/`), 'file:///workspace/q3.plan.yaml');
    assert.equal(resolveCodeMarkerFile('/roadmap/q3.plan.yaml', source, root), 'file:///workspace/roadmap/q3.plan.yaml');
    assert.equal(resolveCodeMarkerFile('roadmap\\q3.plan.yaml', source, root), 'file:///workspace/roadmap/q3.plan.yaml');
  });

  test('nothing outside the workspace', () => {
    assert.equal(resolveCodeMarkerFile('../../../elsewhere.plan.yaml', source, root), undefined);
    assert.equal(resolveCodeMarkerFile('../x.plan.yaml', 'file:///workspace/a.ts', root), undefined);
    assert.equal(resolveCodeMarkerFile('x/../../x.plan.yaml', source, root), undefined);
  });
});
