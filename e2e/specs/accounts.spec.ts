import type { APIRequestContext, Locator } from "@playwright/test";
import { expect, test } from "../support/fixtures";

/** Deletes the user with this email, if there is one. */
async function deleteUser(request: APIRequestContext, email: string) {
  const users = (await (await request.get("/api/v1/users")).json()).items as { id: string; email: string }[];
  const user = users.find((u) => u.email === email);
  if (user) expect((await request.delete(`/api/v1/users/${user.id}`)).status()).toBe(204);
}

test("an admin deletes a user after confirming, and nothing happens on Keep user", async ({ page, request, seed }) => {
  const email = `leaving${Date.now()}@example.com`;
  const invited = await request.post("/api/v1/users", { data: { email, name: "Leaving", role: "viewer" } });
  expect(invited.status()).toBe(201);
  seed.later(() => deleteUser(request, email));
  await page.goto("/admin/users");
  const row = page.getByRole("row", { name: new RegExp(email) });
  await row.getByRole("button", { name: `Delete ${email}` }).click();
  await page.getByRole("button", { name: "Keep user" }).click();
  await expect(row).toBeVisible();
  await row.getByRole("button", { name: `Delete ${email}` }).click();
  await page.getByRole("button", { name: "Delete user" }).click();
  await expect(page.getByRole("row", { name: new RegExp(email) })).toHaveCount(0);
});

async function fillCell(row: Locator, name: string, value: string) {
  const field = row.getByRole("textbox", { name });
  await field.fill(value);
  await field.press("Tab");
}

test("an admin makes a secret header and an integration; a marketer attaches them without seeing the value, and the sink gets it", async ({
  page,
  browser,
  request,
  seed,
  sink,
}, testInfo) => {
  // Two people's browsers and three admin pages in one flow.
  testInfo.slow();
  const stamp = Date.now();
  const label = `CRM key ${stamp}`;
  const alias = `CRM ${stamp}`;
  const email = `marketer${stamp}@example.com`;

  // The admin: a secret header (masked once saved), an integration, an invitation.
  await page.goto("/admin/secret-headers");
  await page.getByRole("textbox", { name: "Label" }).fill(label);
  await page.getByRole("textbox", { name: "Header name" }).fill("X-Crm-Key");
  await page.getByLabel("Value").fill("crm_live_0123456789wxyz");
  await page.getByRole("textbox", { name: "Allowed hosts" }).fill(new URL(sink.url).hostname);
  await page.getByRole("button", { name: "Add secret header" }).click();
  const secretRow = page.getByRole("table", { name: "Secret headers" }).getByRole("row", { name: new RegExp(label) });
  await expect(secretRow).toContainText("••••wxyz");
  await expect(secretRow).not.toContainText("crm_live");
  // Made in the UI, removed through the API when the test ends, after the campaign that uses it (newest first).
  seed.later(() => removeWhere(request, "/api/v1/secret-headers", (item) => item.label === label));

  await page.goto("/admin/integrations");
  await page.getByRole("textbox", { name: "Alias" }).fill(alias);
  await page.getByRole("textbox", { name: "URL" }).fill(sink.url);
  await page.getByRole("button", { name: "Add header" }).click();
  await page.getByRole("textbox", { name: "Header 1 name" }).fill("Authorization");
  await page.getByRole("textbox", { name: "Header 1 value" }).fill("Bearer integration_0123456789");
  await page.getByRole("checkbox", { name: "Secret" }).check();
  await page.getByRole("button", { name: "Add integration" }).click();
  await expect(
    page.getByRole("table", { name: "Integrations" }).getByRole("row", { name: new RegExp(alias) }),
  ).toContainText("Authorization: ••••6789");
  seed.later(() => removeWhere(request, "/api/v1/integrations", (item) => item.alias === alias));

  await page.goto("/admin/users");
  await page.getByRole("textbox", { name: "Email", exact: true }).fill(email);
  await page.getByRole("textbox", { name: "Name", exact: true }).fill("Mara");
  await page.getByRole("combobox", { name: "Role", exact: true }).selectOption({ label: "Marketer" });
  await page.getByRole("button", { name: "Invite" }).click();
  const link =
    (await page
      .getByRole("status", { name: `Set-password link for ${email}` })
      .locator("code")
      .textContent()) ?? "";
  expect(link).toMatch(/\/set-password#token=/);
  // Deleted when the test ends (the audit log keeps what they did).
  seed.later(() => deleteUser(request, email));

  const { campaign } = await seed.streamingChatbot(sink.url);

  // The marketer, in a browser of their own: sets a password by the link and is signed in.
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const mara = await context.newPage();
  await mara.goto(link);
  await mara.getByLabel("New password").fill("mara's long passphrase");
  await mara.getByLabel("Repeat the password").fill("mara's long passphrase");
  await mara.getByRole("button", { name: "Set password" }).click();
  await expect(mara).toHaveURL(/\/campaigns$/);
  await expect(mara.getByRole("banner")).toContainText("Signed in as Mara Marketer");
  await expect(mara.getByRole("link", { name: "Secret headers" })).toHaveCount(0);

  await mara.goto(`/campaigns/${campaign.id}`);
  const welcome = mara.getByRole("region", { name: "Welcome Message" });
  const table = welcome.getByRole("table", { name: "Interactions of Welcome Message" });

  // Entry 1's webhook gets the admin's secret header; a marketer cannot type a secret value.
  await table.getByRole("row", { name: "Entry 1" }).getByRole("button", { name: "Has webhook" }).click();
  const panel = mara.getByRole("dialog", { name: "Edit Entry 1 of Welcome Message" });
  await panel.getByRole("button", { name: "Add header" }).click();
  const headers = panel.getByRole("table", { name: "Headers" });
  await expect(headers.getByRole("checkbox", { name: "Secret" })).toBeDisabled();
  await headers.getByRole("button", { name: "Cancel" }).click();
  await panel.getByRole("combobox", { name: "Add secret header" }).selectOption({ label: `${label} (X-Crm-Key)` });
  const picked = headers.getByRole("row", { name: "Header X-Crm-Key" });
  await expect(picked).toContainText("••••wxyz");
  await expect(picked.getByRole("button", { name: "Edit header" })).toBeDisabled();
  await panel.getByRole("button", { name: "Save entry" }).click();
  await expect(panel).toBeHidden();
  await table.getByRole("row", { name: "Entry 1" }).getByRole("button", { name: "Has webhook" }).click();
  await expect(headers.getByRole("row", { name: "Header X-Crm-Key" })).toContainText("••••wxyz");
  await expect(panel).not.toContainText("crm_live");
  await panel.getByRole("button", { name: "Send test" }).click();
  await expect(panel.getByRole("status", { name: "Send test result" })).toContainText("HTTP 200 — delivered");
  const [test] = await sink.waitFor(1);
  expect(test?.headers["x-crm-key"]).toBe("crm_live_0123456789wxyz");
  await panel.getByRole("button", { name: "Close panel" }).click();
  await expect(panel).toBeHidden();

  // Revealing is the admin's alone.
  const secretId = (await (await mara.request.get("/api/v1/secret-headers")).json()).items.find(
    (s: { label: string }) => s.label === label,
  ).id;
  expect((await mara.request.post(`/api/v1/secret-headers/${secretId}/reveal`)).status()).toBe(403);

  // Entry 3 now calls the integration; the live preview's choice reaches the sink with the integration's secret.
  const third = table.getByRole("row", { name: "Entry 3" });
  await third.getByRole("combobox", { name: "Redirect Type" }).selectOption({ label: "Integration" });
  await third.getByRole("combobox", { name: "Redirect To" }).selectOption({ label: alias });
  await expect(third.getByRole("combobox", { name: "Redirect To" })).toHaveValue(/[0-9a-f-]{36}/);
  await fillCell(third, "Menu Text", "Talk to sales");
  const preview = mara.getByRole("region", { name: "Live preview" });
  await preview.getByRole("textbox", { name: "Message to the chatbot" }).fill(campaign.triggerKeywords[0] as string);
  await preview.getByRole("button", { name: "Send message" }).click();
  await expect(preview.getByText(/3\. Talk to sales/)).toBeVisible();
  await preview.getByRole("textbox", { name: "Message to the chatbot" }).fill("3");
  await preview.getByRole("button", { name: "Send message" }).click();
  const arrived = await sink.waitFor(2);
  const call = arrived.find((w) => (w.json as { option?: string } | undefined)?.option === "Talk to sales");
  expect(call?.headers.authorization).toBe("Bearer integration_0123456789");
  await testInfo.attach("marketer-editor", {
    body: await mara.screenshot({ fullPage: true }),
    contentType: "image/png",
  });

  // The admin's audit log shows the marketer's changes and no secret value.
  await page.goto("/admin/audit");
  await page.getByRole("textbox", { name: "Who" }).fill(email);
  await expect(page.getByRole("table", { name: "Audit log" })).toContainText("Change a menu entry");
  await expect(page.getByRole("table", { name: "Audit log" })).not.toContainText("crm_live");

  // Made a viewer, Mara's session ends at once; signed in again, she reads and cannot change.
  await page.goto("/admin/users");
  await page.getByRole("combobox", { name: `Role of ${email}` }).selectOption({ label: "Viewer" });
  await expect(page.getByRole("combobox", { name: `Role of ${email}` })).toHaveValue("viewer");
  await mara.goto(`/campaigns/${campaign.id}`);
  await expect(mara).toHaveURL(/\/sign-in\?next=/);
  await mara.getByRole("textbox", { name: "Email" }).fill(email);
  await mara.getByLabel("Password").fill("mara's long passphrase");
  await mara.getByRole("button", { name: "Sign in" }).click();
  await expect(mara).toHaveURL(new RegExp(`/campaigns/${campaign.id}$`));
  await expect(mara.getByRole("banner")).toContainText("Viewer");
  await expect(mara.getByRole("button", { name: "Add entry to Welcome Message" })).toBeDisabled();
  await context.close();
});

/** Deletes the items of a list that `made` picks: what a test made through the UI, whose id it never saw. */
async function removeWhere(request: APIRequestContext, list: string, made: (item: Record<string, unknown>) => boolean) {
  const items = (await (await request.get(list)).json()).items as ({ id: string } & Record<string, unknown>)[];
  const mine = items.filter(made);
  expect(mine, `what the test made in ${list}`).toHaveLength(1);
  for (const item of mine) expect((await request.delete(`${list}/${item.id}`)).ok()).toBe(true);
}
