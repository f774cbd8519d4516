/**
 * The product's logger (functions/core/log.ts): pino's calling convention over Powertools Logger,
 * JSON lines on stderr unless stderr is a terminal, secrets redacted in both forms.
 */
import { correlate, log } from '../../functions/core/log';

describe('log', () => {
  let written: string[];
  let spy: jest.SpyInstance;
  const isTTY = process.stderr.isTTY;
  const saved = { level: log.level, format: process.env.LOG_FORMAT };

  beforeEach(() => {
    written = [];
    spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    log.level = 'info';
  });
  afterEach(() => {
    spy.mockRestore();
    process.stderr.isTTY = isTTY;
    log.level = saved.level;
    if (saved.format === undefined) delete process.env.LOG_FORMAT;
    else process.env.LOG_FORMAT = saved.format;
  });

  it('writes one JSON line per call, fields beside the message, on stderr', () => {
    process.stderr.isTTY = false;
    log.info({ step: 'ingest', runId: 7 }, 'ingest run started');
    log.warn('plain message');
    expect(written).toHaveLength(2);
    expect(JSON.parse(written[0])).toMatchObject({
      level: 'INFO',
      message: 'ingest run started',
      service: 'spacex-pipeline',
      step: 'ingest',
      runId: 7,
    });
    expect(JSON.parse(written[1])).toMatchObject({ level: 'WARN', message: 'plain message' });
  });

  it('redacts connection strings and passwords at any depth, in JSON and on a terminal', () => {
    const secret = 'postgres://pipeline:s3cret@db:5432/spacex';
    for (const tty of [false, true]) {
      process.stderr.isTTY = tty;
      log.error({ databaseUrl: secret, connection: { password: 's3cret', connectionString: secret } }, 'cannot connect');
    }
    expect(written).toHaveLength(2);
    for (const line of written) expect(line).not.toContain('s3cret');
    expect(JSON.parse(written[0]).connection).toEqual({ password: '***', connectionString: '***' });
  });

  it('prints readable lines on a terminal, JSON again with LOG_FORMAT=json', () => {
    process.stderr.isTTY = true;
    log.info({ step: 'backfill', runId: 3 }, 'backfill run succeeded');
    expect(written[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} .*INFO.* backfill run succeeded {2}step=backfill runId=3\n$/);
    process.env.LOG_FORMAT = 'json';
    log.info('as JSON');
    expect(JSON.parse(written[1]).message).toBe('as JSON');
  });

  it('honours the level, set and read with pino names', () => {
    process.stderr.isTTY = false;
    log.level = 'warn';
    expect(log.level).toBe('warn');
    log.info('hidden');
    log.debug('hidden');
    log.error('shown');
    log.level = 'silent';
    log.fatal('hidden');
    expect(written.map((l) => JSON.parse(l).message)).toEqual(['shown']);
  });

  it('tags the lines of a run with its correlation id until released; an id already set wins', () => {
    process.stderr.isTTY = false;
    const release = correlate('ingest#42');
    const inner = correlate('aggregate#43');
    log.info('inside');
    inner();
    log.info('still inside');
    release();
    log.info('outside');
    expect(written.map((l) => JSON.parse(l).correlationId)).toEqual(['ingest#42', 'ingest#42', undefined]);
  });
});
