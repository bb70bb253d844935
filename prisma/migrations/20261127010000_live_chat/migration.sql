-- AlterEnum
ALTER TYPE "Role" ADD VALUE 'agent';

-- AlterTable
ALTER TABLE "menu_entry" ADD COLUMN     "live_chat" JSONB;

-- AlterTable
ALTER TABLE "conversation_message" ADD COLUMN     "agent_id" UUID,
ADD COLUMN     "delivery_id" UUID;

-- CreateTable
CREATE TABLE "team" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "team_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "team_member" (
    "team_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "added_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "team_member_pkey" PRIMARY KEY ("team_id","user_id")
);

-- CreateTable
CREATE TABLE "live_chat_conversation" (
    "id" UUID NOT NULL,
    "sender_id" UUID NOT NULL,
    "phone_number" TEXT NOT NULL,
    "session_id" UUID NOT NULL,
    "campaign_id" INTEGER NOT NULL,
    "entry_id" TEXT NOT NULL,
    "team_id" UUID,
    "agent_id" UUID,
    "state" TEXT NOT NULL,
    "settings" JSONB NOT NULL,
    "waiting_since" TIMESTAMPTZ(3) NOT NULL,
    "taken_at" TIMESTAMPTZ(3),
    "first_reply_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),
    "closed_reason" TEXT,
    "unread" INTEGER NOT NULL DEFAULT 0,
    "last_message" TEXT,
    "last_inbound_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "live_chat_conversation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "inbox_event" (
    "id" BIGSERIAL NOT NULL,
    "type" TEXT NOT NULL,
    "conversation_id" UUID NOT NULL,
    "team_id" UUID,
    "agent_id" UUID,
    "item" JSONB,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "inbox_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "team_name_key" ON "team"("name");

-- CreateIndex
CREATE INDEX "team_member_user_id_idx" ON "team_member"("user_id");

-- CreateIndex
CREATE INDEX "live_chat_conversation_state_team_id_idx" ON "live_chat_conversation"("state", "team_id");

-- CreateIndex
CREATE INDEX "live_chat_conversation_session_id_idx" ON "live_chat_conversation"("session_id");

-- CreateIndex
CREATE INDEX "live_chat_conversation_agent_id_state_idx" ON "live_chat_conversation"("agent_id", "state");

-- CreateIndex
CREATE INDEX "live_chat_conversation_closed_at_idx" ON "live_chat_conversation"("closed_at");

-- CreateIndex
CREATE INDEX "inbox_event_conversation_id_id_idx" ON "inbox_event"("conversation_id", "id");

-- AddForeignKey
ALTER TABLE "team_member" ADD CONSTRAINT "team_member_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "team"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "team_member" ADD CONSTRAINT "team_member_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "live_chat_conversation" ADD CONSTRAINT "live_chat_conversation_session_id_fkey" FOREIGN KEY ("session_id") REFERENCES "conversation_session"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "live_chat_conversation" ADD CONSTRAINT "live_chat_conversation_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "team"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "live_chat_conversation" ADD CONSTRAINT "live_chat_conversation_agent_id_fkey" FOREIGN KEY ("agent_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

