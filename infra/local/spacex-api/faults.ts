/**
 * Fault switches of the replay server: rules that make the next matching requests fail the way a
 * real API and network do, so clients can be tested against them.
 */
import { ConfigError } from '../../../functions/core/errors';
import { z } from 'zod';

const flag = z.boolean({ error: 'must be a boolean' }).optional();

/** Flags that let the data through but change the body: responses carrying them are never 304. */
const CONTENT_FLAGS = {
  /** Send a valid status and headers, then only the first half of the JSON body. */
  truncate: flag,
  /** Replace one document (the middle one) by a schema-invalid one. */
  invalidDocument: flag,
  /** Repeat the first document of a list. */
  duplicateId: flag,
  /** Add a several-MB details string to the first document. */
  hugeDocument: flag,
  /** Put quotes, backslashes, SQL, emoji, right-to-left text and a NUL into every document's name and details. */
  hostile: flag,
};

const faultRule = z.strictObject({
  /** Request path (no query string) that the rule applies to: a substring, or else a regular expression. All paths when absent. */
  match: z.string({ error: 'must be a string' }).optional(),
  /** HTTP method, any when absent. */
  method: z.string({ error: 'must be a string' }).optional(),
  /** Number of matching requests the rule applies to (default 1). */
  times: z.int({ error: 'must be a positive integer' }).min(1, { error: 'must be a positive integer' }).optional(),
  /** Answer with this error status (400-599) instead of the data. */
  status: z
    .int({ error: 'must be an integer from 400 to 599' })
    .min(400, { error: 'must be an integer from 400 to 599' })
    .max(599, { error: 'must be an integer from 400 to 599' })
    .optional(),
  /** Seconds for a Retry-After header; implies status 503 when no status is given. */
  retryAfter: z
    .int({ error: 'must be a non-negative integer (seconds)' })
    .min(0, { error: 'must be a non-negative integer (seconds)' })
    .optional(),
  /** Delay before answering (or before any other effect of the rule). */
  latencyMs: z.number({ error: 'must be a non-negative number' }).min(0, { error: 'must be a non-negative number' }).optional(),
  /** Destroy the socket without any response. */
  reset: flag,
  ...CONTENT_FLAGS,
});

const faultRules = z.array(faultRule, { error: 'fault rules must be a JSON array' });

export type FaultRule = z.infer<typeof faultRule>;

export class FaultRuleError extends ConfigError {}

/** Validates rules received as JSON; throws FaultRuleError with a message a test author can act on. */
export function parseFaultRules(input: unknown): FaultRule[] {
  const parsed = faultRules.safeParse(input);
  if (parsed.success) return parsed.data;
  const messages = parsed.error.issues.map((issue) => {
    const [rule, key] = issue.path;
    if (rule === undefined) return issue.message;
    if (issue.code === 'unrecognized_keys') return `fault rule ${String(rule)}: unknown key ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    if (key === undefined) return `fault rule ${String(rule)} must be an object`;
    return `fault rule ${String(rule)}: ${String(key)} ${issue.message}`;
  });
  throw new FaultRuleError(messages.join('; '));
}

/** The content-changing flags a rule sets, by name (none for no rule). */
export function contentFaultsOf(rule: FaultRule | undefined): string[] {
  return rule ? Object.keys(CONTENT_FLAGS).filter((name) => rule[name as keyof typeof CONTENT_FLAGS] === true) : [];
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
  return path.includes(rule.match) || pattern?.test(path) === true;
}

/** The status an error-answering rule responds with, or undefined when it lets the data through. */
export function faultStatus(rule: FaultRule): number | undefined {
  return rule.status ?? (rule.retryAfter !== undefined ? 503 : undefined);
}

export function altersContent(rule: FaultRule | undefined): boolean {
  return contentFaultsOf(rule).length > 0;
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
export const HOSTILE_TEXT = [
  `Robert'); DROP TABLE launches;--`,
  '"quoted" back\\slash \\u0041',
  '🚀👩‍🚀',
  '\u202Eevil\u202C',
  'שלום مرحبا',
  '\u0000 end',
].join(' ');

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
