import type { CurrentUser } from "@switchboard/contracts/auth";
import { hasRole, type Role } from "@switchboard/domain/role";
import { queryOptions, useQuery } from "@tanstack/react-query";
import { ApiError, get, setCsrfToken } from "../lib/api-client";

export const sessionKey = ["session"] as const;

/** Who is signed in; null when nobody is (401). */
export const sessionQuery = () =>
  queryOptions({
    queryKey: sessionKey,
    queryFn: async (): Promise<CurrentUser | null> => {
      try {
        const me = await get<CurrentUser>("/api/v1/auth/me");
        setCsrfToken(me.csrfToken);
        return me;
      } catch (error) {
        if (error instanceof ApiError && error.problem.status === 401) {
          setCsrfToken(null);
          return null;
        }
        throw error;
      }
    },
    staleTime: 60_000,
    retry: false,
  });

export const useSession = () => useQuery(sessionQuery());

/** Whether the signed-in person's role reaches `needed`: the UI's mirror of the server's checks. */
export function useCan(needed: Role): boolean {
  const me = useSession().data;
  return !!me && hasRole(me.role, needed);
}
