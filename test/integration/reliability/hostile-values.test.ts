/**
 * Hostile values: text that trips naive loaders (quotes, backslashes, SQL, emoji, right-to-left
 * text) is stored verbatim; text PostgreSQL cannot hold (NUL, an unpaired surrogate) is stored by
 * the documented rule, U+FFFD; ids that are not the documented shape go to quarantine. Never a
 * crash, never a lost batch.
 */
import { HOSTILE_TEXT } from '../../../infra/local/spacex-api/faults';
import type { ResourceName } from '../../../functions/core/resources';
import { RESOURCE_NAMES, storedForm } from '../../helpers/invariants';
import { Harness } from '../../helpers/reliability';

const LAUNCHES_QUERY = '/v5/launches/query';

describe('reliability: hostile values', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start({ launches: 60, upcoming: 6, env: { SPACEX_API_PAGE_SIZE: '25' } });
  });
  afterAll(async () => h?.close());
  afterEach(() => {
    h.replay.clearFaults();
    h.recorder.transform = undefined;
  });

  /** What the source last served, as the documents the store must hold. */
  const served = (): Partial<Record<ResourceName, unknown[]>> =>
    Object.fromEntries(RESOURCE_NAMES.map((name) => [name, [...h.recorder.lastServed.get(name)!.values()]]));

  it('quotes, backslashes, SQL, emoji, right-to-left text and NUL in every resource: verbatim, NUL as U+FFFD', async () => {
    h.replay.setFaults([{ hostile: true, times: 1000 }]);
    const run = await h.backfill();
    for (const name of RESOURCE_NAMES) {
      const counts = run.counts[name] as { received: number; appended: number; quarantined: number };
      expect({ name, ...counts }).toEqual({ name, received: counts.appended, appended: counts.appended, quarantined: 0 });
      expect(counts.appended).toBeGreaterThan(0);
    }
    const stored = HOSTILE_TEXT.replace('\u0000', '\uFFFD');
    for (const name of RESOURCE_NAMES) {
      const { rows } = await h.db.pool.query<{ id: string; name: string }>(`SELECT id, name FROM ${name}`);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        const doc = h.recorder.lastServed.get(name)!.get(row.id) as { name: string };
        expect(doc.name).toContain(HOSTILE_TEXT);
        expect(row.name).toBe(doc.name.replace('\u0000', '\uFFFD'));
        expect(row.name).toContain(stored);
      }
    }
    const { rows } = await h.db.pool.query('SELECT details FROM launches l WHERE details IS NOT NULL LIMIT 1');
    expect(rows[0].details.startsWith(stored)).toBe(true);
    await h.expectInvariants({ documents: h.documents(served()) });

    // The ordinary documents again: one more version each, nothing else.
    h.replay.clearFaults();
    const again = await h.backfill();
    for (const name of RESOURCE_NAMES)
      expect((again.counts[name] as { appended: number }).appended).toBe((run.counts[name] as { appended: number }).appended);
    await h.expectInvariants();
  });

  it('NUL and unpaired surrogates anywhere (values, keys, unchecked fields) never lose the batch', async () => {
    h.replay.advance(1);
    const cases: Record<string, unknown>[] = [
      { name: 'lone high \uD800 surrogate', details: 'lone low \uDC00 surrogate' },
      { name: 'NUL \u0000 in the name', links: { 'key with NUL \u0000': 'value with NUL \u0000', 'lone \uDBFF key': '\uDFFF' } },
      { name: 'literal backslash-u0000 text: \\u0000 and \\\\u0000 and \\ud800', details: 'a \\\u0000 NUL after a backslash' },
      { name: 'a valid pair 🚀 next to a lone \uD83D and \uDE80 apart', details: 'tab\tnew\nline\rcarriage \u2028 \u2029 \u0001 \u001f' },
      { name: `${'\\"\''.repeat(30_000)}`, details: `${'\u0000\uD800'.repeat(1000)}` },
    ];
    h.recorder.transform = (path, docs) =>
      path === LAUNCHES_QUERY ? docs.map((doc, n) => (n < cases.length ? { ...(doc as object), ...cases[n] } : doc)) : docs;
    const run = await h.backfill();
    expect(run.counts.launches).toMatchObject({ received: 60, quarantined: 0 });
    // The first documents of each page (25 a page, 60 launches) carry the cases.
    const docs = [0, 25, 50].flatMap((offset) => cases.map((_, n) => offset + n)).filter((i) => i < 60);
    for (const i of docs) {
      const id = h.replay.dataset.launchId(i);
      const doc = h.recorder.lastServed.get('launches')!.get(id) as { name: string; details: string | null };
      const { rows } = await h.db.pool.query(
        'SELECT l.name, l.details, r.document FROM launches l JOIN raw_launches r ON r.version_id = l.version_id WHERE l.id = $1',
        [id],
      );
      expect(rows[0].name).toBe(storedForm(doc.name));
      expect(rows[0].details).toBe(storedForm(doc.details));
      expect(rows[0].document).toEqual(storedForm(doc));
    }
    // Characters that are text (a valid pair, escapes written out, control characters) stay as they were.
    const { rows } = await h.db.pool.query('SELECT name, details FROM launches WHERE id = $1', [h.replay.dataset.launchId(3)]);
    expect(rows[0].name).toBe('a valid pair 🚀 next to a lone \uFFFD and \uFFFD apart');
    expect(rows[0].details).toBe('tab\tnew\nline\rcarriage \u2028 \u2029 \u0001 \u001f');
    const literal = await h.db.pool.query('SELECT name FROM launches WHERE id = $1', [h.replay.dataset.launchId(2)]);
    expect(literal.rows[0].name).toBe('literal backslash-u0000 text: \\u0000 and \\\\u0000 and \\ud800');
    await h.expectInvariants({ documents: h.documents(served()) });

    h.recorder.transform = undefined;
    await h.backfill();
    await h.expectInvariants();
  });

  it('ids that are not the documented shape are quarantined with the reason; the rest of the batch loads', async () => {
    h.replay.advance(1);
    const good = h.replay.dataset.launchId(0);
    const badIds: unknown[] = [
      'not-an-id',
      good.toUpperCase(),
      good.slice(1),
      `${good}0`,
      `'; DROP TABLE launches;--`,
      `${good.slice(0, 23)}'`,
      'abc\u0000def',
      `${good}\n`,
      `\t${good}`,
      '🚀'.repeat(12),
      '',
      '０'.repeat(24),
      `${good.slice(0, 23)}\uD800`,
      12345,
      null,
      undefined,
      { $oid: good },
      [good],
    ];
    const payload = h.replay.dataset.payload(0);
    const rocket = h.replay.dataset.rockets()[0];
    h.recorder.transform = (path, docs) => {
      if (path === LAUNCHES_QUERY && docs.length === 25 && (docs[0] as { flight_number: number }).flight_number === 1) {
        const template = docs[0] as Record<string, unknown>;
        const bad = badIds.map((id, n) => ({ ...template, id, name: `bad id #${n}`, flight_number: 1000 + n }));
        // A valid id whose payload list names an id of the wrong shape.
        const badReference = { ...(docs[1] as object), payloads: ['not-a-payload-id'] };
        return [...docs.slice(0, 10), ...bad, badReference, ...docs.slice(10)];
      }
      if (path === '/v4/payloads/query' && docs.some((d) => (d as { id: string }).id === payload.id))
        return [...docs, { ...payload, id: 'PAYLOAD' }, { ...payload, id: `${payload.id} ` }];
      if (path === '/v4/rockets/query') return [...docs, { ...rocket, id: "'); DELETE FROM rockets; --" }];
      return docs;
    };
    const run = await h.backfill();
    expect(run.status).toBe('succeeded');
    expect(run.counts.launches).toMatchObject({ received: 60 + badIds.length + 1, quarantined: badIds.length + 1 });
    expect(run.counts.payloads).toMatchObject({ quarantined: 2 });
    expect(run.counts.rockets).toMatchObject({ quarantined: 1 });

    const { rows } = await h.db.pool.query<{ document_id: string | null; reason: string }>(
      "SELECT document_id, reason FROM quarantine WHERE entity = 'launches' AND last_run_id = $1 ORDER BY quarantine_id",
      [run.runId],
    );
    expect(rows).toHaveLength(badIds.length + 1);
    for (const row of rows.slice(0, badIds.length)) expect(row.reason).toMatch(/^id: /);
    expect(rows[badIds.length].reason).toMatch(/^payloads\.0: must be 24 lowercase hex/);
    expect(rows.map((r) => r.document_id)).toContain('abc\uFFFDdef');
    for (const name of RESOURCE_NAMES) expect(await h.count(`SELECT count(*) FROM ${name} WHERE id !~ '^[0-9a-f]{24}$'`)).toBe(0);
    await h.expectInvariants();

    // Served again: the same quarantine rows, seen twice; nothing else changes.
    const quarantined = await h.count('SELECT count(*) FROM quarantine');
    await h.backfill();
    expect(await h.count('SELECT count(*) FROM quarantine')).toBe(quarantined);
    expect(await h.count('SELECT count(*) FROM quarantine WHERE times_seen = 2')).toBe(badIds.length + 1 + 2 + 1);
    h.recorder.transform = undefined;
    await h.backfill();
    await h.expectInvariants();
  });
});
