// The size of the PNG export: the SVG's size times the device pixel ratio
// (sharp on high-density screens), capped so that a very big chart (5,000
// tasks is about 18,000 × 143,000 CSS pixels) cannot exhaust the webview's
// memory: no side over PNG_MAX_SIDE pixels and no more than PNG_MAX_PIXELS
// pixels in all (4 bytes each while drawing: 128 MB at most). Over the cap
// the whole picture is scaled down, keeping its proportions; nothing is
// cropped (for full detail of a big plan, export SVG). Pure: node tests run it.

export const PNG_MAX_SIDE = 16_384;
export const PNG_MAX_PIXELS = 32 * 1024 * 1024;
/** A ratio above this would only make the file bigger. */
const MAX_DEVICE_PIXEL_RATIO = 4;

export interface RasterSize {
  /** Pixels of the PNG. */
  width: number;
  height: number;
  /** PNG pixels per SVG pixel. */
  scale: number;
  /** True when the cap made the scale smaller than the device pixel ratio. */
  capped: boolean;
}

export function rasterSize(width: number, height: number, devicePixelRatio: number): RasterSize {
  const ratio = Number.isFinite(devicePixelRatio) && devicePixelRatio > 0 ? Math.min(devicePixelRatio, MAX_DEVICE_PIXEL_RATIO) : 1;
  const w = Math.max(1, width);
  const h = Math.max(1, height);
  const scale = Math.min(ratio, PNG_MAX_SIDE / w, PNG_MAX_SIDE / h, Math.sqrt(PNG_MAX_PIXELS / (w * h)));
  return {
    width: Math.min(PNG_MAX_SIDE, Math.max(1, Math.floor(w * scale))),
    height: Math.min(PNG_MAX_SIDE, Math.max(1, Math.floor(h * scale))),
    scale,
    capped: scale < ratio,
  };
}
