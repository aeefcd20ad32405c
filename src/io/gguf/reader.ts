/**
 * A GGUF model file's header, read from disk in pieces (a multi-GB model costs a few MB): the file
 * end of `gguf/reader.ts`, which decodes the bytes.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { notFoundError } from "../../errors.js";
import { parseGgufHeader, type GgufHeader } from "../../gguf/reader.js";

/** Read the header of the GGUF file at `path`. */
export function readGgufHeader(path: string): GgufHeader {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    throw notFoundError(`cannot open the model file (${(e as NodeJS.ErrnoException).code ?? String(e)})`, {
      file: path,
      cause: e,
      hint: "check the path; write a synthetic model with `slm-energy gguf synth`",
    });
  }
  try {
    const size = fstatSync(fd).size;
    return parseGgufHeader({ size, read: (buf, length, position) => readSync(fd, buf, 0, length, position) }, path);
  } finally {
    closeSync(fd);
  }
}
