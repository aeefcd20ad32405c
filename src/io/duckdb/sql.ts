/**
 * Building DuckDB SQL text: quoting literals and names, and the table functions that read the
 * project's CSV and Parquet files with fixed types. Pure: strings in, SQL out.
 */
import type { SqlType } from "../table-types.js";

/** A SQL string literal: `'it''s'`. */
export const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/** A quoted SQL name: `"index"`, so that a column called like a keyword still works. */
export const sqlName = (s: string): string => `"${s.replaceAll('"', '""')}"`;

/** A path as DuckDB reads it (forward slashes, so Windows paths work too), quoted. */
export const sqlPath = (path: string): string => sqlString(path.replaceAll("\\", "/"));

/**
 * `read_csv(…)` of a file written by this project: a header line, comma-separated, `"` quoting
 * (doubled inside), empty cells NULL, and the columns `columns` with their types (nothing is
 * sniffed, so the types never depend on the file's content).
 */
export function readCsvSql(path: string, columns: readonly (readonly [string, SqlType])[]): string {
  const spec = columns.map(([name, type]) => `${sqlString(name)}: ${sqlString(type)}`).join(", ");
  return (
    `read_csv(${sqlPath(path)}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', ` +
    `nullstr = '', strict_mode = true, columns = {${spec}})`
  );
}

/** `read_parquet(…)` of a hive-partitioned folder (`key=value/` folders), partition values kept as text. */
export function readParquetSql(dir: string): string {
  return `read_parquet(${sqlPath(`${dir}/**/*.parquet`)}, hive_partitioning = true, hive_types_autocast = false)`;
}

/** `"a", "b", …`: a select list of columns by name. */
export const selectList = (names: readonly string[]): string => names.map(sqlName).join(", ");
