/**
 * Decodes a GGUF file's header (versions 2 and 3): metadata with their types and the tensor infos,
 * without reading tensor data. Pulls bytes from a `ByteSource` in pieces, so a multi-GB model costs
 * a few MB (`io/gguf/reader.ts` gives it a file). A source that is not GGUF, is truncated, or holds
 * impossible counts fails with an input error naming the file, the byte offset and what was being read.
 */
import { inputError } from "../errors.js";
import type { GgufArray, GgufScalar, GgufTensorInfo } from "./header.js";
import { GGML_BLOCK, GGUF_DEFAULT_ALIGNMENT, GgufValueType, ggmlTypeName, type GgmlTypeName } from "./types.js";

export interface GgufMetadataValue {
  type: GgufValueType;
  value: GgufScalar | GgufArray;
}

export interface GgufTensor extends GgufTensorInfo {
  /** ggml type name, or null when this project does not know the type id. */
  typeName: GgmlTypeName | null;
  elements: number;
  /** Size of the tensor's data (null for unknown types). */
  bytes: number | null;
}

export interface GgufHeader {
  file: string;
  version: number;
  metadata: Map<string, GgufMetadataValue>;
  tensors: GgufTensor[];
  alignment: number;
  /** Byte offset of the data section from the start of the file. */
  dataOffset: number;
  fileBytes: number;
}

/** Random-access bytes: a file on disk (io/gguf) or a buffer in memory (tests). */
export interface ByteSource {
  /** Total size in bytes. */
  size: number;
  /** Copy up to `length` bytes at `position` into `buf` from offset 0; returns the bytes copied. */
  read(buf: Uint8Array, length: number, position: number): number;
}

/** A source over bytes already in memory. */
export function bufferSource(bytes: Uint8Array): ByteSource {
  return {
    size: bytes.length,
    read: (buf, length, position) => {
      const part = bytes.subarray(position, Math.min(bytes.length, position + length));
      buf.set(part, 0);
      return part.length;
    },
  };
}

/**
 * Sane maxima for lengths read from the header, so that a corrupt or hostile count fails at once
 * with its offset instead of allocating gigabytes: keys are at most 65535 bytes (GGUF spec), tensor
 * names too (ggml allows 64); string values (chat templates, token texts) 16 MiB; arrays (the
 * largest are vocabularies and merges, under a million entries) 2^24 elements. Every length is
 * also bounded by the bytes left in the file.
 */
const MAX_KEY_BYTES = 65_535;
const MAX_STRING_BYTES = 16 * 1024 * 1024;
const MAX_ARRAY_ELEMENTS = 2 ** 24;
/** Fewest bytes one element of a value type takes (an array element of unknown type: 1). */
const MIN_ELEMENT_BYTES: Partial<Record<number, number>> = {
  [GgufValueType.UINT16]: 2,
  [GgufValueType.INT16]: 2,
  [GgufValueType.UINT32]: 4,
  [GgufValueType.INT32]: 4,
  [GgufValueType.FLOAT32]: 4,
  [GgufValueType.UINT64]: 8,
  [GgufValueType.INT64]: 8,
  [GgufValueType.FLOAT64]: 8,
  [GgufValueType.STRING]: 8,
};

const utf8 = new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * Sequential little-endian reader over a byte source, refilling a window as it goes. Plain
 * Uint8Array and DataView (no Node Buffer), so the same decoder runs in a browser on a File's bytes.
 */
class FileCursor {
  private buf: Uint8Array;
  private view: DataView;
  private start = 0; // file offset of buf[0]
  private end = 0; // file offset just past valid data in buf
  pos = 0;
  constructor(
    private readonly source: ByteSource,
    readonly size: number,
    readonly file: string,
    window = 1 << 20,
  ) {
    this.buf = new Uint8Array(window);
    this.view = new DataView(this.buf.buffer);
  }
  /** Throw the truncation error unless `n` more bytes are in the file (nothing is read). */
  fits(n: number, what: string): void {
    if (this.pos + n > this.size) {
      throw inputError(
        `truncated GGUF header: ${what} needs ${n} bytes at offset ${this.pos}, the file has ${this.size}`,
        {
          file: this.file,
          field: what,
          hint: "the file is cut short or is not a GGUF model; download or write it again",
        },
      );
    }
  }
  private need(n: number, what: string): number {
    this.fits(n, what);
    if (this.pos < this.start || this.pos + n > this.end) {
      if (n > this.buf.length) {
        this.buf = new Uint8Array(Math.max(n, this.buf.length * 2));
        this.view = new DataView(this.buf.buffer);
      }
      const got = this.source.read(this.buf, this.buf.length, this.pos);
      this.start = this.pos;
      this.end = this.pos + got;
      if (this.end < this.pos + n)
        throw inputError(`short read at offset ${this.pos}`, { file: this.file, field: what });
    }
    const at = this.pos - this.start;
    this.pos += n;
    return at;
  }
  u8(w: string): number {
    return this.view.getUint8(this.need(1, w));
  }
  i8(w: string): number {
    return this.view.getInt8(this.need(1, w));
  }
  u16(w: string): number {
    return this.view.getUint16(this.need(2, w), true);
  }
  i16(w: string): number {
    return this.view.getInt16(this.need(2, w), true);
  }
  u32(w: string): number {
    return this.view.getUint32(this.need(4, w), true);
  }
  i32(w: string): number {
    return this.view.getInt32(this.need(4, w), true);
  }
  f32(w: string): number {
    return this.view.getFloat32(this.need(4, w), true);
  }
  f64(w: string): number {
    return this.view.getFloat64(this.need(8, w), true);
  }
  u64big(w: string): bigint {
    return this.view.getBigUint64(this.need(8, w), true);
  }
  i64big(w: string): bigint {
    return this.view.getBigInt64(this.need(8, w), true);
  }
  /** u64 that must fit a JS number and stay under `max` (sanity bound against garbage). */
  count(w: string, max: number): number {
    const at = this.pos;
    const v = this.u64big(w);
    if (v > BigInt(max)) {
      throw inputError(`implausible ${w} ${v} at offset ${at} (at most ${max} expected)`, {
        file: this.file,
        field: w,
        hint: "the file is corrupt or not a GGUF model",
      });
    }
    return Number(v);
  }
  /** A string of at most `max` bytes (and no more than the file has left). */
  str(w: string, max: number = MAX_STRING_BYTES): string {
    const n = this.count(`${w} length`, Math.min(max, this.size));
    const at = this.need(n, w);
    return utf8.decode(this.buf.subarray(at, at + n));
  }
}

function readScalar(c: FileCursor, type: number, key: string): GgufScalar {
  const w = `value of ${key}`;
  switch (type) {
    case GgufValueType.UINT8:
      return c.u8(w);
    case GgufValueType.INT8:
      return c.i8(w);
    case GgufValueType.UINT16:
      return c.u16(w);
    case GgufValueType.INT16:
      return c.i16(w);
    case GgufValueType.UINT32:
      return c.u32(w);
    case GgufValueType.INT32:
      return c.i32(w);
    case GgufValueType.FLOAT32:
      return c.f32(w);
    case GgufValueType.FLOAT64:
      return c.f64(w);
    case GgufValueType.BOOL:
      return c.u8(w) !== 0;
    case GgufValueType.STRING:
      return c.str(w);
    case GgufValueType.UINT64: {
      const v = c.u64big(w);
      return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
    }
    case GgufValueType.INT64: {
      const v = c.i64big(w);
      return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v;
    }
    default:
      throw inputError(`unknown GGUF value type ${type} for key "${key}" at offset ${c.pos - 4}`, {
        file: c.file,
        field: key,
        hint: "the file is corrupt or uses a GGUF version newer than this reader",
      });
  }
}

function readMagicAndVersion(c: FileCursor): number {
  const file = c.file;
  const magic = c.size >= 4 ? String.fromCharCode(c.u8("magic"), c.u8("magic"), c.u8("magic"), c.u8("magic")) : "";
  if (magic !== "GGUF") {
    throw inputError(`not a GGUF file (magic ${JSON.stringify(magic)}, expected "GGUF")`, {
      file,
      field: "magic",
      hint: "pass a .gguf model file (llama.cpp format), or write one with `slm-energy gguf synth`",
    });
  }
  const version = c.u32("version");
  if (version !== 2 && version !== 3) {
    throw inputError(`unsupported GGUF version ${version}`, {
      file,
      field: "version",
      hint: "this reader handles GGUF v2 and v3",
    });
  }
  return version;
}

function readMetadata(c: FileCursor, kvCount: number): Map<string, GgufMetadataValue> {
  const metadata = new Map<string, GgufMetadataValue>();
  for (let i = 0; i < kvCount; i++) {
    const key = c.str(`key #${i}`, MAX_KEY_BYTES);
    const type = c.u32(`type of ${key}`) as GgufValueType;
    if (type === GgufValueType.ARRAY) {
      const elementType = c.u32(`element type of ${key}`) as GgufValueType;
      const n = c.count(`length of ${key}`, MAX_ARRAY_ELEMENTS);
      c.fits(n * (MIN_ELEMENT_BYTES[elementType] ?? 1), `${n} elements of ${key}`);
      const items: GgufScalar[] = new Array<GgufScalar>(n);
      for (let j = 0; j < n; j++) items[j] = readScalar(c, elementType, key);
      metadata.set(key, { type, value: { elementType, items } });
    } else {
      metadata.set(key, { type, value: readScalar(c, type, key) });
    }
  }
  return metadata;
}

function readTensorInfo(c: FileCursor, i: number): GgufTensor {
  const name = c.str(`tensor #${i} name`, MAX_KEY_BYTES);
  const nDims = c.u32(`n_dims of ${name}`);
  if (nDims < 1 || nDims > 4) {
    throw inputError(`tensor "${name}" has ${nDims} dimensions (ggml allows 1 to 4)`, { file: c.file, field: name });
  }
  const dims: number[] = [];
  for (let d = 0; d < nDims; d++) dims.push(c.count(`dim ${d} of ${name}`, 2 ** 40));
  const type = c.u32(`type of ${name}`);
  const offset = c.count(`offset of ${name}`, c.size);
  const typeName = ggmlTypeName(type) ?? null;
  const elements = dims.reduce((a, b) => a * b, 1);
  const block = typeName ? GGML_BLOCK[typeName] : null;
  return {
    name,
    dims,
    type,
    offset,
    typeName,
    elements,
    bytes: block ? (elements / block.elements) * block.bytes : null,
  };
}

function checkTensorsFit(tensors: readonly GgufTensor[], dataOffset: number, size: number, file: string): void {
  for (const t of tensors) {
    if (t.bytes !== null && dataOffset + t.offset + t.bytes > size) {
      throw inputError(
        `tensor "${t.name}" ends at byte ${dataOffset + t.offset + t.bytes}, past the end of the file (${size})`,
        { file, field: t.name, hint: "the file is truncated; download or write it again" },
      );
    }
  }
}

/** Decode the header of the GGUF bytes in `source`; `file` names it in errors and in the result. */
export function parseGgufHeader(source: ByteSource, file: string): GgufHeader {
  const size = source.size;
  const c = new FileCursor(source, size, file);
  const version = readMagicAndVersion(c);
  const tensorCount = c.count("tensor_count", 1e7);
  const kvCount = c.count("kv_count", 1e7);
  const metadata = readMetadata(c, kvCount);
  const alignmentValue = metadata.get("general.alignment")?.value;
  const alignment = typeof alignmentValue === "number" && alignmentValue > 0 ? alignmentValue : GGUF_DEFAULT_ALIGNMENT;
  const tensors: GgufTensor[] = [];
  for (let i = 0; i < tensorCount; i++) tensors.push(readTensorInfo(c, i));
  const dataOffset = Math.ceil(c.pos / alignment) * alignment;
  checkTensorsFit(tensors, dataOffset, size, file);
  return { file, version, metadata, tensors, alignment, dataOffset, fileBytes: size };
}

/** A metadata value as a plain number/string/boolean (arrays give their items), or undefined. */
export function metaValue(h: GgufHeader, key: string): GgufScalar | GgufScalar[] | undefined {
  const m = h.metadata.get(key);
  if (!m) return undefined;
  return m.type === GgufValueType.ARRAY ? (m.value as GgufArray).items : (m.value as GgufScalar);
}

/** A required numeric metadata value, or an input error naming the key. */
export function metaNumber(h: GgufHeader, key: string): number {
  const v = metaValue(h, key);
  if (typeof v !== "number") {
    throw inputError(`GGUF metadata "${key}" is missing or not a number`, { file: h.file, field: key });
  }
  return v;
}
