import { URI, Utils } from 'vscode-uri';
import type { Span } from './types';

// Plan markers in source code: a comment of any language names a plan item as
// `plan:<id>` (`// plan:checkout-ui`, `# TODO(plan:checkout-ui)`) or, for an
// item of one particular plan, `plan:<file>.plan.yaml#<id>`
// (`<!-- plan:roadmap/q3.plan.yaml#launch -->`).
//
// Decisions:
// - Only comments count. Each language family has a small lexer that knows
//   its comments and, just as important, its strings (escapes, raw strings,
//   heredocs, template literals…), so that `"plan:x"` in code is not a marker.
//   The lexers are linear: one pass, closers found once, no backtracking
//   regular expressions, and nothing allocated per character. Texts without
//   `plan:` are not lexed at all.
// - Documentation strings count as comments: a Python string literal that is a
//   statement of its own (a docstring, PEP 257 — the language's documentation
//   comment, which changes nothing but `__doc__`), Elixir `@doc`,
//   `@moduledoc`, `@typedoc` strings and Perl POD. A string used as a value
//   (`x = """plan:x"""`, an argument, test data) is a string: its text is data.
// - `plaintext` is all comment: there is no code to tell apart, and a note
//   saying `plan:x` means the item. Markdown counts HTML comments only
//   (outside code spans and fences), so documents can show the syntax in prose.
// - SQL dollar-quoted bodies (`$$ … $$`) are lexed as SQL: they hold function
//   bodies whose `--` comments are comments.
// - Marker grammar: `plan:` (lower case, not preceded by a letter, digit or `_`),
//   then an id `[A-Za-z0-9_.-]+` without trailing `.`/`-` (sentence
//   punctuation), or a file `[^\s#"'`<>()[\]{},;]+` ending in `.plan.yaml` or
//   `.plan.yml`, `#` and an id. `plan:a/b` (a path that names no plan file),
//   `plan:q3.plan.yaml` (a file without `#id`) and `plan:x:y`, `plan:x#y`,
//   `plan:x@y` (the id runs on as something else) are no markers.
// - A marker's file is returned as written; `resolveCodeMarkerFile` resolves it:
//   a path starting with `./` or `../` is relative to the source file's
//   folder, any other one to the workspace root. `plan:<id>` alone means the id
//   in whichever workspace plan defines it: the caller resolves that.
//
// Limits (where only a full parser would know): JSX text is read as code, so an
// apostrophe in `<p>Don't</p>` opens a string to the end of the line; whether
// `/` starts a regular expression (JavaScript, Ruby, Perl) is guessed from the
// token before it; Ruby and Elixir `#{…}` interpolations are not parsed;
// Markdown code spans are found within one line and indented code blocks are
// not recognised; HTML `<textarea>` and `<title>` text is read as markup.

/** A `plan:` marker in a comment. Spans are UTF-16 offsets into the scanned text, [start, end). */
export interface CodeMarker {
  /** The plan item's id. */
  id: string;
  /** The plan file as written (`roadmap/q3.plan.yaml`, `../x.plan.yml`), when the marker names one. */
  file?: string;
  /** The whole marker, `plan:` through the id. */
  span: Span;
  /** The id. */
  idSpan: Span;
}

/**
 * The `plan:` markers in the comments of a source text, in text order.
 * `languageId` is a VS Code language id; an unknown one is read with `//`,
 * `#` and `/* *\/` comments and `"…"`/`'…'` strings.
 */
export function scanCodeMarkers(text: string, languageId: string): CodeMarker[] {
  const scanner = new Scanner(text);
  if (scanner.last < 0) return [];
  lexerFor(languageId)(scanner, 0, text.length);
  return scanner.markers;
}

/** Whether the language has a dedicated lexer (otherwise the generic one is used). */
export function isKnownCodeLanguage(languageId: string): boolean {
  return Object.prototype.hasOwnProperty.call(LEXERS, languageId.toLowerCase());
}

/**
 * The URI of a marker's plan file: relative to the source file's folder when it
 * starts with `./` or `../`, else relative to the workspace root. Undefined when
 * it leaves the workspace root or a URI does not parse.
 */
export function resolveCodeMarkerFile(file: string, sourceUri: string, workspaceRootUri: string): string | undefined {
  try {
    const root = URI.parse(workspaceRootUri);
    const path = file.replace(/\\/g, '/');
    const relativeToSource = path.startsWith('./') || path.startsWith('../');
    const base = relativeToSource ? Utils.dirname(URI.parse(sourceUri)) : root;
    const target = Utils.joinPath(base, relativeToSource ? path : path.replace(/^\/+/, ''));
    const rootPath = root.path.endsWith('/') ? root.path : `${root.path}/`;
    if (target.scheme !== root.scheme || target.authority !== root.authority || !target.path.startsWith(rootPath)) return undefined;
    return target.toString();
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------
// Character codes and classes

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const DQUOTE = 34;
const HASH = 35;
const DOLLAR = 36;
const PERCENT = 37;
const SQUOTE = 39;
const LPAREN = 40;
const RPAREN = 41;
const STAR = 42;
const COMMA = 44;
const DASH = 45;
const DOT = 46;
const SLASH = 47;
const COLON = 58;
const SEMI = 59;
const LT = 60;
const EQ = 61;
const GT = 62;
const QUESTION = 63;
const AT = 64;
const LBRACKET = 91;
const BACKSLASH = 92;
const RBRACKET = 93;
const BACKTICK = 96;
const LBRACE = 123;
const PIPE = 124;
const RBRACE = 125;
const TILDE = 126;

const PREFIX = 'plan:';

const ID_CHAR = asciiTable('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-');
const WORD_CHAR = asciiTable('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_');
const NOT_IN_PATH = asciiTable('#"\'`<>()[]{},;');
const LETTER_LIKE = /[\p{L}\p{N}\p{M}]/u;

function asciiTable(chars: string): Uint8Array {
  const table = new Uint8Array(128);
  for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)] = 1;
  return table;
}

const isIdChar = (c: number) => c < 128 && ID_CHAR[c] === 1;
const isWordChar = (c: number) => c < 128 && WORD_CHAR[c] === 1;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
/** Identifier characters of most languages: ASCII letters, digits, `_`, `$`, and anything non-ASCII. */
const isIdentPart = (c: number) => (c < 128 ? WORD_CHAR[c] === 1 || c === DOLLAR : true);
const isIdentStart = (c: number) => isLetter(c) || c === 95 || c === DOLLAR || c >= 128;
const isBlank = (c: number) => c === SPACE || c === TAB || c === CR || c === 12;

function isUnicodeSpace(c: number): boolean {
  return c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

const isPathChar = (c: number) => (c < 128 ? c > SPACE && c !== 127 && NOT_IN_PATH[c] === 0 : !isUnicodeSpace(c));

/** Whether the character at `offset` is a letter, digit or mark outside ASCII (so a word runs through it). */
function isLetterLikeAt(text: string, offset: number): boolean {
  let c = text.charCodeAt(offset);
  if (c >= 0xdc00 && c <= 0xdfff && offset > 0) c = text.codePointAt(offset - 1) ?? c;
  else c = text.codePointAt(offset) ?? c;
  return LETTER_LIKE.test(String.fromCodePoint(c));
}

// ---------------------------------------------------------------------------
// Markers in comment text

/**
 * Holds the text, the offsets of every `plan:` in it (the only places a marker
 * can start) and the markers found. Lexers report comment content with
 * `comment(start, end)`, in text order.
 */
class Scanner {
  readonly markers: CodeMarker[] = [];
  /** The offset of the last `plan:`; once past it a lexer can stop. -1 when there is none. */
  readonly last: number;
  private readonly candidates: number[] = [];
  private nextCandidate = 0;
  // The run of path characters measured last: a `plan:` inside it reuses its end (keeps `plan:plan:plan:…` linear).
  private runStart = -1;
  private runEnd = -1;
  private runLimit = -1;

  constructor(readonly text: string) {
    for (let i = text.indexOf(PREFIX); i !== -1; i = text.indexOf(PREFIX, i + PREFIX.length)) this.candidates.push(i);
    this.last = this.candidates.length > 0 ? this.candidates[this.candidates.length - 1] : -1;
  }

  /** The text [start, end) is comment content: records the markers in it. */
  comment(start: number, end: number): void {
    const candidates = this.candidates;
    let k = this.nextCandidate;
    while (k < candidates.length && candidates[k] < start) k++;
    while (k < candidates.length && candidates[k] + PREFIX.length < end) {
      const markerEnd = this.marker(candidates[k], start, end);
      k++;
      while (markerEnd > 0 && k < candidates.length && candidates[k] < markerEnd) k++;
    }
    this.nextCandidate = k;
  }

  /** Records the marker at `p` (a `plan:` in the comment [start, end)); its end, or -1 when there is none. */
  private marker(p: number, start: number, end: number): number {
    const t = this.text;
    if (p > start) {
      const before = t.charCodeAt(p - 1);
      if (isWordChar(before) || (before >= 128 && isLetterLikeAt(t, p - 1))) return -1;
    }
    const q = p + PREFIX.length;
    const run = this.pathRun(q, end);
    if (run < end && t.charCodeAt(run) === HASH && isPlanFileName(t, q, run)) return this.add(p, q, run, run + 1, end);
    return this.add(p, -1, -1, q, end);
  }

  private add(p: number, fileStart: number, fileEnd: number, idStart: number, end: number): number {
    const t = this.text;
    let raw = idStart;
    while (raw < end && isIdChar(t.charCodeAt(raw))) raw++;
    let idEnd = raw;
    while (idEnd > idStart && (t.charCodeAt(idEnd - 1) === DOT || t.charCodeAt(idEnd - 1) === DASH)) idEnd--;
    if (idEnd === idStart || !endsToken(t, raw, end)) return -1;
    if (fileStart < 0 && isPlanFileName(t, idStart, idEnd)) return -1;
    const id = t.slice(idStart, idEnd);
    this.markers.push(
      fileStart < 0
        ? { id, span: [p, idEnd], idSpan: [idStart, idEnd] }
        : { id, file: t.slice(fileStart, fileEnd), span: [p, idEnd], idSpan: [idStart, idEnd] },
    );
    return idEnd;
  }

  private pathRun(q: number, end: number): number {
    if (end === this.runLimit && q >= this.runStart && q <= this.runEnd) return this.runEnd;
    const t = this.text;
    let r = q;
    while (r < end && isPathChar(t.charCodeAt(r))) r++;
    this.runStart = q;
    this.runEnd = r;
    this.runLimit = end;
    return r;
  }
}

function isPlanFileName(t: string, start: number, end: number): boolean {
  return (end - start > 10 && t.startsWith('.plan.yaml', end - 10)) || (end - start > 9 && t.startsWith('.plan.yml', end - 9));
}

/** Whether an id ending at `raw` ends there, rather than running on as a path, a URL or a longer word. */
function endsToken(t: string, raw: number, end: number): boolean {
  if (raw >= end) return true;
  const c = t.charCodeAt(raw);
  if (c === SLASH || c === BACKSLASH || c === HASH || c === AT) return false;
  if (c === COLON) {
    const next = raw + 1 < end ? t.charCodeAt(raw + 1) : SPACE;
    return !(isIdChar(next) || next === SLASH);
  }
  return c < 128 || !isLetterLikeAt(t, raw);
}

// ---------------------------------------------------------------------------
// Lexing helpers. All take the region end `to` and never look past it.

/** Lexes [from, to) and returns where it stopped (an embedded lexer may stop early, e.g. at PHP's `?>`). */
type Lexer = (s: Scanner, from: number, to: number) => number;

const ESC_BACKSLASH = 1;
const ESC_DOUBLE = 2; // a doubled quote stands for itself: 'it''s'
const ESC_BACKTICK = 4; // PowerShell

function lineEnd(t: string, i: number, to: number): number {
  while (i < to && t.charCodeAt(i) !== LF) i++;
  return i;
}

/** The offset of `needle` in [from, to), or -1. */
function find(t: string, needle: string, from: number, to: number): number {
  if (to >= t.length) return t.indexOf(needle, from);
  const first = needle.charCodeAt(0);
  for (let k = from; k + needle.length <= to; k++) if (t.charCodeAt(k) === first && t.startsWith(needle, k)) return k;
  return -1;
}

/** The offset of `needle` before the end of the line, or -1. */
function findInLine(t: string, needle: string, from: number, to: number): number {
  const first = needle.charCodeAt(0);
  for (let k = from; k + needle.length <= to; k++) {
    const c = t.charCodeAt(k);
    if (c === LF) return -1;
    if (c === first && t.startsWith(needle, k)) return k;
  }
  return -1;
}

function startsWithIn(t: string, needle: string, i: number, to: number): boolean {
  return i + needle.length <= to && t.startsWith(needle, i);
}

/**
 * Past the closing `quote` of a string whose content starts at `j`. A string
 * that cannot span lines ends, unterminated, at the line end.
 */
function skipQuoted(t: string, j: number, quote: number, escapes: number, multiline: boolean, to: number): number {
  while (j < to) {
    const c = t.charCodeAt(j);
    if (c === quote) {
      if (escapes & ESC_DOUBLE && j + 1 < to && t.charCodeAt(j + 1) === quote) {
        j += 2;
        continue;
      }
      return j + 1;
    }
    if ((c === BACKSLASH && escapes & ESC_BACKSLASH) || (c === BACKTICK && escapes & ESC_BACKTICK)) {
      j += t.charCodeAt(j + 1) === CR && t.charCodeAt(j + 2) === LF ? 3 : 2;
      continue;
    }
    if (c === LF && !multiline) return j;
    j++;
  }
  return to;
}

/** The start of the closing `close` of content starting at `j` (may span lines), or -1. */
function closerOf(t: string, j: number, close: string, backslash: boolean, to: number): number {
  if (!backslash) return find(t, close, j, to);
  const first = close.charCodeAt(0);
  while (j < to) {
    const c = t.charCodeAt(j);
    if (c === BACKSLASH) j += 2;
    else if (c === first && startsWithIn(t, close, j, to)) return j;
    else j++;
  }
  return -1;
}

/** The end of a `"""`/`'''` string whose content starts at `j`; the last three of a longer run of quotes close it. */
function tripleEnd(t: string, j: number, quote: number, backslash: boolean, to: number): number {
  const close = quote === DQUOTE ? '"""' : "'''";
  let k = closerOf(t, j, close, backslash, to);
  if (k < 0) return to;
  while (k + 3 < to && t.charCodeAt(k + 3) === quote) k++;
  return k + 3;
}

/** Reports a block comment whose content starts at `start`; returns the offset past its closer. */
function blockComment(s: Scanner, start: number, to: number, open: string, close: string, nested: boolean): number {
  const t = s.text;
  if (!nested) {
    const k = find(t, close, start, to);
    s.comment(start, k < 0 ? to : k);
    return k < 0 ? to : k + close.length;
  }
  const o = open.charCodeAt(0);
  const c0 = close.charCodeAt(0);
  let depth = 1;
  let j = start;
  while (j < to) {
    const c = t.charCodeAt(j);
    if (c === c0 && startsWithIn(t, close, j, to)) {
      if (--depth === 0) {
        s.comment(start, j);
        return j + close.length;
      }
      j += close.length;
    } else if (c === o && startsWithIn(t, open, j, to)) {
      depth++;
      j += open.length;
    } else j++;
  }
  s.comment(start, to);
  return to;
}

/** Reports a line comment whose content starts at `start`; returns the line end. */
function lineComment(s: Scanner, start: number, to: number): number {
  const e = lineEnd(s.text, start, to);
  s.comment(start, e);
  return e;
}

/** The end of a character literal `'x'`, `'\n'`, `'\u{1F600}'` at `i`, or -1 (a lifetime `'a`, a symbol `'sym`, a prime). */
function charLiteralEnd(t: string, i: number, to: number): number {
  if (i + 2 >= to) return -1;
  const n = t.charCodeAt(i + 1);
  if (n === LF || n === CR || n === SQUOTE) return -1;
  if (n === BACKSLASH) {
    for (let k = i + 3; k < to && k < i + 16; k++) {
      const d = t.charCodeAt(k);
      if (d === SQUOTE) return k + 1;
      if (d === LF) break;
    }
    return -1;
  }
  const k = i + (n >= 0xd800 && n <= 0xdbff ? 3 : 2);
  return k < to && t.charCodeAt(k) === SQUOTE ? k + 1 : -1;
}

/** Whether `i` starts a word: the region start, or after whitespace or one of `separators`. */
function atWordStart(t: string, i: number, from: number, separators: string): boolean {
  if (i <= from) return true;
  const c = t.charCodeAt(i - 1);
  return c === SPACE || c === TAB || c === LF || c === CR || separators.indexOf(t[i - 1]) >= 0;
}

/** Skips heredoc bodies starting at line start `j`, in order; returns the offset past the last terminator line. */
function skipHeredocs(t: string, j: number, heredocs: Heredoc[], to: number): number {
  for (const heredoc of heredocs) {
    while (j < to) {
      const e = lineEnd(t, j, to);
      let k = j;
      if (heredoc.indented) while (k < e && (t.charCodeAt(k) === SPACE || t.charCodeAt(k) === TAB)) k++;
      let m = k + heredoc.id.length;
      const found = m <= e && t.startsWith(heredoc.id, k);
      while (found && m < e && isBlank(t.charCodeAt(m))) m++;
      j = e < to ? e + 1 : to;
      if (found && m === e) break;
    }
  }
  heredocs.length = 0;
  return j;
}

interface Heredoc {
  id: string;
  /** The terminator may be indented (`<<-`, `<<~`). */
  indented: boolean;
}

/**
 * A heredoc start `<<ID`, `<<-ID`, `<<~ID`, `<<'ID'`, `<<"ID"` (and `<< ID`,
 * `<<\ID` when `shell`) at `i`: pushes it and returns its end, or -1.
 */
function heredocStart(t: string, i: number, to: number, heredocs: Heredoc[], shell: boolean, dashes: string): number {
  let j = i + 2;
  // More than a few pending heredocs on one line is no real code: the cap keeps absurd input cheap.
  if (j >= to || t.charCodeAt(j) === LT || heredocs.length >= 16) return -1;
  let indented = false;
  if (dashes.indexOf(t[j]) >= 0) {
    indented = true;
    j++;
  }
  if (shell) while (j < to && (t.charCodeAt(j) === SPACE || t.charCodeAt(j) === TAB)) j++;
  let quote = 0;
  const q = t.charCodeAt(j);
  if (q === DQUOTE || q === SQUOTE || q === BACKTICK) {
    quote = q;
    j++;
  } else if (shell && q === BACKSLASH) j++;
  const start = j;
  while (j < to && (isWordChar(t.charCodeAt(j)) || (shell && t.charCodeAt(j) === DASH))) j++;
  if (j === start) return -1;
  if (!quote && isDigit(t.charCodeAt(start))) return -1;
  if (!shell && !quote && !indented && !(t.charCodeAt(start) >= 65 && t.charCodeAt(start) <= 90)) return -1;
  const id = t.slice(start, j);
  if (quote) {
    if (t.charCodeAt(j) !== quote) return -1;
    j++;
  }
  heredocs.push({ id, indented });
  return j;
}

// ---------------------------------------------------------------------------
// C-like languages: `//` and `/* */`, with each language's strings

interface CLike {
  /** `//` line comments (not in CSS). */
  slashSlash: boolean;
  /** Block comments nest (Rust, Swift, Kotlin, Scala, Dart). */
  nested?: boolean;
  /** `#` line comments: everywhere, or PHP's (not `#[`, an attribute). */
  hash?: 'all' | 'php';
  /** Template literals with `${}` and regular expression literals (JavaScript, TypeScript). */
  js?: boolean;
  /** Backtick strings: Go's raw strings (span lines), or quoted names (Kotlin, Scala, Swift). */
  backtick?: 'raw' | 'name';
  /** `"""…"""` strings; `raw` ones have no escapes (Kotlin, Scala). */
  triple?: 'escapes' | 'raw';
  /** `'''…'''` strings (Dart, Groovy). */
  tripleSingle?: boolean;
  /** `'…'` is a string, a character literal told apart from lifetimes and symbols (Rust, Scala), or no quote (Swift). */
  apostrophe: 'string' | 'char' | 'none';
  /** `"…"` and `'…'` may span lines (Rust, PHP). */
  multiline?: boolean;
  /** C and C++: `'` digit separators, `\` continuing a `//` comment, and (C++) raw strings `R"d(…)d"`. */
  cpp?: boolean;
  cppRaw?: boolean;
  /** Rust raw strings `r"…"`, `r#"…"#`, `br"…"`. */
  rustRaw?: boolean;
  /** Swift extended strings `#"…"#`. */
  swiftRaw?: boolean;
  /** C# verbatim `@"…"`, interpolated `$"…"` and raw `"""…"""` strings. */
  csharp?: boolean;
  /** PHP: `?>` ends the code, heredocs and nowdocs. */
  php?: boolean;
  /** SCSS, Less: `url(//host/x)` is no comment. */
  cssUrl?: boolean;
}

const PREV_OPERATOR = 0;
const PREV_VALUE = 1;
const PREV_WORD = 2;
const REGEX_AFTER_WORD = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);

function cLike(options: CLike): Lexer {
  return (s, from, to) => lexCLike(s, from, to, options);
}

function lexCLike(s: Scanner, from: number, to: number, o: CLike): number {
  const t = s.text;
  /** For each open `${` of a template literal, the depth of `{` inside it. */
  const templates: number[] = [];
  let prev = PREV_OPERATOR;
  let wordStart = 0;
  let wordEnd = 0;
  let noRegexBefore = -1;
  let i = from;

  const commentToLineEnd = (start: number): number => {
    let e = lineEnd(t, start, to);
    if (o.php) {
      const close = find(t, '?>', start, e);
      if (close >= 0) e = close;
    } else if (o.cpp) {
      while (e < to && endsWithBackslash(t, start, e)) e = lineEnd(t, e + 1, to);
    }
    s.comment(start, e);
    return e;
  };

  // After the backtick or `}` that (re)opens template text: its end, or past a `${` (pushed).
  const templateText = (j: number): number => {
    while (j < to) {
      const d = t.charCodeAt(j);
      if (d === BACKSLASH) j += 2;
      else if (d === BACKTICK) return j + 1;
      else if (d === DOLLAR && j + 1 < to && t.charCodeAt(j + 1) === LBRACE) {
        templates.push(0);
        return j + 2;
      } else j++;
    }
    return to;
  };

  const doubleQuoted = (q: number): number => {
    if (o.csharp) {
      let k = q;
      while (k < to && t.charCodeAt(k) === DQUOTE) k++;
      const quotes = k - q;
      if (quotes >= 3) {
        let e = find(t, t.slice(q, k), k, to);
        if (e < 0) return to;
        while (e + quotes < to && t.charCodeAt(e + quotes) === DQUOTE) e++;
        return e + quotes;
      }
    } else if (o.triple && startsWithIn(t, '"""', q, to)) {
      return tripleEnd(t, q + 3, DQUOTE, o.triple === 'escapes', to);
    }
    return skipQuoted(t, q + 1, DQUOTE, ESC_BACKSLASH, o.multiline === true, to);
  };

  while (i < to) {
    if (i > s.last) return to;
    const c = t.charCodeAt(i);
    if (c <= SPACE) {
      i++;
      continue;
    }
    const n = i + 1 < to ? t.charCodeAt(i + 1) : 0;
    switch (c) {
      case SLASH:
        if (n === SLASH && o.slashSlash) {
          i = commentToLineEnd(i + 2);
          continue;
        }
        if (n === STAR) {
          i = blockComment(s, i + 2, to, '/*', '*/', o.nested === true);
          continue;
        }
        // Not after `<` (a JSX closing tag) nor before `>` (a self-closing one).
        if (o.js && n !== GT && i >= noRegexBefore && (t.charCodeAt(i - 1) !== LT || i === from) && (prev === PREV_OPERATOR || (prev === PREV_WORD && REGEX_AFTER_WORD.has(t.slice(wordStart, wordEnd))))) {
          const e = regexEnd(t, i + 1, to);
          if (e >= 0) {
            i = e;
            prev = PREV_VALUE;
            continue;
          }
          noRegexBefore = lineEnd(t, i, to);
        }
        i++;
        prev = PREV_OPERATOR;
        continue;
      case DQUOTE:
        i = doubleQuoted(i);
        prev = PREV_VALUE;
        continue;
      case SQUOTE:
        if (o.tripleSingle && startsWithIn(t, "'''", i, to)) i = tripleEnd(t, i + 3, SQUOTE, true, to);
        else if (o.apostrophe === 'string') i = skipQuoted(t, i + 1, SQUOTE, ESC_BACKSLASH, o.multiline === true, to);
        else if (o.apostrophe === 'char') {
          const e = charLiteralEnd(t, i, to);
          i = e < 0 ? i + 1 : e;
        } else i++;
        prev = PREV_VALUE;
        continue;
      case BACKTICK:
        if (o.js) {
          const depth = templates.length;
          i = templateText(i + 1);
          prev = templates.length > depth ? PREV_OPERATOR : PREV_VALUE;
        } else if (o.backtick === 'raw') {
          const k = find(t, '`', i + 1, to);
          i = k < 0 ? to : k + 1;
          prev = PREV_VALUE;
        } else if (o.backtick === 'name') {
          i = skipQuoted(t, i + 1, BACKTICK, 0, false, to);
          prev = PREV_VALUE;
        } else {
          i++;
          prev = PREV_OPERATOR;
        }
        continue;
      case LBRACE:
        if (templates.length > 0) templates[templates.length - 1]++;
        i++;
        prev = PREV_OPERATOR;
        continue;
      case RBRACE:
        if (templates.length > 0) {
          const top = templates.length - 1;
          if (templates[top] === 0) {
            templates.pop();
            const depth = templates.length;
            i = templateText(i + 1);
            prev = templates.length > depth ? PREV_OPERATOR : PREV_VALUE;
            continue;
          }
          templates[top]--;
        }
        i++;
        prev = PREV_OPERATOR;
        continue;
      case HASH:
        if (o.hash === 'all' || (o.hash === 'php' && n !== LBRACKET)) {
          i = commentToLineEnd(i + 1);
          continue;
        }
        if (o.swiftRaw) {
          const e = swiftRawEnd(t, i, to);
          if (e >= 0) {
            i = e;
            prev = PREV_VALUE;
            continue;
          }
        }
        i++;
        prev = PREV_OPERATOR;
        continue;
      case QUESTION:
        if (o.php && n === GT) return i + 2;
        break;
      case LT:
        if (o.php && startsWithIn(t, '<<<', i, to)) {
          const e = phpHeredocEnd(t, i, to);
          if (e >= 0) {
            i = e;
            prev = PREV_VALUE;
            continue;
          }
        }
        break;
      case AT:
      case DOLLAR:
        if (o.csharp) {
          let k = i;
          let verbatim = false;
          while (k < to && (t.charCodeAt(k) === AT || t.charCodeAt(k) === DOLLAR)) {
            if (t.charCodeAt(k) === AT) verbatim = true;
            k++;
          }
          if (k < to && t.charCodeAt(k) === DQUOTE) {
            i = verbatim ? skipQuoted(t, k + 1, DQUOTE, ESC_DOUBLE, true, to) : doubleQuoted(k);
            prev = PREV_VALUE;
            continue;
          }
          if (c === AT) {
            i++;
            continue;
          }
        }
        break;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < to && isIdentPart(t.charCodeAt(j))) j++;
      const after = j < to ? t.charCodeAt(j) : 0;
      if (o.cppRaw && after === DQUOTE && isCppRawPrefix(t, i, j)) {
        const e = cppRawEnd(t, j, to);
        if (e >= 0) {
          i = e;
          prev = PREV_VALUE;
          continue;
        }
      }
      if (o.rustRaw && (after === DQUOTE || after === HASH) && isRustRawPrefix(t, i, j)) {
        const e = rustRawEnd(t, j, to);
        if (e >= 0) {
          i = e;
          prev = PREV_VALUE;
          continue;
        }
      }
      if (o.cssUrl && after === LPAREN && j - i === 3 && t.startsWith('url', i)) {
        let k = j + 1;
        while (k < to && isBlank(t.charCodeAt(k))) k++;
        if (k < to && t.charCodeAt(k) !== DQUOTE && t.charCodeAt(k) !== SQUOTE) {
          while (k < to && t.charCodeAt(k) !== RPAREN && t.charCodeAt(k) !== LF) k++;
          i = k;
          prev = PREV_VALUE;
          continue;
        }
      }
      wordStart = i;
      wordEnd = j;
      prev = PREV_WORD;
      i = j;
      continue;
    }
    if (isDigit(c)) {
      let j = i + 1;
      while (j < to) {
        const d = t.charCodeAt(j);
        if (isIdentPart(d) || d === DOT || (o.cpp && d === SQUOTE && j + 1 < to && isWordChar(t.charCodeAt(j + 1)))) j++;
        else break;
      }
      i = j;
      prev = PREV_VALUE;
      continue;
    }
    if ((c === 43 /* + */ || c === DASH) && n === c) {
      // `a++ / 2`: after a postfix increment comes a division.
      i += 2;
      prev = PREV_VALUE;
      continue;
    }
    prev = c === RPAREN || c === RBRACKET ? PREV_VALUE : PREV_OPERATOR;
    i++;
  }
  return to;
}

function endsWithBackslash(t: string, start: number, e: number): boolean {
  let k = e - 1;
  if (k >= start && t.charCodeAt(k) === CR) k--;
  return k >= start && t.charCodeAt(k) === BACKSLASH;
}

/** The end of a regular expression literal whose body starts at `j`, or -1 when the line ends first. */
function regexEnd(t: string, j: number, to: number): number {
  let inClass = false;
  while (j < to) {
    const c = t.charCodeAt(j);
    if (c === LF || c === CR) return -1;
    if (c === BACKSLASH) {
      if (j + 1 < to && (t.charCodeAt(j + 1) === LF || t.charCodeAt(j + 1) === CR)) return -1;
      j += 2;
      continue;
    }
    if (c === LBRACKET) inClass = true;
    else if (c === RBRACKET) inClass = false;
    else if (c === SLASH && !inClass) return j + 1;
    j++;
  }
  return -1;
}

function isCppRawPrefix(t: string, i: number, j: number): boolean {
  if (t.charCodeAt(j - 1) !== 82 /* R */) return false;
  const length = j - i;
  return length === 1 || (length === 2 && 'uUL'.indexOf(t[i]) >= 0) || (length === 3 && t.startsWith('u8', i));
}

/** `R"delim( … )delim"` with its `"` at `q`: the end, or -1 when it is not one. */
function cppRawEnd(t: string, q: number, to: number): number {
  let k = q + 1;
  while (k < to && k - q <= 17) {
    const c = t.charCodeAt(k);
    if (c === LPAREN) break;
    if (c <= SPACE || c === BACKSLASH || c === RPAREN || c === DQUOTE) return -1;
    k++;
  }
  if (k >= to || t.charCodeAt(k) !== LPAREN) return -1;
  const close = `)${t.slice(q + 1, k)}"`;
  const e = find(t, close, k + 1, to);
  return e < 0 ? to : e + close.length;
}

function isRustRawPrefix(t: string, i: number, j: number): boolean {
  const length = j - i;
  return t.charCodeAt(j - 1) === 114 /* r */ && (length === 1 || (length === 2 && (t[i] === 'b' || t[i] === 'c')));
}

/** `r"…"`, `r#"…"#` with the character after `r` at `j`: the end, or -1 (`r#ident` is a raw identifier). */
function rustRawEnd(t: string, j: number, to: number): number {
  let k = j;
  while (k < to && t.charCodeAt(k) === HASH) k++;
  if (k >= to || t.charCodeAt(k) !== DQUOTE) return -1;
  const close = `"${t.slice(j, k)}`;
  const e = find(t, close, k + 1, to);
  return e < 0 ? to : e + close.length;
}

/** Swift `#"…"#`, `##"…"##`, `#"""…"""#` at `i`: the end, or -1. */
function swiftRawEnd(t: string, i: number, to: number): number {
  let k = i;
  while (k < to && t.charCodeAt(k) === HASH) k++;
  if (k >= to || t.charCodeAt(k) !== DQUOTE) return -1;
  const hashes = t.slice(i, k);
  if (startsWithIn(t, '"""', k, to)) {
    const e = find(t, `"""${hashes}`, k + 3, to);
    return e < 0 ? to : e + 3 + hashes.length;
  }
  const e = findInLine(t, `"${hashes}`, k + 1, to);
  return e < 0 ? lineEnd(t, k, to) : e + 1 + hashes.length;
}

/** PHP `<<<ID`, `<<<"ID"`, `<<<'ID'` at `i`: the end of the heredoc (its closing identifier), or -1. */
function phpHeredocEnd(t: string, i: number, to: number): number {
  let j = i + 3;
  while (j < to && (t.charCodeAt(j) === SPACE || t.charCodeAt(j) === TAB)) j++;
  const quote = t.charCodeAt(j);
  if (quote === DQUOTE || quote === SQUOTE) j++;
  const start = j;
  while (j < to && isWordChar(t.charCodeAt(j))) j++;
  if (j === start) return -1;
  const id = t.slice(start, j);
  if ((quote === DQUOTE || quote === SQUOTE) && t.charCodeAt(j++) !== quote) return -1;
  if (j < to && t.charCodeAt(j) === CR) j++;
  if (j >= to || t.charCodeAt(j) !== LF) return -1;
  j++;
  while (j < to) {
    const e = lineEnd(t, j, to);
    let k = j;
    while (k < e && (t.charCodeAt(k) === SPACE || t.charCodeAt(k) === TAB)) k++;
    if (t.startsWith(id, k) && k + id.length <= e && !isWordChar(t.charCodeAt(k + id.length))) return k + id.length;
    j = e + 1;
  }
  return to;
}

// ---------------------------------------------------------------------------
// A table-driven lexer for the simpler languages

interface Simple {
  /** Line comment openers. */
  line?: string[];
  /** Block comments: open, close, whether they nest. Checked before line comments. */
  block?: [open: string, close: string, nested: boolean][];
  /** Strings: open, close, escapes (ESC_*), whether a one-character-closed string may span lines. Longest first. */
  quotes?: [open: string, close: string, escapes: number, multiline: boolean][];
  /** In code, this prefix makes the next character literal: TeX `\%`, Clojure `\;`, Erlang `$%`, Lisp `#\;`, PowerShell `` `# ``. */
  escape?: string;
  /** After `escape`, a backslash escapes one more character (Erlang `$\"`). */
  escapeEscapes?: boolean;
  /** Line comments start only at the beginning of a word: after whitespace or one of these characters. */
  wordStart?: string;
  /** `'x'` is a character literal, but a `'` after a name or closing bracket is a prime or transpose. */
  apostropheChar?: boolean;
  /** Haskell: `--` is a comment only when the dashes are not part of an operator (`-->`, `|--`). */
  haskellDashes?: boolean;
  /** Language-specific constructs starting at one of `hookChars`: returns the offset past them, or -1. */
  hook?: (s: Scanner, i: number, from: number, to: number) => number;
  hookChars?: string;
}

const HASKELL_SYMBOL = asciiTable('!#$%&*+./<=>?@\\^|-~:');

function simple(syntax: Simple): Lexer {
  const blocks = syntax.block ?? [];
  const lines = syntax.line ?? [];
  const quotes = syntax.quotes ?? [];
  const interesting = new Uint8Array(128);
  const hooked = new Uint8Array(128);
  const mark = (table: Uint8Array, text: string | undefined) => {
    if (text) table[text.charCodeAt(0)] = 1;
  };
  for (const opener of lines) mark(interesting, opener);
  for (const block of blocks) mark(interesting, block[0]);
  for (const quote of quotes) mark(interesting, quote[0]);
  mark(interesting, syntax.escape);
  if (syntax.apostropheChar) interesting[SQUOTE] = 1;
  for (const c of syntax.hookChars ?? '') {
    mark(interesting, c);
    mark(hooked, c);
  }

  return (s, from, to) => {
    const t = s.text;
    let i = from;
    scan: while (i < to) {
      if (i > s.last) return to;
      const c = t.charCodeAt(i);
      if (c >= 128 || interesting[c] === 0) {
        i++;
        continue;
      }
      if (hooked[c] === 1) {
        const e = syntax.hook!(s, i, from, to);
        if (e >= 0) {
          i = e;
          continue;
        }
      }
      for (let b = 0; b < blocks.length; b++) {
        const block = blocks[b];
        if (startsWithIn(t, block[0], i, to)) {
          i = blockComment(s, i + block[0].length, to, block[0], block[1], block[2]);
          continue scan;
        }
      }
      for (let l = 0; l < lines.length; l++) {
        const opener = lines[l];
        if (!startsWithIn(t, opener, i, to)) continue;
        if (syntax.wordStart !== undefined && !atWordStart(t, i, from, syntax.wordStart)) continue;
        if (syntax.haskellDashes) {
          let k = i + opener.length;
          while (k < to && t.charCodeAt(k) === DASH) k++;
          const after = k < to ? t.charCodeAt(k) : SPACE;
          const before = i > from ? t.charCodeAt(i - 1) : SPACE;
          if ((after < 128 && HASKELL_SYMBOL[after] === 1) || (before < 128 && HASKELL_SYMBOL[before] === 1)) {
            i = k;
            continue scan;
          }
        }
        i = lineComment(s, i + opener.length, to);
        continue scan;
      }
      for (let q = 0; q < quotes.length; q++) {
        const [open, close, escapes, multiline] = quotes[q];
        if (!startsWithIn(t, open, i, to)) continue;
        if (close.length === 1) i = skipQuoted(t, i + open.length, close.charCodeAt(0), escapes, multiline, to);
        else {
          const k = closerOf(t, i + open.length, close, (escapes & ESC_BACKSLASH) !== 0, to);
          i = k < 0 ? to : k + close.length;
        }
        continue scan;
      }
      if (syntax.escape && startsWithIn(t, syntax.escape, i, to)) {
        i += syntax.escape.length + (syntax.escapeEscapes && t.charCodeAt(i + syntax.escape.length) === BACKSLASH ? 2 : 1);
        continue;
      }
      if (syntax.apostropheChar && c === SQUOTE) {
        const before = i > from ? t.charCodeAt(i - 1) : SPACE;
        const e = isIdentPart(before) || before === RPAREN || before === RBRACKET || before === SQUOTE ? -1 : charLiteralEnd(t, i, to);
        i = e < 0 ? i + 1 : e;
        continue;
      }
      i++;
    }
    return to;
  };
}

/** Comments only as the first thing on a line (INI, Dockerfile, properties, batch files). */
function lineStart(openers: string[], caseInsensitive = false): Lexer {
  return (s, from, to) => {
    const t = s.text;
    let i = from;
    while (i < to) {
      if (i > s.last) return to;
      while (i < to && isBlank(t.charCodeAt(i))) i++;
      const e = lineEnd(t, i, to);
      for (const opener of openers) {
        const head = t.slice(i, i + opener.length);
        if (head === opener || (caseInsensitive && head.toLowerCase() === opener)) {
          s.comment(Math.min(i + opener.length, e), e);
          break;
        }
      }
      i = e + 1;
    }
    return to;
  };
}

// ---------------------------------------------------------------------------
// Python

const PYTHON_PREFIX = asciiTable('rRuUbBfFtT');

function lexPython(s: Scanner, from: number, to: number): number {
  const t = s.text;
  let depth = 0;
  let statementStart = true;
  let i = from;

  // A string whose opening quote is at `q` (its prefix at `start`): returns its end. A string
  // that is a statement of its own (a docstring) is documentation, reported as a comment.
  const string = (q: number): number => {
    const quote = t.charCodeAt(q);
    const triple = startsWithIn(t, quote === DQUOTE ? '"""' : "'''", q, to);
    const contentStart = q + (triple ? 3 : 1);
    let contentEnd = to;
    let end = to;
    let j = contentStart;
    while (j < to) {
      const c = t.charCodeAt(j);
      if (c === BACKSLASH) {
        j += t.charCodeAt(j + 1) === CR && t.charCodeAt(j + 2) === LF ? 3 : 2;
        continue;
      }
      if (c === quote && (!triple || (j + 2 < to && t.charCodeAt(j + 1) === quote && t.charCodeAt(j + 2) === quote))) {
        contentEnd = j;
        end = j + (triple ? 3 : 1);
        break;
      }
      if (c === LF && !triple) {
        contentEnd = end = j;
        break;
      }
      j++;
    }
    if (statementStart && endsStatement(end)) s.comment(contentStart, Math.min(contentEnd, to));
    return Math.min(end, to);
  };
  const endsStatement = (k: number): boolean => {
    while (k < to && (t.charCodeAt(k) === SPACE || t.charCodeAt(k) === TAB || t.charCodeAt(k) === CR)) k++;
    return k >= to || t.charCodeAt(k) === LF || t.charCodeAt(k) === HASH || t.charCodeAt(k) === SEMI;
  };

  while (i < to) {
    if (i > s.last) return to;
    const c = t.charCodeAt(i);
    if (c === LF) {
      if (depth === 0) statementStart = true;
      i++;
    } else if (isBlank(c)) i++;
    else if (c === HASH) i = lineComment(s, i + 1, to);
    else if (c === BACKSLASH) {
      i += t.charCodeAt(i + 1) === CR && t.charCodeAt(i + 2) === LF ? 3 : 2;
      statementStart = false;
    } else if (c === DQUOTE || c === SQUOTE) {
      i = string(i);
      statementStart = false;
    } else if (isIdentStart(c)) {
      let j = i + 1;
      while (j < to && isIdentPart(t.charCodeAt(j))) j++;
      const after = j < to ? t.charCodeAt(j) : 0;
      if ((after === DQUOTE || after === SQUOTE) && j - i <= 2 && PYTHON_PREFIX[c] === 1 && (j - i === 1 || PYTHON_PREFIX[t.charCodeAt(i + 1)] === 1)) j = string(j);
      i = j;
      statementStart = false;
    } else {
      if (c === LPAREN || c === LBRACKET || c === LBRACE) depth++;
      else if ((c === RPAREN || c === RBRACKET || c === RBRACE) && depth > 0) depth--;
      else if (c === SEMI && depth === 0) {
        statementStart = true;
        i++;
        continue;
      }
      statementStart = false;
      i++;
    }
  }
  return to;
}

// ---------------------------------------------------------------------------
// Ruby

const RUBY_EXPRESSION_KEYWORDS = new Set(['if', 'elsif', 'unless', 'while', 'until', 'and', 'or', 'not', 'return', 'when', 'case', 'in', 'then', 'do', 'puts', 'p', 'print', 'raise', 'yield']);

function bracketCloser(c: number): number {
  return c === LPAREN ? RPAREN : c === LBRACKET ? RBRACKET : c === LBRACE ? RBRACE : c === LT ? GT : c;
}

/** A delimited literal (Ruby `%w[…]`, Perl `q{…}`) with its opening delimiter at `j`: the end. Brackets nest. */
function delimitedEnd(t: string, j: number, to: number): number {
  const open = t.charCodeAt(j);
  const close = bracketCloser(open);
  let depth = 1;
  for (let k = j + 1; k < to; k++) {
    const c = t.charCodeAt(k);
    if (c === BACKSLASH) k++;
    else if (c === close && --depth === 0) return k + 1;
    else if (c === open && close !== open) depth++;
  }
  return to;
}

function lexRuby(s: Scanner, from: number, to: number): number {
  const t = s.text;
  const heredocs: Heredoc[] = [];
  let value = false;
  let atLineStart = true;
  let i = from;
  while (i < to) {
    if (i > s.last) return to;
    const c = t.charCodeAt(i);
    if (atLineStart) {
      atLineStart = false;
      if (c === EQ && startsWithIn(t, '=begin', i, to) && (i + 6 >= to || t.charCodeAt(i + 6) <= SPACE)) {
        let j = lineEnd(t, i, to);
        const start = i + 6;
        while (j < to) {
          j++;
          if (startsWithIn(t, '=end', j, to) && (j + 4 >= to || t.charCodeAt(j + 4) <= SPACE)) break;
          j = lineEnd(t, j, to);
        }
        s.comment(start, Math.min(j, to));
        i = lineEnd(t, j, to);
        continue;
      }
      if (c === 95 && startsWithIn(t, '__END__', i, to) && (i + 7 >= to || t.charCodeAt(i + 7) === LF || t.charCodeAt(i + 7) === CR)) return to;
    }
    if (c === LF) {
      i = heredocs.length > 0 ? skipHeredocs(t, i + 1, heredocs, to) : i + 1;
      atLineStart = true;
      value = false;
      continue;
    }
    if (isBlank(c)) {
      i++;
      continue;
    }
    if (c === HASH) {
      i = lineComment(s, i + 1, to);
      continue;
    }
    if (c === DQUOTE || c === SQUOTE || c === BACKTICK) {
      i = skipQuoted(t, i + 1, c, ESC_BACKSLASH, true, to);
      value = true;
      continue;
    }
    if (c === SLASH && !value) {
      const e = regexEnd(t, i + 1, to);
      if (e >= 0) {
        i = e;
        value = true;
        continue;
      }
    }
    if (c === PERCENT && !value) {
      let j = i + 1;
      if (j < to && 'qQwWiIrsx'.indexOf(t[j]) >= 0 && j + 1 < to && !isWordChar(t.charCodeAt(j + 1)) && t.charCodeAt(j + 1) > SPACE) j++;
      const d = j < to ? t.charCodeAt(j) : 0;
      if (d > SPACE && d < 128 && !isWordChar(d) && d !== EQ) {
        i = delimitedEnd(t, j, to);
        value = true;
        continue;
      }
    }
    if (c === QUESTION && !value && i + 1 < to && t.charCodeAt(i + 1) > SPACE) {
      i += t.charCodeAt(i + 1) === BACKSLASH ? 3 : 2;
      value = true;
      continue;
    }
    if (c === DOLLAR && i + 1 < to && !isIdentPart(t.charCodeAt(i + 1)) && t.charCodeAt(i + 1) > SPACE) {
      i += 2;
      value = true;
      continue;
    }
    if (c === LT && i + 1 < to && t.charCodeAt(i + 1) === LT) {
      const e = heredocStart(t, i, to, heredocs, false, '~-');
      if (e >= 0) {
        i = e;
        value = true;
        continue;
      }
    }
    if (isIdentStart(c) || isDigit(c)) {
      let j = i + 1;
      while (j < to && isIdentPart(t.charCodeAt(j))) j++;
      if (j < to && (t.charCodeAt(j) === QUESTION || t.charCodeAt(j) === 33) && !(j + 1 < to && t.charCodeAt(j + 1) === EQ)) j++;
      value = !RUBY_EXPRESSION_KEYWORDS.has(t.slice(i, j));
      i = j;
      continue;
    }
    value = c === RPAREN || c === RBRACKET || c === RBRACE;
    i++;
  }
  return to;
}

// ---------------------------------------------------------------------------
// Shell

function lexShell(s: Scanner, from: number, to: number): number {
  const t = s.text;
  const heredocs: Heredoc[] = [];
  let i = from;
  while (i < to) {
    if (i > s.last) return to;
    const c = t.charCodeAt(i);
    switch (c) {
      case LF:
        i = heredocs.length > 0 ? skipHeredocs(t, i + 1, heredocs, to) : i + 1;
        continue;
      case BACKSLASH:
        i += t.charCodeAt(i + 1) === CR ? 3 : 2;
        continue;
      case HASH:
        if (atWordStart(t, i, from, ';&|()')) {
          i = lineComment(s, i + 1, to);
          continue;
        }
        break;
      case SQUOTE: {
        const k = find(t, "'", i + 1, to);
        i = k < 0 ? to : k + 1;
        continue;
      }
      case DQUOTE:
      case BACKTICK:
        i = skipQuoted(t, i + 1, c, ESC_BACKSLASH, true, to);
        continue;
      case DOLLAR:
        if (i + 1 < to && t.charCodeAt(i + 1) === SQUOTE) {
          i = skipQuoted(t, i + 2, SQUOTE, ESC_BACKSLASH, true, to);
          continue;
        }
        break;
      case LT:
        if (i + 1 < to && t.charCodeAt(i + 1) === LT) {
          const e = heredocStart(t, i, to, heredocs, true, '-');
          if (e >= 0) {
            i = e;
            continue;
          }
          i += 2;
          while (i < to && t.charCodeAt(i) === LT) i++;
          continue;
        }
        break;
    }
    i++;
  }
  return to;
}

// ---------------------------------------------------------------------------
// Perl

const PERL_QUOTE_OPERATORS = new Set(['q', 'qq', 'qw', 'qr', 'm', 's', 'tr', 'y']);
const PERL_EXPRESSION_WORDS = new Set(['if', 'unless', 'while', 'until', 'and', 'or', 'not', 'return', 'split', 'grep', 'map', 'join', 'push', 'unshift', 'when', 'x', 'lt', 'gt', 'le', 'ge', 'eq', 'ne', 'cmp']);

function lexPerl(s: Scanner, from: number, to: number): number {
  const t = s.text;
  const heredocs: Heredoc[] = [];
  let value = false;
  let atLineStart = true;
  let dataOnly = false;
  let i = from;

  // POD (`=head1` … `=cut`) at line start `j`: documentation, reported as a comment.
  const pod = (j: number): number => {
    const start = j;
    let k = j;
    while (k < to) {
      const e = lineEnd(t, k, to);
      if (k > start && startsWithIn(t, '=cut', k, to) && (k + 4 >= e || t.charCodeAt(k + 4) <= SPACE)) {
        s.comment(start, k);
        return e;
      }
      k = e + 1;
    }
    s.comment(start, to);
    return to;
  };

  while (i < to) {
    if (i > s.last) return to;
    const c = t.charCodeAt(i);
    if (atLineStart) {
      atLineStart = false;
      if (c === EQ && i + 1 < to && isLetter(t.charCodeAt(i + 1))) {
        i = pod(i);
        continue;
      }
      if (c === 95 && (startsWithIn(t, '__END__', i, to) || startsWithIn(t, '__DATA__', i, to))) dataOnly = true;
    }
    if (c === LF) {
      i = heredocs.length > 0 ? skipHeredocs(t, i + 1, heredocs, to) : i + 1;
      atLineStart = true;
      value = false;
      continue;
    }
    if (dataOnly) {
      i = lineEnd(t, i, to);
      continue;
    }
    if (isBlank(c)) {
      i++;
      continue;
    }
    if (c === HASH) {
      i = lineComment(s, i + 1, to);
      continue;
    }
    if (c === DOLLAR) {
      const n = i + 1 < to ? t.charCodeAt(i + 1) : 0;
      i += n === HASH || (n > SPACE && n !== LBRACE && !isIdentPart(n) && n !== COLON) ? 2 : 1;
      value = true;
      continue;
    }
    if (c === DQUOTE || c === SQUOTE || c === BACKTICK) {
      i = skipQuoted(t, i + 1, c, ESC_BACKSLASH, true, to);
      value = true;
      continue;
    }
    if (c === SLASH && !value) {
      const e = regexEnd(t, i + 1, to);
      if (e >= 0) {
        i = e;
        value = true;
        continue;
      }
    }
    if (c === LT && i + 1 < to && t.charCodeAt(i + 1) === LT) {
      const e = heredocStart(t, i, to, heredocs, false, '~');
      if (e >= 0) {
        i = e;
        value = true;
        continue;
      }
    }
    if (isIdentStart(c) || isDigit(c)) {
      let j = i + 1;
      while (j < to && isWordChar(t.charCodeAt(j))) j++;
      const before = i > from ? t.charCodeAt(i - 1) : SPACE;
      if (before === DOLLAR || before === AT || before === PERCENT || before === 38 /* & */) {
        // A variable: $x, @x, %x.
        i = j;
        value = true;
        continue;
      }
      const word = t.slice(i, j);
      if (PERL_QUOTE_OPERATORS.has(word) && before !== STAR && before !== DASH && before !== GT && before !== COLON) {
        const e = perlQuoteEnd(t, j, to, word === 's' || word === 'tr' || word === 'y');
        if (e >= 0) {
          i = e;
          value = true;
          continue;
        }
      }
      value = !PERL_EXPRESSION_WORDS.has(word);
      i = j;
      continue;
    }
    value = c === RPAREN || c === RBRACKET || c === RBRACE;
    i++;
  }
  return to;
}

/** A quote-like operator's delimited parts after the operator (ending at `j`): the end, or -1 when it is not one. */
function perlQuoteEnd(t: string, j: number, to: number, twoParts: boolean): number {
  let k = j;
  while (k < to && isBlank(t.charCodeAt(k))) k++;
  const d = k < to ? t.charCodeAt(k) : 0;
  if (d <= SPACE || isWordChar(d) || d === COMMA || d === SEMI || d === RPAREN || d === RBRACKET || d === RBRACE || d === GT) return -1;
  if (d === EQ && (t.charCodeAt(k + 1) === GT || t.charCodeAt(k + 1) === EQ || k > j)) return -1;
  if (d === HASH && k > j) return -1;
  let e = delimitedEnd(t, k, to);
  if (twoParts) {
    if (bracketCloser(d) !== d) {
      while (e < to && (t.charCodeAt(e) <= SPACE)) e++;
      if (e < to) e = delimitedEnd(t, e, to);
    } else if (e < to) e = delimitedEnd(t, e - 1, to);
  }
  return e;
}


// ---------------------------------------------------------------------------
// Elixir: sigils, `?x` characters, and documentation attributes

const ELIXIR_DOC = ['doc', 'moduledoc', 'typedoc', 'shortdoc'];

/** An Elixir string or sigil at `i`: [contentStart, contentEnd, end], or undefined when there is none. */
function elixirLiteral(t: string, i: number, to: number): [number, number, number] | undefined {
  let q = i;
  let escapes = true;
  if (t.charCodeAt(i) === TILDE) {
    q = i + 1;
    if (q < to && t.charCodeAt(q) >= 65 && t.charCodeAt(q) <= 90) {
      escapes = false;
      while (q < to && isLetter(t.charCodeAt(q))) q++;
    } else if (q < to && isLetter(t.charCodeAt(q))) q++;
    else return undefined;
  }
  const d = q < to ? t.charCodeAt(q) : 0;
  if ((d === DQUOTE || d === SQUOTE) && startsWithIn(t, d === DQUOTE ? '"""' : "'''", q, to)) {
    const k = closerOf(t, q + 3, d === DQUOTE ? '"""' : "'''", escapes, to);
    return k < 0 ? [q + 3, to, to] : [q + 3, k, k + 3];
  }
  if (q === i && d !== DQUOTE && d !== SQUOTE) return undefined;
  if (!(d === DQUOTE || d === SQUOTE || d === SLASH || d === PIPE || d === LPAREN || d === LBRACKET || d === LBRACE || d === LT)) return undefined;
  const close = bracketCloser(d);
  for (let k = q + 1; k < to; k++) {
    const c = t.charCodeAt(k);
    if (c === BACKSLASH) k++;
    else if (c === close) return [q + 1, k, k + 1];
  }
  return [q + 1, to, to];
}

const lexElixir = simple({
  line: ['#'],
  hookChars: '"\'~?@',
  hook: (s, i, from, to) => {
    const t = s.text;
    const c = t.charCodeAt(i);
    if (c === QUESTION) {
      const before = i > from ? t.charCodeAt(i - 1) : SPACE;
      if (isIdentPart(before) || i + 1 >= to || t.charCodeAt(i + 1) <= SPACE) return -1;
      return i + (t.charCodeAt(i + 1) === BACKSLASH ? 3 : 2);
    }
    if (c === AT) {
      let j = i + 1;
      while (j < to && isWordChar(t.charCodeAt(j))) j++;
      if (!ELIXIR_DOC.includes(t.slice(i + 1, j))) return -1;
      while (j < to && isBlank(t.charCodeAt(j))) j++;
      const literal = elixirLiteral(t, j, to);
      if (!literal) return j;
      s.comment(literal[0], literal[1]);
      return literal[2];
    }
    return elixirLiteral(t, i, to)?.[2] ?? -1;
  },
});

// ---------------------------------------------------------------------------
// Lua: `--[[ long comments ]]` and `[==[ long strings ]==]`

/** A long bracket `[[`, `[=[`, … at `i`: the closer it needs, or undefined. */
function longBracket(t: string, i: number, to: number): string | undefined {
  let k = i + 1;
  while (k < to && t.charCodeAt(k) === EQ) k++;
  return k < to && t.charCodeAt(k) === LBRACKET ? `]${'='.repeat(k - i - 1)}]` : undefined;
}

const lexLua = simple({
  line: ['--'],
  quotes: [
    ['"', '"', ESC_BACKSLASH, false],
    ["'", "'", ESC_BACKSLASH, false],
  ],
  hookChars: '-[',
  hook: (s, i, _from, to) => {
    const t = s.text;
    const open = t.charCodeAt(i) === DASH ? (startsWithIn(t, '--[', i, to) ? i + 2 : -1) : i;
    if (open < 0) return -1;
    const close = longBracket(t, open, to);
    if (close === undefined) return -1;
    const start = open + close.length;
    const k = find(t, close, start, to);
    if (open > i) s.comment(start, k < 0 ? to : k);
    return k < 0 ? to : k + close.length;
  },
});

// ---------------------------------------------------------------------------
// YAML: `#` after whitespace; quotes only where a scalar starts; block scalars are text

function lexYaml(s: Scanner, from: number, to: number): number {
  const t = s.text;
  let i = from;
  let indent = 0;
  let scalarStart = true;
  let flow = 0;
  let atLineStart = true;
  while (i < to) {
    if (i > s.last) return to;
    if (atLineStart) {
      atLineStart = false;
      indent = 0;
      while (i + indent < to && t.charCodeAt(i + indent) === SPACE) indent++;
      i += indent;
      if (flow === 0) scalarStart = true;
      continue;
    }
    const c = t.charCodeAt(i);
    if (c === LF) {
      atLineStart = true;
      i++;
      continue;
    }
    if (isBlank(c)) {
      i++;
      continue;
    }
    const before = i > from ? t.charCodeAt(i - 1) : SPACE;
    if (c === HASH && (before === SPACE || before === TAB || before === LF || i === from)) {
      i = lineComment(s, i + 1, to);
      continue;
    }
    if (scalarStart && (c === DQUOTE || c === SQUOTE)) {
      i = skipQuoted(t, i + 1, c, c === DQUOTE ? ESC_BACKSLASH : ESC_DOUBLE, true, to);
      scalarStart = false;
      continue;
    }
    if (scalarStart && (c === PIPE || c === GT) && flow === 0) {
      let k = i + 1;
      while (k < to && (t.charCodeAt(k) === 43 || t.charCodeAt(k) === DASH || isDigit(t.charCodeAt(k)))) k++;
      while (k < to && isBlank(t.charCodeAt(k))) k++;
      if (k >= to || t.charCodeAt(k) === LF || (t.charCodeAt(k) === HASH && isBlank(t.charCodeAt(k - 1)))) {
        if (k < to && t.charCodeAt(k) === HASH) k = lineComment(s, k + 1, to);
        // The block scalar's lines: blank ones and those indented deeper than this line.
        let j = k + 1;
        while (j < to) {
          let m = j;
          while (m < to && t.charCodeAt(m) === SPACE) m++;
          const e = lineEnd(t, m, to);
          let blank = true;
          for (let x = m; x < e && blank; x++) blank = isBlank(t.charCodeAt(x));
          if (!blank && m - j <= indent) break;
          j = e + 1;
        }
        i = Math.min(j, to);
        atLineStart = true;
        continue;
      }
    }
    if ((c === 33 /* ! */ || c === 38 /* & */ || c === STAR) && scalarStart) {
      while (i < to && t.charCodeAt(i) > SPACE && t.charCodeAt(i) !== COMMA) i++;
      continue;
    }
    const next = i + 1 < to ? t.charCodeAt(i + 1) : LF;
    const spaceNext = next === SPACE || next === TAB || next === LF || next === CR;
    if (c === COLON && (spaceNext || flow > 0)) scalarStart = true;
    else if ((c === DASH || c === QUESTION) && spaceNext && scalarStart) scalarStart = true;
    else if (c === LBRACKET || c === LBRACE) {
      if (scalarStart) flow++;
      scalarStart = flow > 0;
    } else if ((c === RBRACKET || c === RBRACE) && flow > 0) {
      flow--;
      scalarStart = false;
    } else if (c === COMMA && flow > 0) scalarStart = true;
    else scalarStart = false;
    i++;
  }
  return to;
}

// ---------------------------------------------------------------------------
// Makefiles: `#` unless escaped; recipe lines (after a tab) belong to the shell

function lexMakefile(s: Scanner, from: number, to: number): number {
  const t = s.text;
  let i = from;
  while (i < to) {
    if (i > s.last) return to;
    const e = lineEnd(t, i, to);
    if (t.charCodeAt(i) === TAB) lexShell(s, i + 1, e);
    else {
      for (let j = i; j < e; j++) {
        const c = t.charCodeAt(j);
        if (c === BACKSLASH) j++;
        else if (c === HASH) {
          let end = e;
          while (end < to && endsWithBackslash(t, j, end)) end = lineEnd(t, end + 1, to);
          s.comment(j + 1, end);
          i = end;
          break;
        }
      }
    }
    i = Math.max(i, e) + 1;
  }
  return to;
}

// ---------------------------------------------------------------------------
// Markup: HTML, XML, Markdown, Vue, Svelte, and PHP's HTML around `<?php … ?>`

const MARKUP_HTML = 0;
const MARKUP_XML = 1;
const MARKUP_MARKDOWN = 2;
const MARKUP_PHP = 3;

const PHP = cLike({ slashSlash: true, hash: 'php', apostrophe: 'string', multiline: true, php: true });
const JS = cLike({ slashSlash: true, js: true, apostrophe: 'string' });
const CSS = cLike({ slashSlash: false, apostrophe: 'string' });
const SCSS = cLike({ slashSlash: true, apostrophe: 'string', cssUrl: true });

function markup(mode: number): Lexer {
  return (s, from, to) => lexMarkup(s, from, to, mode);
}

function lexMarkup(s: Scanner, from: number, to: number, mode: number): number {
  const t = s.text;
  let i = from;
  let atLineStart = true;
  // Markdown code spans on the current line: runs of backticks, each with the next run of the same length.
  const runStart: number[] = [];
  const runLength: number[] = [];
  const runNext: number[] = [];
  const lastOfLength = new Map<number, number>();
  let runsUntil = -1;
  let run = 0;

  const codeSpan = (j: number): number => {
    if (j >= runsUntil) {
      const e = lineEnd(t, j, to);
      runsUntil = e;
      runStart.length = runLength.length = runNext.length = 0;
      run = 0;
      for (let k = j; k < e; ) {
        if (t.charCodeAt(k) !== BACKTICK) {
          k++;
          continue;
        }
        const start = k;
        while (k < e && t.charCodeAt(k) === BACKTICK) k++;
        runStart.push(start);
        runLength.push(k - start);
        runNext.push(-1);
      }
      lastOfLength.clear();
      for (let x = runStart.length - 1; x >= 0; x--) {
        runNext[x] = lastOfLength.get(runLength[x]) ?? -1;
        lastOfLength.set(runLength[x], x);
      }
    }
    while (run < runStart.length && runStart[run] < j) run++;
    if (run >= runStart.length || runStart[run] !== j) return j + 1;
    const next = runNext[run];
    if (next < 0) return j + runLength[run++];
    run = next + 1;
    return runStart[next] + runLength[next];
  };

  const fence = (j: number): number => {
    let k = j;
    while (k < to && k - j < 4 && t.charCodeAt(k) === SPACE) k++;
    const f = t.charCodeAt(k);
    if (k - j > 3 || (f !== BACKTICK && f !== TILDE)) return -1;
    let n = 0;
    while (k + n < to && t.charCodeAt(k + n) === f) n++;
    if (n < 3) return -1;
    const e = lineEnd(t, k + n, to);
    if (f === BACKTICK && find(t, '`', k + n, e) >= 0) return -1;
    let line = e + 1;
    while (line < to) {
      const end = lineEnd(t, line, to);
      let m = line;
      while (m < end && m - line < 4 && t.charCodeAt(m) === SPACE) m++;
      let count = 0;
      while (m + count < end && t.charCodeAt(m + count) === f) count++;
      let rest = m + count;
      while (rest < end && isBlank(t.charCodeAt(rest))) rest++;
      if (m - line <= 3 && count >= n && rest === end) return end;
      line = end + 1;
    }
    return to;
  };

  while (i < to) {
    if (i > s.last) return to;
    const c = t.charCodeAt(i);
    if (mode === MARKUP_MARKDOWN && atLineStart) {
      atLineStart = false;
      const e = fence(i);
      if (e >= 0) {
        i = e;
        continue;
      }
    }
    if (c === LF) {
      atLineStart = true;
      i++;
      continue;
    }
    if (mode === MARKUP_MARKDOWN && c === BACKTICK) {
      i = codeSpan(i);
      continue;
    }
    if (c !== LT) {
      i++;
      continue;
    }
    if (startsWithIn(t, '<!--', i, to)) {
      if (startsWithIn(t, '<!-->', i, to)) i += 5;
      else if (startsWithIn(t, '<!--->', i, to)) i += 6;
      else i = blockComment(s, i + 4, to, '<!--', '-->', false);
      continue;
    }
    if (mode === MARKUP_MARKDOWN) {
      i++;
      continue;
    }
    if (startsWithIn(t, '<![CDATA[', i, to)) {
      const k = find(t, ']]>', i + 9, to);
      i = k < 0 ? to : k + 3;
      continue;
    }
    if (i + 1 < to && t.charCodeAt(i + 1) === QUESTION) {
      if (mode === MARKUP_PHP) {
        let j = i + 2;
        if (j + 3 <= to && t.slice(j, j + 3).toLowerCase() === 'php') j += 3;
        else if (j < to && t.charCodeAt(j) === EQ) j++;
        i = PHP(s, j, to);
      } else {
        const k = find(t, '?>', i + 2, to);
        i = k < 0 ? to : k + 2;
      }
      continue;
    }
    if (i + 1 < to && isLetter(t.charCodeAt(i + 1))) {
      // A start tag: its attribute values are no comments; script and style hold code.
      let j = i + 1;
      while (j < to && (isWordChar(t.charCodeAt(j)) || t.charCodeAt(j) === DASH || t.charCodeAt(j) === COLON)) j++;
      const name = t.slice(i + 1, j).toLowerCase();
      while (j < to && t.charCodeAt(j) !== GT) {
        const q = t.charCodeAt(j);
        if (q === DQUOTE || q === SQUOTE) {
          const k = find(t, q === DQUOTE ? '"' : "'", j + 1, to);
          j = k < 0 ? to : k + 1;
        } else j++;
      }
      const contentStart = Math.min(j + 1, to);
      if (mode !== MARKUP_XML && (name === 'script' || name === 'style') && t.charCodeAt(j - 1) !== SLASH) {
        const close = closingTag(t, name, contentStart, to);
        const tag = t.slice(i, j);
        const lexer = name === 'script' ? JS : /\blang\s*=\s*["']?(scss|less|sass|stylus)/i.test(tag) ? SCSS : CSS;
        lexer(s, contentStart, close);
        i = close;
        continue;
      }
      i = contentStart;
      continue;
    }
    i++;
  }
  return to;
}

/** The offset of `</name` (any case) from `from`, or `to`. */
function closingTag(t: string, name: string, from: number, to: number): number {
  for (let k = find(t, '</', from, to); k >= 0; k = find(t, '</', k + 2, to)) {
    if (t.slice(k + 2, k + 2 + name.length).toLowerCase() === name) return k;
  }
  return to;
}

// ---------------------------------------------------------------------------
// The language table

const C_FAMILY: CLike = { slashSlash: true, apostrophe: 'string', cpp: true };
const CPP = cLike({ ...C_FAMILY, cppRaw: true });
const JSONC = cLike({ slashSlash: true, apostrophe: 'string' });
const HASKELL = simple({
  line: ['--'],
  block: [['{-', '-}', true]],
  quotes: [['"', '"', ESC_BACKSLASH, false]],
  apostropheChar: true,
  haskellDashes: true,
});
const LISP = simple({
  line: [';'],
  block: [['#|', '|#', true]],
  quotes: [
    ['"', '"', ESC_BACKSLASH, true],
    ['|', '|', ESC_BACKSLASH, true],
  ],
  escape: '#\\',
});
const TEX = simple({ line: ['%'], escape: '\\' });
const SHELL: Lexer = lexShell;
const INI = lineStart([';', '#']);
const HASH_LINE_START = lineStart(['#']);

/** Lexers by VS Code language id. */
const LEXERS: Record<string, Lexer> = {
  javascript: JS,
  javascriptreact: JS,
  typescript: JS,
  typescriptreact: JS,
  json: JSONC,
  jsonc: JSONC,
  json5: JSONC,
  java: cLike({ slashSlash: true, triple: 'escapes', apostrophe: 'string' }),
  c: cLike(C_FAMILY),
  cpp: CPP,
  'cuda-cpp': CPP,
  'objective-c': cLike(C_FAMILY),
  'objective-cpp': CPP,
  csharp: cLike({ slashSlash: true, apostrophe: 'string', csharp: true }),
  go: cLike({ slashSlash: true, apostrophe: 'string', backtick: 'raw' }),
  rust: cLike({ slashSlash: true, nested: true, apostrophe: 'char', multiline: true, rustRaw: true }),
  swift: cLike({ slashSlash: true, nested: true, triple: 'escapes', apostrophe: 'none', backtick: 'name', swiftRaw: true }),
  kotlin: cLike({ slashSlash: true, nested: true, triple: 'raw', apostrophe: 'string', backtick: 'name' }),
  scala: cLike({ slashSlash: true, nested: true, triple: 'raw', apostrophe: 'char', backtick: 'name' }),
  dart: cLike({ slashSlash: true, nested: true, triple: 'escapes', tripleSingle: true, apostrophe: 'string' }),
  groovy: cLike({ slashSlash: true, triple: 'escapes', tripleSingle: true, apostrophe: 'string' }),
  proto: cLike({ slashSlash: true, apostrophe: 'string' }),
  php: markup(MARKUP_PHP),
  css: CSS,
  scss: SCSS,
  less: SCSS,
  python: lexPython,
  ruby: lexRuby,
  shellscript: SHELL,
  bash: SHELL,
  sh: SHELL,
  zsh: SHELL,
  yaml: lexYaml,
  'github-actions-workflow': lexYaml,
  toml: simple({
    line: ['#'],
    quotes: [
      ['"""', '"""', ESC_BACKSLASH, true],
      ["'''", "'''", 0, true],
      ['"', '"', ESC_BACKSLASH, false],
      ["'", "'", 0, false],
    ],
  }),
  dockerfile: HASH_LINE_START,
  makefile: lexMakefile,
  perl: lexPerl,
  perl6: lexPerl,
  r: simple({
    line: ['#'],
    quotes: [
      ['"', '"', ESC_BACKSLASH, true],
      ["'", "'", ESC_BACKSLASH, true],
      ['`', '`', ESC_BACKSLASH, false],
    ],
    hookChars: 'rR',
    hook: (s, i, from, to) => {
      // Raw strings: r"(…)", R'[…]', r"---{…}---"
      const t = s.text;
      if (i > from && isIdentPart(t.charCodeAt(i - 1))) return -1;
      const q = i + 1 < to ? t.charCodeAt(i + 1) : 0;
      if (q !== DQUOTE && q !== SQUOTE) return -1;
      let k = i + 2;
      while (k < to && t.charCodeAt(k) === DASH) k++;
      const open = k < to ? t.charCodeAt(k) : 0;
      if (open !== LPAREN && open !== LBRACKET && open !== LBRACE) return -1;
      const close = String.fromCharCode(bracketCloser(open)) + t.slice(i + 2, k) + String.fromCharCode(q);
      const e = find(t, close, k + 1, to);
      return e < 0 ? to : e + close.length;
    },
  }),
  powershell: simple({
    line: ['#'],
    block: [['<#', '#>', false]],
    quotes: [
      ["@'", "\n'@", 0, true],
      ['@"', '\n"@', 0, true],
      ["'", "'", ESC_DOUBLE, true],
      ['"', '"', ESC_BACKTICK | ESC_DOUBLE, true],
    ],
    escape: '`',
    wordStart: ';(){}|&,=',
  }),
  sql: simple({
    line: ['--'],
    block: [['/*', '*/', true]],
    quotes: [
      ["'", "'", ESC_DOUBLE, true],
      ['"', '"', ESC_DOUBLE, true],
      ['`', '`', ESC_DOUBLE, true],
    ],
    hookChars: 'eE',
    hook: (s, i, from, to) => {
      // PostgreSQL escape strings E'…', where a backslash escapes.
      const t = s.text;
      if (i + 1 >= to || t.charCodeAt(i + 1) !== SQUOTE || (i > from && isIdentPart(t.charCodeAt(i - 1)))) return -1;
      return skipQuoted(t, i + 2, SQUOTE, ESC_BACKSLASH | ESC_DOUBLE, true, to);
    },
  }),
  lua: lexLua,
  haskell: HASKELL,
  elm: HASKELL,
  purescript: HASKELL,
  elixir: lexElixir,
  erlang: simple({
    line: ['%'],
    quotes: [
      ['"', '"', ESC_BACKSLASH, true],
      ["'", "'", ESC_BACKSLASH, true],
    ],
    escape: '$',
    escapeEscapes: true,
  }),
  clojure: simple({ line: [';'], quotes: [['"', '"', ESC_BACKSLASH, true]], escape: '\\' }),
  lisp: LISP,
  commonlisp: LISP,
  scheme: LISP,
  racket: LISP,
  ini: INI,
  properties: lineStart(['#', '!']),
  dotenv: HASH_LINE_START,
  ignore: HASH_LINE_START,
  bat: lineStart(['rem ', '@rem ', '::'], true),
  latex: TEX,
  tex: TEX,
  bibtex: TEX,
  vb: simple({
    line: ["'"],
    quotes: [['"', '"', ESC_DOUBLE, false]],
    hookChars: 'rR',
    hook: (s, i, from, to) => {
      // REM comments, at the start of a statement.
      const t = s.text;
      if (!atWordStart(t, i, from, ':') || i + 3 > to || t.slice(i, i + 3).toLowerCase() !== 'rem') return -1;
      if (i + 3 < to && t.charCodeAt(i + 3) > SPACE) return -1;
      return lineComment(s, Math.min(i + 4, to), to);
    },
  }),
  fsharp: simple({
    line: ['//'],
    block: [['(*', '*)', true]],
    quotes: [
      ['"""', '"""', 0, true],
      ['"', '"', ESC_BACKSLASH, true],
    ],
    apostropheChar: true,
  }),
  ocaml: simple({ block: [['(*', '*)', true]], quotes: [['"', '"', ESC_BACKSLASH, true]], apostropheChar: true }),
  julia: simple({
    line: ['#'],
    block: [['#=', '=#', true]],
    quotes: [
      ['"""', '"""', ESC_BACKSLASH, true],
      ['"', '"', ESC_BACKSLASH, true],
      ['`', '`', ESC_BACKSLASH, true],
    ],
    apostropheChar: true,
  }),
  coffeescript: simple({
    line: ['#'],
    block: [['###', '###', false]],
    quotes: [
      ['"""', '"""', ESC_BACKSLASH, true],
      ["'''", "'''", ESC_BACKSLASH, true],
      ['"', '"', ESC_BACKSLASH, true],
      ["'", "'", ESC_BACKSLASH, true],
    ],
  }),
  graphql: simple({
    line: ['#'],
    quotes: [
      ['"""', '"""', ESC_BACKSLASH, true],
      ['"', '"', ESC_BACKSLASH, false],
    ],
  }),
  terraform: simple({
    line: ['#', '//'],
    block: [['/*', '*/', false]],
    quotes: [['"', '"', ESC_BACKSLASH, false]],
  }),
  hcl: simple({
    line: ['#', '//'],
    block: [['/*', '*/', false]],
    quotes: [['"', '"', ESC_BACKSLASH, false]],
  }),
  html: markup(MARKUP_HTML),
  vue: markup(MARKUP_HTML),
  svelte: markup(MARKUP_HTML),
  xml: markup(MARKUP_XML),
  xsl: markup(MARKUP_XML),
  svg: markup(MARKUP_XML),
  markdown: markup(MARKUP_MARKDOWN),
  plaintext: (s, from, to) => {
    s.comment(from, to);
    return to;
  },
};

/** Unknown languages: `//`, `#` and block comments, `"…"` and `'…'` strings that end with the line. */
const FALLBACK = cLike({ slashSlash: true, hash: 'all', apostrophe: 'string' });

function lexerFor(languageId: string): Lexer {
  const id = languageId.toLowerCase();
  return Object.prototype.hasOwnProperty.call(LEXERS, id) ? LEXERS[id] : FALLBACK;
}
