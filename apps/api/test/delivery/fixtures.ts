import { pino } from "pino";
import { vi } from "vitest";
import { AddressPolicy } from "../../src/dispatch/address-policy";
import type { CommittedDelivery } from "../../src/dispatch/delivery-rows";
import { Dispatcher } from "../../src/dispatch/dispatcher";
import type { DeliveryHandoff } from "../../src/dispatch/handoff";
import { sendTimeSecrets } from "../../src/dispatch/send-time-secrets";
import { createSender, type Harness } from "../harness";

/** A published chatbot whose option 1 has the webhook toggle on, pointing at `url`. Returns a function that chooses it. */
export function chatbotPointingAt(h: Harness, url: string, trigger = "GO") {
  return chatbotChoosing(h, trigger, (next) => ({
    keyword: "1",
    menuText: "One month",
    redirectType: "interaction",
    redirectTo: next,
    webhookEnabled: true,
    webhook: { url, headers: [{ name: "Authorization", value: "Bearer sk_live_0123456789", secret: true }] },
  }));
}

/**
 * A published chatbot started by `trigger` whose Welcome Message offers option 1, the entry `entry` makes (given the
 * id of the chatbot's second interaction). Returns a function that chooses it, each time as a new end user.
 */
export async function chatbotChoosing(h: Harness, trigger: string, entry: (next: string) => Record<string, unknown>) {
  const sender = await createSender(h);
  const campaign = (
    await h.api.post("/api/v1/campaigns").send({
      name: `Bot ${trigger}`,
      type: "chatbot",
      channel: "sms",
      senderId: sender.id,
      status: "active",
      triggerKeywords: [trigger],
    })
  ).body;
  const base = `/api/v1/campaigns/${campaign.id}`;
  const [welcome, next, ...rest] = (await h.api.get(`${base}/flow`)).body.nodes;
  for (const n of rest) await h.api.delete(`${base}/nodes/${n.id}`).expect(204);
  await h.api.patch(`${base}/nodes/${welcome.id}`).send({ message: "Choose" }).expect(200);
  await h.api.patch(`${base}/nodes/${next.id}`).send({ message: "Thanks" }).expect(200);
  await h.api.post(`${base}/nodes/${welcome.id}/entries`).send(entry(next.id)).expect(201);
  await h.api.post(`${base}/publish`).expect(201);
  let n = 0;
  /** `requestId`: the X-Request-Id the inbound messages carry. */
  return async (requestId?: string) => {
    const phone = `+52550000${String(1000 + n++)}`;
    for (const text of [trigger, "1"]) {
      await h.api
        .post("/api/v1/messages/inbound")
        .set(requestId ? { "X-Request-Id": requestId } : {})
        .send({ channel: "sms", from: phone, to: sender.address, text })
        .expect(200);
    }
  };
}

/** `handoff`, telling `told` first of each turn's committed deliveries. */
export function telling(handoff: DeliveryHandoff, told: (deliveries: readonly CommittedDelivery[]) => void) {
  return {
    ...handoff,
    committed: (deliveries: readonly CommittedDelivery[]) => {
      told(deliveries);
      handoff.committed(deliveries);
    },
  } satisfies DeliveryHandoff;
}

export function dispatcherFor(
  h: Harness,
  clock: { now: Date },
  extra: Partial<ConstructorParameters<typeof Dispatcher>[0]> = {},
) {
  return new Dispatcher({
    pool: h.db.pool,
    policy: new AddressPolicy(["127.0.0.1/32"]),
    logger: pino({ level: "silent" }),
    limits: { connectTimeoutMs: 1_000, deadlineMs: 1_000, maxResponseBytes: 20 * 1024 },
    now: () => clock.now,
    random: () => 0.5,
    secrets: sendTimeSecrets(h.db.pool, h.secretBox),
    ...extra,
  });
}

/** The SQL the pool was sent while `work` ran. */
export async function statementsDuring(h: Harness, work: () => Promise<unknown>): Promise<string[]> {
  const query = vi.spyOn(h.db.pool, "query");
  try {
    await work();
    return query.mock.calls.map(([q]) => (typeof q === "string" ? q : (q as { text: string }).text));
  } finally {
    query.mockRestore();
  }
}

/** The statements among `sql` that claim deliveries. */
export const claims = (sql: string[]) => sql.filter((q) => q.includes("SET status = 'sending'"));

export async function run(d: Dispatcher) {
  await d.tick();
  await d.idle();
}

/** Waits, polling every 25 ms, until `check` holds; fails naming `what` after `timeoutMs`. */
export async function until(check: () => Promise<boolean> | boolean, timeoutMs = 20_000, what = "the condition") {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
