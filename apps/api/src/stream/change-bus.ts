import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import pg from 'pg';
import { Subject, type Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import type { AppConfig } from '@app/config';
import { APP_CONFIG } from '../common/tokens.js';
import type { ChangeNotice } from './change-notice.js';

const CHANNEL = 'governor_tracker_changes';
/** Where the database announces a revoked key's id (a trigger on api_key, migration KeyOwners). */
const KEY_REVOKED_CHANNEL = 'governor_tracker_key_revoked';

/**
 * Fans committed changes out to every API instance's live streams. On a PostgreSQL server it uses
 * LISTEN/NOTIFY, so a change accepted by one instance reaches streams open on another; the embedded
 * database belongs to one process, where the notices go straight to its subscribers.
 */
@Injectable()
export class ChangeBus implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ChangeBus.name);
  private readonly subject = new Subject<ChangeNotice>();
  private readonly revoked = new Subject<string>();
  private readonly resynced = new Subject<void>();
  private listener: pg.Client | null = null;
  private reconnect: NodeJS.Timeout | null = null;
  private closing = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get changes(): Observable<ChangeNotice> {
    return this.subject.asObservable();
  }

  /** Ids of keys revoked through any instance (or the CLI): their streams end, their cached checks are forgotten. */
  get revokedKeys(): Observable<string> {
    return this.revoked.asObservable();
  }

  /**
   * After LISTEN (re)connects: revocations made while it was down were not heard, so what depends on
   * them is checked against the database again.
   */
  get listenerResynced(): Observable<void> {
    return this.resynced.asObservable();
  }

  /** A revocation committed by this instance: heard here at once (on a server it also comes back through LISTEN). */
  keyRevoked(ids: string[]): void {
    for (const id of ids) this.revoked.next(id);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.databaseUrl) await this.listen();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    if (this.reconnect) clearTimeout(this.reconnect);
    this.subject.complete();
    this.revoked.complete();
    this.resynced.complete();
    await this.listener?.end().catch(() => undefined);
  }

  /** The channel a transaction may NOTIFY itself (delivered at commit), or null in embedded mode. */
  get notifyChannel(): string | null {
    return this.config.databaseUrl ? CHANNEL : null;
  }

  /**
   * Notices whose NOTIFY their own transaction sent: on a server they arrive through LISTEN like any
   * other; in embedded mode they go straight to this process's subscribers (call after commit).
   */
  publishNotified(notices: ChangeNotice[]): void {
    if (this.config.databaseUrl) return;
    for (const n of notices) this.subject.next(n);
  }

  /** Publish notices of a committed transaction (call after commit, never inside it). */
  async publish(notices: ChangeNotice[]): Promise<void> {
    if (notices.length === 0) return;
    if (!this.config.databaseUrl) {
      for (const n of notices) this.subject.next(n);
      return;
    }
    try {
      // NOTIFY payloads are limited to 8000 bytes: the notice's data is kept small for that reason.
      await this.db.query(`SELECT pg_notify($1, x) FROM unnest($2::text[]) AS x`, [CHANNEL, notices.map((n) => JSON.stringify(n))]);
    } catch (err) {
      // The change is committed and its webhooks are in the outbox; only live viewers miss it.
      this.logger.warn(`could not notify streams: ${(err as Error).message}`);
    }
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.config.databaseUrl!, connectionTimeoutMillis: this.config.db.connectionTimeoutMs });
    client.on('notification', (msg) => {
      if (msg.channel === KEY_REVOKED_CHANNEL && msg.payload) return this.revoked.next(msg.payload);
      if (msg.channel !== CHANNEL || !msg.payload) return;
      try {
        this.subject.next(JSON.parse(msg.payload) as ChangeNotice);
      } catch {
        this.logger.warn('ignored a malformed notification');
      }
    });
    const retry = () => {
      if (this.closing || this.reconnect) return;
      this.listener = null;
      this.reconnect = setTimeout(() => {
        this.reconnect = null;
        this.listen().catch(() => retry());
      }, 1000);
      this.reconnect.unref();
    };
    client.on('error', retry);
    client.on('end', retry);
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}; LISTEN ${KEY_REVOKED_CHANNEL}`);
      this.listener = client;
      this.resynced.next();
    } catch (err) {
      this.logger.warn(`LISTEN failed, retrying: ${(err as Error).message}`);
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      retry();
    }
  }
}
