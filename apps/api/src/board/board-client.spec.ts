import fc from 'fast-check';
import { LiveStream, backoffDelay, createSseParser, type SseMessage, type StreamStatus } from './public/stream.js';
import { countdownText, daysToDeadline, formatDate, formatInstant, localDate } from './public/time.js';

/** The board's browser modules that need no DOM: the event-stream reader and the Baghdad calendar. */

function parseAll(chunks: string[]): SseMessage[] {
  const out: SseMessage[] = [];
  const parser = createSseParser((m) => out.push(m));
  for (const c of chunks) parser.push(c);
  return out;
}

const STREAM = [
  ': a comment\n',
  '\n',
  'event: province.changed\nid: 1\ndata: {"a":1}\n\n',
  'event: heartbeat\r\ndata: {"at":"x"}\r\n\r\n',
  'data: line one\rdata: line two\r\r',
  'event: no-data\n\n',
  'data:no space\nretry: 10\nunknown: x\n\n',
].join('');

const EXPECTED: SseMessage[] = [
  { type: 'province.changed', data: '{"a":1}', id: '1' },
  { type: 'heartbeat', data: '{"at":"x"}', id: '1' },
  { type: 'message', data: 'line one\nline two', id: '1' },
  { type: 'message', data: 'no space', id: '1' },
];

describe('createSseParser', () => {
  test('reads events, ids, comments and every line ending', () => {
    expect(parseAll([STREAM])).toEqual(EXPECTED);
  });

  test('gives the same events however the bytes are split into chunks (a \\r\\n split in two included)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: STREAM.length - 1 }), { maxLength: 40 }), (cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), STREAM.length];
        const chunks = points.slice(1).map((end, i) => STREAM.slice(points[i], end));
        expect(parseAll(chunks)).toEqual(EXPECTED);
      }),
    );
  });

  test('holds an unfinished event until its blank line arrives', () => {
    const out: SseMessage[] = [];
    const parser = createSseParser((m) => out.push(m));
    parser.push('event: alert.opened\ndata: {}\n');
    expect(out).toEqual([]);
    parser.push('\n');
    expect(out).toEqual([{ type: 'alert.opened', data: '{}', id: '' }]);
  });
});

describe('backoffDelay', () => {
  test('doubles from the minimum up to the maximum, with ±25% jitter', () => {
    const at = (attempt: number, r: number) => backoffDelay(attempt, { min: 1000, max: 30000, random: () => r });
    expect([0, 1, 2, 3, 4, 5, 6].map((a) => at(a, 0.5))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(at(2, 0)).toBe(3000);
    expect(at(2, 0.999999)).toBe(5000);
    expect(at(10, 0.999999)).toBe(30000);
  });
});

const encoder = new TextEncoder();

/** A Response whose body emits `chunks`, then closes (or stays open), and errors when the request is aborted, as fetch's does. */
function sseResponse(init: RequestInit, chunks: string[], keepOpen = false): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(encoder.encode(c));
      if (!keepOpen) controller.close();
      init.signal?.addEventListener('abort', () => controller.error(new DOMException('aborted', 'AbortError')));
    },
  });
  return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
}

async function until(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe('LiveStream', () => {
  test('sends the key in a header, reports a drop, retries with backoff, and says when it is back', async () => {
    const statuses: StreamStatus[] = [];
    const messages: SseMessage[] = [];
    const calls: RequestInit[] = [];
    const replies = [
      (init: RequestInit) => Promise.resolve(sseResponse(init, ['event: a\ndata: 1\n\n'])),
      () => Promise.reject(new TypeError('network error')),
      (init: RequestInit) => Promise.resolve(sseResponse(init, ['event: b\ndata: 2\n\n'], true)),
    ];
    const stream = new LiveStream({
      url: 'http://board.test/api/v1/stream',
      headers: () => ({ authorization: 'Bearer k' }),
      onMessage: (m) => messages.push(m),
      onStatus: (s) => statuses.push(s),
      fetch: (_url, init) => {
        calls.push(init);
        return replies[calls.length - 1](init);
      },
      minDelay: 1,
      random: () => 0.5,
    });
    stream.start();
    await until(() => messages.length === 2 && statuses.at(-1)?.state === 'live');
    stream.stop();

    expect(calls).toHaveLength(3);
    expect(calls[0].headers).toEqual({ accept: 'text/event-stream', authorization: 'Bearer k' });
    expect(messages.map((m) => [m.type, m.data])).toEqual([['a', '1'], ['b', '2']]);
    expect(statuses.map((s) => s.state)).toEqual(['connecting', 'live', 'reconnecting', 'connecting', 'reconnecting', 'connecting', 'live', 'stopped']);
    const [, firstLive, firstDrop, , secondDrop, , back] = statuses;
    expect(firstLive).toMatchObject({ reconnected: false, droppedAt: null });
    expect(firstDrop).toMatchObject({ attempt: 1, reason: 'the server closed the stream' });
    expect(secondDrop).toMatchObject({ attempt: 2, reason: 'network error' });
    // The drop is dated from the first failure, not the last retry.
    if (firstDrop.state !== 'reconnecting' || secondDrop.state !== 'reconnecting' || back.state !== 'live') throw new Error('unexpected states');
    expect(secondDrop.droppedAt).toBe(firstDrop.droppedAt);
    expect(back).toMatchObject({ reconnected: true, droppedAt: firstDrop.droppedAt });
    expect(calls[2].signal?.aborted).toBe(true);
  });

  test('treats a silent connection (no heartbeat) as dropped', async () => {
    const statuses: StreamStatus[] = [];
    let calls = 0;
    const stream = new LiveStream({
      url: 'http://board.test/api/v1/stream',
      headers: () => ({}),
      onStatus: (s) => statuses.push(s),
      fetch: async (_url, init) => {
        calls += 1;
        return sseResponse(init, [], true);
      },
      minDelay: 1,
      idleMs: 20,
    });
    stream.start();
    await until(() => calls >= 2);
    stream.stop();
    expect(statuses.find((s) => s.state === 'reconnecting')).toMatchObject({ reason: 'no data from the server' });
  });

  test('stops, and does not retry, when the key is refused', async () => {
    const statuses: StreamStatus[] = [];
    let calls = 0;
    let refused = 0;
    const stream = new LiveStream({
      url: 'http://board.test/api/v1/stream',
      headers: () => ({}),
      onStatus: (s) => statuses.push(s),
      onUnauthorized: () => (refused += 1),
      fetch: async () => {
        calls += 1;
        return new Response('{}', { status: 401 });
      },
      minDelay: 1,
    });
    stream.start();
    await until(() => refused === 1);
    await new Promise((r) => setTimeout(r, 30));
    expect(calls).toBe(1);
    expect(statuses.map((s) => s.state)).toEqual(['connecting', 'stopped']);
  });
});

describe('the Baghdad calendar', () => {
  const BAGHDAD = 'Asia/Baghdad';

  test('a day ends at 21:00 UTC in Baghdad (UTC+3 all year)', () => {
    expect(localDate(new Date('2024-02-09T20:59:59.999Z'), BAGHDAD)).toBe('2024-02-09');
    expect(localDate(new Date('2024-02-09T21:00:00.000Z'), BAGHDAD)).toBe('2024-02-10');
    expect(localDate(new Date('2024-07-01T20:59:59.999Z'), BAGHDAD)).toBe('2024-07-01');
  });

  test('days to the deadline count Baghdad calendar days, negative when overdue', () => {
    expect(daysToDeadline('2024-02-09', new Date('2024-02-09T20:59:59.999Z'), BAGHDAD)).toBe(0);
    expect(daysToDeadline('2024-02-09', new Date('2024-02-09T21:00:00.000Z'), BAGHDAD)).toBe(-1);
    expect(daysToDeadline('2024-02-09', new Date('2024-01-18T21:00:00.000Z'), BAGHDAD)).toBe(21);
    expect(daysToDeadline('2024-02-09', new Date('2024-01-18T20:59:59.999Z'), BAGHDAD)).toBe(22);
    // Across a year with a leap day.
    expect(daysToDeadline('2024-02-09', new Date('2025-02-09T12:00:00Z'), BAGHDAD)).toBe(-366);
  });

  test('countdown wording', () => {
    expect([5, 1, 0, -1, -642].map(countdownText)).toEqual(['5 days left', '1 day left', 'Due today', '1 day overdue', '642 days overdue']);
  });

  test('a date-only value keeps its day; instants are shown in the zone asked for', () => {
    expect(formatDate('2024-02-09')).toBe('9 Feb 2024');
    expect(formatInstant('2024-02-09T20:59:59.999Z', BAGHDAD)).toBe('9 Feb 2024, 23:59');
    expect(formatInstant('2024-02-09T21:00:00.000Z', BAGHDAD)).toBe('10 Feb 2024, 00:00');
  });
});
