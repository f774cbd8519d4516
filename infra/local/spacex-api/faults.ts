/**
 * Fault switches of the replay server: rules that make the next matching requests fail the way a
 * real API and network do, so clients can be tested against them.
 */

export interface FaultRule {
  /** Request path (no query string) that the rule applies to: a substring, or else a regular expression. All paths when absent. */
  match?: string;
  /** HTTP method, any when absent. */
  method?: string;
  /** Number of matching requests the rule applies to (default 1). */
  times?: number;
  /** Answer with this error status (400-599) instead of the data. */
  status?: number;
  /** Seconds for a Retry-After header; implies status 503 when no status is given. */
  retryAfter?: number;
  /** Delay before answering (or before any other effect of the rule). */
  latencyMs?: number;
  /** Destroy the socket without any response. */
  reset?: boolean;
  /** Send a valid status and headers, then only the first half of the JSON body. */
  truncate?: boolean;
  /** Replace one document (the middle one) by a schema-invalid one. */
  invalidDocument?: boolean;
  /** Repeat the first document of a list. */
  duplicateId?: boolean;
  /** Add a several-MB details string to the first document. */
  hugeDocument?: boolean;
  /** Put quotes, backslashes, SQL, emoji, right-to-left text and a NUL into every document's name and details. */
  hostile?: boolean;
}

export class FaultRuleError extends Error {}

const FLAGS = ['reset', 'truncate', 'invalidDocument', 'duplicateId', 'hugeDocument', 'hostile'] as const;
const KEYS = new Set<string>(['match', 'method', 'times', 'status', 'retryAfter', 'latencyMs', ...FLAGS]);

/** Validates rules received as JSON; throws FaultRuleError with a message a test author can act on. */
export function parseFaultRules(input: unknown): FaultRule[] {
  if (!Array.isArray(input)) throw new FaultRuleError('fault rules must be a JSON array');
  return input.map((rule: unknown, n) => {
    if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) throw new FaultRuleError(`fault rule ${n} must be an object`);
    const fields = rule as Record<string, unknown>;
    for (const key of Object.keys(fields)) if (!KEYS.has(key)) throw new FaultRuleError(`fault rule ${n}: unknown key "${key}"`);
    const expect = (key: string, ok: (v: unknown) => boolean, what: string) => {
      if (fields[key] !== undefined && !ok(fields[key])) throw new FaultRuleError(`fault rule ${n}: ${key} must be ${what}`);
    };
    expect('match', (v) => typeof v === 'string', 'a string');
    expect('method', (v) => typeof v === 'string', 'a string');
    expect('times', (v) => Number.isInteger(v) && (v as number) >= 1, 'a positive integer');
    expect('status', (v) => Number.isInteger(v) && (v as number) >= 400 && (v as number) <= 599, 'an integer from 400 to 599');
    expect('retryAfter', (v) => Number.isInteger(v) && (v as number) >= 0, 'a non-negative integer (seconds)');
    expect('latencyMs', (v) => typeof v === 'number' && v >= 0 && Number.isFinite(v), 'a non-negative number');
    for (const flag of FLAGS) expect(flag, (v) => typeof v === 'boolean', 'a boolean');
    return fields as FaultRule;
  });
}

interface ArmedRule {
  rule: FaultRule;
  remaining: number;
  pattern: RegExp | null;
}

/** Rules in order; each request consumes one use of the first rule that matches it. */
export class FaultPlan {
  private rules: ArmedRule[] = [];
  private appliedCount = 0;

  set(rules: FaultRule[]): void {
    this.rules = rules.map((rule) => ({ rule, remaining: rule.times ?? 1, pattern: compilePattern(rule.match) }));
  }

  clear(): void {
    this.rules = [];
  }

  take(method: string, path: string): FaultRule | undefined {
    const armed = this.rules.find((r) => r.remaining > 0 && matches(r, method, path));
    if (!armed) return undefined;
    armed.remaining--;
    this.appliedCount++;
    return armed.rule;
  }

  get applied(): number {
    return this.appliedCount;
  }

  /** Uses left over all rules. */
  get pending(): number {
    return this.rules.reduce((sum, r) => sum + r.remaining, 0);
  }
}

function compilePattern(match: string | undefined): RegExp | null {
  if (match === undefined) return null;
  try {
    return new RegExp(match);
  } catch {
    return null; // not a valid regular expression: the substring test alone decides
  }
}

function matches(armed: ArmedRule, method: string, path: string): boolean {
  const { rule, pattern } = armed;
  if (rule.method !== undefined && rule.method.toUpperCase() !== method.toUpperCase()) return false;
  if (rule.match === undefined) return true;
  return path.includes(rule.match) || (pattern !== null && pattern.test(path));
}

/** The status an error-answering rule responds with, or undefined when it lets the data through. */
export function faultStatus(rule: FaultRule): number | undefined {
  return rule.status ?? (rule.retryAfter !== undefined ? 503 : undefined);
}

export function altersContent(rule: FaultRule | undefined): boolean {
  return rule !== undefined && Boolean(rule.truncate || rule.invalidDocument || rule.duplicateId || rule.hugeDocument || rule.hostile);
}

// -----------------------------------------------------------------------------------------------
// Content corruption

export type Doc = Record<string, unknown>;

/** The documents of a response, produced on demand so corruption never materialises a whole list. */
export interface Documents {
  count: number;
  doc(k: number): Doc;
}

/** Everything a naive loader trips on: SQL quoting, escapes, astral-plane emoji, bidi controls, NUL. */
export const HOSTILE_TEXT = `Robert'); DROP TABLE launches;-- "quoted" back\\slash \\u0041 🚀👩‍🚀 \u202Eevil\u202C שלום مرحبا \u0000 end`;

const HUGE_TEXT_BYTES = 5 * 1024 * 1024;
let hugeText: string | undefined;

function huge(): string {
  hugeText ??= 'The booster performed nominally during the extended mission. '.repeat(Math.ceil(HUGE_TEXT_BYTES / 62));
  return hugeText;
}

function hostileDoc(doc: Doc): Doc {
  const named = { ...doc, name: `${String(doc.name)} ${HOSTILE_TEXT}` };
  return 'details' in doc ? { ...named, details: `${HOSTILE_TEXT} ${doc.details ?? ''}` } : named;
}

function invalidDoc(doc: Doc): Doc {
  const broken: Doc = { ...doc, id: 'not-an-id' };
  if ('flight_number' in doc) broken.flight_number = String(doc.flight_number);
  return broken;
}

function hugeDoc(doc: Doc): Doc {
  return 'details' in doc ? { ...doc, details: huge() } : { ...doc, name: `${String(doc.name)} ${huge()}` };
}

/**
 * Applies a rule's document faults to a response. Single-document responses (list = false) cannot
 * carry a duplicate, so duplicateId only affects lists.
 */
export function corruptDocuments(docs: Documents, rule: FaultRule | undefined, list: boolean): Documents {
  if (!rule || docs.count === 0) return docs;
  let result = docs;
  if (rule.hostile) result = mapDocs(result, () => true, hostileDoc);
  if (rule.hugeDocument) result = mapDocs(result, (k) => k === 0, hugeDoc);
  if (rule.invalidDocument) {
    const middle = Math.floor(result.count / 2);
    result = mapDocs(result, (k) => k === middle, invalidDoc);
  }
  if (rule.duplicateId && list) {
    const inner = result;
    result = { count: inner.count + 1, doc: (k) => inner.doc(k === 0 ? 0 : k - 1) };
  }
  return result;
}

function mapDocs(docs: Documents, affected: (k: number) => boolean, change: (doc: Doc) => Doc): Documents {
  return { count: docs.count, doc: (k) => (affected(k) ? change(docs.doc(k)) : docs.doc(k)) };
}
