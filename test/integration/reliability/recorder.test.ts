/**
 * The harness itself: the recording source the fault suite runs the pipeline through must page
 * exactly as the pipeline asks, or the cases would exercise another path than the product's (the
 * backfill reads launchpads and landpads one document per page).
 */
import { Harness } from '../../helpers/reliability';

describe('reliability harness: the recorded source', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start({ launches: 40, upcoming: 4, env: { SPACEX_API_PAGE_SIZE: '25' } });
  });
  afterAll(async () => h?.close());

  it('forwards every argument of pages(): one launchpad and one landpad per page in a backfill', async () => {
    const before = h.replay.stats().requests;
    await h.backfill();
    const after = h.replay.stats().requests;
    const requests = (path: string) => (after[path] ?? 0) - (before[path] ?? 0);
    expect(requests('/v4/launchpads/query')).toBe(h.replay.dataset.launchpads().length);
    expect(requests('/v4/landpads/query')).toBe(h.replay.dataset.landpads().length);
    expect(requests('/v4/rockets/query')).toBe(1);
    await h.expectInvariants();
  });

  it('passes a page size given by the caller to the source', async () => {
    const sizes: number[] = [];
    for await (const page of h.pipeline.source.pages('/v5/launches/query', {}, { flight_number: 'asc' }, 7)) sizes.push(page.length);
    expect(sizes).toEqual([7, 7, 7, 7, 7, 5]);
  });
});
