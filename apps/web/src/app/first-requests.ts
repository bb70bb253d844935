import { requestFirstPage } from "./page-requests";
import { createQueryClient } from "./query-client";

/**
 * The app's query client, made by the first module main.tsx evaluates so the page's requests leave before React, the
 * router and every page's code are evaluated (modules run in import order).
 */
export const queryClient = createQueryClient();
requestFirstPage(queryClient, window.location.pathname);
