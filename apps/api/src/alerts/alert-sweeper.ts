import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import { APP_CONFIG } from '../common/tokens.js';
import { ChangePublisher } from '../stream/change-publisher.js';
import { AlertsRepository } from './alerts.repository.js';
import { AlertsService } from './alerts.service.js';

/** Provinces evaluated per query by a sweep. */
const SWEEP_PAGE = 500;

/**
 * Time alone opens alerts (a deadline passes at midnight in Baghdad with nobody posting anything), so
 * every instance sweeps periodically; a transaction-level advisory lock lets one sweep run at a time,
 * and provinces that a writer holds are skipped (the writer evaluates them itself).
 */
@Injectable()
export class AlertSweeper implements OnApplicationShutdown {
  private readonly logger = new Logger(AlertSweeper.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;

  constructor(
    private readonly alerts: AlertsService,
    private readonly repo: AlertsRepository,
    private readonly publisher: ChangePublisher,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.sweep()
        .catch((err) => this.logger.warn(`alert sweep failed: ${(err as Error).message}`))
        .finally(() => (this.running = null));
    }, this.config.alertSweepSeconds * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Evaluate every province at `at`; null when another instance holds the sweep. */
  async sweep(at: Date = new Date()): Promise<{ provinces: number; notices: number } | null> {
    return this.publisher.transaction(async (m, emit) => {
      if (!(await this.repo.trySweepLock(m))) return null;
      // A page of provinces at a time (in id order, in the one transaction): a sweep of 10,000 holds one
      // page's states and alerts, not all of them at once.
      let count = 0;
      let swept = 0;
      for (let after: string | null = null; ; ) {
        const provinces = await this.repo.sweepPage(m, after, SWEEP_PAGE);
        if (provinces.length === 0) break;
        const active = await this.alerts.activeAlerts(m, provinces.map((p) => p.id));
        for (const p of provinces) {
          const notices = await this.alerts.reconcile(m, p, at, { kind: 'sweep' }, active.get(p.id) ?? []);
          count += notices.length;
          emit(notices);
        }
        swept += provinces.length;
        if (provinces.length < SWEEP_PAGE) break;
        after = provinces[provinces.length - 1].id;
      }
      return { provinces: swept, notices: count };
    });
  }
}
