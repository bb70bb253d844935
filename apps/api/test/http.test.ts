import { expect, it } from "vitest";
import { createSender, describeEachDatabase } from "./harness";

describeEachDatabase("the HTTP surface", (h) => {
  it("reports health with the database", async () => {
    const res = await h.api.get("/api/health");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "ok", database: { ok: true, latencyMs: expect.any(Number) } });
    expect(["embedded", "postgres"]).toContain(res.body.database.mode);
  });

  it("tells the editor whether http:// webhook URLs are accepted", async () => {
    const res = await h.api.get("/api/v1/settings");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ webhooks: { allowHttp: false } });
  });

  it("publishes an OpenAPI 3.1 document generated from the contracts", async () => {
    const res = await h.api.get("/api/openapi.json");
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toBe("3.1.0");
    const create = doc.paths["/api/v1/campaigns/{campaignId}/nodes/{nodeId}/entries"].post;
    expect(create.requestBody.content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/MenuEntryInput",
    });
    expect(create.responses["201"].content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/MenuEntry",
    });
    expect(create.responses["400"].content["application/problem+json"].schema).toEqual({
      $ref: "#/components/schemas/Problem",
    });
    expect(doc.components.schemas.MenuEntry.properties.redirectType.anyOf[0].enum).toEqual([
      "interaction",
      "campaign",
      "webhook",
      "attribute",
      "live_chat",
      "integration",
    ]);
    // Every $ref points at a schema that is there.
    const refs = JSON.stringify(doc).match(/"#\/components\/schemas\/[^"]+"/g) ?? [];
    for (const ref of new Set(refs)) expect(doc.components.schemas).toHaveProperty(ref.slice(22, -1));
    const ids = Object.values(doc.paths).flatMap((ops) =>
      Object.values(ops as Record<string, { operationId: string }>).map((o) => o.operationId),
    );
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("answers unknown API routes with a problem", async () => {
    const res = await h.api.get("/api/v1/nothing");
    expect(res.status).toBe(404);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({
      type: "/api/problems#not_found",
      status: 404,
      detail: "No route matches GET /api/v1/nothing.",
    });
  });

  it("answers malformed JSON, non-JSON bodies and huge bodies with problems", async () => {
    const malformed = await h.api.post("/api/v1/senders").set("content-type", "application/json").send('{"name": ');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({
      type: "/api/problems#malformed_json",
      detail: "The request body is not valid JSON.",
    });
    const text = await h.api.post("/api/v1/senders").set("content-type", "text/plain").send("name=x");
    expect(text.status).toBe(415);
    const huge = await h.api
      .post("/api/v1/senders")
      .set("content-type", "application/json")
      .send(JSON.stringify({ name: "x".repeat(1_100_000) }));
    expect(huge.status).toBe(413);
    expect(JSON.stringify(huge.body)).not.toContain("stack");
  });
});

describeEachDatabase("metrics", (h) => {
  it("serves Prometheus metrics read from the database", async () => {
    await h.db.pool.query(
      `INSERT INTO delivery (id, campaign_id, entry_id, node_id, mode, url, headers, payload, status, created_at)
       VALUES (gen_random_uuid(), 1, 'e', 'n', 'option', 'https://x.example', '[]', '{}', 'pending', now() - interval '90 seconds')`,
    );
    const res = await h.api.get("/metrics");
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/text\/plain/);
    expect(res.text).toMatch(/switchboard_deliveries\{status="pending"\} 1/);
    expect(Number(/^switchboard_delivery_oldest_pending_seconds (\S+)$/m.exec(res.text)?.[1])).toBeGreaterThanOrEqual(
      89,
    );
    expect(res.text).toContain("switchboard_webhook_attempts_total");
    expect(res.text).toContain("switchboard_process_resident_memory_bytes");
    expect(res.text).toMatch(/^switchboard_build_info\{version="\d+\.\d+\.\d+",node_version="v[\d.]+"\} 1$/m);
  });

  it("counts and times HTTP requests by route pattern, never by the ids in the path", async () => {
    const missing = await h.api.get("/api/v1/campaigns/987654");
    expect(missing.status).toBe(404);
    const res = await h.api.get("/metrics");
    expect(res.text).toMatch(
      /^switchboard_http_requests_total\{method="GET",route="\/api\/v1\/campaigns\/:campaignId",status="404"\} 1$/m,
    );
    expect(res.text).toMatch(
      /^switchboard_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/campaigns\/:campaignId"\} 1$/m,
    );
    expect(res.text).not.toContain("987654");
  });

  it("times each inbound turn from the message's arrival to its commit", async () => {
    const sender = await createSender(h);
    const count = async () =>
      Number(/^switchboard_inbound_turn_seconds_count (\d+)$/m.exec((await h.api.get("/metrics")).text)?.[1]);
    const before = await count();
    for (const text of ["hello", "again"])
      await h.api
        .post("/api/v1/messages/inbound")
        .send({ channel: "sms", from: "+525500001111", to: sender.address, text })
        .expect(200);
    expect(await count()).toBe(before + 2);
    const res = await h.api.get("/metrics");
    // Every turn falls in the last bucket; a turn on a test database takes well under five seconds.
    expect(res.text).toMatch(new RegExp(`^switchboard_inbound_turn_seconds_bucket\\{le="5"\\} ${before + 2}$`, "m"));
    // Refused messages (an unknown sender) are not turns.
    await h.api
      .post("/api/v1/messages/inbound")
      .send({ channel: "sms", from: "+525500001111", to: "+10000000000", text: "x" });
    expect(await count()).toBe(before + 2);
  });
});
