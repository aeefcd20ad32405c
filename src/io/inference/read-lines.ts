import type { Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { createInterface } from "node:readline";

/**
 * Stream a text file line by line with 1-based line numbers, in constant memory. LF, CRLF and
 * lone CR line ends are accepted; a UTF-8 BOM is removed. The file is opened read-only. With
 * `hash`, every byte of the file goes into it as it streams past (complete once the lines are).
 */
export async function* readLines(path: string, hash?: Hash): AsyncGenerator<[string, number]> {
  // Bytes when hashing (readline decodes them as UTF-8, as the text stream would).
  const stream = hash
    ? createReadStream(path, { flags: "r" })
    : createReadStream(path, { encoding: "utf8", flags: "r" });
  if (hash) stream.on("data", (chunk) => hash.update(chunk as Buffer));
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const raw of rl) {
      n++;
      yield [n === 1 ? raw.replace(/^\uFEFF/, "") : raw, n];
    }
  } finally {
    rl.close();
    stream.destroy();
  }
}

/** The first `bytes` of a file as text (for format detection), read-only. */
export async function readHead(path: string, bytes = 64 * 1024): Promise<string> {
  const fh = await open(path, "r");
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    let text = buf.subarray(0, bytesRead).toString("utf8");
    // Drop a possibly cut last line (and a cut multi-byte character) when the file is longer.
    if (bytesRead === bytes) {
      const cut = Math.max(text.lastIndexOf("\n"), 0);
      text = text.slice(0, cut);
    }
    return text.replace(/^\uFEFF/, "");
  } finally {
    await fh.close();
  }
}
