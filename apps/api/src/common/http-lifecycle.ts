import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './app-error.js';
import { sendProblem } from './problem-details.filter.js';
import { toProblem } from './problem-details.js';

interface Open {
  request: FastifyRequest;
  response: ServerResponse;
}

/**
 * Tracks the requests being served so that a shutdown can be graceful: once `beginShutdown()` runs,
 * every new request is answered 503 (`shutting-down`, `Connection: close`) while those already in
 * flight finish normally; event streams, which never finish by themselves, are ended cleanly (the
 * client's EventSource reconnects, to another instance behind a load balancer).
 */
export class HttpLifecycle {
  private readonly open = new Set<Open>();
  private closing = false;

  get inFlight(): number {
    return this.open.size;
  }

  get shuttingDown(): boolean {
    return this.closing;
  }

  /** Must be the first onRequest hook that can answer, so that nothing else runs for a refused request. */
  register(fastify: FastifyInstance): void {
    fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) => {
      if (this.closing) {
        void reply.header('connection', 'close');
        sendProblem(reply, toProblem(new AppError('shutting-down', 'This instance is shutting down; retry.', { retryAfter: 1 }), request.url.split('?')[0]), {
          'retry-after': '1',
        });
        return;
      }
      const entry: Open = { request, response: reply.raw };
      this.open.add(entry);
      reply.raw.once('close', () => this.open.delete(entry));
      done();
    });
  }

  /**
   * New requests are refused from now on; open event streams are ended; the responses still to come
   * close their connection, so that no idle keep-alive connection holds the server open once the
   * last of them is sent. Returns how many streams were ended.
   */
  beginShutdown(): number {
    this.closing = true;
    let ended = 0;
    for (const { request, response } of this.open) {
      if (response.writableEnded) continue;
      if (isEventStream(request, response)) {
        // The final chunk, then the connection: the client sees the stream end rather than a reset.
        response.end(() => response.socket?.end());
        ended++;
      } else if (!response.headersSent) {
        response.setHeader('connection', 'close');
      }
    }
    return ended;
  }
}

function isEventStream(request: FastifyRequest, response: ServerResponse): boolean {
  const type = response.headersSent ? String(response.getHeader('content-type') ?? '') : '';
  return type.startsWith('text/event-stream') || (response.headersSent && String(request.headers.accept ?? '').includes('text/event-stream'));
}
