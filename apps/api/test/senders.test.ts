import { expect, it } from "vitest";
import { createCampaign, createSender, describeEachDatabase } from "./harness";

describeEachDatabase("senders", (h) => {
  it("creates, reads, renames and deletes a sender", async () => {
    const created = await h.api
      .post("/api/v1/senders")
      .send({ name: "Mexico", channel: "whatsapp", address: "+525500000000" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "Mexico", channel: "whatsapp", address: "+525500000000" });
    const id = created.body.id;
    expect((await h.api.get(`/api/v1/senders/${id}`)).body.name).toBe("Mexico");
    const renamed = await h.api.patch(`/api/v1/senders/${id}`).send({ name: "Mexico City" });
    expect(renamed.body.name).toBe("Mexico City");
    expect((await h.api.get("/api/v1/senders")).body).toMatchObject({ total: 1, items: [{ id }] });
    expect((await h.api.delete(`/api/v1/senders/${id}`)).status).toBe(204);
    expect((await h.api.get(`/api/v1/senders/${id}`)).status).toBe(404);
  });

  it("refuses a bad sender field by field and stores nothing", async () => {
    const res = await h.api.post("/api/v1/senders").send({ name: " ", channel: "fax", address: "5500", color: "red" });
    expect(res.status).toBe(400);
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual([
      "body.name",
      "body.channel",
      "body.address",
      "body.color",
    ]);
    expect((await h.api.get("/api/v1/senders")).body.total).toBe(0);
  });

  it("refuses a second sender with the same address on the same channel", async () => {
    await h.api.post("/api/v1/senders").send({ name: "A", channel: "sms", address: "+525500000000" });
    const dup = await h.api.post("/api/v1/senders").send({ name: "B", channel: "sms", address: "+525500000000" });
    expect(dup.status).toBe(409);
    expect(dup.body.errors).toEqual([
      {
        path: "body.address",
        code: "address_taken",
        message: "Another SMS sender already has the address +525500000000.",
      },
    ]);
    const other = await h.api
      .post("/api/v1/senders")
      .send({ name: "C", channel: "whatsapp", address: "+525500000000" });
    expect(other.status).toBe(201);
  });

  it("refuses to delete a sender campaigns use, naming them", async () => {
    const sender = await createSender(h);
    const campaign = await createCampaign(h, { senderId: sender.id, name: "Summer" });
    const res = await h.api.delete(`/api/v1/senders/${sender.id}`);
    expect(res.status).toBe(409);
    expect(res.body.detail).toContain(`"Summer" (${campaign.id})`);
    expect((await h.api.get(`/api/v1/senders/${sender.id}`)).status).toBe(200);
  });

  it("answers 404 for an id that is not a sender id", async () => {
    const res = await h.api.get("/api/v1/senders/not-a-uuid");
    expect(res.status).toBe(404);
    expect(res.body.errors[0].path).toBe("params.senderId");
  });
});
