// undici's HTTP/1.1 client, agent and request API by path, not the package index (see undici.d.ts).
import Agent from 'undici/lib/dispatcher/agent';
import request from 'undici/lib/api/api-request';
import undiciErrors from 'undici/lib/core/errors';
import { backOff } from 'exponential-backoff';
import type { SourceConfig } from '../config';
import { PipelineError, SourceError } from '../errors';
import { log } from '../log';

export { SourceError };

export interface JsonResponse {
  status: number;
  etag?: string;
  body: unknown;
}

/** A paginated answer of `POST .../query`, as the SpaceX API (mongoose-paginate) sends it. */
interface QueryPage {
  docs: unknown[];
  totalDocs: number;
  totalPages: number;
  page: number;
  hasNextPage: boolean;
}

const RETRYABLE_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

class RetryableResponse extends PipelineError {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Retry-After is either seconds or an HTTP date. */
function retryAfterMs(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function isNetworkError(error: unknown): boolean {
  if (error instanceof undiciErrors.UndiciError) return !(error instanceof undiciErrors.RequestAbortedError);
  const code = (error as { code?: string }).code;
  return typeof code === 'string' && /^(E(CONN|PIPE|TIMEDOUT|AI_AGAIN|HOSTUNREACH|NETUNREACH)|UND_ERR)/.test(code);
}

export type SourceClient = ReturnType<typeof createSourceClient>;

export function createSourceClient(config: SourceConfig) {
  const agent = new Agent({
    connect: { timeout: config.timeoutMs },
    headersTimeout: config.timeoutMs,
    bodyTimeout: config.timeoutMs,
  });

  /** One HTTP exchange with retries on network errors, 429, 5xx and unparseable bodies. */
  async function send(method: 'GET' | 'POST', path: string, payload?: unknown, etag?: string): Promise<JsonResponse> {
    const url = config.apiUrl + path;
    const attempt = async (): Promise<JsonResponse> => {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (payload !== undefined) headers['content-type'] = 'application/json';
      if (etag) headers['if-none-match'] = etag;
      const target = new URL(url);
      const res = await request.call(agent, {
        origin: target.origin,
        path: target.pathname + target.search,
        method,
        headers,
        body: payload === undefined ? undefined : JSON.stringify(payload),
      });
      const text = await res.body.text();
      if (RETRYABLE_STATUS.has(res.statusCode)) {
        throw new RetryableResponse(`HTTP ${res.statusCode}`, retryAfterMs(res.headers['retry-after']));
      }
      const responseEtag = typeof res.headers.etag === 'string' ? res.headers.etag : undefined;
      if (res.statusCode === 304) return { status: 304, etag: responseEtag ?? etag, body: undefined };
      if (res.statusCode >= 400) {
        throw new SourceError(`${method} ${url} answered HTTP ${res.statusCode}: ${text.slice(0, 300)}`);
      }
      try {
        return { status: res.statusCode, etag: responseEtag, body: JSON.parse(text) };
      } catch {
        // A cut-off body is a transport fault far more often than a lasting one.
        throw new RetryableResponse(`malformed JSON (${text.length} bytes)`);
      }
    };

    try {
      return await backOff(attempt, {
        numOfAttempts: config.retries + 1,
        startingDelay: 200,
        timeMultiple: 2,
        maxDelay: 10_000,
        jitter: 'full',
        retry: async (error: unknown, attemptNumber: number) => {
          if (!(error instanceof RetryableResponse) && !isNetworkError(error)) return false;
          const wait = error instanceof RetryableResponse ? error.retryAfterMs : undefined;
          log.warn({ url, attempt: attemptNumber, reason: errorText(error), retryAfterMs: wait }, 'retrying API request');
          // Retry-After is the server's word: wait it out on top of the jittered backoff.
          if (wait !== undefined) await sleep(Math.min(wait, 60_000));
          return true;
        },
      });
    } catch (error) {
      if (error instanceof SourceError) throw error;
      throw new SourceError(
        `${method} ${url} failed after ${config.retries + 1} attempts: ${errorText(error)}. ` +
          'Check that SPACEX_API_URL points at a reachable SpaceX API.',
      );
    }
  }

  async function query(path: string, filter: object, options: object): Promise<QueryPage> {
    const { body } = await send('POST', path, { query: filter, options });
    if (!isQueryPage(body)) {
      throw new SourceError(`POST ${config.apiUrl + path} did not answer a paginated query result`);
    }
    return body;
  }

  return {
    apiUrl: config.apiUrl,

    /** GET a JSON document; with an ETag, a 304 answers `{status: 304}` and no body. */
    get: (path: string, etag?: string) => send('GET', path, undefined, etag),

    /**
     * Every document matching `filter`, page by page. If the total changes while paging (the
     * source moved under us), the listing starts over so no document is skipped; duplicates
     * that a shifted page brings are harmless, the store keeps the last one.
     */
    async *pages(
      path: string,
      filter: object = {},
      sort?: object,
      pageSize = config.pageSize,
      onTotal?: (totalDocs: number) => void,
    ): AsyncGenerator<unknown[]> {
      for (let restart = 0; ; restart++) {
        let page = 1;
        let total: number | undefined;
        let moved = false;
        for (;;) {
          const result = await query(path, filter, { page, limit: pageSize, ...(sort && { sort }) });
          if (total !== undefined && result.totalDocs !== total) {
            moved = true;
            break;
          }
          if (total === undefined) onTotal?.(result.totalDocs);
          total = result.totalDocs;
          yield result.docs;
          if (!result.hasNextPage) break;
          page += 1;
        }
        if (!moved) return;
        if (restart >= 3) throw new SourceError(`${config.apiUrl + path} kept changing while it was being paged`);
        log.warn({ path }, 'source changed while paging; listing again');
      }
    },

    close: () => agent.close(),
  };
}

function isQueryPage(body: unknown): body is QueryPage {
  const b = body as QueryPage;
  return (
    typeof b === 'object' && b !== null && Array.isArray(b.docs) && typeof b.totalDocs === 'number' && typeof b.hasNextPage === 'boolean'
  );
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: string }).code;
    return code ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}
