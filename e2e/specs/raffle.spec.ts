import { expect, test } from "../support/fixtures";

test("a marketer builds a Raffle Giveaway in the browser; an end user enters and wins, the results show it and the raffle's webhook reaches the sink", async ({
  page,
  seed,
  sink,
  request,
}) => {
  const keyword = `RAFFLE${String(Date.now()).slice(-6)}`;
  const sender = await seed.sender();
  const campaign = await seed.campaign({
    senderId: sender.id,
    name: `E2E raffle ${Date.now()}`,
    type: "raffle_giveaway",
    status: "active",
    triggerKeywords: [keyword],
  });
  await page.goto("/campaigns");
  await page.getByRole("link", { name: `Edit ${campaign.name}` }).click();
  await expect(page.getByRole("heading", { name: campaign.name })).toBeVisible();
  const form = page.getByRole("form", { name: "Raffle Giveaway settings" });
  await form.getByRole("textbox", { name: "Prize 1 name" }).fill("Sticker");
  await form.getByRole("spinbutton", { name: "Prize 1 quantity" }).fill("0");
  await form.getByRole("button", { name: "Save raffle" }).click();
  await expect(form.getByText("The quantity is at least 1.")).toBeVisible();
  await form.getByRole("spinbutton", { name: "Prize 1 quantity" }).fill("1");
  await form.getByRole("radio", { name: "Every Nth participant wins" }).check();
  await form.getByRole("spinbutton", { name: "Every Nth participant: N" }).fill("1");
  await form.getByRole("textbox", { name: "Win message" }).fill("You won a {{prize}}!");
  await form.getByRole("textbox", { name: "Raffle over message" }).fill("The raffle is over.");
  // The preview says what the runtime will, as it is typed.
  const preview = form.getByRole("region", { name: "Preview" });
  await expect(preview.getByRole("listitem", { name: "A win (Sticker)" })).toContainText("You won a Sticker!");
  await expect(preview.getByRole("listitem", { name: "The raffle is over" })).toContainText("The raffle is over.");
  await form.getByRole("button", { name: "Save raffle" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Raffle saved." })).toBeVisible();

  // The raffle's own webhook, set in the browser: a bad URL is refused beside its field, then URL, Body and a header.
  const webhook = page.getByRole("form", { name: "Webhook" });
  await webhook.getByRole("textbox", { name: "URL", exact: true }).fill("ftp://example.com/hook");
  await webhook.getByRole("button", { name: "Save webhook" }).click();
  await expect(webhook.getByRole("alert")).toBeVisible();
  await webhook.getByRole("textbox", { name: "URL", exact: true }).fill(sink.url);
  await webhook.getByRole("textbox", { name: "Body" }).fill('{"source":"e2e","tier":2}');
  await webhook.getByRole("button", { name: "Add header" }).click();
  const headers = webhook.getByRole("table", { name: "Headers" });
  await headers.getByRole("textbox", { name: "Header name" }).fill("X-Campaign");
  await headers.getByRole("textbox", { name: "Header value" }).fill("raffle");
  await headers.getByRole("button", { name: "Save header" }).click();
  await webhook.getByRole("button", { name: "Save webhook" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Webhook saved." })).toBeVisible();

  const enter = async (from: string) => {
    const res = await request.post("/api/v1/messages/inbound", {
      data: { channel: "sms", from, to: sender.address, text: keyword },
    });
    expect(res.status(), await res.text()).toBe(200);
    return (await res.json()).replies.map((r: { text: string }) => r.text).join("\n");
  };
  const winner = `+5255${String(Date.now()).slice(-8)}`;
  expect(await enter(winner)).toBe("You won a Sticker!");
  expect(await enter(`+5256${String(Date.now()).slice(-8)}`)).toBe("The raffle is over.");

  const [hook] = await sink.waitFor(1);
  expect(hook?.json).toMatchObject({
    campaignId: String(campaign.id),
    phoneNumber: winner,
    won: true,
    prize: "Sticker",
  });
  expect(hook?.headers["webhook-signature"]).toMatch(/^v1,/);
  expect(hook?.json).toMatchObject({ source: "e2e", tier: 2 });
  expect(hook?.headers["x-campaign"]).toBe("raffle");

  await page.reload();
  const results = page.getByRole("region", { name: "Results" });
  // Participants, Winners, Prizes left: the second number told the raffle is over is no entry.
  await expect(results.getByRole("definition")).toHaveText(["1", "1", "0"]);
  await expect(results).toContainText("This raffle is over.");
  await expect(
    results.getByRole("table", { name: "Prizes awarded" }).getByRole("row", { name: /Sticker/ }),
  ).toContainText("1");
  const csv = await request.get(`/api/v1/campaigns/${campaign.id}/raffle/entries.csv`);
  expect(await csv.text()).toContain(winner);
  await expect(results.getByRole("link", { name: "Download participants (CSV)" })).toHaveAttribute(
    "href",
    `/api/v1/campaigns/${campaign.id}/raffle/entries.csv`,
  );
});
