import 'reflect-metadata';
import { ConfigError, loadConfig } from '@app/config';
import { createApp } from './app.factory.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const started = Date.now();
  const running = await createApp(config);
  await running.app.listen({ port: config.port, host: config.host });
  const url = await running.app.getUrl();
  const where = config.databaseUrl ? 'PostgreSQL server' : `embedded PostgreSQL in ${running.database.embedded?.dataDir}`;
  process.stdout.write(`governor-tracker listening on ${url}/api/v1 (${where}; ready in ${Date.now() - started} ms)\n`);
  if (running.firstAdminKey) {
    // Printed once, here only: the database keeps nothing but its hash.
    process.stdout.write(`\nFirst start: an admin API key was created. Store it now; it will not be shown again:\n\n  ${running.firstAdminKey}\n\n`);
  }
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    process.stdout.write(`${signal}: finishing in-flight requests and closing\n`);
    running.close().then(
      () => process.exit(0),
      (err) => {
        process.stderr.write(`shutdown failed: ${err}\n`);
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
