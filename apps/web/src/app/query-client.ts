import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { ApiError } from "../lib/api-client";
import { showToast } from "./toasts";

/** The one place that turns failed requests into error toasts; forms still place field errors beside their fields. */
export function createQueryClient() {
  const report = (error: unknown) => {
    const message = error instanceof ApiError ? error.message : "Something went wrong.";
    showToast({ kind: "error", message });
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError: report }),
    mutationCache: new MutationCache({
      onError: (error, _vars, _ctx, mutation) => {
        // Validation problems are shown beside the fields by the form that sent them.
        if (error instanceof ApiError && error.problem.errors?.length && mutation.meta?.fieldErrors) return;
        report(error);
      },
    }),
    defaultOptions: { queries: { staleTime: 10_000, retry: 1 } },
  });
}
