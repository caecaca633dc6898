import 'reflect-metadata';
import { ConfigError, loadConfig, type AppConfig } from '@app/config';
import { prestartEmbeddedPostgres } from '@app/database';

async function main(): Promise<void> {
  let config: AppConfig;
  let corsOrigins: string[];
  try {
    config = loadConfig(process.env);
    // The embedded database boots on its own thread while the app's modules load (docs/performance.md#the-embedded-database).
    if (!config.databaseUrl) prestartEmbeddedPostgres(config.dataDir);
    corsOrigins = (await import('./common/security.js')).parseCorsOrigins(process.env.CORS_ORIGINS);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const started = Date.now();
  const [{ Logger }, { SHUTDOWN_GRACE_MS, createApp }] = await Promise.all([import('@nestjs/common'), import('./app.factory.js')]);
  /** A shutdown that takes longer than this (grace period plus closing the database) exits 1. */
  const SHUTDOWN_DEADLINE_MS = SHUTDOWN_GRACE_MS + 10_000;
  const running = await createApp(config, { corsOrigins });
  await running.app.listen({ port: config.port, host: config.host });
  const url = await running.app.getUrl();
  const where = config.databaseUrl ? 'PostgreSQL server' : `embedded PostgreSQL in ${running.database.embedded?.dataDir}`;
  // Plain lines for the person (and the scripts) starting it; everything after goes to the JSON log.
  process.stdout.write(`governor-tracker listening on ${url}/api/v1 (${where}; ready in ${Date.now() - started} ms)\n`);
  if (running.firstAdminKey) {
    // Printed once, here only: the database keeps nothing but its hash.
    process.stdout.write(`\nFirst start: an admin API key was created. Store it now; it will not be shown again:\n\n  ${running.firstAdminKey}\n\n`);
  }
  const logger = new Logger('Shutdown');
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    const began = Date.now();
    logger.log(`${signal}: refusing new requests, ending event streams, finishing ${running.lifecycle.inFlight} in-flight request(s)`);
    setTimeout(() => {
      process.stderr.write(`shutdown did not finish in ${SHUTDOWN_DEADLINE_MS} ms; exiting\n`);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    running.close().then(
      () => {
        logger.log(`closed in ${Date.now() - began} ms; database released`);
        process.exit(0);
      },
      (err) => {
        process.stderr.write(`shutdown failed: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`governor-tracker failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
