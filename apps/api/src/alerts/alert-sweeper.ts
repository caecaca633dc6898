import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '@app/config';
import { APP_CONFIG } from '../common/tokens.js';
import { ChangePublisher } from '../stream/change-publisher.js';
import { AlertsService, type ProvinceForAlerts } from './alerts.service.js';

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
      const [{ locked }] = await m.query(`SELECT pg_try_advisory_xact_lock(hashtext('governor-tracker:alert-sweep')) AS locked`);
      if (!locked) return null;
      const provinces: ProvinceForAlerts[] = await m.query(
        `SELECT p.id, p.slug, p.name, p.state,
                json_build_object('electionDate', c.election_date, 'deadline', c.deadline, 'timezone', c.timezone,
                                  'tierByDays', c.tier_by_days, 'candidateByDays', c.candidate_by_days) AS rules
           FROM province p JOIN cycle c ON c.id = p.cycle_id
          ORDER BY p.id FOR UPDATE OF p SKIP LOCKED`,
      );
      const active = await this.alerts.activeAlerts(m, provinces.map((p) => p.id));
      let count = 0;
      for (const p of provinces) {
        const notices = await this.alerts.reconcile(m, p, at, { kind: 'sweep' }, active.get(p.id) ?? []);
        count += notices.length;
        emit(notices);
      }
      return { provinces: provinces.length, notices: count };
    });
  }
}
