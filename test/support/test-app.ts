import 'reflect-metadata';
import request from 'supertest';
import type { App } from 'supertest/types.js';
import { loadConfig, type AppConfig } from '@app/config';
import { createApp, type RunningApp } from '../../apps/api/src/app.factory.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export const ADMIN_KEY = 'test-admin-key-0123456789abcdef';

export interface TestKeys {
  admin: string;
  editor: string;
  viewer: string;
}

export interface TestApp {
  running: RunningApp;
  http: () => ReturnType<typeof request>;
  config: AppConfig;
  close(): Promise<void>;
}

export function testConfig(db: { databaseUrl: string | null; dataDir: string }, env: Record<string, string> = {}): AppConfig {
  return loadConfig({
    DATABASE_URL: db.databaseUrl ?? '',
    DATA_DIR: db.dataDir,
    ADMIN_API_KEY: ADMIN_KEY,
    LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_MINUTE: '0',
    // Test receivers listen on 127.0.0.1 (test/webhook-targets.e2e-spec.ts turns this off).
    WEBHOOK_ALLOW_PRIVATE: 'true',
    // Tests start from the councils without their history (seeds/iraq-2023.json's events): each writes its own.
    GT_SEED: 'bare',
    ...env,
  });
}

/** Start the real application (Fastify, real database) in this process, ready for supertest. */
export async function startApp(config: AppConfig): Promise<TestApp> {
  const running = await createApp(config);
  const server = running.app.getHttpServer() as App;
  return { running, config, http: () => request(server), close: () => running.close() };
}

/** A second instance of the API on the same database as `first` (the embedded server is shared, not reopened). */
export async function startSecondInstance(first: TestApp): Promise<TestApp> {
  const url = first.config.databaseUrl ?? first.running.database.embedded!.url;
  return startApp({ ...first.config, databaseUrl: url });
}

export async function createKeys(app: TestApp): Promise<TestKeys> {
  const make = async (role: string) => {
    const res = await app.http().post('/api/v1/admin/api-keys').set('authorization', `Bearer ${ADMIN_KEY}`).send({ name: `${role}-desk`, role });
    if (res.status !== 201) throw new Error(`could not create ${role} key: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.key as string;
  };
  return { admin: ADMIN_KEY, editor: await make('editor'), viewer: await make('viewer') };
}

/** One fresh database and one app on it, with a key per role: the usual start of an e2e file. */
export async function setupSuite(label: string, env: Record<string, string> = {}) {
  const db: TestDatabase = await createTestDatabase(label);
  const app = await startApp(testConfig(db, env));
  const keys = await createKeys(app);
  return {
    db,
    app,
    keys,
    auth: (key: string) => ({ authorization: `Bearer ${key}` }),
    async teardown() {
      await app.close();
      await db.drop();
    },
  };
}

export const source = { name: 'Shafaq News', url: 'https://shafaq.com/en' };

/** Post an event as the editor; returns the supertest response. */
export function postEvent(app: TestApp, key: string, slug: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return app.http().post(`/api/v1/provinces/${slug}/events`).set('authorization', `Bearer ${key}`).set(headers).send({ source, ...body });
}
