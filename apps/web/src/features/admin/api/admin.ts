import type { ApiToken, User } from "@switchboard/contracts/auth";
import type { Integration } from "@switchboard/contracts/integrations";
import type { SecretHeader } from "@switchboard/contracts/secret-headers";
import type { Role, TokenScope } from "@switchboard/domain/role";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { integrationChoicesKey } from "../../../api/integration-choices";
import { secretHeadersKey } from "../../../api/secret-headers";
import { teamsKey } from "../../../api/teams";
import { api, get } from "../../../lib/api-client";

type List<T> = { items: T[]; total: number };
export type PasswordLink = { url: string; expiresAt: string };

export const adminKeys = {
  users: ["users"] as const,
  tokens: ["tokens"] as const,
  integrations: ["integrations"] as const,
  audit: (q: string) => ["audit", q] as const,
};

function useChange<I, O>(fn: (input: I) => Promise<O>, invalidate: readonly (readonly string[])[]) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    meta: { fieldErrors: true },
    onSuccess: () => Promise.all(invalidate.map((queryKey) => client.invalidateQueries({ queryKey }))),
  });
}

export const useUsers = () => useQuery({ queryKey: adminKeys.users, queryFn: () => get<List<User>>("/api/v1/users") });
export const useInviteUser = () =>
  useChange(
    (input: { email: string; name: string; role: Role }) =>
      api<{ user: User; link: PasswordLink }>("POST", "/api/v1/users", input),
    [adminKeys.users],
  );
export const useUpdateUser = () =>
  useChange(
    ({ id, ...patch }: { id: string; role?: Role; disabled?: boolean }) =>
      api<User>("PATCH", `/api/v1/users/${id}`, patch),
    [adminKeys.users],
  );
export const useDeleteUser = () =>
  useChange((id: string) => api<void>("DELETE", `/api/v1/users/${id}`), [adminKeys.users]);
export const useResetPassword = () =>
  useChange((id: string) => api<PasswordLink>("POST", `/api/v1/users/${id}/password-reset`), [adminKeys.users]);

export const useTokens = () =>
  useQuery({ queryKey: adminKeys.tokens, queryFn: () => get<List<ApiToken>>("/api/v1/tokens") });
export const useCreateToken = () =>
  useChange(
    (input: { name: string; scopes: TokenScope[] }) =>
      api<{ token: ApiToken; secret: string }>("POST", "/api/v1/tokens", input),
    [adminKeys.tokens],
  );
export const useRevokeToken = () =>
  useChange((id: string) => api<ApiToken>("DELETE", `/api/v1/tokens/${id}`), [adminKeys.tokens]);

export const useCreateSecretHeader = () =>
  useChange(
    (input: { label: string; name: string; value: string; allowedHosts: string[] }) =>
      api<SecretHeader>("POST", "/api/v1/secret-headers", input),
    [secretHeadersKey],
  );
export const useSetSecretHeaderHosts = () =>
  useChange(
    ({ id, allowedHosts }: { id: string; allowedHosts: string[] }) =>
      api<SecretHeader>("PATCH", `/api/v1/secret-headers/${id}`, { allowedHosts }),
    [secretHeadersKey],
  );
export const useRotateSecretHeader = () =>
  useChange(
    ({ id, value }: { id: string; value: string }) =>
      api<SecretHeader>("PATCH", `/api/v1/secret-headers/${id}`, { value }),
    [secretHeadersKey],
  );
export const useDeleteSecretHeader = () =>
  useChange((id: string) => api<void>("DELETE", `/api/v1/secret-headers/${id}`), [secretHeadersKey]);
export const revealSecretHeader = (id: string) => api<{ value: string }>("POST", `/api/v1/secret-headers/${id}/reveal`);

export const useIntegrations = () =>
  useQuery({ queryKey: adminKeys.integrations, queryFn: () => get<List<Integration>>("/api/v1/integrations") });
export const useCreateIntegration = () =>
  useChange(
    (input: {
      alias: string;
      url: string;
      headers: { name: string; value: string; secret: boolean }[];
      allowedHosts?: string[];
    }) => api<Integration & { signingSecret: string }>("POST", "/api/v1/integrations", input),
    [adminKeys.integrations, integrationChoicesKey],
  );
export const useSetIntegrationHosts = () =>
  useChange(
    ({ id, allowedHosts }: { id: string; allowedHosts: string[] }) =>
      api<Integration>("PATCH", `/api/v1/integrations/${id}`, { allowedHosts }),
    [adminKeys.integrations],
  );
export const useDeleteIntegration = () =>
  useChange(
    (id: string) => api<void>("DELETE", `/api/v1/integrations/${id}`),
    [adminKeys.integrations, integrationChoicesKey],
  );
export const rotateIntegrationSecret = (id: string) =>
  api<{ secret: string; previousValidUntil: string | null }>("POST", `/api/v1/integrations/${id}/signing-secret`, {
    overlapHours: 24,
  });

/** An admin reads an integration's signing secret; the API records it in the audit log. */
export const revealIntegrationSecret = (id: string) =>
  api<{ secret: string; previousValidUntil: string | null }>(
    "POST",
    `/api/v1/integrations/${id}/signing-secret/reveal`,
  );

export type AuditEvent = {
  id: string;
  at: string;
  actor: string;
  action: string;
  targetType: string;
  targetId: string | null;
};
export const useAudit = (query: string) =>
  useQuery({ queryKey: adminKeys.audit(query), queryFn: () => get<List<AuditEvent>>(`/api/v1/audit?${query}`) });

export const useCreateTeam = () =>
  useChange((input: { name: string }) => api<{ id: string }>("POST", "/api/v1/teams", input), [teamsKey]);
export const useRenameTeam = () =>
  useChange(
    ({ id, name }: { id: string; name: string }) => api<unknown>("PATCH", `/api/v1/teams/${id}`, { name }),
    [teamsKey],
  );
export const useDeleteTeam = () => useChange((id: string) => api<void>("DELETE", `/api/v1/teams/${id}`), [teamsKey]);
export const useAddMember = () =>
  useChange(
    ({ teamId, userId }: { teamId: string; userId: string }) =>
      api<unknown>("POST", `/api/v1/teams/${teamId}/members`, { userId }),
    [teamsKey],
  );
export const useRemoveMember = () =>
  useChange(
    ({ teamId, userId }: { teamId: string; userId: string }) =>
      api<void>("DELETE", `/api/v1/teams/${teamId}/members/${userId}`),
    [teamsKey],
  );
