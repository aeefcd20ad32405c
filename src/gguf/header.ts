/**
 * Encoding of a GGUF header: magic, version, counts, typed metadata and tensor infos, padded to
 * the alignment. Pure: returns bytes; the writer streams them and the tensor data to disk.
 */
import { internalError } from "../errors.js";
import { GgufValueType } from "./types.js";

export type GgufScalar = number | bigint | boolean | string;
export interface GgufArray {
  elementType: GgufValueType;
  items: GgufScalar[];
}
/** One metadata entry with its explicit GGUF type (numbers alone do not say u32 or f32). */
export interface GgufMetadataEntry {
  key: string;
  type: GgufValueType;
  value: GgufScalar | GgufArray;
}

export interface GgufTensorInfo {
  name: string;
  /** Contiguous dimension first. */
  dims: number[];
  /** ggml type id. */
  type: number;
  /** Offset of the tensor's data from the start of the data section, bytes. */
  offset: number;
}

export const GGUF_MAGIC = "GGUF";
export const GGUF_VERSION = 3;

/** A little-endian byte buffer that grows as it is written. */
class ByteWriter {
  private buf = Buffer.alloc(1 << 16);
  length = 0;
  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = Buffer.alloc(size);
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
  u8(v: number): void {
    this.ensure(1);
    this.buf.writeUInt8(v, this.length);
    this.length += 1;
  }
  i8(v: number): void {
    this.ensure(1);
    this.buf.writeInt8(v, this.length);
    this.length += 1;
  }
  u16(v: number): void {
    this.ensure(2);
    this.buf.writeUInt16LE(v, this.length);
    this.length += 2;
  }
  i16(v: number): void {
    this.ensure(2);
    this.buf.writeInt16LE(v, this.length);
    this.length += 2;
  }
  u32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32LE(v, this.length);
    this.length += 4;
  }
  i32(v: number): void {
    this.ensure(4);
    this.buf.writeInt32LE(v, this.length);
    this.length += 4;
  }
  f32(v: number): void {
    this.ensure(4);
    this.buf.writeFloatLE(v, this.length);
    this.length += 4;
  }
  f64(v: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(v, this.length);
    this.length += 8;
  }
  u64(v: number | bigint): void {
    this.ensure(8);
    this.buf.writeBigUInt64LE(BigInt(v), this.length);
    this.length += 8;
  }
  i64(v: number | bigint): void {
    this.ensure(8);
    this.buf.writeBigInt64LE(BigInt(v), this.length);
    this.length += 8;
  }
  str(s: string): void {
    const bytes = Buffer.from(s, "utf8");
    this.u64(bytes.length);
    this.ensure(bytes.length);
    bytes.copy(this.buf, this.length);
    this.length += bytes.length;
  }
  pad(alignment: number): void {
    const n = (alignment - (this.length % alignment)) % alignment;
    this.ensure(n);
    this.buf.fill(0, this.length, this.length + n);
    this.length += n;
  }
  bytes(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}

function writeScalar(w: ByteWriter, type: GgufValueType, v: GgufScalar, key: string): void {
  const num = (): number => {
    if (typeof v !== "number")
      throw internalError(`GGUF key ${key}: expected a number for type ${type}, got ${typeof v}`);
    return v;
  };
  switch (type) {
    case GgufValueType.UINT8:
      return w.u8(num());
    case GgufValueType.INT8:
      return w.i8(num());
    case GgufValueType.UINT16:
      return w.u16(num());
    case GgufValueType.INT16:
      return w.i16(num());
    case GgufValueType.UINT32:
      return w.u32(num());
    case GgufValueType.INT32:
      return w.i32(num());
    case GgufValueType.FLOAT32:
      return w.f32(num());
    case GgufValueType.FLOAT64:
      return w.f64(num());
    case GgufValueType.UINT64:
      return w.u64(typeof v === "bigint" ? v : num());
    case GgufValueType.INT64:
      return w.i64(typeof v === "bigint" ? v : num());
    case GgufValueType.BOOL:
      return w.u8(v ? 1 : 0);
    case GgufValueType.STRING:
      if (typeof v !== "string") throw internalError(`GGUF key ${key}: expected a string`);
      return w.str(v);
    default:
      throw internalError(`GGUF key ${key}: type ${type} is not a scalar type`);
  }
}

/**
 * Bytes of a GGUF v3 header: everything before the data section, padded to `alignment`.
 * Tensor offsets must already be set (see `layoutTensors`).
 */
export function encodeGgufHeader(
  metadata: readonly GgufMetadataEntry[],
  tensors: readonly GgufTensorInfo[],
  alignment = 32,
): Buffer {
  const w = new ByteWriter();
  for (const c of GGUF_MAGIC) w.u8(c.charCodeAt(0));
  w.u32(GGUF_VERSION);
  w.u64(tensors.length);
  w.u64(metadata.length);
  for (const m of metadata) {
    w.str(m.key);
    w.u32(m.type);
    if (m.type === GgufValueType.ARRAY) {
      const arr = m.value as GgufArray;
      w.u32(arr.elementType);
      w.u64(arr.items.length);
      for (const item of arr.items) writeScalar(w, arr.elementType, item, m.key);
    } else {
      writeScalar(w, m.type, m.value as GgufScalar, m.key);
    }
  }
  for (const t of tensors) {
    w.str(t.name);
    w.u32(t.dims.length);
    for (const d of t.dims) w.u64(d);
    w.u32(t.type);
    w.u64(t.offset);
  }
  w.pad(alignment);
  return w.bytes();
}

/** Assign contiguous, aligned offsets in list order; returns the infos and the data section size. */
export function layoutTensors(
  tensors: readonly { name: string; dims: number[]; type: number; bytes: number }[],
  alignment = 32,
): { infos: GgufTensorInfo[]; dataBytes: number } {
  let offset = 0;
  const infos: GgufTensorInfo[] = [];
  for (const t of tensors) {
    infos.push({ name: t.name, dims: t.dims, type: t.type, offset });
    offset += t.bytes;
    offset += (alignment - (offset % alignment)) % alignment;
  }
  return { infos, dataBytes: offset };
}
