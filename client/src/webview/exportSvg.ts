// Export: one standalone SVG document (labels, axis and chart) whose colours are
// concrete values resolved from the current theme, so it looks the same outside
// VS Code. The copy is staged off screen only to read computed styles; plan text
// goes in through textContent and out through XMLSerializer (which escapes it).
import type { TimelineLayout } from './layout';
import { renderAxis, renderChart, renderCorner, renderLabels, svgElement } from './render';

/** Presentation properties copied from computed style into attributes. */
const PAINT = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-dasharray', 'opacity', 'font-family', 'font-size', 'font-weight', 'font-style', 'text-decoration'] as const;
const DEFAULTS: Record<string, string> = { 'fill-opacity': '1', 'stroke-opacity': '1', opacity: '1', 'stroke-dasharray': 'none', 'font-style': 'normal', 'text-decoration': 'none', stroke: 'none', 'stroke-width': '1px' };
const PAINTED = new Set(['rect', 'line', 'path', 'text']);
const SAFE_VALUE = /^[#\w\s(),.%"'-]*$/;

export function exportSvg(doc: Document, layout: TimelineLayout, stage: HTMLElement): string {
  const width = layout.labelWidth + layout.width;
  const height = layout.headerHeight + Math.max(layout.height, 1);
  const root = svgElement(doc, 'svg', { version: '1.1', width, height, viewBox: `0 0 ${width} ${height}` }, 'timeline-export');
  const heading = svgElement(doc, 'title');
  heading.textContent = layout.title ? `Timeline: ${layout.title}` : 'Timeline';
  root.append(heading);
  root.append(svgElement(doc, 'rect', { x: 0, y: 0, width, height }, 'export-bg'));
  const place = (group: SVGGElement, x: number, y: number) => {
    group.setAttribute('transform', `translate(${x} ${y})`);
    root.append(group);
  };
  place(renderChart(doc, layout).group, layout.labelWidth, layout.headerHeight);
  place(renderLabels(doc, layout), 0, layout.headerHeight);
  place(renderAxis(doc, layout), layout.labelWidth, 0);
  place(renderCorner(doc, layout), 0, 0);

  for (const ring of Array.from(root.querySelectorAll('.focus-ring'))) ring.remove();
  stage.append(root);
  try {
    const view = doc.defaultView!;
    const resolve = (element: Element) => {
      const style = view.getComputedStyle(element);
      if (style.display === 'none') {
        element.remove();
        return;
      }
      if (PAINTED.has(element.localName)) {
        for (const property of PAINT) {
          const value = style.getPropertyValue(property).trim();
          if (!value || !SAFE_VALUE.test(value) || value === DEFAULTS[property]) continue;
          if ((property.startsWith('font') || property === 'text-decoration') && element.localName !== 'text') continue;
          element.setAttribute(property, value);
        }
      }
      for (const child of Array.from(element.children)) resolve(child);
    };
    resolve(root);
    for (const element of Array.from(root.querySelectorAll('[tabindex],[data-id],[class],[role],[focusable]'))) {
      element.removeAttribute('tabindex');
      element.removeAttribute('data-id');
      element.removeAttribute('class');
      element.removeAttribute('role');
      element.removeAttribute('focusable');
    }
    root.removeAttribute('class');
    return new XMLSerializer().serializeToString(root);
  } finally {
    root.remove();
  }
}
