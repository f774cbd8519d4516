import { ConfigError, databaseBounds, databaseUrl, logLevel, redactUrl, sourceConfig } from '../../functions/core/config';

describe('config', () => {
  it('defaults the source to the public SpaceX API', () => {
    expect(sourceConfig({})).toEqual({ apiUrl: 'https://api.spacexdata.com', timeoutMs: 15000, retries: 5, pageSize: 1000 });
  });

  it('trims trailing slashes and coerces numbers', () => {
    expect(sourceConfig({ SPACEX_API_URL: 'http://127.0.0.1:3100/', SPACEX_API_RETRIES: '0' })).toMatchObject({
      apiUrl: 'http://127.0.0.1:3100',
      retries: 0,
    });
  });

  it.each([
    [{}, 'DATABASE_URL is required'],
    [{ DATABASE_URL: 'mysql://x@y/z' }, 'DATABASE_URL must be a postgres:// URL'],
  ])('names the bad variable: %j', (env, message) => {
    expect(() => databaseUrl(env)).toThrow(ConfigError);
    expect(() => databaseUrl(env)).toThrow(message);
  });

  it.each([
    ['SPACEX_API_URL', 'ftp://example', 'must be an http(s):// URL'],
    ['SPACEX_API_TIMEOUT_MS', 'soon', 'must be a whole number'],
    ['SPACEX_API_RETRIES', '-1', 'SPACEX_API_RETRIES'],
    ['SPACEX_API_PAGE_SIZE', '0', 'must be positive'],
  ])('rejects %s=%s', (name, value, message) => {
    const error = (() => {
      try {
        sourceConfig({ [name]: value });
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('accepted');
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain(name);
    expect(error.message).toContain(message);
  });

  it('bounds every database wait, by default and as configured', () => {
    expect(databaseBounds({})).toEqual({
      lockWaitMs: 60_000,
      statementTimeoutMs: 600_000,
      idleInTransactionTimeoutMs: 60_000,
      connectTimeoutMs: 10_000,
    });
    expect(databaseBounds({ PIPELINE_LOCK_WAIT_MS: '500' }).lockWaitMs).toBe(500);
    expect(() => databaseBounds({ PIPELINE_LOCK_WAIT_MS: '0' })).toThrow('PIPELINE_LOCK_WAIT_MS must be positive');
    expect(() => databaseBounds({ DATABASE_STATEMENT_TIMEOUT_MS: 'soon' })).toThrow(ConfigError);
  });

  it('rejects an unknown log level', () => {
    expect(() => logLevel({ LOG_LEVEL: 'loud' })).toThrow('LOG_LEVEL');
  });

  it('never shows a password in a printable URL', () => {
    expect(redactUrl('postgres://u:s3cret@h:5432/db')).toBe('postgres://u:***@h:5432/db');
  });
});
