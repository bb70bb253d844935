import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { ApiError } from "../lib/api-client";
import { showToast } from "../lib/toasts";

/** The one place that turns failed requests into error toasts; forms still place field errors beside their fields. */
export function createQueryClient() {
  const report = (error: unknown) => {
    if (error instanceof ApiError && error.problem.status === 401) return;
    const message = error instanceof ApiError ? error.message : "Something went wrong.";
    showToast({ kind: "error", message });
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError: report }),
    mutationCache: new MutationCache({
      onError: (error, _vars, _ctx, mutation) => {
        // Validation problems are shown beside the fields by the form that sent them.
        if (error instanceof ApiError && error.problem.errors?.length && mutation.meta?.fieldErrors) return;
        // Forms that show their own answer (sign-in) need no toast.
        if (mutation.meta?.quiet) return;
        // A lost session sends the person to sign in; a toast would only repeat it.
        if (error instanceof ApiError && error.problem.status === 401) return;
        report(error);
      },
    }),
    defaultOptions: { queries: { staleTime: 10_000, retry: 1 } },
  });
}
