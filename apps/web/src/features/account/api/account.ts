import type { CurrentUser } from "@switchboard/contracts/auth";
import { queryOptions, useMutation, useQueryClient } from "@tanstack/react-query";
import { sessionKey } from "../../../api/session";
import { api, get, setCsrfToken } from "../../../lib/api-client";

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
