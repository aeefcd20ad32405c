/**
 * Writes a synthetic llama-architecture GGUF file (bytes from `gguf/synthetic.ts`), streamed in
 * chunks to a temporary file beside the target and renamed over it at the end, so a reader never
 * sees half a model.
 */
import { mkdir, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { SlmError } from "../../errors.js";
import type { PlannedTensor, SyntheticModelSpec } from "../../gguf/spec.js";
import { syntheticLayout, syntheticTensorChunks } from "../../gguf/synthetic.js";
import { GGML_BLOCK } from "../../gguf/types.js";

export interface WriteProgress {
  bytesWritten: number;
  totalBytes: number;
  tensor: string;
}

export interface WrittenGguf {
  path: string;
  fileBytes: number;
  headerBytes: number;
  tensors: PlannedTensor[];
  parameters: number;
}

/**
 * Write the synthetic model `spec` to `path` (GGUF v3). Same spec and seed → identical bytes.
 * `onProgress` is called after each chunk.
 */
export async function writeSyntheticGguf(
  spec: SyntheticModelSpec,
  path: string,
  options: { onProgress?: (p: WriteProgress) => void } = {},
): Promise<WrittenGguf> {
  const layout = syntheticLayout(spec);
  const { plan, header, totalBytes } = layout;
  await mkdir(dirname(path), { recursive: true });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const fh = await open(tmp, "w");
  let written = header.length;
  try {
    await fh.write(header, 0, header.length, 0);
    for (const c of syntheticTensorChunks(spec, layout)) {
      await fh.write(c.bytes, 0, c.length, c.position);
      written += c.length;
      options.onProgress?.({ bytesWritten: written, totalBytes, tensor: c.tensor });
    }
    await fh.close();
    await rename(tmp, path);
  } catch (e) {
    await fh.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw e;
  }
  const blockCheck = plan.every((t) => t.elements % GGML_BLOCK[t.type].elements === 0);
  if (!blockCheck || written !== totalBytes) {
    throw new SlmError("E_INTERNAL", `GGUF writer wrote ${written} bytes, planned ${totalBytes}`);
  }
  return {
    path,
    fileBytes: totalBytes,
    headerBytes: header.length,
    tensors: plan,
    parameters: plan.reduce((a, t) => a + t.elements, 0),
  };
}
