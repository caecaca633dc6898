import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '@app/config';
import { ApiKeyEntity, ROLES, openDatabase, type Role } from '@app/database';
import { SEED_DOCUMENTS } from '@app/seeds';
import { ApiKeysRepository } from '../../api/src/auth/api-keys.repository.js';
import { ApiKeysService } from '../../api/src/auth/api-keys.service.js';
import { AppError, type FieldError } from '../../api/src/common/app-error.js';
import type { ImportResult } from '../../api/src/cycle/cycle-import.service.js';
import { openCycleImport } from './cycle-context.js';
import { verifyDatabase } from './verify.js';

const USAGE = `governor-tracker CLI — npm run cli -- <command>

  migrate                                   apply pending migrations
  seed                                      apply migrations and import the seeds' cycles that are missing
                                            (seeds/*.json; GT_SEED=bare: their councils without events)
  cycles import <file>                      create a cycle from its document (JSON; the schema is
                                            apps/api/src/cycle/cycle-document.schema.json); the same
                                            document again changes nothing
  cycles export <cycle>                     write a cycle's document to stdout
  keys create --role <public|viewer|editor|admin> --name <name> [--person <who holds it>]
                                            create an API key; the secret is printed once
  keys list                                 list keys (never their secrets)
  keys revoke <id>                          revoke a key
  verify                                    replay every province and compare with the stored snapshots

Uses DATABASE_URL, or the embedded database in DATA_DIR (default ./.data) when it is unset.`;

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { role: { type: 'string' }, name: { type: 'string' }, person: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, sub, arg] = positionals;
  if (!command || values.help) {
    process.stdout.write(`${USAGE}\n`);
    return command || values.help ? 0 : 2;
  }
  const config = loadConfig(process.env);
  const db = await openDatabase(
    { databaseUrl: config.databaseUrl, dataDir: config.dataDir, pool: { ...config.db, poolMax: 2 } },
    { applicationName: 'governor-tracker-cli' },
  );
  try {
    switch (command) {
      case 'migrate': {
        process.stdout.write('migrations applied\n');
        return 0;
      }
      case 'seed': {
        const context = await openCycleImport(config, db.dataSource);
        try {
          for (const r of await context.imports.seed(SEED_DOCUMENTS, config.seed, false)) process.stdout.write(`seed: ${describe(r)}\n`);
        } finally {
          await context.close();
        }
        return 0;
      }
      case 'cycles': {
        if (!((sub === 'import' || sub === 'export') && arg)) {
          process.stderr.write(`${USAGE}\n`);
          return 2;
        }
        let document: unknown;
        if (sub === 'import') {
          try {
            document = JSON.parse(readFileSync(arg, 'utf8'));
          } catch (err) {
            process.stderr.write(`${arg}: ${err instanceof SyntaxError ? 'not JSON: ' : ''}${(err as Error).message}\n`);
            return 1;
          }
        }
        const context = await openCycleImport(config, db.dataSource);
        try {
          if (sub === 'export') {
            process.stdout.write(`${JSON.stringify(await context.imports.export(arg), null, 2)}\n`);
          } else {
            process.stdout.write(`${describe(await context.imports.import(document, { keyId: '', name: 'import', person: 'import', role: 'admin' }))}\n`);
          }
          return 0;
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          for (const line of problemLines(err)) process.stderr.write(`${line}\n`);
          return 1;
        } finally {
          await context.close();
        }
      }
      case 'keys': {
        const keys = new ApiKeysService(new ApiKeysRepository(db.dataSource.getRepository(ApiKeyEntity)));
        if (sub === 'create') {
          const role = values.role as Role;
          if (!ROLES.includes(role) || !values.name) {
            process.stderr.write('keys create needs --role public|viewer|editor|admin and --name <name>\n');
            return 2;
          }
          const created = await keys.create(values.name, role, values.person);
          process.stdout.write(`${JSON.stringify(created, null, 2)}\nStore the key now: it is not stored and will not be shown again.\n`);
          return 0;
        }
        if (sub === 'list') {
          for (const k of await keys.list()) {
            process.stdout.write(`${k.id}  ${k.role.padEnd(6)}  ${k.name}${k.revokedAt ? `  (revoked ${k.revokedAt})` : ''}\n`);
          }
          return 0;
        }
        if (sub === 'revoke' && arg) {
          const k = await keys.revoke(arg);
          process.stdout.write(`revoked ${k.name} (${k.id})\n`);
          return 0;
        }
        process.stderr.write(`${USAGE}\n`);
        return 2;
      }
      case 'verify': {
        const report = await verifyDatabase(db.dataSource);
        for (const p of report.problems) process.stdout.write(`MISMATCH ${p.province}: ${p.problem}\n`);
        process.stdout.write(
          `verified ${report.provinces} provinces, ${report.events} events: ${report.problems.length === 0 ? 'all consistent' : `${report.problems.length} problem(s)`}\n`,
        );
        return report.problems.length === 0 ? 0 : 1;
      }
      default:
        process.stderr.write(`unknown command "${command}"\n\n${USAGE}\n`);
        return 2;
    }
  } finally {
    await db.close();
  }
}

function describe(r: ImportResult): string {
  const what = `${r.councils} council(s), ${r.events} event(s)`;
  if (r.outcome === 'created') return `created cycle ${r.cycle.slug}: ${what}${r.cycle.default ? ' (the default cycle)' : ''}`;
  if (r.outcome === 'unchanged') return `cycle ${r.cycle.slug} already holds this document (${what}): nothing changed`;
  return `cycle ${r.cycle.slug} exists: left as it is`;
}

/** A refusal as the API's problem document says it: the detail, then one line per problem. */
function problemLines(err: AppError): string[] {
  const errors = err.extensions.errors as FieldError[] | undefined;
  const differences = err.extensions.differences as string[] | undefined;
  return [
    `${err.code}: ${err.detail}`,
    ...(errors ?? []).map((e) => `${e.field}: ${e.message}`),
    ...(err.code === 'cycle-exists' ? (differences ?? []).map((d) => `differs: ${d}`) : []),
  ];
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`${err instanceof ConfigError ? err.message : `error: ${err instanceof Error ? err.message : String(err)}`}\n`);
    process.exit(1);
  },
);
