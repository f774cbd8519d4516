/** Renders rows as an aligned text table, numbers right-aligned. */
export function formatTable(rows: Record<string, unknown>[], columns = rows.length ? Object.keys(rows[0]) : []): string {
  if (columns.length === 0) return '(no columns)';
  const cells = rows.map((row) => columns.map((c) => formatValue(row[c])));
  const numeric = columns.map(
    (_, i) => rows.length > 0 && rows.every((row) => row[columns[i]] == null || typeof row[columns[i]] === 'number'),
  );
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => (numeric[i] ? v.padStart(widths[i]) : v.padEnd(widths[i])))
      .join(' | ')
      .trimEnd();
  return [
    line(columns),
    widths.map((w) => '-'.repeat(w)).join('-+-'),
    ...cells.map(line),
    `(${rows.length} row${rows.length === 1 ? '' : 's'})`,
  ].join('\n');
}

export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** CSV with RFC 4180 quoting. */
export function formatCsv(rows: Record<string, unknown>[], columns = rows.length ? Object.keys(rows[0]) : []): string {
  const quote = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [columns.map(quote).join(','), ...rows.map((r) => columns.map((c) => quote(formatValue(r[c]))).join(','))].join('\n');
}
