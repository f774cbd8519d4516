import { readFileSync } from 'node:fs';
import path from 'node:path';
import { catalogEnv, fingerprint, nodeConfig, overrideProperties } from '../../infra/local/trino-config';

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
      '# comment\nhttp-server.http.port=18080\ndiscovery.uri=http://127.0.0.1:18080\ncoordinator=true\n' +
        '# set by infra/local/trino.ts\nnode.id=x\n',
    );
  });
});

describe('node configuration', () => {
  const props = (text: string) =>
    Object.fromEntries(
      text
        .split('\n')
        .filter((line) => /^[^#\s][^=]*=/.test(line))
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
  const spec = { port: 18086, dataDir: '/tmp/c', coordinatorUrl: 'http://127.0.0.1:18086' };

  it('keeps a lone coordinator scheduling on itself, on loopback, with its own id and data dir', () => {
    const files = nodeConfig({ ...spec, role: 'coordinator', workers: 0 });
    expect(props(files.get('config.properties')!)).toMatchObject({
      coordinator: 'true',
      'node-scheduler.include-coordinator': 'true',
      'http-server.http.port': '18086',
      'discovery.uri': 'http://127.0.0.1:18086',
    });
    expect(props(files.get('node.properties')!)).toMatchObject({
      'node.id': 'spacex-pipeline-18086',
      'node.data-dir': '/tmp/c',
      'node.bind-ip': '127.0.0.1',
    });
    expect(files.has('catalog/postgresql.properties')).toBe(true);
    expect([...files.keys()].some((name) => name.startsWith('worker'))).toBe(false);
  });

  it('leaves all tasks to the workers once there are any', () => {
    const files = nodeConfig({ ...spec, role: 'coordinator', workers: 2 });
    expect(props(files.get('config.properties')!)['node-scheduler.include-coordinator']).toBe('false');
  });

  it('makes a worker from infra/trino/worker, pointed at the coordinator, with its own heap, id and port', () => {
    const files = nodeConfig({ ...spec, role: 'worker', port: 18087, dataDir: '/tmp/w1', workers: 1, heap: '1G' });
    const config = props(files.get('config.properties')!);
    expect(config).toMatchObject({ coordinator: 'false', 'http-server.http.port': '18087', 'discovery.uri': 'http://127.0.0.1:18086' });
    expect(config['node-scheduler.include-coordinator']).toBeUndefined();
    expect(props(files.get('node.properties')!)).toMatchObject({ 'node.id': 'spacex-pipeline-18087', 'node.data-dir': '/tmp/w1' });
    expect(files.get('jvm.config')).toMatch(/^-Xmx1G$/m);
    expect(files.get('jvm.config')).not.toMatch(/^-Xmx2G$/m);
    expect(files.get('catalog/postgresql.properties')).toBe(
      nodeConfig({ ...spec, role: 'coordinator', workers: 1 }).get('catalog/postgresql.properties'),
    );
  });

  it('fingerprints the whole cluster: another size or database is another cluster', () => {
    const one = [nodeConfig({ ...spec, role: 'coordinator', workers: 0 })];
    const two = [
      nodeConfig({ ...spec, role: 'coordinator', workers: 1 }),
      nodeConfig({ ...spec, role: 'worker', port: 18087, workers: 1 }),
    ];
    const db = catalogEnv('postgres://u:p@h:1/d');
    expect(fingerprint(one, db)).toBe(fingerprint([nodeConfig({ ...spec, role: 'coordinator', workers: 0 })], db));
    expect(fingerprint(two, db)).not.toBe(fingerprint(one, db));
    expect(fingerprint(one, catalogEnv('postgres://u:other@h:1/d'))).not.toBe(fingerprint(one, db));
  });
});
