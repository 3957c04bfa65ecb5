// Base64 without Node's Buffer: the host side of the timeline also runs in
// the web extension (vscode.dev), where atob and btoa are what there is (Node
// 20 has them as globals too).

/**
 * The bytes a base64 text spells, or undefined when it is not base64. Unlike
 * Buffer.from(text, 'base64'), which skips characters it does not know, a
 * text with any is refused.
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    return undefined;
  }
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/** Chunks keep String.fromCharCode's argument list short. */
const CHUNK = 0x8000;

export function encodeBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let start = 0; start < bytes.length; start += CHUNK) binary += String.fromCharCode(...bytes.subarray(start, start + CHUNK));
  return btoa(binary);
}
