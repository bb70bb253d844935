import { createBrowserRouter, Navigate } from "react-router";
import { CampaignsPage } from "../features/campaigns/components/CampaignsPage";
import { ConversationsPage } from "../features/conversations/components/ConversationsPage";
import { DeliveriesPage } from "../features/deliveries/components/DeliveriesPage";
import { EditorPage } from "../features/editor/components/EditorPage";
import { SendersPage } from "../features/senders/components/SendersPage";
import { Layout } from "./Layout";

export const router = createBrowserRouter([
  {
    path: "/",
    element: <Layout />,
    children: [
      { index: true, element: <Navigate to="/campaigns" replace /> },
      { path: "campaigns", element: <CampaignsPage /> },
      { path: "campaigns/:campaignId", element: <EditorPage /> },
      { path: "campaigns/:campaignId/conversations", element: <ConversationsPage /> },
      { path: "senders", element: <SendersPage /> },
      { path: "deliveries", element: <DeliveriesPage /> },
      { path: "*", element: <p className="page">This page does not exist.</p> },
    ],
  },
]);
