// What the host does with an export from the timeline page, without the
// vscode module (unit-tested in test/unit/timelineHost.test.ts): the file
// name to offer, and the PNG's bytes, checked before they are written.
import { decodeBase64 } from './base64';

export type TimelineExportFormat = 'svg' | 'png';

/** `plans/checkout.plan.yaml` → `checkout.timeline.svg` (or .png). */
export function exportFileName(planPath: string, format: TimelineExportFormat): string {
  const base = planPath.split(/[\\/]/).pop()?.replace(/\.plan\.ya?ml$/i, '') || 'plan';
  return `${base}.timeline.${format}`;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Width and height from a PNG's IHDR chunk, or undefined when the bytes do not start like a PNG. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  if (bytes.length < 24 || PNG_SIGNATURE.some((byte, index) => bytes[index] !== byte)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunkLength = view.getUint32(8);
  const chunkType = String.fromCharCode(bytes[12], bytes[13], bytes[14], bytes[15]);
  if (chunkType !== 'IHDR' || chunkLength !== 13) return undefined;
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  return width > 0 && height > 0 ? { width, height } : undefined;
}

/** The bytes of the page's base64 PNG, or undefined when they are not base64 or not a PNG image. */
export function decodePng(base64: string): Uint8Array | undefined {
  const bytes = decodeBase64(base64);
  return bytes && pngSize(bytes) ? bytes : undefined;
}
