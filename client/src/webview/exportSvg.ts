// SVG export: one standalone SVG document of the whole timeline (every row,
// drawn or not), from server/src/timeline/svg.ts, the same drawing the CLI's
// `export --format svg` makes, painted with the current theme's colours so it
// looks the way the page does, also outside VS Code. Plan text is escaped by
// the serialiser.
import type { TimelineLayout } from '../../../server/src/timeline/layout';
import { LIGHT_PALETTE, timelineSvg, type TimelinePalette } from '../../../server/src/timeline/svg';

/** The stylesheet's custom properties (timeline.css) behind each colour of the palette. */
const VARIABLES: Record<Exclude<keyof TimelinePalette, 'fontFamily'>, string> = {
  background: '--tl-bg',
  foreground: '--tl-fg',
  muted: '--tl-muted',
  rule: '--tl-rule',
  shade: '--tl-shade',
  holiday: '--tl-holiday',
  bar: '--tl-bar',
  critical: '--tl-critical',
  overdue: '--tl-overdue',
  risk: '--tl-risk',
  done: '--tl-done',
  blocked: '--tl-blocked',
  milestone: '--tl-milestone',
  asOf: '--tl-as-of',
  contrast: '--tl-contrast',
};
/** A colour as themes write them: hex, rgb()/hsl() or a keyword. Anything else falls back to the light palette. */
const COLOUR = /^(#[0-9a-fA-F]{3,8}|(rgb|rgba|hsl|hsla)\([\d\s.,%/+-]+\)|[a-zA-Z]+)$/;
const FONT = /^[\w\s,'"-]+$/;

/** The theme's colours as the page resolves them now (custom properties have their var() references substituted). */
export function themePalette(doc: Document): TimelinePalette {
  const style = doc.defaultView!.getComputedStyle(doc.body);
  const palette: TimelinePalette = { ...LIGHT_PALETTE };
  for (const [key, variable] of Object.entries(VARIABLES) as [keyof typeof VARIABLES, string][]) {
    const value = style.getPropertyValue(variable).trim();
    if (COLOUR.test(value)) palette[key] = value;
  }
  const font = style.fontFamily.trim();
  if (font && FONT.test(font)) palette.fontFamily = font;
  return palette;
}

export function exportSvg(doc: Document, layout: TimelineLayout): string {
  return timelineSvg(layout, themePalette(doc));
}
