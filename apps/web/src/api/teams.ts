import type { teamList } from "@switchboard/contracts/live-chat";
import { useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import { get } from "../lib/api-client";

export const teamsKey = ["teams"] as const;

/** The Live Chat teams with their members: managed by admins, picked in the editor and when transferring. */
export const useTeams = () =>
  useQuery({ queryKey: teamsKey, queryFn: () => get<z.infer<typeof teamList>>("/api/v1/teams"), retry: false });
