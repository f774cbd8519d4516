/** The small subset of MongoDB filters the pipeline needs, resolved to ordered document indexes. */
import type { ReplayDataset } from './dataset';
import { badRequest } from './http';

/** Ordered indexes of the documents a query matched. */
export interface Selection {
  count: number;
  at(k: number): number;
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

export function arraySelection(indexes: ArrayLike<number>): Selection {
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

export function selectLaunches(dataset: ReplayDataset, tick: number, query: Record<string, unknown>): Selection {
  const size = dataset.launchCount(tick);
  const candidates = new Candidates(size);
  for (const [field, condition] of Object.entries(query)) {
    switch (field) {
      case 'id':
      case '_id':
        candidates.only(idIndexes(field, condition, (id) => dataset.launchIndexOf(id, tick)));
        break;
      case 'upcoming':
        for (const [, value] of conditions(field, condition, ['$eq'])) {
          const past = dataset.pastCount(tick);
          if (expectType<boolean>(field, value, 'boolean')) candidates.narrow(past, size);
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

export function selectPayloads(dataset: ReplayDataset, tick: number, query: Record<string, unknown>): Selection {
  const candidates = new Candidates(dataset.payloadCountAt(tick));
  for (const [field, condition] of Object.entries(query)) {
    if (field === 'id' || field === '_id') {
      candidates.only(idIndexes(field, condition, (id) => dataset.payloadIndexOf(id, tick)));
    } else if (field === 'launch') {
      const payloads = idIndexes(field, condition, (id) => dataset.launchIndexOf(id, tick)).flatMap((i) => {
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

export function selectByIds(size: number, indexOf: (id: string) => number, query: Record<string, unknown>): Selection {
  const candidates = new Candidates(size);
  for (const [field, condition] of Object.entries(query)) {
    if (field !== 'id' && field !== '_id') throw badRequest(`unsupported filter field "${field}" (supported: id, _id)`);
    candidates.only(idIndexes(field, condition, indexOf));
  }
  return candidates.resolve();
}
