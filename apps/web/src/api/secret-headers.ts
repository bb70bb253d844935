import type { SecretHeader } from "@switchboard/contracts/secret-headers";
import { useQuery } from "@tanstack/react-query";
import { get } from "../lib/api-client";

export const secretHeadersKey = ["secret-headers"] as const;

/** The admins' secret headers, values masked: managed in admin, attached to webhooks in the editor. */
export const useSecretHeaders = () =>
  useQuery({
    queryKey: secretHeadersKey,
    queryFn: () => get<{ items: SecretHeader[]; total: number }>("/api/v1/secret-headers"),
  });
