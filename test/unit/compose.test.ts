import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { SERVER_SETTINGS } from '../../infra/local/postgres';

/** docker compose cannot run here (no engine), so its file is checked for shape instead. */
interface Service {
  image: string;
  command?: string[];
  profiles?: string[];
  ports?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

const root = path.resolve(__dirname, '../..');
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service> };
const services = compose.services;

/** "127.0.0.1:8080:8080" -> 8080 as published on the host. */
const hostPorts = (service: Service) => (service.ports ?? []).map((p) => Number(p.split(':').slice(-2)[0]));

describe('docker-compose.yml', () => {
  it('defines the stack, with LocalStack only behind its profile', () => {
    expect(Object.keys(services).sort()).toEqual(['localstack', 'ministack', 'postgres', 'trino']);
    expect(services.localstack.profiles).toEqual(['localstack']);
    for (const name of ['postgres', 'trino', 'ministack']) expect(services[name].profiles).toBeUndefined();
  });

  it('pins the images the project is tested with', () => {
    expect(services.postgres.image).toMatch(/^postgres:1[67]$/);
    expect(services.trino.image).toBe('trinodb/trino:476');
    expect(services.ministack.image).toMatch(/^ministackorg\/ministack:\d+\.\d+\.\d+$/);
  });

  it('publishes the usual ports; the two AWS emulators share 4566', () => {
    expect(hostPorts(services.postgres)).toEqual([5432]);
    expect(hostPorts(services.trino)).toEqual([8080]);
    expect(hostPorts(services.ministack)).toEqual([4566]);
    expect(hostPorts(services.localstack)).toEqual([4566]);
  });

  it('gives every service a health check', () => {
    for (const service of Object.values(services)) expect(service.healthcheck?.test.length).toBeGreaterThan(0);
    expect(services.postgres.healthcheck!.test.join(' ')).toContain('pg_isready');
    expect(services.trino.healthcheck!.test.join(' ')).toContain('/usr/lib/trino/bin/health-check');
    expect(services.ministack.healthcheck!.test.join(' ')).toContain('/_ministack/health');
    expect(services.localstack.healthcheck!.test.join(' ')).toContain('/_localstack/health');
  });

  it('runs PostgreSQL with the settings the local server and the benchmarks use', () => {
    expect(services.postgres.command).toEqual([
      'postgres',
      ...Object.entries(SERVER_SETTINGS).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    ]);
  });

  it('starts Trino once PostgreSQL is healthy', () => {
    expect(services.trino.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
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
    expect(services.trino.volumes).toContain('./infra/trino:/etc/trino:ro');
    const catalog = readFileSync(path.join(root, 'infra/trino/catalog/postgresql.properties'), 'utf8');
    const wanted = [...catalog.matchAll(/\$\{ENV:([A-Z0-9_]+)\}/g)].map((m) => m[1]);
    expect(wanted.length).toBeGreaterThan(0);
    expect(Object.keys(services.trino.environment ?? {}).sort()).toEqual([...new Set(wanted)].sort());
    expect(services.trino.environment!.PIPELINE_PG_JDBC_URL).toBe('jdbc:postgresql://postgres:5432/spacex');
    expect(services.postgres.environment!.POSTGRES_DB).toBe('spacex');
  });
});
