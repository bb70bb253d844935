import { expect, test } from "../support/fixtures";

test("opens the app and lists a seeded campaign", async ({ page, seed }, testInfo) => {
  const campaign = await seed.campaign({
    name: `Streaming membership ${testInfo.workerIndex}-${Date.now()}`,
    triggerKeywords: ["STREAM"],
  });
  await page.goto("/");
  await expect(page).toHaveURL(/\/campaigns$/);
  await expect(page.getByRole("heading", { name: "Campaigns" })).toBeVisible();
  const row = page.getByRole("row").filter({ hasText: campaign.name });
  await expect(row).toContainText(String(campaign.id));
  await expect(row).toContainText("STREAM");
  await page.getByRole("searchbox", { name: "Search campaigns" }).fill(String(campaign.id));
  await expect(page.getByRole("table", { name: "Campaigns" }).getByRole("row")).toHaveCount(2);
  await testInfo.attach("campaigns", { body: await page.screenshot(), contentType: "image/png" });
});

test("creates a campaign in the form, with errors shown beside their fields", async ({ page, seed, request }) => {
  const sender = await seed.sender();
  await page.goto("/campaigns");
  await page.getByRole("button", { name: "New campaign" }).click();
  const form = page.getByRole("form", { name: "New campaign" });
  await form.getByRole("button", { name: "Create campaign" }).click();
  await expect(form.getByText("Name is required.")).toBeVisible();

  const name = `Created in the UI ${Date.now()}`;
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Sender").selectOption(sender.id);
  await form.getByLabel("Trigger keywords").fill("JOIN, PROMO");
  await form.getByRole("button", { name: "Create campaign" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Campaign ${name}` })).toBeVisible();
  // A new chatbot's editor opens at once.
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  await expect(page).toHaveURL(/\/campaigns\/\d+$/);
  await page.getByRole("link", { name: "Campaigns" }).first().click();
  const row = page.getByRole("row").filter({ hasText: name });
  await expect(row).toContainText("JOIN, PROMO");

  const created = (await (await request.get(`/api/v1/campaigns?q=${encodeURIComponent(name)}`)).json()).items[0];
  seed.later(() => request.delete(`/api/v1/campaigns/${created.id}`));
  expect(created).toMatchObject({ name, senderId: sender.id, triggerKeywords: ["JOIN", "PROMO"] });

  // Settings: type and channel are fixed; keywords are chips.
  await row.getByRole("button", { name: `Settings of ${name}` }).click();
  const settings = page.getByRole("form", { name: `Settings of ${name}` });
  await expect(settings.getByLabel("Channel")).toBeDisabled();
  await settings.getByRole("button", { name: "Remove keyword PROMO" }).click();
  await settings.getByLabel("Trigger keywords").fill("WINTER");
  await settings.getByLabel("Trigger keywords").press("Enter");
  await settings.getByRole("button", { name: "Save settings" }).click();
  await expect(row).toContainText("JOIN, WINTER");
});

test("the API answers problems the QA suite can read", async ({ request }) => {
  const res = await request.post("/api/v1/senders", { data: { name: "", channel: "sms", address: "12" } });
  expect(res.status()).toBe(400);
  expect(res.headers()["content-type"]).toContain("application/problem+json");
  expect((await res.json()).errors.map((e: { path: string }) => e.path)).toEqual(["body.name", "body.address"]);
});

test("the webhook sink records what arrives", async ({ sink }) => {
  const res = await fetch(sink.url, {
    method: "POST",
    headers: { "content-type": "application/json", "x-test": "1" },
    body: '{"campaignId":"1"}',
  });
  expect(res.status).toBe(200);
  const [hook] = await sink.waitFor(1);
  expect(hook).toMatchObject({ method: "POST", path: "/hooks", json: { campaignId: "1" } });
  expect(hook?.headers["x-test"]).toBe("1");
});
