import type { optOutList } from "@switchboard/contracts/channels";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import { get } from "../../../lib/api-client";

/** The numbers opted out of a sender (or of every sender), newest first. Admins only. */
export const useOptOuts = (senderId: string) =>
  useQuery({
    queryKey: ["opt-outs", senderId] as const,
    queryFn: () =>
      get<z.infer<typeof optOutList>>(`/api/v1/opt-outs?${new URLSearchParams(senderId ? { senderId } : {})}`),
    placeholderData: keepPreviousData,
  });

/** The CSV export, downloaded by the browser with the session's cookie. */
export const optOutsCsvUrl = "/api/v1/opt-outs.csv";
