/**
 * A USB power meter, read through the file its logger appends to (`--meter usb-meter:PATH`).
 * That is how USB meters are logged in practice: the meter talks its own protocol over USB HID,
 * serial or Bluetooth, and a logger program on the host decodes it and prints one reading a line
 * with the host's time — e.g. the FNIRSI FNB48/FNB58/C1 logger (`fnirsi_logger.py > fnb58.txt`),
 * or any tool writing a CSV of time and W (or V and A). Started before `measure`, the logger keeps
 * appending; `measure` copies the file's header and every complete line appended while it runs
 * into the bundle, in the logger's own format, which `ingest` reads (`fnirsi`, `usb-csv`).
 *
 * The logger's times must be wall-clock times (epoch seconds or ISO date-times, as the FNIRSI
 * logger writes) from this machine's clock: they are the only link between readings and windows.
 * A serial device itself is refused: its bytes are the meter's protocol, not a log.
 */
import { closeSync, existsSync, fstatSync, openSync, readSync, statSync } from "node:fs";
import { SlmError } from "../../errors.js";
import type { PowerSensor, SamplerHandle, LogSink } from "../../collect/sensors.js";
import { detectPowerFormat, rankPowerFormats } from "../../ingest/power/detect.js";

const HEAD_BYTES = 64 * 1024;

/** Bytes [from, to) of an open file as text. */
function readRange(fd: number, from: number, to: number): string {
  const buf = Buffer.alloc(Math.max(0, to - from));
  let got = 0;
  while (got < buf.length) {
    const n = readSync(fd, buf, got, buf.length - got, from + got);
    if (n === 0) break;
    got += n;
  }
  return buf.subarray(0, got).toString("utf8");
}

/** The file's head up to and including its header (the first line that is not a `#` comment), or null. */
export function logHeader(text: string): string | null {
  let at = 0;
  while (at < text.length) {
    const nl = text.indexOf("\n", at);
    if (nl < 0) return null; // the header line is not complete yet
    const line = text.slice(at, nl).trim();
    at = nl + 1;
    if (line !== "" && !line.startsWith("#")) return text.slice(0, at);
  }
  return null;
}

const usbError = (message: string, hint: string): SlmError => new SlmError("E_ENV", message, { hint });

const LOGGER_HINT =
  "start the meter's logger first, writing to a file (e.g. `python3 fnirsi_logger.py > fnb58.txt`), " +
  "then give that file: --meter usb-meter:fnb58.txt";

/**
 * The USB-meter sensor for the log at `path`: checked now (a regular file with a header ingest
 * reads), followed from its current end when sampling starts.
 */
export function usbMeterSensor(path: string): PowerSensor {
  if (!existsSync(path)) throw usbError(`usb-meter log ${path} does not exist`, LOGGER_HINT);
  const st = statSync(path);
  if (st.isCharacterDevice())
    throw usbError(`usb-meter:${path} is a device, not a log: its bytes are the meter's own protocol`, LOGGER_HINT);
  if (!st.isFile()) throw usbError(`usb-meter log ${path} is not a regular file`, LOGGER_HINT);
  const fd = openSync(path, "r");
  let head: string;
  try {
    head = readRange(fd, 0, Math.min(fstatSync(fd).size, HEAD_BYTES));
  } finally {
    closeSync(fd);
  }
  const header = logHeader(head);
  if (header === null)
    throw usbError(`usb-meter log ${path} has no header line yet`, `${LOGGER_HINT} (it writes its header first)`);
  const format = detectPowerFormat(head);
  if (format === null || (format !== "fnirsi" && format !== "usb-csv")) {
    const ranked = rankPowerFormats(head)
      .slice(0, 3)
      .map((g) => `${g.format}: ${g.reason}`)
      .join("; ");
    throw usbError(
      `usb-meter log ${path} is not a USB-meter log ingest reads (${format ?? "no format"}; ${ranked})`,
      "log time and W (or V and A) with a header, e.g. time_s,power_w, or use the FNIRSI logger's format",
    );
  }
  return {
    kind: "usb-meter",
    format,
    scope: `what the USB meter sits on (${path}, its logger's ${format} log)`,
    channels: [
      {
        fileName: format === "fnirsi" ? "power-usb-meter.txt" : "power-usb-meter.csv",
        source: `USB meter log ${path} (followed from its end)`,
        start: (sink, intervalMs) => followLog(path, header, sink, intervalMs),
      },
    ],
  };
}

/** Copies `header`, then every complete line appended to `path` from now on, every `intervalMs`. */
function followLog(path: string, header: string, sink: LogSink, intervalMs: number): SamplerHandle {
  const fd = openSync(path, "r");
  let offset = fstatSync(fd).size;
  let rest = "";
  let n = 0;
  sink(header);
  const poll = (): void => {
    const size = fstatSync(fd).size;
    if (size < offset) offset = size; // truncated by the logger: follow its new end
    if (size === offset) return;
    const lines = (rest + readRange(fd, offset, size)).split("\n");
    offset = size;
    rest = lines.pop() ?? "";
    for (const l of lines) {
      if (l.trim() === "") continue;
      sink(l + "\n");
      n++;
    }
  };
  const timer = setInterval(poll, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      poll(); // lines appended since the last tick; an unfinished last line is left out
      closeSync(fd);
      return Promise.resolve();
    },
    readings: () => n,
  };
}
