-- 006: no planner statistics on the raw documents.
-- A load ANALYZEs the tables it filled. For a raw table nearly all of that time went into
-- sampling and summarising the jsonb documents (about 1 kB each), statistics no query uses:
-- the raw tables are only ever searched by version_id and id.
ALTER TABLE raw_launches ALTER COLUMN document SET STATISTICS 0;
ALTER TABLE raw_payloads ALTER COLUMN document SET STATISTICS 0;
ALTER TABLE raw_launchpads ALTER COLUMN document SET STATISTICS 0;
ALTER TABLE raw_landpads ALTER COLUMN document SET STATISTICS 0;
ALTER TABLE raw_rockets ALTER COLUMN document SET STATISTICS 0;
