import { expect, test } from "../support/fixtures";

test("an admin binds a secret header to its allowed hosts; the entry panel refuses another host on save and on Send test", async ({
  page,
  seed,
  sink,
  request,
}) => {
  const stamp = Date.now();
  const label = `Billing key ${stamp}`;
  const host = new URL(sink.url).hostname;

  // The admin makes a secret header; Allowed hosts takes hosts, not URLs or ports.
  await page.goto("/admin/secret-headers");
  await page.getByRole("textbox", { name: "Label" }).fill(label);
  await page.getByRole("textbox", { name: "Header name" }).fill("X-Billing-Key");
  await page.getByLabel("Value").fill("billing_live_0123456789wxyz");
  const hosts = page.getByRole("textbox", { name: "Allowed hosts" });
  await hosts.fill(`https://${host}:8080`);
  await page.getByRole("button", { name: "Add secret header" }).click();
  await expect(hosts).toHaveAccessibleDescription(/is not a host: write a host name such as api\.example\.com/);
  await hosts.fill(host);
  await page.getByRole("button", { name: "Add secret header" }).click();
  const row = page.getByRole("table", { name: "Secret headers" }).getByRole("row", { name: new RegExp(label) });
  await expect(row).toContainText(host);
  const secretId = (await (await request.get("/api/v1/secret-headers")).json()).items.find(
    (s: { label: string }) => s.label === label,
  ).id as string;
  // Deleted after the campaign that uses it (cleanups run newest first).
  seed.later(() => request.delete(`/api/v1/secret-headers/${secretId}`));

  const { campaign } = await seed.streamingChatbot(sink.url);
  await page.goto(`/campaigns/${campaign.id}`);
  const table = page
    .getByRole("region", { name: "Welcome Message" })
    .getByRole("table", { name: "Interactions of Welcome Message" });
  const openPanel = async () => {
    await table.getByRole("row", { name: "Entry 1" }).getByRole("button", { name: "Has webhook" }).click();
    return page.getByRole("dialog", { name: "Edit Entry 1 of Welcome Message" });
  };

  // Attached to a webhook on another host, the secret is refused beside the URL, naming the hosts it may reach.
  let panel = await openPanel();
  await panel.getByRole("combobox", { name: "Add secret header" }).selectOption({ label: `${label} (X-Billing-Key)` });
  const url = panel.getByRole("textbox", { name: "URL" });
  const elsewhere = sink.url.replace(host, "localhost");
  await url.fill(elsewhere);
  await panel.getByRole("button", { name: "Save entry" }).click();
  await expect(url).toHaveAccessibleDescription(
    `The secret header "${label}" may only be sent to ${host}; localhost is not one of its allowed hosts. Use an allowed host, remove the header, or ask an admin to allow localhost.`,
  );
  await expect(panel).toBeVisible();

  // On its allowed host it saves, and Send test delivers it.
  await url.fill(sink.url);
  await panel.getByRole("button", { name: "Save entry" }).click();
  await expect(panel).toBeHidden();
  panel = await openPanel();
  await panel.getByRole("button", { name: "Send test" }).click();
  await expect(panel.getByRole("status", { name: "Send test result" })).toContainText("HTTP 200 — delivered");
  const [test] = await sink.waitFor(1);
  expect(test?.headers["x-billing-key"]).toBe("billing_live_0123456789wxyz");
  await panel.getByRole("button", { name: "Close panel" }).click();

  // The admin takes the sink's host off the list: Send test is refused beside the URL, and nothing is sent.
  await page.goto("/admin/secret-headers");
  await row.getByRole("button", { name: `Change allowed hosts of ${label}` }).click();
  const editor = row.getByRole("form", { name: `Allowed hosts of ${label}` });
  const listed = editor.getByRole("textbox", { name: "Allowed hosts" });
  await listed.fill("billing.example.com:443");
  await editor.getByRole("button", { name: "Save allowed hosts" }).click();
  await expect(listed).toHaveAccessibleDescription(/has a port: ports do not count/);
  await listed.fill("billing.example.com, *.billing.example.com");
  await editor.getByRole("button", { name: "Save allowed hosts" }).click();
  await expect(row).toContainText("billing.example.com, *.billing.example.com");

  await page.goto(`/campaigns/${campaign.id}`);
  panel = await openPanel();
  await panel.getByRole("button", { name: "Send test" }).click();
  await expect(panel.getByRole("textbox", { name: "URL" })).toHaveAccessibleDescription(
    `The secret header "${label}" may only be sent to billing.example.com, *.billing.example.com; ${host} is not one of its allowed hosts. Nothing was sent.`,
  );
  expect(sink.received).toHaveLength(1);
});

test("an integration's Allowed hosts default to its URL's host and refuse ports beside the field", async ({
  page,
  sink,
  request,
}) => {
  const alias = `Billing ${Date.now()}`;
  await page.goto("/admin/integrations");
  await page.getByRole("textbox", { name: "Alias" }).fill(alias);
  await page.getByRole("textbox", { name: "URL" }).fill(sink.url);
  const hosts = page.getByRole("textbox", { name: "Allowed hosts" });
  await hosts.fill(`${new URL(sink.url).host}`);
  await page.getByRole("button", { name: "Add integration" }).click();
  await expect(hosts).toHaveAccessibleDescription(/has a port: ports do not count/);
  await hosts.fill("");
  await page.getByRole("button", { name: "Add integration" }).click();
  const row = page.getByRole("table", { name: "Integrations" }).getByRole("row", { name: new RegExp(alias) });
  await expect(row).toContainText(new URL(sink.url).hostname);
  const id = (await (await request.get("/api/v1/integrations")).json()).items.find(
    (i: { alias: string }) => i.alias === alias,
  ).id as string;
  await request.delete(`/api/v1/integrations/${id}`);
});
