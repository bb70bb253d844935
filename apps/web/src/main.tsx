// First, so that every feature's CSS module comes after the shared rules it refines.
import "./styles/tokens.css";
import "./styles/base.css";
// Evaluated before every other module (modules run in import order): it starts the first page's requests.
import "./app/first-requests";
import { QueryClientProvider } from "@tanstack/react-query";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { sessionKey } from "./api/session";
import { App } from "./app/App";
import { queryClient } from "./app/first-requests";
import { whenSignedOut } from "./lib/api-client";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");

// A session that ended on the server (expiry, sign-out elsewhere, reset) sends the person to sign in.
whenSignedOut(() => queryClient.setQueryData(sessionKey, null));

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App queryClient={queryClient} />
    </QueryClientProvider>
  </StrictMode>,
);
