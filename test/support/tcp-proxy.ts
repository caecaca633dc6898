import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on a loopback port in front of the database, which a test can cut and restore:
 * the application sees exactly what it would see if the database went away and came back.
 */
export class TcpProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  /** `targetPath`: a Unix socket (the embedded database serves on one inside its DATA_DIR). */
  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
    private readonly targetPath: string | null = null,
  ) {}

  static forUrl(url: string): TcpProxy {
    const u = new URL(url);
    const socketDir = u.searchParams.get('host');
    const port = Number(u.port || 5432);
    return socketDir?.startsWith('/') ? new TcpProxy('', port, `${socketDir}/.s.PGSQL.${port}`) : new TcpProxy(u.hostname, port);
  }

  /** The same URL, pointed at the proxy (a loopback port, whatever the target's channel). */
  rewrite(url: string): string {
    const u = new URL(url);
    u.searchParams.delete('host');
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  async start(): Promise<void> {
    this.server = createServer((client) => {
      const upstream = this.targetPath ? connect(this.targetPath) : connect(this.targetPort, this.targetHost);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  /** Drop every connection and refuse new ones. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }

  async restore(): Promise<void> {
    await this.start();
  }

  async stop(): Promise<void> {
    await this.cut();
  }
}
