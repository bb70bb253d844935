-- AlterTable
ALTER TABLE "menu_entry" ADD COLUMN     "continue_at_node_id" UUID;

-- CreateTable
CREATE TABLE "handoff_settings" (
    "campaign_id" INTEGER NOT NULL,
    "settings" JSONB NOT NULL,
    "webhook_id" UUID NOT NULL,
    "signing_secret" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "handoff_settings_pkey" PRIMARY KEY ("campaign_id")
);

-- CreateTable
CREATE TABLE "raffle_prize" (
    "id" UUID NOT NULL,
    "campaign_id" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "awarded" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "raffle_prize_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "raffle_entry" (
    "id" UUID NOT NULL,
    "campaign_id" INTEGER NOT NULL,
    "phone_number" TEXT NOT NULL,
    "test" BOOLEAN NOT NULL DEFAULT false,
    "session_id" UUID,
    "number" INTEGER NOT NULL,
    "won" BOOLEAN NOT NULL,
    "prize" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "raffle_entry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "survey_response" (
    "id" UUID NOT NULL,
    "campaign_id" INTEGER NOT NULL,
    "phone_number" TEXT NOT NULL,
    "test" BOOLEAN NOT NULL DEFAULT false,
    "session_id" UUID,
    "source" TEXT NOT NULL,
    "answers" JSONB NOT NULL DEFAULT '{}',
    "question_index" INTEGER NOT NULL DEFAULT 0,
    "return_to" JSONB,
    "completed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "survey_response_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "web_poll_link" (
    "id" UUID NOT NULL,
    "campaign_id" INTEGER NOT NULL,
    "phone_number" TEXT NOT NULL,
    "test" BOOLEAN NOT NULL DEFAULT false,
    "session_id" UUID,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "web_poll_link_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "raffle_prize_campaign_id_position_idx" ON "raffle_prize"("campaign_id", "position");

-- CreateIndex
CREATE UNIQUE INDEX "raffle_prize_campaign_id_name_key" ON "raffle_prize"("campaign_id", "name");

-- CreateIndex
CREATE INDEX "raffle_entry_campaign_id_created_at_idx" ON "raffle_entry"("campaign_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "raffle_entry_campaign_id_phone_number_test_key" ON "raffle_entry"("campaign_id", "phone_number", "test");

-- CreateIndex
CREATE INDEX "survey_response_campaign_id_phone_number_test_idx" ON "survey_response"("campaign_id", "phone_number", "test");

-- CreateIndex
CREATE INDEX "survey_response_campaign_id_completed_at_idx" ON "survey_response"("campaign_id", "completed_at");

-- CreateIndex
CREATE INDEX "web_poll_link_campaign_id_idx" ON "web_poll_link"("campaign_id");

-- AddForeignKey
ALTER TABLE "handoff_settings" ADD CONSTRAINT "handoff_settings_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "raffle_prize" ADD CONSTRAINT "raffle_prize_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "raffle_entry" ADD CONSTRAINT "raffle_entry_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "survey_response" ADD CONSTRAINT "survey_response_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "web_poll_link" ADD CONSTRAINT "web_poll_link_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

