import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type FullConfig, request } from "@playwright/test";
import { ADMIN, ADMIN_CSRF, ADMIN_STATE } from "./support/accounts";

/** Signs the admin in once; every test starts signed in as that admin (its browser and its API requests). */
export default async function globalSetup(config: FullConfig) {
  const baseURL = config.projects[0]?.use.baseURL;
  const api = await request.newContext({ baseURL });
  const res = await api.post("/api/v1/auth/sign-in", { data: ADMIN });
  if (!res.ok()) throw new Error(`The e2e admin could not sign in (${res.status()}): ${await res.text()}`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  mkdirSync(path.dirname(ADMIN_STATE), { recursive: true });
  await api.storageState({ path: ADMIN_STATE });
  writeFileSync(ADMIN_CSRF, csrfToken);
  await api.dispose();
}
