-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "CampaignType" AS ENUM ('chatbot', 'raffle_giveaway', 'polls_surveys', 'web_polls_surveys');

-- CreateEnum
CREATE TYPE "Channel" AS ENUM ('sms', 'whatsapp');

-- CreateEnum
CREATE TYPE "CampaignStatus" AS ENUM ('draft', 'active', 'ended');

-- CreateEnum
CREATE TYPE "NodeKind" AS ENUM ('welcome', 'interaction');

-- CreateEnum
CREATE TYPE "RedirectType" AS ENUM ('interaction', 'campaign', 'webhook', 'attribute', 'live_chat', 'integration');

-- CreateTable
CREATE TABLE "sender" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "channel" "Channel" NOT NULL,
    "address" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sender_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "campaign" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "type" "CampaignType" NOT NULL,
    "channel" "Channel" NOT NULL,
    "sender_id" UUID NOT NULL,
    "status" "CampaignStatus" NOT NULL DEFAULT 'draft',
    "trigger_keywords" TEXT[],
    "auto_reply" BOOLEAN NOT NULL DEFAULT false,
    "expires_at" TIMESTAMPTZ(3),
    "expires_after_hours" INTEGER,
    "activated_at" TIMESTAMPTZ(3),
    "session_timeout_minutes" INTEGER NOT NULL DEFAULT 1440,
    "closing_text" TEXT,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "campaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "node" (
    "id" UUID NOT NULL,
    "campaign_id" INTEGER NOT NULL,
    "kind" "NodeKind" NOT NULL,
    "label" TEXT NOT NULL,
    "message" TEXT NOT NULL DEFAULT '',
    "position" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "node_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "menu_entry" (
    "id" UUID NOT NULL,
    "node_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "keyword" TEXT NOT NULL,
    "menu_text" TEXT,
    "redirect_type" "RedirectType",
    "redirect_node_id" UUID,
    "redirect_campaign_id" INTEGER,
    "redirect_integration_id" UUID,
    "attribute" TEXT,
    "webhook_enabled" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "menu_entry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook" (
    "id" UUID NOT NULL,
    "entry_id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "body" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "webhook_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "webhook_header" (
    "id" UUID NOT NULL,
    "webhook_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "secret" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "webhook_header_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "sender_channel_address_key" ON "sender"("channel", "address");

-- CreateIndex
CREATE INDEX "campaign_sender_id_channel_status_idx" ON "campaign"("sender_id", "channel", "status");

-- CreateIndex
CREATE INDEX "node_campaign_id_position_idx" ON "node"("campaign_id", "position");

-- CreateIndex
CREATE INDEX "menu_entry_node_id_position_idx" ON "menu_entry"("node_id", "position");

-- CreateIndex
CREATE INDEX "menu_entry_redirect_node_id_idx" ON "menu_entry"("redirect_node_id");

-- CreateIndex
CREATE INDEX "menu_entry_redirect_campaign_id_idx" ON "menu_entry"("redirect_campaign_id");

-- CreateIndex
CREATE UNIQUE INDEX "webhook_entry_id_key" ON "webhook"("entry_id");

-- CreateIndex
CREATE INDEX "webhook_header_webhook_id_position_idx" ON "webhook_header"("webhook_id", "position");

-- AddForeignKey
ALTER TABLE "campaign" ADD CONSTRAINT "campaign_sender_id_fkey" FOREIGN KEY ("sender_id") REFERENCES "sender"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "node" ADD CONSTRAINT "node_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "menu_entry" ADD CONSTRAINT "menu_entry_node_id_fkey" FOREIGN KEY ("node_id") REFERENCES "node"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "menu_entry" ADD CONSTRAINT "menu_entry_redirect_node_id_fkey" FOREIGN KEY ("redirect_node_id") REFERENCES "node"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "menu_entry" ADD CONSTRAINT "menu_entry_redirect_campaign_id_fkey" FOREIGN KEY ("redirect_campaign_id") REFERENCES "campaign"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook" ADD CONSTRAINT "webhook_entry_id_fkey" FOREIGN KEY ("entry_id") REFERENCES "menu_entry"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "webhook_header" ADD CONSTRAINT "webhook_header_webhook_id_fkey" FOREIGN KEY ("webhook_id") REFERENCES "webhook"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Public campaign ids read like the ones customers already know ("campaignId": "13010"): five digits from the start.
ALTER SEQUENCE "campaign_id_seq" RESTART WITH 10000;
