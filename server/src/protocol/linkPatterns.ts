// What a task's `links` entry may name, as text: shared by the language
// service (which links are offered), the hosts that resolve them, and the web
// client (which searches only for patterns that pass the same check).

// Anything else with a scheme (command:, file:, vscode:, javascript:) is never made a link; nor is a drive (C:).
const OTHER_SCHEME = /^[a-z][a-z0-9+.-]*:/i;
const CONTROL = /[\u0000-\u001f\u007f]/;
/** More alternatives than a link needs: refused rather than expanded. */
const MAX_ALTERNATIVES = 256;

/**
 * The paths a glob's brace alternatives spell (`{a,b}/x` → `a/x`, `b/x`;
 * nested too; `{1..3}` ranges and lone braces are left as written), or
 * undefined past MAX_ALTERNATIVES.
 */
export function braceAlternatives(pattern: string): string[] | undefined {
  const results: string[] = [];
  const expand = (text: string): boolean => {
    // The first brace pair with a comma at its own level.
    for (let open = text.indexOf('{'); open >= 0; open = text.indexOf('{', open + 1)) {
      let depth = 0;
      const commas: number[] = [];
      let close = -1;
      for (let index = open; index < text.length; index++) {
        const char = text[index];
        if (char === '\\') index++;
        else if (char === '{') depth++;
        else if (char === '}' && --depth === 0) {
          close = index;
          break;
        } else if (char === ',' && depth === 1) commas.push(index);
      }
      if (close < 0) break;
      if (commas.length === 0) continue;
      const before = text.slice(0, open);
      const after = text.slice(close + 1);
      const bounds = [open, ...commas, close];
      for (let part = 0; part + 1 < bounds.length; part++) {
        if (!expand(before + text.slice(bounds[part] + 1, bounds[part + 1]) + after)) return false;
      }
      return true;
    }
    results.push(text);
    return results.length <= MAX_ALTERNATIVES;
  };
  return expand(pattern) ? results : undefined;
}

/**
 * Whether a link's path or glob stays inside the workspace folder, as
 * written: no scheme or drive, not absolute (`/`, `\`, UNC `\\host`), not
 * from home (`~`), no `..` segment (also in any brace alternative, which
 * glob expansion would follow), no control characters. The host also checks
 * where each match really is (symbolic links), since this is only the text.
 */
export function isWorkspaceRelative(pattern: string): boolean {
  const text = pattern.trim();
  if (text === '' || text.length > 1024 || CONTROL.test(text)) return false;
  const alternatives = braceAlternatives(text);
  if (!alternatives) return false;
  return alternatives.every((path) => {
    const candidate = path.trim();
    if (OTHER_SCHEME.test(candidate) || /^[\\/~]/.test(candidate)) return false;
    // `..`, and what Windows reads as `..` (trailing dots and spaces dropped: `.. `, `...`).
    return !candidate.split(/[\\/]/).some((segment) => /^[.\s]*\.\.[.\s]*$/.test(segment));
  });
}

export function isGlobPattern(pattern: string): boolean {
  return /[*?[\]{}]/.test(pattern);
}
