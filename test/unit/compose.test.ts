import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { SERVER_SETTINGS } from '../../infra/local/postgres';
import { READY_PROBE } from '../../infra/local/trino';

/** docker compose cannot run here (no engine), so its file is checked for shape instead. */
interface Service {
  image: string;
  build?: { context: string; dockerfile: string };
  scale?: number;
  command?: string[];
  entrypoint?: string[];
  profiles?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  network_mode?: string;
  restart?: string;
  healthcheck?: { test?: string[]; disable?: boolean };
}

const root = path.resolve(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
// merge: the file shares the catalog's variables between the Trino services with << (as compose does).
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const services = compose.services;

/** "127.0.0.1:8080:8080" -> 8080 as published on the host. */
const hostPorts = (service: Service) => (service.ports ?? []).map((p) => Number(p.split(':').slice(-2)[0]));
const flag = (service: Service, name: string) => service.command?.[service.command.indexOf(name) + 1];
const properties = (file: string) =>
  Object.fromEntries(
    read(file)
      .split('\n')
      .filter((line) => /^[^#\s][^=]*=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
const healthy = { condition: 'service_healthy' };

describe('docker-compose.yml', () => {
  it('defines the whole stack, with LocalStack only behind its profile and no Trino worker by default', () => {
    expect(Object.keys(services).sort()).toEqual([
      'functions',
      'localstack',
      'ministack',
      'postgres',
      'spacex-api',
      'trino',
      'trino-worker',
    ]);
    expect(services.localstack.profiles).toEqual(['localstack']);
    for (const name of ['postgres', 'trino', 'trino-worker', 'spacex-api', 'ministack', 'functions']) {
      expect(services[name].profiles).toBeUndefined();
    }
    expect(services['trino-worker'].scale).toBe(0); // `docker compose up --scale trino-worker=N` adds N
  });

  it('pins every image to a version (no :latest), LocalStack to the last release that runs without a token', () => {
    for (const [name, service] of Object.entries(services)) {
      expect([name, service.image]).toEqual([name, expect.stringMatching(/^[a-z0-9./-]+:\d[\w.-]*$/)]);
    }
    expect(services.postgres.image).toMatch(/^postgres:1[67]$/);
    expect(services.trino.image).toBe('trinodb/trino:476');
    expect(services['trino-worker'].image).toBe(services.trino.image);
    expect(services.ministack.image).toMatch(/^ministackorg\/ministack:\d+\.\d+\.\d+$/);
    expect(services.localstack.image).toBe('localstack/localstack:4.14.0');
    // The project's own image, built from infra/Dockerfile on a pinned Node.
    expect(services['spacex-api'].image).toBe(`spacex-pipeline:${JSON.parse(read('package.json')).version}`);
    expect(services['spacex-api'].build).toEqual({ context: '.', dockerfile: 'infra/Dockerfile' });
    expect(read('infra/Dockerfile')).toMatch(/^FROM node:22\.\d+\.\d+-[a-z]+-slim$/m);
  });

  it('publishes the usual ports; the two AWS emulators share 4566; workers and the deploy job publish none', () => {
    expect(hostPorts(services.postgres)).toEqual([5432]);
    expect(hostPorts(services.trino)).toEqual([8080]);
    expect(hostPorts(services['spacex-api'])).toEqual([3100]);
    expect(hostPorts(services.ministack)).toEqual([4566]);
    expect(hostPorts(services.localstack)).toEqual([4566]);
    expect(hostPorts(services['trino-worker'])).toEqual([]);
    expect(hostPorts(services.functions)).toEqual([]);
  });

  it('gives every long-running service a health check that tests what it serves', () => {
    const test = (name: string) => services[name].healthcheck!.test!.join(' ');
    for (const [name, service] of Object.entries(services)) {
      if (name !== 'functions') expect([name, service.healthcheck?.test?.length]).toEqual([name, expect.any(Number)]);
    }
    expect(test('postgres')).toContain('pg_isready');
    expect(test('ministack')).toContain('/_ministack/health');
    expect(test('localstack')).toContain('/_localstack/health');
    expect(test('trino-worker')).toContain('/usr/lib/trino/bin/health-check');
    expect(test('spacex-api')).toContain(`http://127.0.0.1:${flag(services['spacex-api'], '--port')}/_replay/state`);
    // The functions' deployment runs once: its exit code is its result.
    expect(services.functions.healthcheck).toEqual({ disable: true });
    expect(services.functions.restart).toBe('no');
  });

  it("checks Trino's health with a query on the postgresql catalog, the launcher's own readiness probe", () => {
    expect(services.trino.healthcheck!.test).toEqual(['CMD', 'trino', '--execute', READY_PROBE]);
    expect(READY_PROBE).toContain('postgresql.');
  });

  it('runs PostgreSQL with the settings the local server and the benchmarks use', () => {
    expect(services.postgres.command).toEqual([
      'postgres',
      ...Object.entries(SERVER_SETTINGS).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    ]);
  });

  it('starts each part once what it needs is healthy', () => {
    expect(services.trino.depends_on).toEqual({ postgres: healthy });
    expect(services['trino-worker'].depends_on).toEqual({ trino: healthy });
    expect(services.functions.depends_on).toEqual({ ministack: healthy, postgres: healthy, 'spacex-api': healthy });
  });

  it('mounts only paths that exist in the repository (sockets aside)', () => {
    const hostPaths = Object.values(services)
      .flatMap((s) => s.volumes ?? [])
      .map((v) => v.split(':')[0])
      .filter((source) => source.startsWith('.'));
    expect(hostPaths).toContain('./infra/trino');
    for (const source of hostPaths) expect(existsSync(path.join(root, source))).toBe(true);
  });

  it('mounts infra/trino as Trino configuration, and feeds every variable its catalog reads', () => {
    expect(services.trino.volumes).toEqual(['./infra/trino:/etc/trino:ro']);
    const catalog = read('infra/trino/catalog/postgresql.properties');
    const wanted = [...new Set([...catalog.matchAll(/\$\{ENV:([A-Z0-9_]+)\}/g)].map((m) => m[1]))].sort();
    expect(wanted.length).toBeGreaterThan(0);
    for (const name of ['trino', 'trino-worker']) expect(Object.keys(services[name].environment ?? {}).sort()).toEqual(wanted);
    expect(services['trino-worker'].environment).toEqual(services.trino.environment);
    expect(services.trino.environment!.PIPELINE_PG_JDBC_URL).toBe('jdbc:postgresql://postgres:5432/spacex');
    expect(services.postgres.environment!.POSTGRES_DB).toBe('spacex');
  });

  it('makes each worker a worker of the coordinator service, with the same configuration otherwise', () => {
    expect(services['trino-worker'].volumes).toEqual([
      './infra/trino:/etc/trino:ro',
      './infra/trino/worker/config.properties:/etc/trino/config.properties:ro',
    ]);
    const worker = properties('infra/trino/worker/config.properties');
    const coordinator = properties('infra/trino/config.properties');
    expect(worker).toMatchObject({ coordinator: 'false', 'discovery.uri': `http://trino:${coordinator['http-server.http.port']}` });
    expect(coordinator).toMatchObject({ coordinator: 'true', 'node-scheduler.include-coordinator': 'true' });
    // No node.id in the shared file: each container takes its hostname, so replicas differ.
    expect(properties('infra/trino/node.properties')['node.id']).toBeUndefined();
  });

  it("serves the simulated API on all of the container's addresses, with flags the CLI has", () => {
    const api = services['spacex-api'];
    expect(api.command?.[0]).toBe('replay');
    expect(flag(api, '--host')).toBe('0.0.0.0');
    expect(api.ports).toEqual([`127.0.0.1:${flag(api, '--port')}:${flag(api, '--port')}`]);
    const help = spawnSync(process.execPath, [path.join(root, 'dist/cli.js'), 'replay', '--help'], { encoding: 'utf8' });
    for (const option of api.command!.filter((word) => word.startsWith('--'))) expect(help.stdout).toContain(option);
  });

  it("deploys the functions to MiniStack with the database's and the API's addresses inside the compose network", () => {
    const fn = services.functions;
    expect(fn.image).toBe(services['spacex-api'].image);
    expect(fn.network_mode).toBe('service:ministack'); // so serverless.yml's 127.0.0.1:4566 is MiniStack
    expect([...(fn.entrypoint ?? []), ...(fn.command ?? [])]).toEqual(['node_modules/.bin/serverless', 'deploy', '--stage', 'local']);
    const env = fn.environment!;
    expect(env.SPACEX_API_URL).toBe(`http://spacex-api:${flag(services['spacex-api'], '--port')}`);
    expect(new URL(env.DATABASE_URL.replace(/\$\{[^}]+\}/g, 'x')).host).toBe('postgres:5432');
    expect(new URL(env.DATABASE_URL.replace(/\$\{[^}]+\}/g, 'x')).pathname).toBe(`/${services.postgres.environment!.POSTGRES_DB}`);
    expect(env.AWS_ENDPOINT_URL).toBe(`http://127.0.0.1:${hostPorts(services.ministack)[0]}`);
    // serverless.yml hands exactly these variables to the functions on the local stage.
    const serverless = read('serverless.yml');
    for (const name of ['DATABASE_URL', 'SPACEX_API_URL', 'INGEST_RATE']) expect(serverless).toContain(`\${env:${name},`);
  });
});
