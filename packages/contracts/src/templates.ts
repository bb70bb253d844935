import { CAMPAIGN_NAME_MAX, channels } from "@switchboard/domain/campaign";
import { z } from "zod";
import { importMapping } from "./chatbot-documents";
import { userText, uuid } from "./common";

export const chatbotTemplate = z
  .object({ id: z.string(), name: z.string(), description: z.string(), channel: z.enum(channels) })
  .meta({ id: "ChatbotTemplate" });

export const chatbotTemplateList = z.object({ items: z.array(chatbotTemplate) }).meta({ id: "ChatbotTemplateList" });

export const fromTemplateInput = z
  .strictObject({
    templateId: z.string().max(64),
    name: userText().trim().min(1).max(CAMPAIGN_NAME_MAX).optional(),
    senderId: uuid,
    mapping: importMapping,
  })
  .meta({ id: "FromTemplateInput" });
