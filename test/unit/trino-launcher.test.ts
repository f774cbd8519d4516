import { readFileSync } from 'node:fs';
import path from 'node:path';
import { catalogEnv, overrideProperties } from '../../infra/local/trino';

describe('local Trino launcher', () => {
  it('turns the pipeline database URL into the catalog variables, decoding credentials', () => {
    expect(catalogEnv('postgres://pipe%40line:p%40ss%2Fw0rd@db.local:6543/spacex?sslmode=require')).toEqual({
      PIPELINE_PG_JDBC_URL: 'jdbc:postgresql://db.local:6543/spacex?sslmode=require',
      PIPELINE_PG_USER: 'pipe@line',
      PIPELINE_PG_PASSWORD: 'p@ss/w0rd',
    });
    expect(catalogEnv('postgresql://u:p@127.0.0.1/spacex').PIPELINE_PG_JDBC_URL).toBe('jdbc:postgresql://127.0.0.1:5432/spacex');
  });

  it('provides exactly the variables the catalog file reads', () => {
    const catalog = readFileSync(path.resolve(__dirname, '../../infra/trino/catalog/postgresql.properties'), 'utf8');
    const wanted = [...new Set([...catalog.matchAll(/\$\{ENV:([A-Z0-9_]+)\}/g)].map((m) => m[1]))].sort();
    expect(Object.keys(catalogEnv('postgres://u:p@h:1/d')).sort()).toEqual(wanted);
  });

  it.each([
    ['mysql://u:p@h/d', 'postgres://'],
    ['postgres://u:p@h:5432', 'names no database'],
    ['not a url', 'not a URL'],
  ])('rejects %s without echoing it', (url, message) => {
    expect(() => catalogEnv(url)).toThrow(message);
  });

  it('overrides properties in place and appends the missing ones', () => {
    const text = '# comment\nhttp-server.http.port=8080\ndiscovery.uri = http://localhost:8080\ncoordinator=true\n';
    expect(overrideProperties(text, { 'http-server.http.port': '18080', 'discovery.uri': 'http://127.0.0.1:18080', 'node.id': 'x' })).toBe(
      '# comment\nhttp-server.http.port=18080\ndiscovery.uri=http://127.0.0.1:18080\ncoordinator=true\n# set by infra/local/trino.ts\nnode.id=x\n',
    );
  });
});
