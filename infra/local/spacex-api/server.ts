/**
 * HTTP server replaying the generated data set with the SpaceX API's routes, paging envelope,
 * caching headers and failure modes. Bodies are streamed document by document, so a million
 * launches are served without ever holding them in memory.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createDataset, type ReplayDataset } from './dataset';
import {
  altersContent,
  corruptDocuments,
  faultStatus,
  FaultPlan,
  FaultRuleError,
  parseFaultRules,
  type Doc,
  type Documents,
  type FaultRule,
} from './faults';

export interface ReplayServerOptions {
  /** 0 = any free port (default). */
  port?: number;
  host?: string;
  launches: number;
  seed?: number;
  upcoming?: number;
  /** Seconds per tick of the simulated clock; 0 = only advance() moves it (default). */
  tickSeconds?: number;
}

export interface ReplayStats {
  totalRequests: number;
  /** Requests received per path (control endpoints excluded), faulted ones included. */
  requests: Record<string, number>;
  faultsApplied: number;
  faultsPending: number;
}

export interface ReplayState {
  tick: number;
  size: number;
  latestIndex: number;
  payloadCount: number;
}

export interface ReplayServer {
  url: string;
  dataset: ReplayDataset;
  advance(ticks?: number): ReplayState;
  setFaults(rules: FaultRule[]): void;
  clearFaults(): void;
  stats(): ReplayStats;
  close(): Promise<void>;
}

/** Seconds, as the real API's Cache-Control. */
const CACHE_SECONDS = { launches: 20, payloads: 300, launchpads: 300, landpads: 300, rockets: 86_400 } as const;
type CollectionName = keyof typeof CACHE_SECONDS;

/** mongoose-paginate-v2's default page size; the cap keeps one page below ~150 MB. */
const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 100_000;
/** Bodies up to this size are buffered and get an ETag hashed from the bytes; larger ones stream. */
const BUFFER_LIMIT = 1 << 20;
const CHUNK_SIZE = 1 << 16;
const MAX_REQUEST_BYTES = 16 << 20;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const badRequest = (message: string) => new HttpError(400, message);
const notFound = (message = 'Not Found') => new HttpError(404, message);

export async function startReplayServer(options: ReplayServerOptions): Promise<ReplayServer> {
  const dataset = createDataset({ launches: options.launches, seed: options.seed, upcoming: options.upcoming });
  const faults = new FaultPlan();
  const requests = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  const state = (): ReplayState => ({
    tick: dataset.tick,
    size: dataset.size,
    latestIndex: dataset.latestIndex(),
    payloadCount: dataset.payloadCount,
  });
  const stats = (): ReplayStats => ({
    totalRequests: [...requests.values()].reduce((a, b) => a + b, 0),
    requests: Object.fromEntries(requests),
    faultsApplied: faults.applied,
    faultsPending: faults.pending,
  });
  const advance = (ticks = 1): ReplayState => {
    dataset.advance(ticks);
    return state();
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const control = (method: string, path: string, body: unknown): unknown => {
    if (method === 'GET' && path === '/_replay/state') return state();
    if (method === 'GET' && path === '/_replay/stats') return stats();
    if (method === 'POST' && path === '/_replay/advance') {
      const ticks = (body as { ticks?: unknown } | undefined)?.ticks ?? 1;
      if (!Number.isInteger(ticks) || (ticks as number) < 0) throw badRequest('ticks must be a non-negative integer');
      return advance(ticks as number);
    }
    if (method === 'POST' && path === '/_replay/faults') {
      try {
        faults.set(parseFaultRules(body));
      } catch (error) {
        if (error instanceof FaultRuleError) throw badRequest(error.message);
        throw error;
      }
      return { faultsPending: faults.pending };
    }
    if (method === 'DELETE' && path === '/_replay/faults') {
      faults.clear();
      return { faultsPending: 0 };
    }
    throw notFound();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const path = normalisePath(req.url ?? '/');
    const rawBody = method === 'POST' ? await readBody(req) : '';
    if (path.startsWith('/_replay/')) {
      sendSmall(res, 200, control(method, path, parseJson(rawBody)));
      return;
    }
    requests.set(path, (requests.get(path) ?? 0) + 1);
    const fault = faults.take(method, path);
    if (fault?.latencyMs) await sleep(fault.latencyMs);
    if (fault?.reset) {
      req.socket.destroy();
      return;
    }
    const status = fault && faultStatus(fault);
    if (status !== undefined) {
      const headers: Record<string, string> = fault?.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {};
      sendSmall(res, status, { error: `Injected fault: HTTP ${status}` }, headers);
      return;
    }
    const reply = route(dataset, method, path, rawBody);
    const viewTag = etagOf(
      `${dataset.seed}|${dataset.size}|${dataset.upcomingAtStart}|${dataset.effectiveTick()}|${method} ${path}|${rawBody}|${faultKey(fault)}`,
    );
    const conditional = method === 'GET' && !altersContent(fault);
    if (conditional && ifNoneMatch(req, viewTag)) {
      sendNotModified(res, reply.cacheSeconds, viewTag);
      return;
    }
    const headers = {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': `max-age=${reply.cacheSeconds}`,
      'spacex-api-cache': 'MISS',
    };
    const docs = corruptDocuments(reply.docs, fault, reply.shape !== 'one');
    await sendJson(req, res, { ...reply, docs }, headers, viewTag, conditional, fault?.truncate === true);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      const status = error instanceof HttpError ? error.status : 500;
      sendSmall(res, status, { error: error instanceof Error ? error.message : String(error) });
    });
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const clock = options.tickSeconds ? setInterval(() => dataset.advance(1), options.tickSeconds * 1000) : undefined;
  clock?.unref();

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    dataset,
    advance,
    setFaults: (rules) => faults.set(parseFaultRules(rules)),
    clearFaults: () => faults.clear(),
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        if (clock) clearInterval(clock);
        for (const timer of timers) clearTimeout(timer);
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

// -----------------------------------------------------------------------------------------------
// Routing

interface Reply {
  /** 'one': a bare document; 'list': a JSON array; 'page': the paging envelope around docs. */
  shape: 'one' | 'list' | 'page';
  docs: Documents;
  /** Paging metadata, serialised after docs. */
  meta?: PageMeta;
  cacheSeconds: number;
}

const COLLECTION_ROUTE = /^\/(v5\/launches|v4\/(?:payloads|launchpads|landpads|rockets))(?:\/([^/]+))?$/;

function route(dataset: ReplayDataset, method: string, path: string, rawBody: string): Reply {
  const found = COLLECTION_ROUTE.exec(path);
  if (!found) throw notFound();
  const name = found[1].slice(3) as CollectionName;
  const collection = openCollection(dataset, name);
  const item = found[2];
  const cacheSeconds = CACHE_SECONDS[name];
  if (method === 'POST' && item === 'query') {
    const { query, options } = parseQueryBody(rawBody);
    const selection = sortSelection(collection, collection.select(query), options.sort);
    const { meta, from, count } = paginate(selection.count, options);
    return { shape: 'page', docs: { count, doc: (k) => collection.doc(selection.at(from + k)) }, meta, cacheSeconds };
  }
  if (method !== 'GET') throw notFound();
  if (item === undefined) return { shape: 'list', docs: rangeDocs(collection, 0, collection.size), cacheSeconds };
  if (name === 'launches') {
    const past = dataset.pastCount();
    if (item === 'past') return { shape: 'list', docs: rangeDocs(collection, 0, past), cacheSeconds };
    if (item === 'upcoming') return { shape: 'list', docs: rangeDocs(collection, past, dataset.size), cacheSeconds };
    if (item === 'latest' || item === 'next') {
      const index = item === 'latest' ? dataset.latestIndex() : dataset.nextIndex();
      if (index < 0) throw notFound(item === 'latest' ? 'No launch has flown yet' : 'No upcoming launch');
      return { shape: 'one', docs: rangeDocs(collection, index, index + 1), cacheSeconds };
    }
  }
  const index = collection.indexOf(item);
  if (index < 0) throw notFound();
  return { shape: 'one', docs: rangeDocs(collection, index, index + 1), cacheSeconds };
}

function rangeDocs(collection: Collection, from: number, to: number): Documents {
  return { count: Math.max(0, to - from), doc: (k) => collection.doc(from + k) };
}

// -----------------------------------------------------------------------------------------------
// Collections and queries (the small subset of MongoDB filters the pipeline needs)

/** Ordered indexes of the documents a query matched. */
interface Selection {
  count: number;
  at(k: number): number;
}

interface Collection {
  size: number;
  doc(index: number): Doc;
  indexOf(id: string): number;
  select(query: Record<string, unknown>): Selection;
  /** Sort keys per field; the natural order (index) breaks ties. */
  sortKeys: Record<string, (index: number) => number>;
}

function openCollection(dataset: ReplayDataset, name: CollectionName): Collection {
  // The tick is read once, so one response never mixes two states of the source.
  const tick = dataset.tick;
  switch (name) {
    case 'launches':
      return {
        size: dataset.size,
        doc: (i) => dataset.launch(i, tick) as unknown as Doc,
        indexOf: (id) => dataset.launchIndexOf(id),
        select: (query) => selectLaunches(dataset, tick, query),
        sortKeys: { flight_number: (i) => i + 1, date_utc: (i) => dataset.launchDateMs(i, tick) },
      };
    case 'payloads':
      return {
        size: dataset.payloadCount,
        doc: (k) => dataset.payload(k) as unknown as Doc,
        indexOf: (id) => dataset.payloadIndexOf(id),
        select: (query) => selectPayloads(dataset, query),
        sortKeys: {},
      };
    default: {
      const docs = (name === 'rockets'
        ? dataset.rockets()
        : name === 'launchpads'
          ? dataset.launchpads(tick)
          : dataset.landpads(tick)) as unknown as Doc[];
      const indexOf = (id: string) => docs.findIndex((d) => d.id === id);
      return {
        size: docs.length,
        doc: (i) => docs[i],
        indexOf,
        select: (query) => selectByIds(docs.length, indexOf, query),
        sortKeys: {},
      };
    }
  }
}

/** Candidate indexes: a range, optionally an explicit list, and tests applied to each. */
class Candidates {
  private from = 0;
  private list: number[] | null = null;
  private readonly tests: ((index: number) => boolean)[] = [];
  constructor(private to: number) {}

  narrow(from: number, to: number): void {
    this.from = Math.max(this.from, from);
    this.to = Math.min(this.to, to);
  }

  only(indexes: number[]): void {
    const wanted = [...new Set(indexes)].sort((a, b) => a - b);
    const previous = this.list === null ? null : new Set(this.list);
    this.list = previous === null ? wanted : wanted.filter((i) => previous.has(i));
  }

  test(predicate: (index: number) => boolean): void {
    this.tests.push(predicate);
  }

  resolve(): Selection {
    const { from, to, tests } = this;
    const keep = (i: number) => i >= from && i < to && tests.every((t) => t(i));
    if (this.list !== null) return arraySelection(this.list.filter(keep));
    if (from >= to) return arraySelection([]);
    if (tests.length === 0) return { count: to - from, at: (k) => from + k };
    const matched = new Int32Array(to - from);
    let n = 0;
    for (let i = from; i < to; i++) if (keep(i)) matched[n++] = i;
    return arraySelection(matched.subarray(0, n));
  }
}

function arraySelection(indexes: ArrayLike<number>): Selection {
  return { count: indexes.length, at: (k) => indexes[k] };
}

type Operator = '$eq' | '$in' | '$gt' | '$gte' | '$lt' | '$lte';

/** A field condition as [operator, value] pairs; a bare value means equality. */
function conditions(field: string, condition: unknown, allowed: readonly Operator[]): [Operator, unknown][] {
  const isOperatorObject =
    condition !== null &&
    typeof condition === 'object' &&
    !Array.isArray(condition) &&
    Object.keys(condition).some((k) => k.startsWith('$'));
  if (!isOperatorObject) return [['$eq', condition]];
  return Object.entries(condition as Record<string, unknown>).map(([op, value]) => {
    if (!(allowed as readonly string[]).includes(op))
      throw badRequest(`unsupported operator ${op} on "${field}" (supported: ${allowed.join(', ')})`);
    if (op === '$in' && !Array.isArray(value)) throw badRequest(`$in on "${field}" needs an array`);
    return [op as Operator, value];
  });
}

function expectType<T>(field: string, value: unknown, type: 'string' | 'number' | 'boolean'): T {
  if (typeof value !== type) throw badRequest(`"${field}" must be compared with a ${type}, got ${JSON.stringify(value)}`);
  return value as T;
}

/** Ids of an id condition; ids that do not exist simply match nothing. */
function idIndexes(field: string, condition: unknown, indexOf: (id: string) => number): number[] {
  return conditions(field, condition, ['$eq', '$in']).flatMap(([op, value]) =>
    (op === '$in' ? (value as unknown[]) : [value]).map((id) => indexOf(expectType<string>(field, id, 'string'))).filter((i) => i >= 0),
  );
}

function selectLaunches(dataset: ReplayDataset, tick: number, query: Record<string, unknown>): Selection {
  const candidates = new Candidates(dataset.size);
  for (const [field, condition] of Object.entries(query)) {
    switch (field) {
      case 'id':
      case '_id':
        candidates.only(idIndexes(field, condition, (id) => dataset.launchIndexOf(id)));
        break;
      case 'upcoming':
        for (const [, value] of conditions(field, condition, ['$eq'])) {
          const past = dataset.pastCount(tick);
          if (expectType<boolean>(field, value, 'boolean')) candidates.narrow(past, dataset.size);
          else candidates.narrow(0, past);
        }
        break;
      case 'flight_number':
        for (const [op, value] of conditions(field, condition, ['$eq', '$in', '$gt', '$gte', '$lt', '$lte']))
          narrowFlightNumber(candidates, op, value);
        break;
      case 'date_utc':
        for (const [op, value] of conditions(field, condition, ['$eq', '$gt', '$gte', '$lt', '$lte'])) {
          const bound = Date.parse(expectType<string>(field, value, 'string'));
          if (Number.isNaN(bound)) throw badRequest(`"${field}" needs an ISO date, got ${JSON.stringify(value)}`);
          const compare = COMPARE[op as Exclude<Operator, '$in'>];
          candidates.test((i) => compare(dataset.launchDateMs(i, tick), bound));
        }
        break;
      default:
        throw badRequest(`unsupported filter field "${field}" (supported: id, _id, upcoming, flight_number, date_utc)`);
    }
  }
  return candidates.resolve();
}

const COMPARE: Record<Exclude<Operator, '$in'>, (a: number, b: number) => boolean> = {
  $eq: (a, b) => a === b,
  $gt: (a, b) => a > b,
  $gte: (a, b) => a >= b,
  $lt: (a, b) => a < b,
  $lte: (a, b) => a <= b,
};

/** flight_number = index + 1, so comparisons become index ranges instead of scans. */
function narrowFlightNumber(candidates: Candidates, op: Operator, value: unknown): void {
  if (op === '$in') {
    const numbers = (value as unknown[]).map((v) => expectType<number>('flight_number', v, 'number'));
    candidates.only(numbers.filter(Number.isInteger).map((n) => n - 1));
    return;
  }
  const n = expectType<number>('flight_number', value, 'number');
  if (op === '$eq') candidates.narrow(Number.isInteger(n) ? n - 1 : 0, Number.isInteger(n) ? n : 0);
  else if (op === '$gt') candidates.narrow(Math.floor(n), Infinity);
  else if (op === '$gte') candidates.narrow(Math.ceil(n) - 1, Infinity);
  else if (op === '$lt') candidates.narrow(0, Math.ceil(n) - 1);
  else candidates.narrow(0, Math.floor(n));
}

function selectPayloads(dataset: ReplayDataset, query: Record<string, unknown>): Selection {
  const candidates = new Candidates(dataset.payloadCount);
  for (const [field, condition] of Object.entries(query)) {
    if (field === 'id' || field === '_id') {
      candidates.only(idIndexes(field, condition, (id) => dataset.payloadIndexOf(id)));
    } else if (field === 'launch') {
      const payloads = idIndexes(field, condition, (id) => dataset.launchIndexOf(id)).flatMap((i) => {
        const [start, end] = dataset.payloadRange(i);
        return Array.from({ length: end - start }, (_, j) => start + j);
      });
      candidates.only(payloads);
    } else {
      throw badRequest(`unsupported filter field "${field}" (supported: id, _id, launch)`);
    }
  }
  return candidates.resolve();
}

function selectByIds(size: number, indexOf: (id: string) => number, query: Record<string, unknown>): Selection {
  const candidates = new Candidates(size);
  for (const [field, condition] of Object.entries(query)) {
    if (field !== 'id' && field !== '_id') throw badRequest(`unsupported filter field "${field}" (supported: id, _id)`);
    candidates.only(idIndexes(field, condition, indexOf));
  }
  return candidates.resolve();
}

type SortSpec = [field: string, direction: 1 | -1][];

function sortSelection(collection: Collection, selection: Selection, sort: SortSpec): Selection {
  if (sort.length === 0) return selection;
  const keys = sort.map(([field, direction]) => {
    const key = collection.sortKeys[field];
    if (!key) throw badRequest(`unsupported sort field "${field}" (supported: ${Object.keys(collection.sortKeys).join(', ') || 'none'})`);
    return [key, direction] as const;
  });
  // Natural order is flight_number order: that sort (the common one) needs no work.
  if (sort[0][0] === 'flight_number') {
    return sort[0][1] === 1 ? selection : { count: selection.count, at: (k) => selection.at(selection.count - 1 - k) };
  }
  // Sort positions in the selection by precomputed key columns; position order is the natural order.
  const columns = keys.map(([key]) => Float64Array.from({ length: selection.count }, (_, k) => key(selection.at(k))));
  const positions = Array.from({ length: selection.count }, (_, k) => k);
  positions.sort((a, b) => {
    for (let n = 0; n < keys.length; n++) {
      const difference = columns[n][a] - columns[n][b];
      if (difference !== 0) return difference * keys[n][1];
    }
    return a - b;
  });
  return { count: positions.length, at: (k) => selection.at(positions[k]) };
}

// -----------------------------------------------------------------------------------------------
// Paging, as mongoose-paginate-v2 answers it

interface QueryOptions {
  page: number;
  limit: number;
  sort: SortSpec;
  pagination: boolean;
}

interface PageMeta {
  totalDocs: number;
  offset: number;
  limit: number;
  totalPages: number;
  page: number;
  pagingCounter: number;
  hasPrevPage: boolean;
  hasNextPage: boolean;
  prevPage: number | null;
  nextPage: number | null;
}

const QUERY_OPTIONS = new Set(['page', 'limit', 'sort', 'pagination']);

function parseQueryBody(rawBody: string): { query: Record<string, unknown>; options: QueryOptions } {
  const body = parseJson(rawBody) ?? {};
  if (!isPlainObject(body)) throw badRequest('the query body must be a JSON object {query, options}');
  const query = body.query ?? {};
  const options = body.options ?? {};
  if (!isPlainObject(query)) throw badRequest('"query" must be an object');
  if (!isPlainObject(options)) throw badRequest('"options" must be an object');
  for (const key of Object.keys(options))
    if (!QUERY_OPTIONS.has(key)) throw badRequest(`unsupported option "${key}" (supported: ${[...QUERY_OPTIONS].join(', ')})`);
  const whole = (key: string, fallback: number) => {
    const value = options[key] ?? fallback;
    const n = typeof value === 'string' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n)) throw badRequest(`option "${key}" must be a number`);
    return Math.trunc(n);
  };
  if (options.pagination !== undefined && typeof options.pagination !== 'boolean')
    throw badRequest('option "pagination" must be a boolean');
  return {
    query,
    options: {
      page: Math.max(1, whole('page', 1)),
      limit: Math.min(MAX_LIMIT, Math.max(0, whole('limit', DEFAULT_LIMIT))),
      sort: parseSort(options.sort),
      pagination: options.pagination !== false,
    },
  };
}

function parseSort(sort: unknown): SortSpec {
  if (sort === undefined || sort === null) return [];
  if (typeof sort === 'string') {
    return sort
      .split(/\s+/)
      .filter(Boolean)
      .map((field) => (field.startsWith('-') ? [field.slice(1), -1] : [field, 1]));
  }
  if (!isPlainObject(sort)) throw badRequest('option "sort" must be an object or a string');
  return Object.entries(sort).map(([field, direction]) => {
    if (direction === 1 || direction === 'asc' || direction === 'ascending') return [field, 1];
    if (direction === -1 || direction === 'desc' || direction === 'descending') return [field, -1];
    throw badRequest(`sort direction of "${field}" must be asc, desc, 1 or -1`);
  });
}

/** Envelope fields for a page; with pagination false every match is one page. */
function paginate(totalDocs: number, options: QueryOptions): { meta: PageMeta; from: number; count: number } {
  if (!options.pagination) {
    const meta = {
      totalDocs,
      offset: 0,
      limit: totalDocs,
      totalPages: 1,
      page: 1,
      pagingCounter: 1,
      hasPrevPage: false,
      hasNextPage: false,
      prevPage: null,
      nextPage: null,
    };
    return { meta, from: 0, count: totalDocs };
  }
  const { limit } = options;
  if (limit === 0) {
    const meta = {
      totalDocs,
      offset: 0,
      limit: 0,
      totalPages: 1,
      page: 1,
      pagingCounter: 1,
      hasPrevPage: false,
      hasNextPage: false,
      prevPage: null,
      nextPage: null,
    };
    return { meta, from: 0, count: 0 };
  }
  const page = options.page;
  const offset = (page - 1) * limit;
  const totalPages = Math.ceil(totalDocs / limit) || 1;
  const meta: PageMeta = {
    totalDocs,
    offset,
    limit,
    totalPages,
    page,
    pagingCounter: offset + 1,
    hasPrevPage: page > 1,
    hasNextPage: page < totalPages,
    prevPage: page > 1 ? page - 1 : null,
    nextPage: page < totalPages ? page + 1 : null,
  };
  return { meta, from: offset, count: Math.max(0, Math.min(limit, totalDocs - offset)) };
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
async function sendJson(
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

function sendSmall(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res
    .writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...headers })
    .end(text);
}

function sendNotModified(res: ServerResponse, cacheSeconds: number, tag: string): void {
  res.writeHead(304, { ETag: tag, 'Cache-Control': `max-age=${cacheSeconds}` }).end();
}

function etagOf(text: string): string {
  return `"${createHash('sha1').update(text).digest('base64url')}"`;
}

function ifNoneMatch(req: IncomingMessage, tag: string): boolean {
  const header = req.headers['if-none-match'];
  if (!header) return false;
  return header.split(',').some((candidate) => {
    const trimmed = candidate.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === tag;
  });
}

function faultKey(fault: FaultRule | undefined): string {
  if (!fault) return '';
  return ['truncate', 'invalidDocument', 'duplicateId', 'hugeDocument', 'hostile']
    .filter((flag) => fault[flag as keyof FaultRule])
    .join(',');
}

// -----------------------------------------------------------------------------------------------
// Requests

function normalisePath(url: string): string {
  const path = url.split('?')[0];
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) throw new HttpError(413, 'request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('the request body is not valid JSON');
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
