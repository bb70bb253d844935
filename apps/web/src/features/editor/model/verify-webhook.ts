/**
 * The few lines a receiver needs to verify our webhooks with the `standardwebhooks` package: the same ones as the
 * README, so a developer can copy them from the entry panel.
 */
export const verifyWebhookSnippets = [
  {
    language: "Node",
    code: `import { Webhook } from "standardwebhooks";

// body: the raw request body (a string), headers: the request's headers
const payload = new Webhook(process.env.SWITCHBOARD_SIGNING_SECRET).verify(body, headers);
// throws when the signature, id or timestamp does not check out`,
  },
  {
    language: "Python",
    code: `from standardwebhooks.webhooks import Webhook

# body: the raw request body, headers: the request's headers
payload = Webhook(os.environ["SWITCHBOARD_SIGNING_SECRET"]).verify(body, headers)
# raises WebhookVerificationError when it does not check out`,
  },
] as const;
