import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What the gauges read when Prometheus scrapes: the handoff queue and the records' outbox. */
export interface MetricsSources {
  queueLength: () => Promise<number>;
  oldestWaitSeconds: () => Promise<number>;
  outboxBacklog: () => Promise<number>;
  recordsWritten: () => number;
}

/**
 * Operators' metrics in the Prometheus format (prom-client). Counters follow the structured log: every
 * event line the service writes passes through `observeLog` (a pino hook), so a turn, a refused
 * webhook or a failed send is counted where it is logged, with no second call beside each log line.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly turns = new Counter({
    name: 'assistant_turns_total',
    help: 'Bot turns, by intent group and outcome',
    labelNames: ['outcome', 'with_people'] as const,
    registers: [this.registry],
  });
  private readonly turnSeconds = new Histogram({
    name: 'assistant_turn_duration_seconds',
    help: 'Time to answer one citizen message (NLU, dialogue, state)',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });
  private readonly nlu = new Counter({
    name: 'assistant_nlu_outcomes_total',
    help: 'Understanding outcomes of bot turns (answered, clarifying, failed)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  private readonly verifications = new Counter({
    name: 'webhook_verifications_failed_total',
    help: 'Webhook deliveries refused because their signature did not match',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });
  private readonly sendsFailed = new Counter({
    name: 'channel_sends_failed_total',
    help: 'Messages a channel API refused or could not take',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });
  private readonly handoffs = new Counter({
    name: 'handoffs_queued_total',
    help: 'Conversations put in the queue for a person',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** The gauges, read at each scrape. */
  watch(sources: MetricsSources): void {
    const gauge = (name: string, help: string, read: () => number | Promise<number>) =>
      new Gauge({
        name,
        help,
        registers: [this.registry],
        async collect() {
          this.set(await read());
        },
      });
    gauge('handoff_queue_length', 'Conversations waiting for or with a person', sources.queueLength);
    gauge(
      'handoff_oldest_wait_seconds',
      'How long the citizen who has waited longest for a person has waited',
      sources.oldestWaitSeconds,
    );
    gauge('records_outbox_lag', 'Record events waiting to be written to the database', sources.outboxBacklog);
    gauge(
      'records_written',
      'Record events this process wrote to the database since it started',
      sources.recordsWritten,
    );
  }

  /** One log line: counts what it tells of (see the class comment). */
  observeLog(fields: Record<string, unknown>, event: string): void {
    switch (event) {
      case 'turn.completed': {
        this.turns.inc({ outcome: String(fields.outcome), with_people: String(fields.withPeople === true) });
        this.nlu.inc({ result: String(fields.outcome) });
        if (typeof fields.durationMs === 'number') this.turnSeconds.observe(fields.durationMs / 1000);
        return;
      }
      case 'facebook.signature.refused':
      case 'zalo.signature.refused':
        this.verifications.inc({ channel: event.split('.')[0]! });
        return;
      case 'facebook.send.failed':
      case 'zalo.send.failed':
        this.sendsFailed.inc({ channel: event.split('.')[0]! });
        return;
      case 'handoff.queued':
        this.handoffs.inc();
        return;
    }
  }

  /**
   * Serves /metrics on a port of its own, bound to `host` (loopback by default): the numbers describe
   * the service's load and are for the operators' Prometheus, never the public site.
   */
  async listen(port: number, host: string): Promise<Server> {
    const server = createServer((req, res) => {
      if (req.method !== 'GET' || req.url !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      this.registry.metrics().then(
        (text) => res.writeHead(200, { 'Content-Type': this.registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
    });
    server.listen(port, host);
    await once(server, 'listening');
    return server;
  }
}
