import type pg from 'pg';
import { migrate } from '../../functions/core/store/migrate';
import { createTestDatabase, type TestDatabase } from './database';

/** A fresh, migrated database for one describe block, with one client on it. */
export function migratedStore(): { readonly db: TestDatabase; readonly client: pg.PoolClient } {
  let db: TestDatabase;
  let client: pg.PoolClient;
  beforeAll(async () => {
    db = await createTestDatabase();
    client = await db.pool.connect();
    await migrate(client);
  });
  afterAll(async () => {
    client.release();
    await db.drop();
  });
  return {
    get db() {
      return db;
    },
    get client() {
      return client;
    },
  };
}
