import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { storableText } from './text';

/** One column's value. Arrays become PostgreSQL arrays; null and undefined become NULL. */
export type Value = string | number | boolean | null | undefined | readonly (string | number | null)[];

/** COPY text format: a backslash, tab, newline or carriage return in a value is escaped. */
const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function copyText(text: string): string {
  const stored = storableText(text);
  return COPY_SPECIAL.test(stored) ? stored.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]) : stored;
}

/** An array literal: every element quoted, `"` and `\` escaped, NULL bare. */
function arrayLiteral(values: readonly (string | number | null)[]): string {
  const elements = values.map((v) => (v === null ? 'NULL' : `"${String(v).replace(/["\\]/g, '\\$&')}"`));
  return `{${elements.join(',')}}`;
}

/** One value as a field of COPY's text format. */
export function copyField(value: Value): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'string') return copyText(value);
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  return copyText(arrayLiteral(value));
}

/**
 * Fields of one row, tab-separated, without the line's end. A join makes one flat string; a
 * string built with += is a tree of its pieces, several times the size while a merge holds it.
 */
export const copyFields = (values: readonly Value[]) => values.map(copyField).join('\t');

/** JSON text (already storable) as a COPY field: it has no raw tabs or newlines, only backslashes to double. */
export const copyJson = (json: string) => json.replace(/\\/g, '\\\\');

const COPY_CHUNK_CHARS = 1 << 20;

/** COPY of prepared lines that fails fast, and leaves the connection usable, if anything goes wrong. */
export async function copyRows(client: pg.PoolClient, sql: string, lines: Iterable<string>): Promise<void> {
  const copy = client.query(copyFrom(sql));
  // A COPY whose connection dies (server down, backend killed) says so once, as an 'error' event,
  // and never finishes after that. Keep the error (unheard it would crash the process) and fail.
  let failed: Error | undefined;
  copy.on('error', (error: Error) => (failed ??= error));
  try {
    const send = async (chunk: string) => {
      if (failed) throw failed;
      if (!copy.write(chunk)) await once(copy, 'drain');
    };
    // Rows go out in chunks of about a megabyte: one COPY message each, not one per row.
    let chunk = '';
    for (const line of lines) {
      chunk += line;
      if (chunk.length >= COPY_CHUNK_CHARS) {
        await send(chunk);
        chunk = '';
      }
    }
    if (chunk) await send(chunk);
    if (failed) throw failed;
    copy.end();
    await finished(copy);
  } catch (error) {
    if (!failed) {
      // Abort the COPY so the connection is usable for the rollback.
      copy.destroy(error as Error);
      await finished(copy).catch(() => undefined);
    }
    throw error;
  }
}
