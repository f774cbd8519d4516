import { ConfigError } from '../../functions/core/errors';
import { trinoSettings } from '../../functions/core/query/trino';

describe('Trino settings (TRINO_URL, TRINO_CATALOG, TRINO_SCHEMA, TRINO_USER)', () => {
  it('defaults to a local Trino, catalog postgresql, schema public', () => {
    expect(trinoSettings({})).toEqual({ url: 'http://localhost:8080', catalog: 'postgresql', schema: 'public', user: 'spacex-pipeline' });
    expect(trinoSettings({ TRINO_URL: '', TRINO_USER: '' }).user).toBe('spacex-pipeline');
  });

  it('takes valid values, trimming the slash after the URL', () => {
    expect(
      trinoSettings({
        TRINO_URL: 'https://trino.example.com:8443/',
        TRINO_CATALOG: 'pg_prod',
        TRINO_SCHEMA: 'analytics',
        TRINO_USER: 'ana',
      }),
    ).toEqual({ url: 'https://trino.example.com:8443', catalog: 'pg_prod', schema: 'analytics', user: 'ana' });
  });

  it.each([
    ['TRINO_URL', 'notaurl', 'must be an http(s):// URL'],
    ['TRINO_URL', 'ftp://host:21', 'must be an http(s):// URL'],
    ['TRINO_CATALOG', 'my catalog', 'must be a catalog name'],
    ['TRINO_CATALOG', '1st', 'must be a catalog name'],
    ['TRINO_SCHEMA', 'public;drop', 'must be a schema name'],
    ['TRINO_USER', 'me:secret', 'must be a user name'],
    ['TRINO_USER', 'two words', 'must be a user name'],
  ])('rejects %s=%s as invalid configuration (exit 2), naming the variable', (name, value, message) => {
    let error: unknown;
    try {
      trinoSettings({ [name]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).exitCode).toBe(2);
    expect((error as Error).message).toContain(`${name} ${message}`);
  });
});
