import { inputError, type SlmError } from "../../errors.js";

/**
 * What `vcgencmd pmic_read_adc` prints on a board whose firmware has no such command (every
 * Raspberry Pi but the 5, whose PMIC has the ADC the command reads):
 *
 *     vc_gencmd_read_response returned -1
 *     error=1 error_msg="Command not registered"
 *
 * A log of that is no power log: it is refused with what to measure with instead.
 */
const NOT_REGISTERED = /error_msg="Command not registered"|vc_gencmd_read_response returned -1/;

/** The first line of `head` with vcgencmd's "Command not registered" answer (1-based), or null. */
export function findVcgencmdNotRegistered(head: string): { line: number; text: string } | null {
  const lines = head.split(/\r\n|\n|\r/, 200);
  const i = lines.findIndex((l) => NOT_REGISTERED.test(l));
  if (i < 0) return null;
  // Name the line with the message itself when both are there.
  const j = lines.findIndex((l) => l.includes('error_msg="Command not registered"'));
  const k = j >= 0 ? j : i;
  return { line: k + 1, text: lines[k]!.trim() };
}

/** The error for a log of vcgencmd refusing `pmic_read_adc`. */
export function noPmicAdcError(file: string, at: { line: number; text: string }): SlmError {
  return inputError(
    'vcgencmd answered "Command not registered": this board has no PMIC ADC ' +
      "(`vcgencmd pmic_read_adc` reads the PMIC of the Raspberry Pi 5 only), so the log holds no readings",
    {
      file,
      line: at.line,
      text: at.text,
      hint:
        "the command works on the Raspberry Pi 5 only; " +
        "measure this board with a USB power meter between supply and board (FNIRSI / UM25C logs: " +
        "format fnirsi or usb-csv) or a wall meter",
    },
  );
}
