import type { Locator } from "@playwright/test";
import { expect, test } from "../support/fixtures";

/** Each text field of a row saves when it loses focus; Tab moves on the way a marketer would. */
async function fillCell(row: Locator, name: string, value: string) {
  const field = row.getByRole("textbox", { name });
  await field.fill(value);
  await field.press("Tab");
}

test("a marketer builds the streaming-membership menu with webhooks, and finds it all saved after a reload", async ({
  page,
  seed,
  sink,
  request,
}, testInfo) => {
  const campaign = await seed.campaign({ name: `Streaming editor ${Date.now()}` });
  await page.goto("/campaigns");
  await page.getByRole("link", { name: `Edit ${campaign.name}` }).click();
  await expect(page.getByRole("heading", { level: 1, name: campaign.name })).toBeVisible();

  const welcome = page.getByRole("region", { name: "Welcome Message" });
  const message = welcome.getByRole("textbox", { name: "Message" });
  await message.fill("Welcome to EliPackage, enter the best option for streaming membership:");
  await message.press("Tab");
  await expect(welcome.getByText("70 characters · 1 SMS segment (GSM-7)")).toBeVisible();

  // 1. One month, 2. Six months, 3. One year — each leads to its own Interaction.
  const options = [
    ["1", "One month", "Interaction 1"],
    ["2", "Six months", "Interaction 2"],
    ["3", "One year", "Interaction 3"],
  ] as const;
  const table = welcome.getByRole("table", { name: "Interactions of Welcome Message" });
  for (const [keyword, text, target] of options) {
    await welcome.getByRole("button", { name: "Add entry to Welcome Message" }).click();
    const row = table.getByRole("row", { name: `Entry ${keyword}` });
    await expect(row).toBeVisible();
    const toggle = row.getByRole("switch", { name: "Webhook" });
    await expect(toggle).toBeDisabled();
    await fillCell(row, "Menu Text", text);
    await row.getByRole("combobox", { name: "Redirect Type" }).selectOption({ label: "Interaction" });
    await row.getByRole("combobox", { name: "Redirect To" }).selectOption({ label: target });
    await expect(toggle).toBeEnabled();
    await expect(toggle).toHaveAttribute("aria-checked", "false");
  }

  // The first option fires a webhook when chosen: the toggle asks for the URL, Body and Headers.
  const first = table.getByRole("row", { name: "Entry 1" });
  await first.getByRole("switch", { name: "Webhook" }).click();
  const panel = page.getByRole("dialog", { name: "Edit Entry 1 of Welcome Message" });
  const url = panel.getByRole("textbox", { name: "URL" });
  await expect(url).toBeFocused();
  await expect(url).toHaveAttribute("placeholder", "POST https://<Your_Domain>/<Your_Path>");
  await url.fill("ftp://example.com");
  await expect(panel.getByText("URL must start with https:// or http:// (it starts with ftp://).")).toBeVisible();
  await url.fill(sink.url);
  const body = panel.getByRole("textbox", { name: "Body" });
  await body.fill('{\n  "source": "chatbot",\n}');
  await expect(panel.getByText(/Body is not valid JSON\. Line 3, column 1/)).toBeVisible();
  await body.fill('{ "phoneNumber": "x" }');
  await expect(
    panel.getByText('Body cannot define "phoneNumber": the platform sends it in every payload.'),
  ).toBeVisible();
  await body.fill('{ "source": "chatbot" }');
  await expect(panel.getByTestId("payload-preview")).toContainText('"option": "One month"');
  await expect(panel.getByTestId("payload-preview")).toContainText('"source": "chatbot"');

  const headers = panel.getByRole("table", { name: "Headers" });
  const addHeader = async (name: string, value: string, secret = false) => {
    await panel.getByRole("button", { name: "Add header" }).click();
    await headers.getByRole("textbox", { name: "Header name" }).fill(name);
    await headers.getByRole("textbox", { name: "Header value" }).fill(value);
    if (secret) await headers.getByRole("checkbox", { name: "Secret" }).check();
    await headers.getByRole("button", { name: "Save header" }).click();
  };
  await addHeader("X-Api-Key", "sk_live_0123456789abcd", true);
  await addHeader("X-Source", "chatbot");
  await addHeader("X-Obsolete", "remove me");
  await expect(headers.getByRole("row", { name: "Header X-Api-Key" })).toContainText("••••abcd");
  await panel.getByRole("button", { name: "Save entry" }).click();
  // The save created the webhook: its signing secret is shown to the admin once, before the panel closes.
  const secret = panel.getByRole("status", { name: "Signing secret of this webhook" });
  await expect(secret).toContainText(/whsec_[A-Za-z0-9+/=]{20,}/);
  await secret.getByRole("button", { name: "Done" }).click();
  await expect(panel).toBeHidden();
  await expect(first.getByRole("switch", { name: "Webhook" })).toHaveAttribute("aria-checked", "true");

  // Edit one header and delete another through the link icon.
  await first.getByRole("button", { name: "Has webhook" }).click();
  await expect(panel).toBeVisible();
  await headers.getByRole("row", { name: "Header X-Source" }).getByRole("button", { name: "Edit header" }).click();
  await headers.getByRole("textbox", { name: "Header value" }).fill("crm");
  await headers.getByRole("button", { name: "Save header" }).click();
  await headers.getByRole("row", { name: "Header X-Obsolete" }).getByRole("button", { name: "Delete header" }).click();
  await expect(headers.getByRole("row", { name: "Header X-Obsolete" })).toHaveCount(0);
  await panel.getByRole("button", { name: "Save entry" }).click();
  await expect(panel).toBeHidden();

  // Send test goes through the production sender: the sink gets the real secret value and a signature.
  await first.getByRole("button", { name: "Has webhook" }).click();
  await panel.getByRole("button", { name: "Send test" }).click();
  await expect(panel.getByRole("status", { name: "Send test result" })).toContainText("HTTP 200 — delivered");
  const [test] = await sink.waitFor(1);
  expect(test?.headers["x-api-key"]).toBe("sk_live_0123456789abcd");
  expect(test?.headers["x-source"]).toBe("crm");
  expect(test?.headers["webhook-signature"]).toMatch(/^v1,/);
  expect(test?.json).toMatchObject({ option: "One month", keyword: 1, source: "chatbot" });
  await testInfo.attach("webhook panel", { body: await page.screenshot(), contentType: "image/png" });
  await panel.getByRole("button", { name: "Close panel" }).click();

  // Switching an entry to Redirect Type Webhook makes it a question: Menu Text and Redirect To go.
  const third = table.getByRole("row", { name: "Entry 3" });
  await third.getByRole("combobox", { name: "Redirect Type" }).selectOption({ label: "Webhook" });
  const thirdPanel = page.getByRole("dialog", { name: "Edit Entry 3 of Welcome Message" });
  await thirdPanel.getByRole("textbox", { name: "URL" }).fill(`${sink.url}/answers`);
  await expect(thirdPanel.getByTestId("payload-preview")).toContainText('"response": "John Doe"');
  await thirdPanel.getByRole("button", { name: "Save entry" }).click();
  await thirdPanel
    .getByRole("status", { name: "Signing secret of this webhook" })
    .getByRole("button", { name: "Done" })
    .click();
  await expect(thirdPanel).toBeHidden();
  await expect(third.getByRole("textbox", { name: "Menu Text" })).toBeDisabled();
  await expect(third.getByRole("combobox", { name: "Redirect To" })).toBeDisabled();

  const checkEverything = async () => {
    await expect(
      table.getByRole("row", { name: "Entry 1" }).getByRole("button", { name: "Has webhook" }),
    ).toBeVisible();
    await expect(table.getByRole("row", { name: "Entry 2" }).getByRole("button", { name: "Has webhook" })).toHaveCount(
      0,
    );
    await expect(
      table.getByRole("row", { name: "Entry 3" }).getByRole("button", { name: "Has webhook" }),
    ).toBeVisible();
    await expect(table.getByRole("row", { name: "Entry 2" }).getByRole("textbox", { name: "Menu Text" })).toHaveValue(
      "Six months",
    );
    await expect(
      table.getByRole("row", { name: "Entry 2" }).getByRole("combobox", { name: "Redirect To" }),
    ).toHaveValue((await (await request.get(`/api/v1/campaigns/${campaign.id}/flow`)).json()).nodes[2].id);
    // The diagram: blue arrows for entries 1 and 2, black arrows to the two webhooks, none red.
    const diagram = page.getByRole("region", { name: "Flow diagram" });
    await expect(diagram.locator(".react-flow__edge.diagram-edge-stay")).toHaveCount(2);
    await expect(diagram.locator(".react-flow__edge.diagram-edge-webhook")).toHaveCount(2);
    await expect(diagram.locator(".react-flow__edge.diagram-edge-campaign")).toHaveCount(0);
    await expect(diagram.getByLabel("Redirect arrow of entry 1")).toHaveCount(1);
  };
  await checkEverything();
  await testInfo.attach("editor", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });

  await page.reload();
  await checkEverything();
  await expect(message).toHaveValue("Welcome to EliPackage, enter the best option for streaming membership:");
  await table.getByRole("row", { name: "Entry 1" }).getByRole("button", { name: "Has webhook" }).click();
  await expect(headers.getByRole("row")).toHaveCount(3); // the header row and two headers
  await expect(headers.getByRole("row", { name: "Header X-Source" })).toContainText("crm");
  await expect(headers.getByRole("row", { name: "Header X-Api-Key" })).toContainText("••••abcd");
  await expect(panel.getByRole("textbox", { name: "Body" })).toHaveValue(/"source": "chatbot"/);

  // Clicking an arrow selects its row.
  await panel.getByRole("button", { name: "Close panel" }).click();
  await page
    .getByRole("region", { name: "Flow diagram" })
    .getByLabel("Redirect arrow of entry 2")
    .click({ force: true });
  await expect(table.getByRole("row", { name: "Entry 2" })).toHaveAttribute("aria-selected", "true");
});

test("the live preview chats with the draft and shows the webhook payload; a deleted entry can be undone", async ({
  page,
  seed,
  sink,
}) => {
  const { campaign } = await seed.streamingChatbot(sink.url);
  await page.goto(`/campaigns/${campaign.id}`);
  const preview = page.getByRole("region", { name: "Live preview" });
  const say = async (text: string) => {
    await preview.getByRole("textbox", { name: "Message to the chatbot" }).fill(text);
    await preview.getByRole("button", { name: "Send message" }).click();
  };
  await say(campaign.triggerKeywords[0] as string);
  await expect(preview.getByText(/1\. One month/)).toBeVisible();
  await say("1");
  await expect(preview.getByText("One month it is!")).toBeVisible();
  await preview.getByText(/Webhook \(option\)/).click();
  await expect(preview.locator("pre")).toContainText('"option":"One month","keyword":1');

  const table = page.getByRole("table", { name: "Interactions of Welcome Message" });
  await table.getByRole("row", { name: "Entry 2" }).getByRole("button", { name: "Delete entry" }).click();
  await expect(table.getByRole("row", { name: "Entry 2" })).toHaveCount(0);
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(table.getByRole("row", { name: "Entry 2" })).toBeVisible();

  // A node that entries point at cannot be deleted: the editor lists them.
  await page.getByRole("button", { name: "Delete Interaction 2" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Interaction 2 cannot be deleted" })).toContainText(
    "Welcome Message, entry 2",
  );
});
