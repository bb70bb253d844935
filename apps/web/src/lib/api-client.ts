import type { Problem } from "@switchboard/contracts/common";

/** An API answer that was not a success: the problem details, or a stand-in when the server could not be reached. */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title);
  }

  /** The message for one field, with the path as the API names it (e.g. `body.name`). */
  fieldMessage(path: string): string | undefined {
    return this.problem.errors?.find((e) => e.path === path)?.message;
  }
}

type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

/** The signed-in session's CSRF token, sent with every change (the session cookie alone is not enough). */
let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Told when the server says the session is gone (expired, signed out elsewhere), so the app can ask to sign in. */
let onSignedOut: () => void = () => {};
export function whenSignedOut(listener: () => void): void {
  onSignedOut = listener;
}

export interface RequestOptions {
  /** The request outlives the page (sent while it unloads). */
  keepalive?: boolean;
}

export async function api<T>(method: Method, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  let res: Response;
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["x-csrf-token"] = csrfToken;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: "same-origin",
      keepalive: options.keepalive,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError({
      type: "network",
      title: "Cannot reach Switchboard",
      status: 0,
      detail: "Cannot reach the server; check your connection and try again.",
    });
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (res.status === 401 && !path.startsWith("/api/v1/auth/")) onSignedOut();
  if (!res.ok) {
    throw new ApiError(
      data?.title
        ? data
        : {
            type: "unknown",
            title: "Unexpected answer",
            status: res.status,
            detail: `The server answered ${res.status}.`,
          },
    );
  }
  return data as T;
}

export const get = <T>(path: string) => api<T>("GET", path);
