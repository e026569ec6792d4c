import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';

export type BusListener = (payload: unknown) => void;

/**
 * Live events between the parts of the server, and between server processes: a transcript entry
 * appended, a handoff queue changed. In memory for one process; Redis pub/sub when several
 * processes share a Redis, so an agent connected to one sees what a citizen on another writes.
 */
export interface EventBus {
  publish(topic: string, payload: unknown): Promise<void>;
  /** Every payload published on `topic` (by any process), own ones included; returns the unsubscribe function. */
  subscribe(topic: string, listener: BusListener): () => void;
  close(): Promise<void>;
}

export class MemoryEventBus implements EventBus {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Channels and consoles subscribe once each; more would be a leak worth hearing about.
    this.emitter.setMaxListeners(100);
  }

  async publish(topic: string, payload: unknown): Promise<void> {
    this.emitter.emit(topic, payload);
  }

  subscribe(topic: string, listener: BusListener): () => void {
    this.emitter.on(topic, listener);
    return () => this.emitter.off(topic, listener);
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}

/** Redis pub/sub: one subscriber connection per process, JSON payloads, a channel per topic under the key prefix. */
export class RedisEventBus implements EventBus {
  private readonly local = new MemoryEventBus();
  private readonly subscribed = new Set<string>();

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly prefix: string,
  ) {
    subscriber.on('message', (channel: string, message: string) => {
      if (!channel.startsWith(this.channelPrefix)) return;
      let payload: unknown;
      try {
        payload = JSON.parse(message);
      } catch {
        return;
      }
      void this.local.publish(channel.slice(this.channelPrefix.length), payload);
    });
  }

  private get channelPrefix(): string {
    return `${this.prefix}bus:`;
  }

  async publish(topic: string, payload: unknown): Promise<void> {
    await this.publisher.publish(`${this.channelPrefix}${topic}`, JSON.stringify(payload));
  }

  subscribe(topic: string, listener: BusListener): () => void {
    if (!this.subscribed.has(topic)) {
      this.subscribed.add(topic);
      void this.subscriber.subscribe(`${this.channelPrefix}${topic}`);
    }
    return this.local.subscribe(topic, listener);
  }

  async close(): Promise<void> {
    await this.local.close();
    await this.subscriber.quit().catch(() => this.subscriber.disconnect());
  }
}
