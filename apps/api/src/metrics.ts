import type pg from "pg";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { VERSION } from "./version";

/**
 * A metric's child for each combination of label values, found once: prom-client hashes the labels object on every
 * call otherwise, and these are updated for every request, message and attempt. The combinations are bounded.
 */
function byLabels<T>(child: (...values: string[]) => T): (...values: string[]) => T {
  const children = new Map<string, T>();
  return (...values) => {
    const key = values.join("\u0000");
    let found = children.get(key);
    if (found === undefined) {
      found = child(...values);
      children.set(key, found);
    }
    return found;
  };
}

/** Prometheus metrics, served at /metrics. Labels never hold URLs' paths or any customer data but the endpoint host. */
export function createMetrics(pool: pg.Pool) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "switchboard_" });
  const inbound = new Counter({
    name: "switchboard_inbound_messages_total",
    help: "End users' messages received, by whether a campaign answered.",
    labelNames: ["outcome"],
    registers: [registry],
  });
  const attempts = new Counter({
    name: "switchboard_webhook_attempts_total",
    help: "Webhook delivery attempts, by outcome (delivered, retrying, failed) and error class.",
    labelNames: ["outcome", "error_class"],
    registers: [registry],
  });
  const latency = new Histogram({
    name: "switchboard_webhook_attempt_duration_seconds",
    help: "Webhook attempt duration, by endpoint host.",
    labelNames: ["host"],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15],
    registers: [registry],
  });
  new Gauge({
    name: "switchboard_build_info",
    help: "Always 1; the labels say which build runs (for joining with other series and spotting mixed versions).",
    labelNames: ["version", "node_version"],
    registers: [registry],
  }).set({ version: VERSION, node_version: process.version }, 1);
  // By route pattern (/api/v1/campaigns/:id), never the path itself: bounded labels, no ids or tokens.
  const httpRequests = new Counter({
    name: "switchboard_http_requests_total",
    help: "HTTP requests answered, by method, route pattern and status code.",
    labelNames: ["method", "route", "status"],
    registers: [registry],
  });
  const httpDuration = new Histogram({
    name: "switchboard_http_request_duration_seconds",
    help: "Time to answer an HTTP request, by method and route pattern.",
    labelNames: ["method", "route"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  // Read from the database at scrape time: the row is the truth, whichever process sends.
  new Gauge({
    name: "switchboard_deliveries",
    help: "Webhook deliveries by status.",
    labelNames: ["status"],
    registers: [registry],
    async collect() {
      const { rows } = await pool.query(
        `SELECT status, count(*)::int AS n FROM delivery WHERE test = false GROUP BY status`,
      );
      this.reset();
      for (const r of rows) this.set({ status: r.status }, r.n);
    },
  });
  new Gauge({
    name: "switchboard_delivery_oldest_pending_seconds",
    help: "Age of the oldest delivery waiting to be sent (0 when none waits).",
    registers: [registry],
    async collect() {
      const { rows } = await pool.query(
        `SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::float AS age FROM delivery WHERE status IN ('pending', 'sending') AND test = false`,
      );
      this.set(rows[0]?.age ?? 0);
    },
  });
  const providerMessages = new Counter({
    name: "switchboard_provider_messages_total",
    help: "Messages through providers' senders, by provider, direction (inbound, outbound) and outcome.",
    labelNames: ["provider", "direction", "outcome"],
    registers: [registry],
  });
  new Gauge({
    name: "switchboard_outbound_messages",
    help: "Outbound messages by provider and state (queued, sending, sent, delivered, read, failed, cancelled).",
    labelNames: ["provider", "state"],
    registers: [registry],
    async collect() {
      const { rows } = await pool.query(
        `SELECT s.provider, CASE d.status::text WHEN 'pending' THEN 'queued' WHEN 'delivered'
                  THEN COALESCE(d.provider_status, 'sent') ELSE d.status::text END AS state, count(*)::int AS n
           FROM delivery d JOIN sender s ON s.id = d.sender_id
          WHERE d.kind = 'message' GROUP BY 1, 2`,
      );
      this.reset();
      for (const r of rows) this.set({ provider: r.provider, state: r.state }, r.n);
    },
  });
  // Set once the process knows its queue (scale-out mode); read at scrape time, like the rows above.
  let queueCounts: (() => Promise<Record<string, number>>) | null = null;
  new Gauge({
    name: "switchboard_queue_jobs",
    help: "Jobs of the delivery queue (scale-out mode), by state: waiting, delayed, active.",
    labelNames: ["state"],
    registers: [registry],
    async collect() {
      this.reset();
      if (!queueCounts) return;
      for (const [state, n] of Object.entries(await queueCounts())) this.set({ state }, n);
    },
  });
  const inboundTurn = new Histogram({
    name: "switchboard_inbound_turn_seconds",
    help: "Time from an end user's message arriving to its turn committed (replies and deliveries stored).",
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const inboundBy = byLabels((outcome) => inbound.labels(outcome));
  const attemptsBy = byLabels((outcome, errorClass) => attempts.labels(outcome, errorClass));
  const latencyBy = byLabels((host) => latency.labels(host));
  const httpRequestsBy = byLabels((method, route, status) => httpRequests.labels(method, route, status));
  const httpDurationBy = byLabels((method, route) => httpDuration.labels(method, route));
  return {
    registry,
    /** Reports the queue's depth on every scrape from now on. */
    watchQueue(counts: () => Promise<Record<string, number>>) {
      queueCounts = counts;
    },
    inboundTurn(seconds: number) {
      inboundTurn.observe(seconds);
    },
    providerMessage(provider: string, direction: "inbound" | "outbound", outcome: string) {
      providerMessages.inc({ provider, direction, outcome });
    },
    inboundMessage(answered: boolean) {
      inboundBy(answered ? "answered" : "unanswered").inc();
    },
    httpRequest(method: string, route: string, status: number, seconds: number) {
      httpRequestsBy(method, route, String(status)).inc();
      httpDurationBy(method, route).observe(seconds);
    },
    attempt(outcome: "delivered" | "retrying" | "failed", errorClass: string | null, host: string, seconds: number) {
      attemptsBy(outcome, errorClass ?? "none").inc();
      latencyBy(host).observe(seconds);
    },
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
