/** The `blueprint.*` settings the server reads (workspace/configuration or initializationOptions). */
export interface BlueprintSettings {
  /** Rule id → error | warning | info | off; overrides blueprint.json. */
  rules?: Record<string, string>;
  /** `plan:` markers in code comments: diagnostics, hover, definition, references and rename. */
  codeReferences?: { enabled?: boolean };
}

export const SETTINGS_SECTION = 'blueprint';
/** The shared configuration file at a workspace root, read by the editor and the command line. */
export const CONFIG_FILE_NAME = 'blueprint.json';

/** What the Blueprint client tells the server at start (initializationOptions), beside the settings. */
export interface BlueprintInitializationOptions extends BlueprintSettings {
  /** The client's command that reveals an item in its timeline: code lenses link to it. */
  revealInTimelineCommand?: string;
  /**
   * The client's command that opens the completion list again (VS Code:
   * `editor.action.triggerSuggest`): completing a key runs it, so the value's
   * suggestions follow. Without it completion items carry no command (other
   * editors have no such command and would report it as unknown).
   */
  triggerSuggestCommand?: string;
  /**
   * Where the rule table lives (`<docsBase>#rule-id` is each diagnostic's
   * documentation link). The web extension's server has no file path of its
   * own, so its client sends the README's uri; the Node server defaults to the
   * README next to dist/.
   */
  docsBase?: string;
  /**
   * The client sends the file events the server needs on its own (the
   * Blueprint extension does, through its file watchers): the server then
   * registers no watchers of its own. Without it, a client that can register
   * workspace/didChangeWatchedFiles is asked to watch plans and
   * blueprint.json.
   */
  watchesFiles?: boolean;
}
