-- 007: views of the source ordered by when they were read, not by when they commit.
-- A run reads the source before it takes the pipeline lock, so two runs may commit in the other
-- order than they read. Each current row records when the source was last read holding its
-- version, and a view read before that is older than what is stored: it is not applied. Likewise
-- an ETag read earlier never replaces one read later. NULL (rows of earlier releases): older than
-- any read.
ALTER TABLE launches   ADD COLUMN read_at timestamptz;
ALTER TABLE payloads   ADD COLUMN read_at timestamptz;
ALTER TABLE launchpads ADD COLUMN read_at timestamptz;
ALTER TABLE landpads   ADD COLUMN read_at timestamptz;
ALTER TABLE rockets    ADD COLUMN read_at timestamptz;
ALTER TABLE source_state ADD COLUMN read_at timestamptz;
