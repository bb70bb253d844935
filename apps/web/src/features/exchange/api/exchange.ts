import type { Campaign } from "@switchboard/contracts/campaigns";
import type { ChatbotDocumentInput, ImportInput, ImportPlan } from "@switchboard/contracts/chatbot-documents";
import type { chatbotTemplateList, fromTemplateInput } from "@switchboard/contracts/templates";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import { campaignKeys } from "../../../api/campaigns";
import { api, get } from "../../../lib/api-client";

/** What importing this file with this mapping would need and find wrong, without writing anything. */
export const useImportPlan = (input: ImportInput | null) =>
  useQuery({
    queryKey: ["import-plan", input] as const,
    queryFn: () => api<ImportPlan>("POST", "/api/v1/campaign-imports/plan", input),
    enabled: input !== null,
    retry: false,
  });

export function useImport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ImportInput) => api<Campaign>("POST", "/api/v1/campaign-imports", input),
    meta: { fieldErrors: true },
    onSuccess: () => client.invalidateQueries({ queryKey: campaignKeys.all }),
  });
}

export const useTemplates = () =>
  useQuery({
    queryKey: ["chatbot-templates"],
    queryFn: () => get<z.infer<typeof chatbotTemplateList>>("/api/v1/chatbot-templates"),
  });

export function useFromTemplate() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: z.input<typeof fromTemplateInput>) =>
      api<Campaign>("POST", "/api/v1/chatbot-templates/campaigns", input),
    meta: { fieldErrors: true },
    onSuccess: () => client.invalidateQueries({ queryKey: campaignKeys.all }),
  });
}

export type ChatbotDocument = ChatbotDocumentInput;
