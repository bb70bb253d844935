-- CreateEnum
CREATE TYPE "SessionStatus" AS ENUM ('active', 'ended', 'handed_off', 'live_chat');

-- CreateEnum
CREATE TYPE "MessageDirection" AS ENUM ('inbound', 'outbound');

-- CreateEnum
CREATE TYPE "DeliveryStatus" AS ENUM ('pending', 'sending', 'delivered', 'failed', 'cancelled');

-- AlterTable
ALTER TABLE "campaign" ADD COLUMN     "published_version" INTEGER;

-- AlterTable
ALTER TABLE "node" ADD COLUMN     "confirmation_text" TEXT;

-- CreateTable
CREATE TABLE "flow_version" (
    "id" UUID NOT NULL,
    "campaign_id" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "snapshot" JSONB NOT NULL,
    "warnings" JSONB NOT NULL DEFAULT '[]',
    "published_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "flow_version_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contact" (
    "id" UUID NOT NULL,
    "phone_number" TEXT NOT NULL,
    "test" BOOLEAN NOT NULL DEFAULT false,
    "attributes" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "contact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "conversation_session" (
    "id" UUID NOT NULL,
    "sender_id" UUID NOT NULL,
    "phone_number" TEXT NOT NULL,
    "campaign_id" INTEGER NOT NULL,
    "flow_version" INTEGER NOT NULL,
    "node_id" TEXT NOT NULL,
    "awaiting_entry_id" TEXT,
    "status" "SessionStatus" NOT NULL,
    "test" BOOLEAN NOT NULL DEFAULT false,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "last_activity_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "conversation_session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "conversation_message" (
    "id" UUID NOT NULL,
    "seq" BIGSERIAL NOT NULL,
    "session_id" UUID,
    "sender_id" UUID NOT NULL,
    "phone_number" TEXT NOT NULL,
    "direction" "MessageDirection" NOT NULL,
    "text" TEXT NOT NULL,
    "options" JSONB,
    "provider_message_id" TEXT,
    "result" JSONB,
    "test" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "conversation_message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "delivery" (
    "id" UUID NOT NULL,
    "campaign_id" INTEGER NOT NULL,
    "entry_id" TEXT NOT NULL,
    "node_id" TEXT NOT NULL,
    "session_id" UUID,
    "mode" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "headers" JSONB NOT NULL,
    "payload" TEXT NOT NULL,
    "test" BOOLEAN NOT NULL DEFAULT false,
    "status" "DeliveryStatus" NOT NULL DEFAULT 'pending',
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "delivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "flow_version_campaign_id_version_key" ON "flow_version"("campaign_id", "version");

-- CreateIndex
CREATE UNIQUE INDEX "contact_phone_number_test_key" ON "contact"("phone_number", "test");

-- CreateIndex
CREATE INDEX "conversation_session_sender_id_phone_number_test_started_at_idx" ON "conversation_session"("sender_id", "phone_number", "test", "started_at" DESC);

-- CreateIndex
CREATE INDEX "conversation_session_campaign_id_started_at_idx" ON "conversation_session"("campaign_id", "started_at");

-- CreateIndex
CREATE INDEX "conversation_message_session_id_seq_idx" ON "conversation_message"("session_id", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "conversation_message_sender_id_provider_message_id_key" ON "conversation_message"("sender_id", "provider_message_id");

-- CreateIndex
CREATE INDEX "delivery_status_created_at_idx" ON "delivery"("status", "created_at");

-- CreateIndex
CREATE INDEX "delivery_campaign_id_entry_id_created_at_idx" ON "delivery"("campaign_id", "entry_id", "created_at");

-- AddForeignKey
ALTER TABLE "flow_version" ADD CONSTRAINT "flow_version_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conversation_session" ADD CONSTRAINT "conversation_session_sender_id_fkey" FOREIGN KEY ("sender_id") REFERENCES "sender"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conversation_session" ADD CONSTRAINT "conversation_session_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "conversation_message" ADD CONSTRAINT "conversation_message_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "conversation_session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

