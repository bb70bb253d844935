import { get } from "../../../lib/api-client";
import { downloadJson } from "../../../lib/download";

/** Downloads the chatbot's draft as a file (no secret values in it: the API leaves them out). */
export async function exportChatbot(campaignId: number, name: string): Promise<void> {
  const document = await get<unknown>(`/api/v1/campaigns/${campaignId}/export`);
  const safe = name.replace(/[^\p{L}\p{N}]+/gu, "-").replace(/^-|-$/g, "") || `campaign-${campaignId}`;
  downloadJson(`${safe}.chatbot.json`, document);
}
