import type { CurrentUser } from "@switchboard/contracts/auth";
import { hasRole, type Role } from "@switchboard/domain/role";
import { queryOptions, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ApiError, api, get, setCsrfToken } from "../../../lib/api-client";

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

function useSignedIn() {
  const client = useQueryClient();
  return (me: CurrentUser) => {
    setCsrfToken(me.csrfToken);
    // Whatever another account saw must not show for this one.
    client.clear();
    client.setQueryData(sessionKey, me);
  };
}

export function useSignIn() {
  const signedIn = useSignedIn();
  return useMutation({
    mutationFn: (input: { email: string; password: string }) => api<CurrentUser>("POST", "/api/v1/auth/sign-in", input),
    meta: { fieldErrors: true, quiet: true },
    onSuccess: signedIn,
  });
}

export function useSetPassword() {
  const signedIn = useSignedIn();
  return useMutation({
    mutationFn: (input: { token: string; password: string; email?: string; name?: string }) =>
      input.email
        ? api<CurrentUser>("POST", "/api/v1/auth/setup", input)
        : api<CurrentUser>("POST", "/api/v1/auth/set-password", { token: input.token, password: input.password }),
    meta: { fieldErrors: true, quiet: true },
    onSuccess: signedIn,
  });
}

export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>("POST", "/api/v1/auth/sign-out"),
    onSettled: () => {
      setCsrfToken(null);
      client.clear();
      client.setQueryData(sessionKey, null);
    },
  });
}

export const linkStatusQuery = (token: string) =>
  queryOptions({
    queryKey: ["link", token],
    queryFn: () =>
      get<{ purpose: "setup" | "invite" | "reset"; email: string | null; expiresAt: string }>(
        `/api/v1/auth/links/${encodeURIComponent(token)}`,
      ),
    retry: false,
  });
