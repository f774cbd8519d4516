/** The test server is left running between runs only when a developer asks for it. */
export default async function globalTeardown(): Promise<void> {
  if (process.env.KEEP_TEST_POSTGRES || !process.env.TEST_PG_DATA) return;
  const path = await import('node:path');
  const { startLocalPostgres } = await import('../../infra/local/postgres');
  const server = await startLocalPostgres({
    dir: path.resolve(__dirname, '../../.data/test-postgres'),
    port: Number(process.env.TEST_PG_PORT ?? 54329),
    database: 'postgres',
  });
  server.stop();
}
