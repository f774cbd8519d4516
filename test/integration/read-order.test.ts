/**
 * Views of the source ordered by when they were read, not by when they commit: a load carries
 * the interval in which each page was read, and the merge applies a changed document only if it
 * was read, for certain, after the version stored was last read.
 */
import { resource } from '../../functions/core/resources';
import { inTransaction } from '../../functions/core/store/db';
import { loadResource } from '../helpers/load';
import { migratedStore } from '../helpers/store';

const hex = (n: number) => n.toString(16).padStart(24, '0');
const at = (seconds: number) => new Date(Date.UTC(2030, 0, 1, 0, 0, seconds));

function launch(overrides: Record<string, unknown>) {
  return {
    id: hex(1),
    flight_number: 1,
    name: 'Flight 1',
    date_utc: '2030-03-01T10:00:00.000Z',
    upcoming: true,
    payloads: [],
    cores: [],
    ...overrides,
  };
}

describe('read order', () => {
  const store = migratedStore();
  let runId = 0;

  /** Loads one launch as read between `from` and `until` (seconds), in its own transaction and run. */
  const read = (from: number, until: number, doc: unknown) =>
    inTransaction(store.client, () =>
      loadResource(store.client, resource('launches'), ++runId, [{ readFrom: at(from), readUntil: at(until), documents: [doc] }]),
    );
  const stored = async () =>
    (
      await store.client.query<{ name: string; last_read_at: Date; earliest: Date; versions: number }>(
        `SELECT name, last_read_at, earliest_upcoming_date_utc AS earliest, (SELECT count(*)::int FROM raw_launches) AS versions
         FROM launches WHERE id = $1`,
        [hex(1)],
      )
    ).rows[0];

  it('applies a view read after the stored one, and not one read before it or while it was read', async () => {
    expect(await read(10, 11, launch({ name: 'A' }))).toMatchObject({ appended: 1 });
    expect(await read(20, 21, launch({ name: 'B', date_utc: '2030-03-05T10:00:00.000Z' }))).toMatchObject({ appended: 1 });
    // Read before B (it committed late): older, not applied.
    expect(await read(12, 13, launch({ name: 'stale', date_utc: '2030-02-01T10:00:00.000Z' }))).toEqual({
      received: 1,
      appended: 0,
      quarantined: 0,
      notApplied: 1,
    });
    // Read while B was: which is newer cannot be told; not applied either.
    expect(await read(19, 30, launch({ name: 'overlapping' }))).toMatchObject({ appended: 0, notApplied: 1 });
    expect(await stored()).toMatchObject({ name: 'B', last_read_at: at(21), versions: 2 });
    // The slip baseline is the earliest upcoming date of the versions stored, whatever their order.
    expect((await stored()).earliest.toISOString()).toBe('2030-03-01T10:00:00.000Z');
  });

  it('moves the last read on when the same content is read again, and orders later views by it', async () => {
    const b = launch({ name: 'B', date_utc: '2030-03-05T10:00:00.000Z' });
    expect(await read(40, 41, b)).toEqual({ received: 1, appended: 0, quarantined: 0 });
    expect((await stored()).last_read_at).toEqual(at(41));
    // Read after B's first read but before it was confirmed: older than what the store knows.
    expect(await read(30, 31, launch({ name: 'C' }))).toMatchObject({ appended: 0, notApplied: 1 });
    expect(await read(42, 43, launch({ name: 'C' }))).toMatchObject({ appended: 1 });
    expect(await stored()).toMatchObject({ name: 'C', last_read_at: at(43), versions: 3 });
  });
});
