import { pino } from "pino";
import { expect, it } from "vitest";
import { createApp } from "../src/app";
import { ReportFold } from "../src/reports/report-fold-store";
import { createCampaign, createSender, describeEachDatabase, signedInAgent } from "./harness";

// Turns append report events as they commit; folds move them into the rollups exactly once (decision 0040).
describeEachDatabase("report events, folded into the rollups", (h) => {
  it("counts every turn once when several folds run at the same time, and leaves no event behind", async () => {
    const sender = await createSender(h, { address: "+525522223333" });
    const campaign = await createCampaign(h, { senderId: sender.id, status: "active", triggerKeywords: ["FOLD"] });
    const base = `/api/v1/campaigns/${campaign.id}`;
    const nodes = (await h.api.get(`${base}/flow`)).body.nodes as { id: string }[];
    for (const node of nodes) await h.api.patch(`${base}/nodes/${node.id}`).send({ message: "Hello" }).expect(200);
    const published = await h.api.post(`${base}/publish`);
    expect(published.status, JSON.stringify(published.body)).toBe(201);
    const say = (i: number) =>
      h.api
        .post("/api/v1/messages/inbound")
        .send({ channel: "sms", from: `+52552000${String(i).padStart(4, "0")}`, to: sender.address, text: "FOLD" })
        .expect(200);
    // Turns and folds interleaved: a fold may take the events of some turns while others are still committing.
    const folds = [new ReportFold(h.db.pool), new ReportFold(h.db.pool), new ReportFold(h.db.pool)];
    const turns: Promise<unknown>[] = [];
    for (let i = 0; i < 60; i++) {
      turns.push(say(i));
      if (i % 10 === 0) turns.push(folds[i % 3]?.run() as Promise<number>);
    }
    await Promise.all(turns);
    await Promise.all(folds.map((f) => f.run()));
    const { rows } = await h.db.pool.query(
      "SELECT sum(started)::int AS started, sum(messages_in)::int AS messages_in FROM report_hour WHERE campaign_id = $1",
      [campaign.id],
    );
    expect(rows[0]).toEqual({ started: 60, messages_in: 60 });
    const participants = await h.db.pool.query(
      "SELECT count(*)::int AS n FROM report_participant WHERE campaign_id = $1",
      [campaign.id],
    );
    expect(participants.rows[0].n).toBe(60);
    const left = await h.db.pool.query("SELECT count(*)::int AS n FROM report_event");
    expect(left.rows[0].n).toBe(0);
  });

  it("folds on when a chatbot is deleted before its turns were folded: its facts go, the others' are counted", async () => {
    const sender = await createSender(h, { address: "+525522225555" });
    const played = async (keyword: string) => {
      const campaign = await createCampaign(h, { senderId: sender.id, status: "active", triggerKeywords: [keyword] });
      const base = `/api/v1/campaigns/${campaign.id}`;
      const nodes = (await h.api.get(`${base}/flow`)).body.nodes as { id: string }[];
      for (const node of nodes) await h.api.patch(`${base}/nodes/${node.id}`).send({ message: "Hi" }).expect(200);
      await h.api.post(`${base}/publish`).expect(201);
      await h.api
        .post("/api/v1/messages/inbound")
        .send({ channel: "sms", from: "+525520007777", to: sender.address, text: keyword })
        .expect(200);
      return campaign;
    };
    await new ReportFold(h.db.pool).run();
    const gone = await played("GONE");
    const kept = await played("KEPT");
    // Deleted while its turn's event waits: the rollups' foreign key would refuse that event's rows.
    await h.api.delete(`/api/v1/campaigns/${gone.id}`).expect(204);
    await expect(new ReportFold(h.db.pool).run()).resolves.toBe(2);
    const report = await h.api.get(`/api/v1/campaigns/${kept.id}/report`).expect(200);
    expect(report.body.totals.started).toBe(1);
    const left = await h.db.pool.query("SELECT count(*)::int AS n FROM report_event");
    expect(left.rows[0].n).toBe(0);
    const rows = await h.db.pool.query("SELECT count(*)::int AS n FROM report_hour WHERE campaign_id = $1", [gone.id]);
    expect(rows.rows[0].n).toBe(0);
  });

  it("adds attempts' sums, and attempts as events written before summing carry them, each once", async () => {
    const sender = await createSender(h, { address: "+525522226666" });
    const campaign = await createCampaign(h, { senderId: sender.id, status: "active", triggerKeywords: ["SUMS"] });
    const gone = await createCampaign(h, { senderId: sender.id, status: "draft", triggerKeywords: ["GONE2"] });
    await new ReportFold(h.db.pool).run();
    const hour = Date.parse("2026-11-20T10:00:00Z");
    // Two events with one key (the fold sums them before its upsert), another bucket, and a deleted chatbot's sums.
    const sums = (rows: unknown[][]) => JSON.stringify({ s: rows });
    await h.db.pool.query("INSERT INTO report_event (body) VALUES ($1), ($2), ($3)", [
      sums([[campaign.id, hour, "entry-a", 2, 3, 2, 1]]),
      sums([
        [campaign.id, hour, "entry-a", 2, 1, 1, 0],
        [campaign.id, hour, "entry-a", 5, 1, 0, 0],
        [gone.id, hour, "entry-a", 2, 7, 7, 0],
      ]),
      // Written by the release before: the chatbot and entry are found through the delivery.
      JSON.stringify({ a: [["9b2f4c1e-0000-4000-8000-000000000001", 150, "delivered", "2026-11-20T10:59:59.000Z"]] }),
    ]);
    await h.db.pool.query(
      `INSERT INTO delivery (id, campaign_id, entry_id, node_id, mode, url, headers, payload, created_at, status)
       VALUES ('9b2f4c1e-0000-4000-8000-000000000001', $1, 'entry-b', 'node', 'toggle', 'https://crm.example/h', '[]',
               '{}', now(), 'delivered')`,
      [campaign.id],
    );
    await h.api.delete(`/api/v1/campaigns/${gone.id}`).expect(204);
    await expect(new ReportFold(h.db.pool).run()).resolves.toBe(3);
    const { rows } = await h.db.pool.query(
      `SELECT entry_id, bucket, attempts, delivered, failed, hour = $2::timestamptz AS in_hour FROM report_attempt_hour
        WHERE campaign_id = $1 ORDER BY entry_id, bucket`,
      [campaign.id, new Date(hour)],
    );
    expect(rows).toEqual([
      { entry_id: "entry-a", bucket: 2, attempts: 4, delivered: 3, failed: 1, in_hour: true },
      { entry_id: "entry-a", bucket: 5, attempts: 1, delivered: 0, failed: 0, in_hour: true },
      { entry_id: "entry-b", bucket: expect.any(Number), attempts: 1, delivered: 1, failed: 0, in_hour: true },
    ]);
    const left = await h.db.pool.query("SELECT count(*)::int AS n FROM report_event");
    expect(left.rows[0].n).toBe(0);
  });

  it("appends nothing for the reports when REPORT_EVENTS is off (how bench:dispatch measures their cost)", async () => {
    const quiet = createApp({
      config: {
        env: "test",
        webhookPolicy: { allowHttp: false },
        webhookAllowedCidrs: [],
        webDist: null,
        reportEvents: false,
      },
      db: h.db,
      logger: pino({ level: "silent" }),
      secretBox: h.secretBox,
    });
    const sender = await createSender(h, { address: "+525522224444" });
    const campaign = await createCampaign(h, { senderId: sender.id, status: "active", triggerKeywords: ["QUIET"] });
    const base = `/api/v1/campaigns/${campaign.id}`;
    const nodes = (await h.api.get(`${base}/flow`)).body.nodes as { id: string }[];
    for (const node of nodes) await h.api.patch(`${base}/nodes/${node.id}`).send({ message: "Hello" }).expect(200);
    await h.api.post(`${base}/publish`).expect(201);
    await h.db.pool.query("DELETE FROM report_event");
    const admin = await signedInAgent(quiet, h.db, "admin");
    const res = await admin
      .post("/api/v1/messages/inbound")
      .send({ channel: "sms", from: "+525520009999", to: sender.address, text: "QUIET" })
      .expect(200);
    expect(res.body.replies[0].text).toMatch(/^Hello/);
    const events = await h.db.pool.query("SELECT count(*)::int AS n FROM report_event");
    expect(events.rows[0].n).toBe(0);
    // The same turn on the usual app appends its event.
    await h.api
      .post("/api/v1/messages/inbound")
      .send({ channel: "sms", from: "+525520009998", to: sender.address, text: "QUIET" })
      .expect(200);
    const counted = await h.db.pool.query("SELECT count(*)::int AS n FROM report_event");
    expect(counted.rows[0].n).toBe(1);
  });
});
