import { inputError } from "../../errors.js";

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Width and height in pixels from a PNG's IHDR chunk (the first chunk after the 8-byte
 * signature: length, "IHDR", then width and height as big-endian u32).
 */
export function pngSizePx(bytes: Uint8Array, file = "<png>"): { widthPx: number; heightPx: number } {
  if (bytes.length < 24 || PNG_SIGNATURE.some((b, i) => bytes[i] !== b)) {
    throw inputError("not a PNG file (bad signature)", { file, hint: "expected the 8-byte PNG signature" });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = String.fromCharCode(bytes[12]!, bytes[13]!, bytes[14]!, bytes[15]!);
  if (type !== "IHDR") throw inputError(`first PNG chunk is "${type}", not IHDR`, { file });
  return { widthPx: view.getUint32(16), heightPx: view.getUint32(20) };
}
