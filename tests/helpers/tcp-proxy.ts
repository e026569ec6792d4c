import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { REDIS_URL } from './redis.ts';

/**
 * A TCP relay on loopback in front of a real service (Redis): tests point the server at it, then
 * cut it to make the service unreachable the way a network failure does, and restore it.
 */
export class TcpProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(
    private readonly targetPort: number,
    private readonly targetHost = '127.0.0.1',
  ) {}

  /** A relay to the tests' Redis, started. */
  static redis(): Promise<TcpProxy> {
    const target = new URL(REDIS_URL);
    return new TcpProxy(Number(target.port || 6379), target.hostname).start();
  }

  async start(port = 0): Promise<this> {
    const server = createServer((client) => {
      const upstream = connect(this.targetPort, this.targetHost);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Stops relaying: open connections are dropped and new ones refused, until {@link restore}. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server !== null) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Relays again, on the same port (nothing to do when it is relaying). */
  async restore(): Promise<void> {
    if (this.server === null) await this.start(this.port);
  }
}
