import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export interface MetricSources {
  version: string;
  mode: string;
  storageHealthy: () => boolean;
  backlog: () => { count: number; oldestDueSeconds: number };
  socketClients: () => number;
}

/**
 * The Prometheus registry of one relay: process defaults (CPU, memory, event-loop lag, GC) plus
 * ringback_* figures. One registry per relay, so several relays in one test process stay apart.
 */
export class RelayMetrics {
  readonly registry = new Registry();
  readonly webhooks: Counter<'route' | 'result'>;
  readonly webhookSeconds: Histogram<'route'>;
  readonly textBacks: Counter<'decision' | 'reason'>;
  readonly texts: Counter<'status'>;
  readonly figuresSeconds: Histogram<'route'>;

  constructor(src: MetricSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    new Gauge({ name: 'ringback_info', help: 'Relay version and mode (always 1).', labelNames: ['version', 'mode'], registers }).set(
      { version: src.version, mode: src.mode },
      1,
    );
    this.webhooks = new Counter({ name: 'ringback_webhooks_total', help: 'Plivo webhooks by route and result.', labelNames: ['route', 'result'], registers });
    this.webhookSeconds = new Histogram({
      name: 'ringback_webhook_duration_seconds',
      help: 'Time to answer a Plivo webhook, durable write included.',
      labelNames: ['route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.textBacks = new Counter({
      name: 'ringback_textback_decisions_total',
      help: 'Text-back decisions after a missed call: send (reason = template) or skip (reason = why not).',
      labelNames: ['decision', 'reason'],
      registers,
    });
    this.texts = new Counter({ name: 'ringback_texts_total', help: 'Outgoing send attempts by outcome.', labelNames: ['status'], registers });
    this.figuresSeconds = new Histogram({
      name: 'ringback_figures_duration_seconds',
      help: 'Time to answer a figures request (metrics, staffing, experiments, monthly review).',
      labelNames: ['route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    new Gauge({
      name: 'ringback_outbox_backlog',
      help: 'Texts waiting to be sent (including those held by quiet hours).',
      registers,
      collect() {
        this.set(src.backlog().count);
      },
    });
    new Gauge({
      name: 'ringback_outbox_oldest_due_seconds',
      help: 'How long the oldest text that is due has waited to be sent (0 when none).',
      registers,
      collect() {
        this.set(src.backlog().oldestDueSeconds);
      },
    });
    new Gauge({
      name: 'ringback_socket_clients',
      help: 'Staff apps connected over Socket.IO.',
      registers,
      collect() {
        this.set(src.socketClients());
      },
    });
    new Gauge({
      name: 'ringback_storage_healthy',
      help: '1 when the last durable write succeeded, 0 when the data dir cannot be written.',
      registers,
      collect() {
        this.set(src.storageHealthy() ? 1 : 0);
      },
    });
  }
}
