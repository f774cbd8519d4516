/**
 * The simulated SpaceX API over HTTP: the real API's routes, paging envelope, caching headers and
 * failure modes, over data generated live from a seed (dataset.ts). Bodies are streamed document
 * by document, so a million launches are served without ever holding them in memory.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createDataset, type ReplayDataset } from './dataset';
import {
  altersContent,
  contentFaultsOf,
  corruptDocuments,
  FaultPlan,
  FaultRuleError,
  faultStatus,
  type FaultRule,
  parseFaultRules,
} from './faults';
import {
  badRequest,
  etagOf,
  HttpError,
  ifNoneMatch,
  normalisePath,
  notFound,
  parseJson,
  readBody,
  sendJson,
  sendNotModified,
  sendSmall,
} from './http';
import { route } from './routes';
import { MAX_TICK } from './schedule';

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
      if (dataset.tick + (ticks as number) > MAX_TICK) throw badRequest(`the simulated clock reaches tick ${MAX_TICK} at most`);
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
    // Everything that decides the bytes of the response.
    const view = [dataset.seed, dataset.launchesAtStart, dataset.upcomingAtStart, dataset.effectiveTick(), `${method} ${path}`, rawBody];
    const viewTag = etagOf([...view, contentFaultsOf(fault).join(',')].join('|'));
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
  const tickOnce = () => dataset.tick < MAX_TICK && dataset.advance(1);
  const clock = options.tickSeconds ? setInterval(tickOnce, options.tickSeconds * 1000) : undefined;
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

/** The simulated SpaceX API by what it is; startReplayServer and ReplayServer remain for existing callers. */
export const startSimulatedApi = startReplayServer;
export type SimulatedApi = ReplayServer;
