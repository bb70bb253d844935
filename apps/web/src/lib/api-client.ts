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

export async function api<T>(method: Method, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      headers:
        body === undefined
          ? { accept: "application/json" }
          : { "content-type": "application/json", accept: "application/json" },
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
