// PNG export: the same standalone SVG as the SVG export, drawn by the browser
// onto a canvas at the device pixel ratio (within raster.ts's cap), encoded
// as PNG. The SVG is loaded from a blob: URL of this page (the host's CSP
// allows `img-src blob:` for that and nothing remote); nothing is added to
// the document.
import { rasterSize, type RasterSize } from './raster';

export interface Raster extends RasterSize {
  /** The PNG file, base64 (no `data:` prefix). */
  base64: string;
}

function loadImage(doc: Document, url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const image = doc.createElement('img');
    image.decoding = 'async';
    image.onload = () => resolve(image);
    image.onerror = () => reject(new Error('the browser could not draw the SVG'));
    image.src = url;
  });
}

function base64Of(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('could not read the PNG'));
    reader.readAsDataURL(blob);
  });
}

/** Rasterises an SVG document of `width` × `height` CSS pixels. */
export async function rasterise(doc: Document, svg: string, width: number, height: number, devicePixelRatio: number): Promise<Raster> {
  const size = rasterSize(width, height, devicePixelRatio);
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = await loadImage(doc, url);
    const canvas = doc.createElement('canvas');
    canvas.width = size.width;
    canvas.height = size.height;
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no 2D canvas');
    context.drawImage(image, 0, 0, size.width, size.height);
    const png = await new Promise<Blob>((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('the canvas could not be encoded as PNG'))), 'image/png'));
    // Let the pixels go before the base64 copy is made.
    canvas.width = 0;
    canvas.height = 0;
    return { ...size, base64: await base64Of(png) };
  } finally {
    URL.revokeObjectURL(url);
  }
}
