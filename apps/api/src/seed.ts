import { campaignInput } from "@switchboard/contracts/campaigns";
import { importMapping } from "@switchboard/contracts/chatbot-documents";
import { senderInput } from "@switchboard/contracts/senders";
import { campaignService } from "./campaigns/campaign-service";
import { prismaCampaignStore } from "./campaigns/campaign-store";
import { loadConfigOrExit } from "./config";
import { openDatabase } from "./db/database";
import { AddressPolicy, addressRefusal } from "./dispatch/address-policy";
import { exchangeService } from "./exchange/exchange-service";
import { prismaExchangeStore } from "./exchange/exchange-store";
import { flowService } from "./flow/flow-service";
import { prismaFlowStore } from "./flow/flow-store";
import { runtimeService } from "./runtime/runtime-service";
import { RuntimeStore } from "./runtime/runtime-store";
import { openSecretBox } from "./secrets/secret-key";
import { senderService } from "./senders/sender-service";
import { prismaSenderStore } from "./senders/sender-store";

/**
 * `pnpm db:seed`: fills an installation with a demo so a newcomer sees a living product: a sender, a Raffle, the
 * EliPackage streaming chatbot made from its template, published and active, and a few conversations whose webhooks
 * wait in Deliveries. Goes through the same services as the API, so everything it writes obeys the product's rules.
 * Run once: an installation that already has the demo sender is left as it is.
 */
const DEMO_SENDER = "+15550100100";

async function main() {
  const config = loadConfigOrExit();
  const db = await openDatabase(config.database, {});
  try {
    const now = () => new Date();
    const secretBox = await openSecretBox(db.prisma, config.secretKey);
    const senderStore = prismaSenderStore(db.prisma);
    if ((await senderStore.list()).some((s) => s.address === DEMO_SENDER)) {
      process.stdout.write("The demo is already here (sender +15550100100); nothing to do.\n");
      return;
    }
    const flowStore = prismaFlowStore(db.prisma);
    const campaigns = campaignService({
      campaigns: prismaCampaignStore(db.prisma),
      senders: senderStore,
      flows: flowStore,
      now,
    });
    const addressPolicy = new AddressPolicy(config.webhookAllowedCidrs);
    const flows = flowService({
      flows: flowStore,
      seal: (plain) => secretBox.seal(plain),
      policy: config.webhookPolicy,
      checkAddress: (url) => addressRefusal(url, addressPolicy),
      activation: { check: (id) => campaigns.checkActivation(id), activate: (id) => campaigns.activate(id) },
    });
    const exchange = exchangeService({ store: prismaExchangeStore(db.prisma), flowStore, flows, campaigns });

    const sender = await senderService({
      store: senderStore,
      box: secretBox,
      publicUrl: config.channels.publicUrl,
    }).create(senderInput.parse({ name: "Demo line", channel: "sms", address: DEMO_SENDER }));
    const raffle = await campaigns.create(
      campaignInput.parse({
        name: "Raffle",
        type: "raffle_giveaway",
        channel: "sms",
        senderId: sender.id,
        status: "active",
        triggerKeywords: ["RAFFLE"],
      }),
    );
    const bot = await exchange.fromTemplate({
      templateId: "elipackage-streaming",
      senderId: sender.id,
      name: "EliPackage streaming (demo)",
      mapping: importMapping.parse({}),
    });
    await campaigns.update(bot.id, { triggerKeywords: ["STREAM"] });
    await flows.publish(bot.id, { note: "The demo's first version", activate: true }, "pnpm db:seed");

    const runtime = runtimeService({
      store: new RuntimeStore(db.pool, { maxBatch: 8, maxConcurrent: 1 }),
      drafts: (id) => flows.draftSnapshot(id),
      now,
    });
    const people = [
      ["+15550100201", "1", "Ada"],
      ["+15550100202", "2", "Grace"],
      ["+15550100203", "3", "Linus"],
    ];
    for (const [phone, choice, name] of people) {
      for (const text of ["STREAM", choice, name]) {
        await runtime.receive({ channel: "sms", from: phone as string, to: DEMO_SENDER, text: text as string });
      }
    }
    const queued = await db.prisma.delivery.count({ where: { campaignId: bot.id } });
    process.stdout.write(
      `Seeded: sender ${DEMO_SENDER}, campaign ${raffle.id} (Raffle), chatbot ${bot.id} (text STREAM), ` +
        `${people.length} conversations and ${queued} deliveries.\n`,
    );
  } finally {
    await db.close();
  }
}

main().catch((error) => {
  console.error(`Seeding failed: ${(error as Error).message}`);
  process.exit(1);
});
