import type { team } from "@switchboard/contracts/live-chat";
import { useQuery } from "@tanstack/react-query";
import type { z } from "zod";
import { get } from "../lib/api-client";

export type Team = z.infer<typeof team>;

export const teamsKey = ["teams"] as const;

/** Live Chat's teams with their members: an entry's team in the editor, a file's team when importing. */
export const useTeams = () =>
  useQuery({
    queryKey: teamsKey,
    queryFn: () => get<{ items: Team[]; total: number }>("/api/v1/teams"),
  });
