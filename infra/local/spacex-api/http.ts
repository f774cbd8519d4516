/** HTTP plumbing of the simulated API: errors as statuses, request bodies, and responses written or streamed. */
import { createHash } from 'node:crypto';
import { PipelineError } from '../../../functions/core/errors';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Reply } from './routes';

/** Bodies up to this size are buffered and get an ETag hashed from the bytes; larger ones stream. */
const BUFFER_LIMIT = 1 << 20;
const CHUNK_SIZE = 1 << 16;
const MAX_REQUEST_BYTES = 16 << 20;

/** A request the simulated API answers with an error status (the product's error model, exit code aside). */
export class HttpError extends PipelineError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new HttpError(400, message);
export const notFound = (message = 'Not Found') => new HttpError(404, message);

export function normalisePath(url: string): string {
  const path = url.split('?')[0];
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) throw new HttpError(413, 'request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('the request body is not valid JSON');
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

// -----------------------------------------------------------------------------------------------
// Writing responses

/** Read once: a global lookup per document is slow in a vm context such as jest's. */
const toJson = JSON.stringify;

/** The body as pieces of JSON text, cut after half of its documents when truncating. */
function* bodyPieces(reply: Reply, truncate: boolean): Generator<string> {
  const head = reply.shape === 'page' ? '{"docs":[' : reply.shape === 'list' ? '[' : '';
  const tail = reply.shape === 'page' ? `],${JSON.stringify(reply.meta).slice(1)}` : reply.shape === 'list' ? ']' : '';
  const { count } = reply.docs;
  if (truncate && count === 0) {
    const whole = head + tail;
    yield whole.slice(0, whole.length >> 1);
    return;
  }
  const cut = truncate ? count >> 1 : -1;
  yield head;
  for (let k = 0; k < count; k++) {
    const json = toJson(reply.docs.doc(k));
    const separator = k === 0 ? '' : ',';
    if (k === cut) {
      yield separator + json.slice(0, json.length >> 1);
      return;
    }
    yield separator + json;
  }
  yield tail;
}

/**
 * Small bodies are buffered: their ETag hashes the bytes and If-None-Match is honoured. Larger ones
 * are streamed with backpressure; their ETag (viewTag) hashes everything that decides the bytes
 * (data set, effective tick, request, faults), which is just as strong a validator.
 */
export async function sendJson(
  req: IncomingMessage,
  res: ServerResponse,
  reply: Reply,
  headers: Record<string, string>,
  viewTag: string,
  conditional: boolean,
  truncate: boolean,
): Promise<void> {
  const pieces = bodyPieces(reply, truncate);
  const buffered: string[] = [];
  let size = 0;
  for (let next = pieces.next(); ; next = pieces.next()) {
    if (next.done) {
      const body = buffered.join('');
      const tag = etagOf(body);
      if (conditional && ifNoneMatch(req, tag)) sendNotModified(res, reply.cacheSeconds, tag);
      else res.writeHead(200, { ...headers, ETag: tag, 'Content-Length': Buffer.byteLength(body) }).end(body);
      return;
    }
    buffered.push(next.value);
    size += next.value.length;
    if (size > BUFFER_LIMIT) break;
  }
  res.writeHead(200, { ...headers, ETag: viewTag });
  let chunk = buffered.join('');
  for (const piece of pieces) {
    chunk += piece;
    if (chunk.length < CHUNK_SIZE) continue;
    const flushed = res.write(chunk);
    chunk = '';
    if (!flushed && !(await drained(res))) return;
  }
  res.end(chunk);
}

/** Resolves true when the socket can take more, false when the client went away. */
function drained(res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => () => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(ok);
    };
    const onDrain = done(true);
    const onClose = done(false);
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}

export function sendSmall(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res
    .writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers })
    .end(text);
}

export function sendNotModified(res: ServerResponse, cacheSeconds: number, tag: string): void {
  res.writeHead(304, { ETag: tag, 'Cache-Control': `max-age=${cacheSeconds}` }).end();
}

export function etagOf(text: string): string {
  return `"${createHash('sha1').update(text).digest('base64url')}"`;
}

export function ifNoneMatch(req: IncomingMessage, tag: string): boolean {
  const header = req.headers['if-none-match'];
  if (!header) return false;
  return header.split(',').some((candidate) => {
    const trimmed = candidate.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === tag;
  });
}
