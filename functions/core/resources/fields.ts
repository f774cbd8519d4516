// zod/mini: the same validator as zod with a tree-shakable API, a fraction of the bundle size.
import * as z from 'zod/mini';

/**
 * Validators shared by the resources' schemas. Only fields the store types are checked strictly
 * (a value that would fail a cast in SQL must fail here, so one bad document can never abort a
 * load); every other field is kept verbatim in the raw version. The parsed result holds just the
 * checked fields: z.object drops the rest, and validates in about half the time of
 * z.looseObject, which copies every other field too.
 */
export const objectId = z.string().check(z.regex(/^[0-9a-f]{24}$/, 'must be 24 lowercase hex characters'));
export const isoDate = z
  .string()
  .check(z.refine((v) => /^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v)), 'must be an ISO 8601 date-time'));
export const plainDate = z
  .string()
  .check(z.refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(v)), 'must be a YYYY-MM-DD date'));
export const int32 = z.int().check(z.gte(-2147483648, 'must fit a 32-bit integer'), z.lte(2147483647, 'must fit a 32-bit integer'));
export const finite = (min: number, max: number) =>
  z.number().check(z.gte(min, `must be at least ${min}`), z.lte(max, `must be at most ${max}`));
export const mass = finite(0, 1e10);
export const coordinate = finite(-360, 360);
export const text = z.string();
export const name = text.check(z.minLength(1, 'must not be empty'));
export const nullable = <T extends z.ZodMiniType>(t: T) => z.optional(z.nullable(t));

export type Schema = z.ZodMiniType;

/** Why a document failed, in one line a person can act on. */
export function describeIssues(error: { issues: readonly { path: PropertyKey[]; message: string }[] }): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(document)'}: ${i.message}`)
    .join('; ');
}
