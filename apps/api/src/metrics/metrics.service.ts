import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Repository } from 'typeorm';
import { ALERT_KINDS, AlertEntity } from '@app/database';

/** Seconds; from a cached read (a few ms) to the statement timeout (5 s by default). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The application's Prometheus metrics, in a registry of its own (not prom-client's global one, so
 * that two apps in one process, as in the tests, do not collide). Call `eventAccepted` from anywhere
 * an event is committed; HTTP requests are observed by a Fastify hook (see app.factory.ts); open
 * alerts are counted in the database at scrape time, so every instance reports the same truth.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly logger = new Logger(MetricsService.name);
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly latency: Histogram<'method' | 'route' | 'status'>;
  private readonly events: Counter<'type'>;
  private readonly writeBatches: Histogram;
  private readonly writeBatchRetries: Counter;

  constructor(@InjectRepository(AlertEntity) alerts: Repository<AlertEntity>) {
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      registers: [this.registry],
    });
    this.latency = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from receiving a request to the end of its response, by method, route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers: [this.registry],
    });
    this.events = new Counter({
      name: 'governor_events_accepted_total',
      help: 'Province events accepted and stored by this instance, by event type.',
      labelNames: ['type'],
      registers: [this.registry],
    });
    this.writeBatches = new Histogram({
      name: 'governor_event_write_batch_size',
      help: 'Events written per transaction by the event write path (group commit: writes that wait for a free slot share one).',
      buckets: [1, 2, 4, 8, 16, 32],
      registers: [this.registry],
    });
    this.writeBatchRetries = new Counter({
      name: 'governor_event_write_batch_retries_total',
      help: 'Batches of events whose transaction failed as a whole, committing nothing, and whose events were then written one by one.',
      registers: [this.registry],
    });
    const logger = this.logger;
    new Gauge({
      name: 'governor_alerts_open',
      help: 'Alerts open now (not acknowledged, not resolved), by kind; read from the database at scrape time.',
      labelNames: ['kind'],
      registers: [this.registry],
      async collect() {
        this.reset();
        try {
          const counts = await Promise.all(ALERT_KINDS.map((kind) => alerts.countBy({ kind, status: 'open' })));
          ALERT_KINDS.forEach((kind, i) => this.set({ kind }, counts[i]));
        } catch (err) {
          // No sample rather than a wrong zero; the rest of the scrape still answers.
          logger.warn(`governor_alerts_open not collected: ${(err as Error).message}`);
        }
      },
    });
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const labels = { method, route, status: String(status) };
    this.requests.inc(labels);
    this.latency.observe(labels, seconds);
  }

  eventAccepted(type: string): void {
    this.events.inc({ type });
  }

  writeBatch(size: number): void {
    this.writeBatches.observe(size);
  }

  writeBatchRetried(): void {
    this.writeBatchRetries.inc();
  }

  /** Report the event writes waiting for a write slot (read at scrape time from `waiting`). */
  watchWriteQueue(waiting: () => number): void {
    new Gauge({
      name: 'governor_event_writes_waiting',
      help: 'Event writes waiting for a free write slot (DB_WRITE_SLOTS) in this instance; the next free slot takes them as one batch.',
      registers: [this.registry],
      collect() {
        this.set(waiting());
      },
    });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
