import {
  ConfigError,
  databaseBounds,
  connectionSecrets,
  databaseUrl,
  localPorts,
  logLevel,
  redactText,
  redactUrl,
  sourceConfig,
} from '../../functions/core/config';

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
    ['SPACEX_API_TIMEOUT_MS', 'soon', 'must be a whole number from 1 to 600000'],
    ['SPACEX_API_RETRIES', '-1', 'must be at least 0 (a whole number from 0 to 20)'],
    ['SPACEX_API_PAGE_SIZE', '0', 'must be positive (a whole number from 1 to 100000)'],
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

  it('rejects an unknown log level, listing the allowed ones', () => {
    expect(() => logLevel({ LOG_LEVEL: 'loud' })).toThrow(
      'Invalid configuration: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent.',
    );
  });

  it('reads the ports of the local servers, 54320 and 8080 by default', () => {
    expect(localPorts({})).toEqual({ postgres: 54320, trino: 8080 });
    expect(localPorts({ DEMO_PG_PORT: '54361', DEMO_TRINO_PORT: '8081' })).toEqual({ postgres: 54361, trino: 8081 });
    expect(() => localPorts({ DEMO_PG_PORT: '65536' })).toThrow('DEMO_PG_PORT must be at most 65535 (a whole number from 1 to 65535)');
  });

  it.each([
    ['postgres://u:s3cret@h:5432/db', 'postgres://u:***@h:5432/db'],
    ['postgres://u:s3cret@h/db?sslmode=require', 'postgres://u:***@h/db?sslmode=require'],
    ['postgres://u@h/db?password=s3cret', 'postgres://u@h/db?password=***'],
    [
      'postgres://u@h/db?sslmode=require&password=s3cret&application_name=x',
      'postgres://u@h/db?sslmode=require&password=***&application_name=x',
    ],
    ['postgres://u@h/db?sslpassword=s3cret', 'postgres://u@h/db?sslpassword=***'],
    ['postgres://u@h/db?options=-c%20password%3Ds3cret%20-c%20x%3D1', 'postgres://u@h/db?options=-c%20password%3D***%20-c%20x%3D1'],
    ['postgres://u@h/db?options=-c password=s3cret', 'postgres://u@h/db?options=-c password=***'],
    ['postgres://u:p%40ss%2F@h/db', 'postgres://u:***@h/db'],
  ])('masks every password a connection string carries: %s', (url, safe) => {
    expect(redactUrl(url)).toBe(safe);
    expect(redactUrl(url)).not.toMatch(/s3cret|p%40ss/);
  });

  it('masks the secrets of a URL anywhere in a message, raw or decoded', () => {
    const url = 'postgres://u:p%40ss%2F@h/db?password=s3cret';
    expect(connectionSecrets(url).sort()).toEqual(['p%40ss%2F', 'p@ss/', 's3cret'].sort());
    const message = 'failed for p@ss/ (s3cret) at postgres://u:p%40ss%2F@h/db and postgres://v:other@k/db?password=x: refused.';
    expect(redactText(message, url)).toBe('failed for *** (***) at postgres://u:***@h/db and postgres://v:***@k/db?password=***: refused.');
  });
});
