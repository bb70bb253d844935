import { useQuery } from "@tanstack/react-query";
import { get } from "../lib/api-client";

export const integrationChoicesKey = ["integration-choices"] as const;

/** The saved integrations by alias, as Redirect To offers them (readable by every role; admins change them). */
export const useIntegrationChoices = () =>
  useQuery({
    queryKey: integrationChoicesKey,
    queryFn: () => get<{ items: { id: string; alias: string }[] }>("/api/v1/integration-choices"),
  });
