/**
 * The documented storage rule, computed here independently of the store's code (which rewrites
 * escapes in the JSON text): PostgreSQL text cannot hold NUL nor an unpaired UTF-16 surrogate,
 * so both become U+FFFD, in values and keys alike. This works on the values themselves.
 */
import { createHash } from 'node:crypto';

const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export const md5 = (text: string) => createHash('md5').update(text).digest('hex');

/** The document as the store must hold it (as JSON.parse gives it back). */
export function storedForm(value: unknown): unknown {
  if (typeof value === 'string') return value.replace(UNSTORABLE, '\uFFFD');
  if (Array.isArray(value)) return value.map(storedForm);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replace(UNSTORABLE, '\uFFFD'), storedForm(v)]));
  }
  return value;
}

/** A string as JSON text, each unstorable character written as the escape \ufffd (as JSON.stringify escapes them). */
function storedString(text: string): string {
  return `"${text
    .split(UNSTORABLE)
    .map((part) => JSON.stringify(part).slice(1, -1))
    .join('\\ufffd')}"`;
}

/** The JSON text the store must keep for a document: JSON.stringify's output, with the rule applied. */
export function storedJson(value: unknown): string {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return storedJson((value as { toJSON(): unknown }).toJSON());
  }
  if (typeof value === 'string') return storedString(value);
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined || typeof v === 'function' ? 'null' : storedJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function');
    return `{${members.map(([k, v]) => `${storedString(k)}:${storedJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The content hash the store must give a document: MD5 of the JSON text it keeps. */
export const contentHashOf = (doc: unknown): string => md5(storedJson(doc));
