/**
 * The channel providers' public routes in the OpenAPI document. They live outside the route table (decision 0023:
 * form fields or raw bytes checked before parsing, TwiML or plain-text answers), so their description is written
 * here, in the providers' own field names, for whoever points a Twilio number or a Meta app at Switchboard.
 */
type Json = Record<string, unknown>;

const senderId: Json = {
  name: "senderId",
  in: "path",
  required: true,
  description: "The sender's id, as shown with its inbound URL on the sender's page.",
  schema: { type: "string", format: "uuid" },
  example: "0b9f4d55-4c1e-4b39-9a55-2f8f0f6c1a11",
};

const twilioSignature: Json = {
  name: "X-Twilio-Signature",
  in: "header",
  required: true,
  description:
    "Base64 HMAC-SHA1, keyed with the account's auth token, of the full URL Twilio requested followed by every form parameter's name and value in name order. Behind a proxy, PUBLIC_URL says which URL Twilio requested.",
  schema: { type: "string" },
  example: "0/KCTR6DLpKmkAf8muzZqo1nDgQ=",
};

const problem = (description: string): Json => ({
  description,
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
});

const refusals: Json = {
  "400": problem("The body is not what the provider sends (a missing field, or not JSON)."),
  "403": problem("The signature (or the verify token) does not match: nothing is recorded."),
  "404": problem("No sender with this id, or it is not set up for this provider."),
};

/** Twilio's routes also refuse a body that is not a form. */
const twilioRefusals: Json = { ...refusals, "415": problem("Twilio posts application/x-www-form-urlencoded.") };

const twilioInboundForm: Json = {
  type: "object",
  required: ["MessageSid", "From", "To"],
  properties: {
    MessageSid: { type: "string", description: "Twilio's id of the message: a retry carries the same one." },
    AccountSid: { type: "string" },
    From: { type: "string", description: "The end user: +E.164 for SMS, whatsapp:+E.164 for WhatsApp." },
    To: { type: "string", description: "The sender's number, in the same form." },
    Body: { type: "string", description: "The text; empty for a message with media only." },
    NumMedia: { type: "string", description: "How many media files came with it (answered politely, recorded)." },
  },
  additionalProperties: { type: "string" },
};

const twilioStatusForm: Json = {
  type: "object",
  required: ["MessageSid", "MessageStatus"],
  properties: {
    MessageSid: { type: "string" },
    MessageStatus: {
      type: "string",
      enum: ["queued", "sending", "sent", "delivered", "read", "undelivered", "failed"],
    },
    ErrorCode: { type: "string", description: "Twilio's error code when it failed." },
  },
  additionalProperties: { type: "string" },
};

const whatsappNotification: Json = {
  type: "object",
  required: ["object", "entry"],
  description:
    "Meta's webhook notification: each entry's changes carry `value.messages` (text, interactive button_reply and list_reply, and other types answered politely) and `value.statuses` (sent, delivered, read, failed with its error code). One POST may carry several.",
  properties: {
    object: { type: "string", const: "whatsapp_business_account" },
    entry: { type: "array", items: { type: "object", additionalProperties: true } },
  },
};

export const providerTag = {
  name: "Providers",
  description:
    "The routes SMS and WhatsApp providers call: public, and authenticated by the provider's signature alone.",
};

export const providerPaths: Record<string, Record<string, Json>> = {
  "/api/v1/providers/twilio/{senderId}/inbound": {
    post: {
      operationId: "postTwilioInbound",
      summary: "A message from Twilio (SMS or WhatsApp)",
      description:
        "Set as the number's \"A message comes in\" webhook. The conversation runs at once; the replies go out through Twilio's REST API from the outbox, so the answer is an empty TwiML document. A retry of the same MessageSid is answered once.",
      tags: ["Providers"],
      security: [],
      parameters: [senderId, twilioSignature],
      requestBody: {
        required: true,
        content: {
          "application/x-www-form-urlencoded": {
            schema: twilioInboundForm,
            example: {
              MessageSid: "SM3f1b8c2d9e0a4b5c6d7e8f9a0b1c2d3e",
              AccountSid: "AC0123456789abcdef0123456789abcdef",
              From: "+5215512345678",
              To: "+5215598765432",
              Body: "1",
              NumMedia: "0",
            },
          },
        },
      },
      responses: {
        "200": {
          description: "Received: an empty TwiML answer.",
          content: {
            "text/xml": {
              schema: { type: "string" },
              example: '<?xml version="1.0" encoding="UTF-8"?><Response/>',
            },
          },
        },
        ...twilioRefusals,
      },
    },
  },
  "/api/v1/providers/twilio/{senderId}/status": {
    post: {
      operationId: "postTwilioStatus",
      summary: "A Twilio status callback for an outbound message",
      description: "Twilio calls it as a message we sent moves on; the state is recorded on the outbound message.",
      tags: ["Providers"],
      security: [],
      parameters: [
        senderId,
        {
          name: "message",
          in: "query",
          required: false,
          description: "Our id of the outbound message, which we add to the callback URL we give Twilio.",
          schema: { type: "string" },
          example: "7f0c2a9e-5d3b-4a61-8c1e-2b9d4f6a7e80",
        },
        twilioSignature,
      ],
      requestBody: {
        required: true,
        content: {
          "application/x-www-form-urlencoded": {
            schema: twilioStatusForm,
            example: { MessageSid: "SM3f1b8c2d9e0a4b5c6d7e8f9a0b1c2d3e", MessageStatus: "delivered" },
          },
        },
      },
      responses: { "204": { description: "Recorded." }, ...twilioRefusals },
    },
  },
  "/api/v1/providers/whatsapp/{senderId}": {
    get: {
      operationId: "getWhatsappVerification",
      summary: "WhatsApp Cloud API: the webhook verification handshake",
      description:
        "Meta calls it once when the callback URL is saved in the app's console: the challenge is echoed back when the verify token is the sender's.",
      tags: ["Providers"],
      security: [],
      parameters: [
        senderId,
        {
          name: "hub.mode",
          in: "query",
          required: true,
          description: "Always `subscribe`.",
          schema: { type: "string" },
          example: "subscribe",
        },
        {
          name: "hub.verify_token",
          in: "query",
          required: true,
          description: "The verify token shown on the sender's page.",
          schema: { type: "string" },
          example: "vt_6f2d8a41c9",
        },
        {
          name: "hub.challenge",
          in: "query",
          required: true,
          description: "A number Meta expects back as the body.",
          schema: { type: "string" },
          example: "1158201444",
        },
      ],
      responses: {
        "200": {
          description: "The challenge, as plain text.",
          content: { "text/plain": { schema: { type: "string" }, example: "1158201444" } },
        },
        ...refusals,
      },
    },
    post: {
      operationId: "postWhatsappNotification",
      summary: "WhatsApp Cloud API: messages and statuses",
      description:
        "The body's signature is checked over its raw bytes before it is read. Messages run the conversation (replies go out through the Graph API from the outbox); statuses are recorded on the outbound messages.",
      tags: ["Providers"],
      security: [],
      parameters: [
        senderId,
        {
          name: "X-Hub-Signature-256",
          in: "header",
          required: true,
          description: "`sha256=` and the hex HMAC-SHA256 of the raw body, keyed with the app secret.",
          schema: { type: "string" },
          example: "sha256=5a1c0d4e2b7f9a8c3e6d1b0f4a2c8e7d9b3f6a1c0e5d2b8f7a4c9e1d3b6f0a2c",
        },
      ],
      requestBody: {
        required: true,
        content: {
          "application/json": {
            schema: whatsappNotification,
            example: {
              object: "whatsapp_business_account",
              entry: [
                {
                  id: "102290129340398",
                  changes: [
                    {
                      field: "messages",
                      value: {
                        messaging_product: "whatsapp",
                        metadata: { display_phone_number: "15550783881", phone_number_id: "106540352242922" },
                        messages: [
                          {
                            from: "5215512345678",
                            id: "wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=",
                            timestamp: "1764115200",
                            type: "text",
                            text: { body: "1" },
                          },
                        ],
                      },
                    },
                  ],
                },
              ],
            },
          },
        },
      },
      responses: {
        "200": {
          description: "Received.",
          content: {
            "application/json": {
              schema: { type: "object", properties: { received: { type: "boolean" } } },
              example: { received: true },
            },
          },
        },
        ...refusals,
      },
    },
  },
};
