// For suites and benchmarks that start the built API as a process: its first admin comes from the environment, and
// these sign in to it over HTTP.

export const REMOTE_ADMIN = { email: "admin@example.com", password: "correct horse battery staple" };
export const REMOTE_ADMIN_ENV = { ADMIN_EMAIL: REMOTE_ADMIN.email, ADMIN_PASSWORD: REMOTE_ADMIN.password };

export interface RemoteCredentials {
  /** Cookie and X-CSRF-Token of an admin session: for management calls. */
  session: Record<string, string>;
  /** Authorization for the inbound channel: an API token with the inbound scope. */
  inbound: Record<string, string>;
}

export async function signInRemote(url: string): Promise<RemoteCredentials> {
  const res = await fetch(`${url}/api/v1/auth/sign-in`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(REMOTE_ADMIN),
  });
  if (!res.ok) throw new Error(`sign-in answered ${res.status}: ${await res.text()}`);
  const me = (await res.json()) as { csrfToken: string };
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  const session = { cookie, "x-csrf-token": me.csrfToken };
  const created = await fetch(`${url}/api/v1/tokens`, {
    method: "POST",
    headers: { ...session, "content-type": "application/json" },
    body: JSON.stringify({ name: "inbound", scopes: ["inbound"] }),
  });
  if (!created.ok) throw new Error(`token creation answered ${created.status}: ${await created.text()}`);
  const { secret } = (await created.json()) as { secret: string };
  return { session, inbound: { authorization: `Bearer ${secret}` } };
}
