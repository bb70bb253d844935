import path from "node:path";

// The suite's own instance starts with this admin (start-server.mjs); against another instance, set E2E_ADMIN_EMAIL
// and E2E_ADMIN_PASSWORD.
export const ADMIN = {
  email: process.env.E2E_ADMIN_EMAIL ?? "admin@example.com",
  password: process.env.E2E_ADMIN_PASSWORD ?? "e2e admin passphrase",
};

/** Where global setup leaves the admin's signed-in browser state and CSRF token for the tests. */
export const ADMIN_STATE = path.join(import.meta.dirname, "..", ".auth", "admin.json");
export const ADMIN_CSRF = path.join(import.meta.dirname, "..", ".auth", "admin-csrf.txt");
