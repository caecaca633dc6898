import { Logger, type ArgumentsHost } from '@nestjs/common';
import { AppError } from './app-error.js';
import { ProblemDetailsFilter } from './problem-details.filter.js';

/** A Fastify-shaped reply that records what the filter sends. */
function host(requestId: string) {
  const sent: { status?: number; body?: string; headers: Record<string, string> } = { headers: {} };
  const reply = {
    status(code: number) {
      sent.status = code;
      return reply;
    },
    headers(h: Record<string, string>) {
      Object.assign(sent.headers, h);
      return reply;
    },
    header(k: string, v: string) {
      sent.headers[k] = v;
      return reply;
    },
    send(body: string) {
      sent.body = body;
      return reply;
    },
  };
  const request = { id: requestId, url: '/api/v1/provinces/basra/events?x=1' };
  const argumentsHost = { switchToHttp: () => ({ getResponse: () => reply, getRequest: () => request }) } as unknown as ArgumentsHost;
  return { argumentsHost, sent };
}

/** Record what `new Logger(...).error/warn` receive (the filter's own logger), instead of writing it. */
function recordLogs() {
  const calls: { level: 'error' | 'warn'; args: unknown[] }[] = [];
  const original = { error: Logger.prototype.error, warn: Logger.prototype.warn };
  Logger.prototype.error = (...args: unknown[]) => void calls.push({ level: 'error', args });
  Logger.prototype.warn = (...args: unknown[]) => void calls.push({ level: 'warn', args });
  return { calls, restore: () => Object.assign(Logger.prototype, original) };
}

describe('ProblemDetailsFilter', () => {
  let logs: ReturnType<typeof recordLogs>;
  beforeEach(() => (logs = recordLogs()));
  afterEach(() => logs.restore());

  test('an unexpected error: a 500 problem without its message, and one error log line carrying the request id', () => {
    const { argumentsHost, sent } = host('req-42');
    new ProblemDetailsFilter().catch(new Error('relation "province_event" violates something secret'), argumentsHost);
    expect(sent.status).toBe(500);
    expect(sent.body).not.toMatch(/secret|province_event/);
    expect(JSON.parse(sent.body!).instance).toBe('/api/v1/provinces/basra/events');
    expect(logs.calls).toHaveLength(1);
    expect(logs.calls[0].level).toBe('error');
    expect(logs.calls[0].args[0]).toEqual(expect.objectContaining({ requestId: 'req-42', err: expect.any(Error) }));
  });

  test('a refusal is answered, not logged', () => {
    const { argumentsHost, sent } = host('req-43');
    new ProblemDetailsFilter().catch(AppError.notFound('No province "x".'), argumentsHost);
    expect(sent.status).toBe(404);
    expect(logs.calls).toEqual([]);
  });
});
