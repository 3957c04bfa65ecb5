import { URI } from 'vscode-uri';
import { SETTINGS_SECTION, type BlueprintSettings } from './protocol/settings';

// What the client said it supports at `initialize`, and the server's answers
// shaped to it. VS Code declares everything; Neovim, Helix, Zed and other
// editors declare less, and a client that did not list a feature gets plain
// text instead of Markdown, plain text instead of snippets, flat symbols
// instead of a tree, and no request it cannot answer. No runtime LSP imports:
// unit tests use it as it is.

/** The parts of LSP ClientCapabilities the server looks at (everything optional, as clients send it). */
export interface ClientCapabilitiesSubset {
  workspace?: {
    configuration?: boolean;
    didChangeConfiguration?: { dynamicRegistration?: boolean };
    didChangeWatchedFiles?: { dynamicRegistration?: boolean };
  };
  textDocument?: {
    hover?: { contentFormat?: string[] };
    completion?: {
      completionItem?: { snippetSupport?: boolean; documentationFormat?: string[]; tagSupport?: { valueSet?: number[] } };
    };
    rename?: { prepareSupport?: boolean };
    codeAction?: { codeActionLiteralSupport?: unknown };
    documentSymbol?: { hierarchicalDocumentSymbolSupport?: boolean };
  };
}

export interface ClientSupport {
  /** workspace/configuration may be sent. */
  configurationRequest: boolean;
  /** client/registerCapability may be sent for workspace/didChangeConfiguration. */
  configurationRegistration: boolean;
  /** workspace/didChangeWatchedFiles may be registered (the client then watches the globs the server names). */
  watchedFilesRegistration: boolean;
  hoverMarkdown: boolean;
  completionMarkdown: boolean;
  snippets: boolean;
  /** CompletionItemTag.Deprecated (1) may be sent. */
  completionDeprecatedTag: boolean;
  prepareRename: boolean;
  codeActionLiterals: boolean;
  hierarchicalSymbols: boolean;
}

export function clientSupportOf(capabilities: ClientCapabilitiesSubset | undefined | null): ClientSupport {
  const caps: ClientCapabilitiesSubset = capabilities && typeof capabilities === 'object' ? capabilities : {};
  const item = caps.textDocument?.completion?.completionItem;
  const lists = (value: unknown, entry: unknown) => Array.isArray(value) && value.includes(entry);
  return {
    configurationRequest: caps.workspace?.configuration === true,
    configurationRegistration: caps.workspace?.didChangeConfiguration?.dynamicRegistration === true,
    watchedFilesRegistration: caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true,
    hoverMarkdown: lists(caps.textDocument?.hover?.contentFormat, 'markdown'),
    completionMarkdown: lists(item?.documentationFormat, 'markdown'),
    snippets: item?.snippetSupport === true,
    completionDeprecatedTag: lists(item?.tagSupport?.valueSet, 1),
    prepareRename: caps.textDocument?.rename?.prepareSupport === true,
    codeActionLiterals: isObject(caps.textDocument?.codeAction?.codeActionLiteralSupport),
    hierarchicalSymbols: caps.textDocument?.documentSymbol?.hierarchicalDocumentSymbolSupport === true,
  };
}

// ── settings ─────────────────────────────────────────────────────────

/**
 * The `blueprint` settings in a payload from the client (initializationOptions,
 * or the `settings` of workspace/didChangeConfiguration): either the settings
 * themselves (`{ "rules": { … } }`) or wrapped in their section
 * (`{ "blueprint": { "rules": { … } } }`, as VS Code and most editors'
 * settings files nest them). Undefined when the payload holds neither.
 */
export function settingsFrom(payload: unknown): BlueprintSettings | undefined {
  if (!isObject(payload)) return undefined;
  const nested = payload[SETTINGS_SECTION];
  const source = isObject(nested) ? nested : 'rules' in payload || 'codeReferences' in payload ? payload : undefined;
  if (!source) return undefined;
  const settings: BlueprintSettings = {};
  if (isObject(source.rules)) settings.rules = source.rules as Record<string, string>;
  if (isObject(source.codeReferences)) settings.codeReferences = source.codeReferences as BlueprintSettings['codeReferences'];
  return settings;
}

/** The workspace folders of an initialize request: workspaceFolders, else rootUri, else rootPath; none is single-file mode. */
export function rootFoldersOf(params: { workspaceFolders?: unknown; rootUri?: unknown; rootPath?: unknown }): string[] {
  if (Array.isArray(params.workspaceFolders)) {
    const folders = params.workspaceFolders.flatMap((folder: unknown) => (isObject(folder) && typeof folder.uri === 'string' ? [folder.uri] : []));
    if (folders.length > 0) return folders;
  }
  if (typeof params.rootUri === 'string' && params.rootUri !== '') return [params.rootUri];
  if (typeof params.rootPath === 'string' && params.rootPath !== '') {
    try {
      return [URI.file(params.rootPath).toString()];
    } catch {
      return [];
    }
  }
  return [];
}

// ── Markdown and snippets as plain text ─────────────────────────────────

/**
 * Markdown as the plain text a reader would see: emphasis markers and
 * backslash escapes dropped, code spans and fenced code kept as their text,
 * links as `text (address)`. Covers what the hover and completion cards
 * use, not all of CommonMark.
 */
export function markdownToPlainText(markdown: string): string {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const opener = /^\s*(`{3,}|~{3,})/.exec(line);
    if (fence !== undefined) {
      if (opener && opener[1][0] === fence[0] && opener[1].length >= fence.length && line.trim() === opener[1]) fence = undefined;
      else out.push(line);
      continue;
    }
    if (opener) {
      fence = opener[1];
      continue;
    }
    out.push(inlinePlainText(line.replace(/^#{1,6}\s+/, '')));
  }
  return out.join('\n');
}

function inlinePlainText(line: string): string {
  let result = '';
  let index = 0;
  while (index < line.length) {
    const ch = line[index];
    if (ch === '\\' && index + 1 < line.length && /[!-/:-@[-`{-~]/.test(line[index + 1])) {
      result += line[index + 1];
      index += 2;
      continue;
    }
    if (ch === '`') {
      const run = /^`+/.exec(line.slice(index))![0];
      const close = line.indexOf(run, index + run.length);
      if (close >= 0) {
        let code = line.slice(index + run.length, close);
        if (code.length > 1 && code.startsWith(' ') && code.endsWith(' ')) code = code.slice(1, -1);
        result += code;
        index = close + run.length;
        continue;
      }
      result += run;
      index += run.length;
      continue;
    }
    if (ch === '*') {
      index++;
      continue;
    }
    if (ch === '!' && line[index + 1] === '[') {
      index++;
      continue;
    }
    if (ch === '[') {
      const link = /^\[([^\]]*)\]\(([^)\s]*)\)/.exec(line.slice(index));
      if (link) {
        const text = inlinePlainText(link[1]);
        result += link[2] && link[2] !== text ? `${text} (${link[2]})` : text;
        index += link[0].length;
        continue;
      }
    }
    result += ch;
    index++;
  }
  return result;
}

/**
 * A snippet (LSP snippet syntax) as the text it inserts when nothing is
 * typed into it: placeholders keep their default, a choice its first
 * value, tab stops and variables vanish, escapes are resolved.
 */
export function snippetToPlainText(snippet: string): string {
  let index = 0;
  const text = (insidePlaceholder: boolean): string => {
    let out = '';
    while (index < snippet.length) {
      const ch = snippet[index];
      if (ch === '\\' && index + 1 < snippet.length && '$}\\'.includes(snippet[index + 1])) {
        out += snippet[index + 1];
        index += 2;
        continue;
      }
      if (ch === '}' && insidePlaceholder) return out;
      if (ch === '$') {
        const rest = snippet.slice(index);
        const simple = /^\$(\d+|[A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
        if (simple) {
          index += simple[0].length;
          continue;
        }
        const braced = /^\$\{(\d+|[A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
        if (braced) {
          index += braced[0].length;
          if (snippet[index] === ':') {
            index++;
            out += text(true);
          } else if (snippet[index] === '|') {
            index++;
            out += choice();
          }
          if (snippet[index] === '}') index++;
          continue;
        }
      }
      out += ch;
      index++;
    }
    return out;
  };
  const choice = (): string => {
    const values: string[] = [''];
    while (index < snippet.length) {
      const ch = snippet[index];
      if (ch === '\\' && index + 1 < snippet.length) {
        values[values.length - 1] += snippet[index + 1];
        index += 2;
      } else if (ch === '|' && snippet[index + 1] === '}') {
        index++;
        break;
      } else if (ch === ',') {
        values.push('');
        index++;
      } else {
        values[values.length - 1] += ch;
        index++;
      }
    }
    return values[0];
  };
  return text(false);
}

// ── answers shaped to the client ────────────────────────────────────

interface Markup {
  kind: string;
  value: string;
}

function plain(content: Markup): Markup {
  return content.kind === 'markdown' ? { kind: 'plaintext', value: markdownToPlainText(content.value) } : content;
}

export function adaptHover<T extends { contents: Markup } | null | undefined>(hover: T, support: ClientSupport): T {
  if (!hover || support.hoverMarkdown) return hover;
  return { ...hover, contents: plain(hover.contents) };
}

interface CompletionItemShape {
  documentation?: Markup | string;
  insertTextFormat?: number;
  textEdit?: { newText: string };
  insertText?: string;
  tags?: number[];
  command?: { command: string; title: string; arguments?: unknown[] };
}

/**
 * One completion item for this client: Markdown documentation as plain text
 * and snippets as plain text where the client did not list them; the
 * deprecated tag only where declared. The service's items may ask the
 * editor to open the suggestions again (VS Code's
 * `editor.action.triggerSuggest`): that command is client-side and
 * editor-specific, so it is sent as the command the client named
 * (`triggerSuggestCommand` in initializationOptions) or not at all.
 */
export function adaptCompletionItem<T extends CompletionItemShape>(item: T, support: ClientSupport, triggerSuggestCommand: string | undefined): T {
  let adapted = item;
  const change = (patch: Partial<CompletionItemShape>) => {
    if (adapted === item) adapted = { ...item };
    Object.assign(adapted, patch);
  };
  if (!support.completionMarkdown && typeof item.documentation === 'object' && item.documentation !== null) change({ documentation: plain(item.documentation) });
  if (!support.snippets && item.insertTextFormat === 2) {
    change({ insertTextFormat: 1 });
    if (item.textEdit) change({ textEdit: { ...item.textEdit, newText: snippetToPlainText(item.textEdit.newText) } });
    if (typeof item.insertText === 'string') change({ insertText: snippetToPlainText(item.insertText) });
  }
  if (item.tags && !support.completionDeprecatedTag) {
    change({});
    delete adapted.tags;
  }
  if (item.command) {
    if (triggerSuggestCommand) change({ command: { ...item.command, command: triggerSuggestCommand } });
    else {
      change({});
      delete adapted.command;
    }
  }
  return adapted;
}

export function adaptCompletionList<T extends { items: CompletionItemShape[] }>(list: T, support: ClientSupport, triggerSuggestCommand: string | undefined): T {
  return { ...list, items: list.items.map((item) => adaptCompletionItem(item, support, triggerSuggestCommand)) };
}

interface DocumentSymbolShape {
  name: string;
  kind: number;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  children?: DocumentSymbolShape[];
}

/** A client without hierarchicalDocumentSymbolSupport expects SymbolInformation[]: the tree flattened, each with its parent's name. */
export function adaptDocumentSymbols(symbols: DocumentSymbolShape[], uri: string, support: ClientSupport): unknown[] {
  if (support.hierarchicalSymbols) return symbols;
  const flat: { name: string; kind: number; location: { uri: string; range: DocumentSymbolShape['range'] }; containerName?: string }[] = [];
  const walk = (list: DocumentSymbolShape[], container: string | undefined) => {
    for (const symbol of list) {
      flat.push({ name: symbol.name, kind: symbol.kind, location: { uri, range: symbol.range }, ...(container !== undefined ? { containerName: container } : {}) });
      walk(symbol.children ?? [], symbol.name);
    }
  };
  walk(symbols, undefined);
  return flat;
}

/** A JSON object (not null, not an array). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
