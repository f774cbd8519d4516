/** Dates as the real API writes them, without Date objects: they dominate document generation otherwise. */

const { floor, abs } = Math;

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
const THREE_DIGITS = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));

/** Date.prototype.toISOString, for ms since the epoch. */
export function iso(ms: number): string {
  const days = floor(ms / DAY);
  const t = ms - days * DAY;
  const [year, month, day] = civilFromDays(days);
  const hour = floor(t / HOUR);
  const minute = floor((t % HOUR) / MINUTE);
  const second = floor((t % MINUTE) / 1000);
  const date = `${year}-${TWO_DIGITS[month]}-${TWO_DIGITS[day]}`;
  return `${date}T${TWO_DIGITS[hour]}:${TWO_DIGITS[minute]}:${TWO_DIGITS[second]}.${THREE_DIGITS[t % 1000]}Z`;
}

/** Days since 1970-01-01 to [year, month 1-12, day] (H. Hinnant's civil_from_days). */
function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = floor((doe - floor(doe / 1460) + floor(doe / 36524) - floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + floor(yoe / 4) - floor(yoe / 100));
  const mp = floor((5 * doy + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, doy - floor((153 * mp + 2) / 5) + 1];
}

function nthSundayUtc(year: number, month: number, n: number, hourUtc: number): number {
  const firstDow = new Date(Date.UTC(year, month, 1)).getUTCDay();
  return Date.UTC(year, month, 1 + ((7 - firstDow) % 7) + 7 * (n - 1), hourUtc);
}

const summerTimeByYear = new Map<number, readonly [number, number]>();

/** US daylight saving (2007+ rules; every US-pad launch is after 2007); bounds cached per year and zone. */
function isUsSummerTime(ms: number, standardOffsetHours: number): boolean {
  const year = civilFromDays(floor(ms / DAY))[0];
  const key = year * 100 + standardOffsetHours;
  let bounds = summerTimeByYear.get(key);
  if (!bounds) {
    bounds = [nthSundayUtc(year, 2, 2, 2 - standardOffsetHours), nthSundayUtc(year, 10, 1, 1 - standardOffsetHours)];
    summerTimeByYear.set(key, bounds);
  }
  return ms >= bounds[0] && ms < bounds[1];
}

/** The zone of a launch site: a standard offset, and whether US daylight saving applies. */
export interface Zone {
  utcOffsetHours: number;
  usDaylightSaving: boolean;
}

/** "2022-10-05T12:00:00-04:00", as the real date_local. */
export function localIso(ms: number, zone: Zone): string {
  const offset = zone.utcOffsetHours + (zone.usDaylightSaving && isUsSummerTime(ms, zone.utcOffsetHours) ? 1 : 0);
  const sign = offset < 0 ? '-' : '+';
  const hours = TWO_DIGITS[abs(offset)];
  return `${iso(ms + offset * HOUR).slice(0, 19)}${sign}${hours}:00`;
}
