import { expect, test } from "../support/fixtures";

test("a marketer reads the report of a chatbot people played: its counts, a chart and each option's webhook", async ({
  page,
  seed,
  sink,
  request,
}, testInfo) => {
  const { sender, campaign } = await seed.streamingChatbot(sink.url);
  const published = await request.post(`/api/v1/campaigns/${campaign.id}/publish`);
  expect(published.status(), await published.text()).toBe(201);

  // Two end users through the inbound API: one picks One month (its webhook fires), the other Six months.
  const stamp = String(Date.now()).slice(-7);
  for (const [phone, choice] of [
    [`+52551${stamp}`, "one month"],
    [`+52552${stamp}`, "2"],
  ] as const) {
    for (const text of [campaign.triggerKeywords[0] as string, choice]) {
      const res = await request.post("/api/v1/messages/inbound", {
        data: { channel: "sms", from: phone, to: sender.address, text },
      });
      expect(res.status(), await res.text()).toBe(200);
    }
  }
  await sink.waitFor(1);

  await page.goto("/campaigns");
  const row = page.getByRole("row").filter({ hasText: campaign.name });
  await row.getByRole("link", { name: `Report of ${campaign.name}` }).click();
  await expect(page.getByRole("heading", { name: `Report of campaign ${campaign.id}` })).toBeVisible();

  const figure = (term: string) =>
    page.getByRole("term").filter({ hasText: term }).locator("xpath=following-sibling::dd");
  await expect(figure("Participants")).toHaveText("2");
  await expect(figure("Conversations started")).toHaveText("2");
  await expect(figure("Participation rate")).toHaveText("100 %");
  await expect(figure("Messages in")).toHaveText("4");

  // The chart is drawn, and its data is readable as a table.
  const messages = page.getByRole("figure", { name: "Messages per day" });
  await expect(messages.locator("svg.recharts-surface").first()).toBeVisible();
  await expect(messages.locator(".recharts-bar-rectangle").first()).toBeVisible();
  await messages.getByText("Show messages per day as a table").click();
  const today =
    (await page.getByRole("table", { name: "Messages per day" }).getByRole("row").last().textContent()) ?? "";
  expect(today.replace(/\s+/g, " ")).toMatch(/^\d{4}-\d\d-\d\d\s?4\s?4\s?2$/);

  const answers = page.getByRole("figure", { name: "Answers at Welcome Message" });
  await answers.getByText("Show answers at welcome message as a table").click();
  await expect(answers.getByRole("row", { name: /One month/ })).toContainText("1");
  await expect(answers.getByRole("row", { name: /Six months/ })).toContainText("1");

  // The One month option's webhook: one delivery, delivered; its link opens the Deliveries view filtered to it.
  const health = page.getByRole("table", { name: "Webhook health per option" });
  const oneMonth = health.getByRole("row", { name: /One month/ });
  // The sink has the request; the attempt's outcome is recorded just after it answers. Wait for the API to count it
  // (a page reload per try would race a cold page load on a busy machine), then read it in the page.
  await expect
    .poll(
      async () => {
        const report = await (await request.get(`/api/v1/campaigns/${campaign.id}/report`)).json();
        return report.webhooks?.find((w: { label: string }) => w.label === "One month")?.delivered;
      },
      { timeout: 20_000 },
    )
    .toBe(1);
  await page.reload();
  await expect(oneMonth).toContainText("100 %");
  await testInfo.attach("report", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
  await oneMonth.getByRole("link", { name: "Deliveries of One month" }).click();
  await expect(page.getByLabel("Campaign")).toHaveValue(String(campaign.id));
  await expect(page.getByRole("table", { name: "Deliveries" })).toContainText("delivered");
});
