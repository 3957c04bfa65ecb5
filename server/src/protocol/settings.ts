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
}
