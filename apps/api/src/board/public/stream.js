// Server-Sent Events read with fetch(), so that the API key travels in the Authorization header
// (EventSource cannot send headers, and a key in the URL would end up in logs and history).

/**
 * An incremental text/event-stream parser (the WHATWG rules): feed it decoded text in chunks of any
 * size; it calls onMessage({ type, data, id }) for each complete event.
 */
export function createSseParser(onMessage) {
  let buffer = '';
  let data = [];
  let type = '';
  let lastId = '';

  const dispatch = () => {
    if (data.length > 0) onMessage({ type: type || 'message', data: data.join('\n'), id: lastId });
    data = [];
    type = '';
  };

  const line = (text) => {
    if (text === '') return dispatch();
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') type = value;
    else if (field === 'id' && !value.includes('\0')) lastId = value;
  };

  return {
    push(chunk) {
      buffer += chunk;
      for (;;) {
        const end = buffer.search(/\r\n|\r|\n/);
        if (end === -1) return;
        // A lone \r at the very end may be the first half of \r\n: wait for the next chunk.
        if (buffer[end] === '\r' && end === buffer.length - 1) return;
        const width = buffer.startsWith('\r\n', end) ? 2 : 1;
        const text = buffer.slice(0, end);
        buffer = buffer.slice(end + width);
        line(text);
      }
    },
  };
}

/** Exponential backoff with jitter: about min·2^attempt, never above max. */
export function backoffDelay(attempt, { min = 1000, max = 30000, random = Math.random } = {}) {
  const base = Math.min(max, min * 2 ** Math.max(0, attempt));
  return Math.round(Math.min(max, base * (0.75 + random() * 0.5)));
}

export class UnauthorizedError extends Error {}

/**
 * One live connection to an SSE endpoint that reconnects on its own. It reports its state through
 * onStatus: connecting → live → (dropped) reconnecting → connecting → live …; `reconnected` is true
 * on a live state that follows a drop, so the caller can fetch what it may have missed.
 * The server sends a heartbeat every 15 s: a connection silent for idleMs is treated as dropped.
 */
export class LiveStream {
  constructor({ url, headers, onMessage, onStatus, onUnauthorized, fetch = globalThis.fetch.bind(globalThis), minDelay = 1000, maxDelay = 30000, idleMs = 45000, random = Math.random }) {
    Object.assign(this, { url, headers, onMessage, onStatus, onUnauthorized, fetchImpl: fetch, minDelay, maxDelay, idleMs, random });
    this.running = false;
    this.generation = 0;
    this.attempt = 0;
    this.droppedAt = null;
    this.controller = null;
    this.retryTimer = null;
    this.wakeRetry = null;
  }

  start() {
    if (this.running) return;
    this.running = true;
    this.generation += 1;
    this.attempt = 0;
    this.droppedAt = null;
    void this.loop(this.generation);
  }

  stop() {
    this.running = false;
    this.controller?.abort();
    clearTimeout(this.retryTimer);
    this.wakeRetry?.();
    this.onStatus?.({ state: 'stopped' });
  }

  /** Skip the rest of the current backoff wait (a "Retry now" button, the browser coming back online). */
  retryNow() {
    if (this.wakeRetry) {
      clearTimeout(this.retryTimer);
      this.wakeRetry();
    }
  }

  /** One loop per start(): a loop left over from before a stop() sees its generation is gone and ends. */
  async loop(generation) {
    const current = () => this.running && generation === this.generation;
    while (current()) {
      this.onStatus?.({ state: 'connecting', attempt: this.attempt, droppedAt: this.droppedAt });
      let reason;
      try {
        await this.connectOnce();
        reason = 'the server closed the stream';
      } catch (err) {
        if (err instanceof UnauthorizedError && current()) {
          this.running = false;
          this.onStatus?.({ state: 'stopped' });
          this.onUnauthorized?.();
          return;
        }
        reason = err?.name === 'AbortError' ? 'no data from the server' : (err?.message ?? String(err));
      }
      if (!current()) return;
      this.droppedAt ??= new Date();
      const delay = backoffDelay(this.attempt, { min: this.minDelay, max: this.maxDelay, random: this.random });
      this.attempt += 1;
      this.onStatus?.({ state: 'reconnecting', droppedAt: this.droppedAt, retryAt: new Date(Date.now() + delay), attempt: this.attempt, reason });
      await new Promise((resolve) => {
        this.wakeRetry = resolve;
        this.retryTimer = setTimeout(resolve, delay);
      });
      this.wakeRetry = null;
    }
  }

  async connectOnce() {
    const controller = new AbortController();
    this.controller = controller;
    let idle;
    const touch = () => {
      clearTimeout(idle);
      idle = setTimeout(() => controller.abort(), this.idleMs);
    };
    try {
      touch();
      const response = await this.fetchImpl(this.url, {
        headers: { accept: 'text/event-stream', ...this.headers() },
        cache: 'no-store',
        credentials: 'omit',
        signal: controller.signal,
      });
      if (response.status === 401) throw new UnauthorizedError('the key was refused');
      if (!response.ok || !response.body) throw new Error(`the server answered ${response.status}`);
      const wasDropped = this.droppedAt;
      this.attempt = 0;
      this.droppedAt = null;
      this.onStatus?.({ state: 'live', since: new Date(), reconnected: wasDropped !== null, droppedAt: wasDropped });
      const parser = createSseParser((message) => this.onMessage?.(message));
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        touch();
        const { value, done } = await reader.read();
        if (done) return;
        parser.push(value);
      }
    } finally {
      clearTimeout(idle);
      controller.abort();
    }
  }
}
