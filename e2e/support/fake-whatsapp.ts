import { createHmac } from "node:crypto";
import { expect } from "@playwright/test";

// start-server.mjs starts the fake WhatsApp Cloud API (apps/api/test/support/fake-whatsapp.mjs) beside the API, on the
// API's port + 1000 unless E2E_FAKE_WHATSAPP_PORT says otherwise; these are its fixed credentials.
const apiPort = Number(process.env.E2E_PORT ?? 3100);
export const FAKE_WHATSAPP = {
  url: `http://127.0.0.1:${process.env.E2E_FAKE_WHATSAPP_PORT ?? apiPort + 1000}`,
  accessToken: "EAAG-fake-access-token",
  appSecret: "fake-app-secret",
  phoneNumberId: "106540352242922",
  businessAccountId: "102290129340398",
};

/** A message the fake accepted from the API: the request body as Meta documents it. */
export interface AcceptedMessage {
  path: string;
  id: string;
  body: {
    to: string;
    type: "text" | "interactive";
    text?: { body: string };
    interactive?: {
      type: "button" | "list";
      body: { text: string };
      action: { buttons?: { type: string; reply: { id: string; title: string } }[] };
    };
  };
}

/** The messages the fake accepted for one end user (digits, as Meta addresses them), once there are `count`. */
export async function acceptedFor(user: string, count: number): Promise<AcceptedMessage[]> {
  let mine: AcceptedMessage[] = [];
  await expect
    .poll(
      async () => {
        const res = await fetch(`${FAKE_WHATSAPP.url}/__fake/messages`);
        mine = ((await res.json()) as AcceptedMessage[]).filter((m) => m.body.to === user);
        return mine.length;
      },
      { message: `the fake WhatsApp Cloud API receives ${count} messages for ${user}` },
    )
    .toBeGreaterThanOrEqual(count);
  return mine;
}

/** What an end user does on their phone, as Meta notifies it: signed with the app secret over the raw body. */
export async function userSends(inboundUrl: string, from: string, message: Record<string, unknown>) {
  const raw = JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: FAKE_WHATSAPP.businessAccountId,
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550783881", phone_number_id: FAKE_WHATSAPP.phoneNumberId },
              contacts: [{ profile: { name: "Sheena Nelson" }, wa_id: from }],
              messages: [
                {
                  from,
                  id: `wamid.e2e-${Date.now()}-${Math.random().toString(36).slice(2)}`,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  ...message,
                },
              ],
            },
          },
        ],
      },
    ],
  });
  const signature = `sha256=${createHmac("sha256", FAKE_WHATSAPP.appSecret).update(raw).digest("hex")}`;
  const res = await fetch(inboundUrl, {
    method: "POST",
    headers: { "content-type": "application/json", "x-hub-signature-256": signature },
    body: raw,
  });
  expect(res.status, await res.text()).toBe(200);
}
