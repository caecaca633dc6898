import type { FastifyInstance } from 'fastify';
import type { MetricsService } from './metrics.service.js';

/** The route that appends province events: a 201 there (not a replay) is one event accepted. */
const EVENT_ROUTE = { method: 'POST', url: '/api/v1/provinces/:slug/events' };
/** The two-person rule's approval: a 201 there is one event accepted, whose type the handler leaves on the request. */
const APPROVAL_ROUTE = { method: 'POST', url: '/api/v1/proposals/:id/approve' };

export interface AcceptedEventRequest {
  acceptedEventType?: string;
}

/**
 * Observes every answered request (route pattern, never the raw URL, so the label set stays small)
 * and counts accepted events by type. Counting at the HTTP edge keeps the province service free of
 * metrics; the 201 is sent only after the event's transaction committed, and an Idempotency-Key
 * replay (which stores nothing) is not counted.
 */
export function registerHttpMetrics(fastify: FastifyInstance, metrics: MetricsService): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    if (
      reply.statusCode === 201 &&
      request.method === EVENT_ROUTE.method &&
      route === EVENT_ROUTE.url &&
      reply.getHeader('idempotent-replayed') === undefined
    ) {
      const type = (request.body as { type?: unknown } | undefined)?.type;
      if (typeof type === 'string') metrics.eventAccepted(type);
    }
    if (reply.statusCode === 201 && request.method === APPROVAL_ROUTE.method && route === APPROVAL_ROUTE.url) {
      const type = (request as AcceptedEventRequest).acceptedEventType;
      if (type) metrics.eventAccepted(type);
    }
    done();
  });
}
