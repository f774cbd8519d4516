-- 007: views of the source ordered by when they were read, not by when they commit.
-- A run reads the source before it takes the pipeline lock, so two runs may commit in the other
-- order than they read. Each current row records the latest time the source may have been read
-- holding its version (the end of that read's interval, on the database's clock). A view is
-- applied over it only if it was read after that, for certain; an older view, or one whose read
-- overlapped, is not (the next read settles it). ETags follow the same rule. NULL (rows of
-- earlier releases): older than any read.
ALTER TABLE launches   ADD COLUMN last_read_at timestamptz;
ALTER TABLE payloads   ADD COLUMN last_read_at timestamptz;
ALTER TABLE launchpads ADD COLUMN last_read_at timestamptz;
ALTER TABLE landpads   ADD COLUMN last_read_at timestamptz;
ALTER TABLE rockets    ADD COLUMN last_read_at timestamptz;
ALTER TABLE source_state ADD COLUMN last_read_at timestamptz;
