/** The routes of the simulated API: which documents a request answers, and how they are shaped. */
import type { ReplayDataset } from './dataset';
import type { Doc, Documents } from './faults';
import { notFound } from './http';
import { paginate, type PageMeta, parseQueryBody, type SortKeys, sortSelection } from './paging';
import { type Selection, selectByIds, selectLaunches, selectPayloads } from './query';

/** Seconds, as the real API's Cache-Control. */
const CACHE_SECONDS = { launches: 20, payloads: 300, launchpads: 300, landpads: 300, rockets: 86_400 } as const;
type CollectionName = keyof typeof CACHE_SECONDS;

export interface Reply {
  /** 'one': a bare document; 'list': a JSON array; 'page': the paging envelope around docs. */
  shape: 'one' | 'list' | 'page';
  docs: Documents;
  /** Paging metadata, serialised after docs. */
  meta?: PageMeta;
  cacheSeconds: number;
}

const COLLECTION_ROUTE = /^\/(v5\/launches|v4\/(?:payloads|launchpads|landpads|rockets))(?:\/([^/]+))?$/;

export function route(dataset: ReplayDataset, method: string, path: string, rawBody: string): Reply {
  const found = COLLECTION_ROUTE.exec(path);
  if (!found) throw notFound();
  const name = found[1].slice(3) as CollectionName;
  // The tick is read once, so one response never mixes two states of the source.
  const tick = dataset.tick;
  const collection = openCollection(dataset, name, tick);
  const item = found[2];
  const cacheSeconds = CACHE_SECONDS[name];
  if (method === 'POST' && item === 'query') {
    const { query, options } = parseQueryBody(rawBody);
    const selection = sortSelection(collection.sortKeys, collection.select(query), options.sort);
    const { meta, from, count } = paginate(selection.count, options);
    return { shape: 'page', docs: { count, doc: (k) => collection.doc(selection.at(from + k)) }, meta, cacheSeconds };
  }
  if (method !== 'GET') throw notFound();
  if (item === undefined) return { shape: 'list', docs: rangeDocs(collection, 0, collection.size), cacheSeconds };
  if (name === 'launches') {
    const past = dataset.pastCount(tick);
    if (item === 'past') return { shape: 'list', docs: rangeDocs(collection, 0, past), cacheSeconds };
    if (item === 'upcoming') return { shape: 'list', docs: rangeDocs(collection, past, collection.size), cacheSeconds };
    if (item === 'latest' || item === 'next') {
      const index = item === 'latest' ? dataset.latestIndex(tick) : dataset.nextIndex(tick);
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

interface Collection {
  size: number;
  doc(index: number): Doc;
  indexOf(id: string): number;
  select(query: Record<string, unknown>): Selection;
  sortKeys: SortKeys;
}

function openCollection(dataset: ReplayDataset, name: CollectionName, tick: number): Collection {
  switch (name) {
    case 'launches':
      return {
        size: dataset.launchCount(tick),
        doc: (i) => dataset.launch(i, tick) as unknown as Doc,
        indexOf: (id) => dataset.launchIndexOf(id, tick),
        select: (query) => selectLaunches(dataset, tick, query),
        sortKeys: { flight_number: (i) => i + 1, date_utc: (i) => dataset.launchDateMs(i, tick) },
      };
    case 'payloads':
      return {
        size: dataset.payloadCountAt(tick),
        doc: (k) => dataset.payload(k, tick) as unknown as Doc,
        indexOf: (id) => dataset.payloadIndexOf(id, tick),
        select: (query) => selectPayloads(dataset, tick, query),
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
