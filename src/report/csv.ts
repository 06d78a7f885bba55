/**
 * CSV tables for spreadsheets and pandas, next to every chart's data.
 *
 * Follows RFC 4180: CRLF line ends, a header row, and a field is quoted (with
 * inner quotes doubled) when it contains a comma, a quote, CR or LF. Fields with
 * leading or trailing spaces are quoted too, because several readers trim them
 * otherwise. Column order is stable: the order given, else the order in which
 * keys first appear in the rows, so the same results always give the same bytes.
 */

export type CsvValue = string | number | boolean | null | undefined;
export type CsvRow = Readonly<Record<string, CsvValue>>;

const LINE_END = '\r\n';

/**
 * Serialises rows to CSV. `columns` picks and orders the columns; keys missing
 * from a row (and `null`) become empty fields. Returns only the header line when
 * there are no rows but columns are known, and '' when neither is.
 */
export function toCsv(rows: readonly CsvRow[], columns?: readonly string[]): string {
  const header = columns ?? columnsInFirstSeenOrder(rows);
  if (header.length === 0) return '';
  const lines = [header.map(quoteCsvField).join(',')];
  for (const row of rows) {
    lines.push(header.map((column) => quoteCsvField(formatCsvValue(row[column]))).join(','));
  }
  return lines.join(LINE_END) + LINE_END;
}

function columnsInFirstSeenOrder(rows: readonly CsvRow[]): string[] {
  const seen = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row)) seen.add(key);
  return [...seen];
}

function formatCsvValue(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    // -0 would print as "0" anyway; NaN and infinities have no CSV meaning, so they are empty like a missing value.
    return Number.isFinite(value) ? String(value) : '';
  }
  return String(value);
}

/** Quotes one field when RFC 4180 requires it (or when a reader would otherwise trim it). */
export function quoteCsvField(field: string): string {
  if (/[",\r\n]/.test(field) || field !== field.trim()) return `"${field.replaceAll('"', '""')}"`;
  return field;
}
