import { expect, test } from "../support/fixtures";

test("a marketer publishes a chatbot, an end user talks to it, the marketer reads the conversation", async ({
  page,
  seed,
  sink,
  request,
}, testInfo) => {
  const { sender, campaign } = await seed.streamingChatbot(sink.url);
  await page.goto("/campaigns");
  const row = page.getByRole("row").filter({ hasText: campaign.name });
  await expect(row).toContainText("Not published");
  await row.getByRole("button", { name: `Publish ${campaign.name}` }).click();
  await page
    .getByRole("dialog", { name: `Publish ${campaign.name}` })
    .getByRole("button", { name: "Publish" })
    .click();
  await expect(page.getByRole("status")).toContainText(`${campaign.name} published as v1`);
  await expect(row).toContainText("Live v1");

  const phone = `+5255${String(Date.now()).slice(-8)}`;
  const say = async (text: string) => {
    const res = await request.post("/api/v1/messages/inbound", {
      data: { channel: "sms", from: phone, to: sender.address, text },
    });
    expect(res.status(), await res.text()).toBe(200);
    return res.json();
  };
  const menu = await say(campaign.triggerKeywords[0] as string);
  expect(menu.replies[0].text).toContain("1. One month");
  expect((await say("one month")).replies[0].text).toBe("One month it is!");

  // The toggled option's webhook reaches the customer's endpoint, as setting-webhook.txt shows it, signed.
  const [hook] = await sink.waitFor(1);
  expect(hook?.json).toEqual({
    campaignId: String(campaign.id),
    label: "Welcome Message",
    option: "One month",
    keyword: 1,
    phoneNumber: phone,
    date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
  });
  expect(
    hook?.body.startsWith(`{"campaignId":"${campaign.id}","label":"Welcome Message","option":"One month","keyword":1,`),
  ).toBe(true);
  expect(hook?.headers["webhook-signature"]).toMatch(/^v1,/);

  await row.getByRole("link", { name: `Conversations of ${campaign.name}` }).click();
  await page.getByRole("button", { name: phone }).click();
  const transcript = page.getByRole("region", { name: "Transcript" });
  await expect(transcript.getByText("One month it is!")).toBeVisible();
  await expect(transcript.getByText("one month", { exact: true })).toBeVisible();
  await testInfo.attach("transcript", { body: await page.screenshot(), contentType: "image/png" });

  // The Deliveries view shows the webhook delivered, and its attempt.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Deliveries" }).click();
  await page.getByLabel("Campaign").fill(String(campaign.id));
  const deliveries = page.getByRole("table", { name: "Deliveries" });
  await expect(deliveries.getByRole("row")).toHaveCount(2);
  await expect(deliveries).toContainText("delivered");
  await deliveries.getByRole("button", { name: /^Delivery / }).click();
  const attempts = page.getByRole("list", { name: "Attempts" });
  await expect(attempts).toContainText("Attempt 1: 200");
  await testInfo.attach("deliveries", { body: await page.screenshot(), contentType: "image/png" });
});
