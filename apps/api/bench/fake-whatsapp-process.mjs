// The channels benchmark's WhatsApp Cloud API, in its own process (so that it does not share a core with the load):
// the tests' fake, reporting its port, then on request every message it accepted as [to, callback data, time].
import { startFakeWhatsapp } from "../test/support/fake-whatsapp.mjs";

const fake = await startFakeWhatsapp();
const accepted = [];
fake.onMessage((m) => accepted.push([m.body.to, m.body.biz_opaque_callback_data, m.at]));
process.on("message", (m) => {
  if (m.cmd === "drain") {
    process.send({ cmd: "drained", accepted: accepted.splice(0) });
  }
});
process.send({
  cmd: "ready",
  url: fake.url,
  phoneNumberId: fake.phoneNumberId,
  accessToken: fake.accessToken,
  appSecret: fake.appSecret,
  businessAccountId: fake.businessAccountId,
});
