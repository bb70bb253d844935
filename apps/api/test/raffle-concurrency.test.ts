import type { AddressInfo } from "node:net";
import { expect, it } from "vitest";
import { createSender, describeEachDatabase } from "./harness";

const senderAddress = "+525522222222";

describeEachDatabase("raffle prizes under concurrent entries", (h) => {
  it("gives exactly 10 winners to 1,000 concurrent entries against 10 prizes when every entry would win", async () => {
    const sender = await createSender(h, { address: senderAddress });
    const raffle = await h.api.post("/api/v1/campaigns").send({
      type: "raffle_giveaway",
      name: "Launch raffle",
      channel: "sms",
      senderId: sender.id,
      status: "active",
      triggerKeywords: ["WIN"],
    });
    expect(raffle.status).toBe(201);
    const saved = await h.api.put(`/api/v1/campaigns/${raffle.body.id}/handoff`).send({
      type: "raffle_giveaway",
      prizes: [
        { name: "Cap", quantity: 4 },
        { name: "Mug", quantity: 6 },
      ],
      draw: { mode: "instant", winProbability: 1 },
      messages: { win: "WON {{prize}}", lose: "LOST", alreadyEntered: "AGAIN", over: "OVER" },
    });
    expect(saved.status).toBe(200);
    const token = (await h.api.post("/api/v1/tokens").send({ name: "SMS provider", scopes: ["inbound"] })).body
      .secret as string;

    // A real listening server, so the 1,000 requests arrive together rather than one test client at a time.
    const server = h.app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const replies = await Promise.all(
        Array.from({ length: 1000 }, async (_, i) => {
          const res = await fetch(`http://127.0.0.1:${port}/api/v1/messages/inbound`, {
            method: "POST",
            headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
            body: JSON.stringify({
              channel: "sms",
              from: `+5255${String(10_000_000 + i)}`,
              to: senderAddress,
              text: "WIN",
            }),
          });
          expect(res.status).toBe(200);
          const body = (await res.json()) as { replies: { text: string }[] };
          return body.replies[0]?.text ?? "";
        }),
      );
      const won = replies.filter((r) => r.startsWith("WON "));
      expect(won).toHaveLength(10);
      expect(won.filter((r) => r === "WON Cap")).toHaveLength(4);
      expect(won.filter((r) => r === "WON Mug")).toHaveLength(6);
      expect(replies.filter((r) => r === "OVER")).toHaveLength(990);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const prizes = await h.db.prisma.rafflePrize.findMany({ orderBy: { position: "asc" } });
    expect(prizes.map((p) => [p.name, p.awarded])).toEqual([
      ["Cap", 4],
      ["Mug", 6],
    ]);
    expect(await h.db.prisma.raffleEntry.count({ where: { won: true } })).toBe(10);
    const numbers = (await h.db.prisma.raffleEntry.findMany({ orderBy: { number: "asc" } })).map((e) => e.number);
    expect(numbers).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  }, 180_000);
});
