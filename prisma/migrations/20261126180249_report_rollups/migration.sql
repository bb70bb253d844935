-- CreateTable
CREATE TABLE "report_hour" (
    "campaign_id" INTEGER NOT NULL,
    "hour" TIMESTAMPTZ(0) NOT NULL,
    "messages_in" INTEGER NOT NULL DEFAULT 0,
    "messages_out" INTEGER NOT NULL DEFAULT 0,
    "started" INTEGER NOT NULL DEFAULT 0,
    "finished" INTEGER NOT NULL DEFAULT 0,
    "expired" INTEGER NOT NULL DEFAULT 0,
    "handed_off" INTEGER NOT NULL DEFAULT 0,
    "participated" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "report_hour_pkey" PRIMARY KEY ("campaign_id","hour")
);

-- CreateTable
CREATE TABLE "report_node_hour" (
    "campaign_id" INTEGER NOT NULL,
    "hour" TIMESTAMPTZ(0) NOT NULL,
    "node_id" TEXT NOT NULL,
    "reached" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "report_node_hour_pkey" PRIMARY KEY ("campaign_id","hour","node_id")
);

-- CreateTable
CREATE TABLE "report_entry_hour" (
    "campaign_id" INTEGER NOT NULL,
    "hour" TIMESTAMPTZ(0) NOT NULL,
    "entry_id" TEXT NOT NULL,
    "node_id" TEXT NOT NULL,
    "chosen" INTEGER NOT NULL DEFAULT 0,
    "deliveries" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "report_entry_hour_pkey" PRIMARY KEY ("campaign_id","hour","entry_id")
);

-- CreateTable
CREATE TABLE "report_attempt_hour" (
    "campaign_id" INTEGER NOT NULL,
    "hour" TIMESTAMPTZ(0) NOT NULL,
    "entry_id" TEXT NOT NULL,
    "bucket" INTEGER NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "delivered" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "report_attempt_hour_pkey" PRIMARY KEY ("campaign_id","hour","entry_id","bucket")
);

-- CreateTable
CREATE TABLE "report_participant" (
    "campaign_id" INTEGER NOT NULL,
    "hour" TIMESTAMPTZ(0) NOT NULL,
    "phone_number" TEXT NOT NULL,

    CONSTRAINT "report_participant_pkey" PRIMARY KEY ("campaign_id","hour","phone_number")
);

-- CreateTable
CREATE TABLE "report_session_mark" (
    "session_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "campaign_id" INTEGER NOT NULL,

    CONSTRAINT "report_session_mark_pkey" PRIMARY KEY ("session_id","kind")
);

-- CreateTable
CREATE TABLE "report_answer" (
    "id" BIGSERIAL NOT NULL,
    "campaign_id" INTEGER NOT NULL,
    "entry_id" TEXT NOT NULL,
    "node_id" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "report_answer_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "report_session_mark_campaign_id_idx" ON "report_session_mark"("campaign_id");

-- CreateIndex
CREATE INDEX "report_answer_campaign_id_entry_id_at_idx" ON "report_answer"("campaign_id", "entry_id", "at");

-- AddForeignKey
ALTER TABLE "report_hour" ADD CONSTRAINT "report_hour_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "report_node_hour" ADD CONSTRAINT "report_node_hour_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "report_entry_hour" ADD CONSTRAINT "report_entry_hour_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "report_attempt_hour" ADD CONSTRAINT "report_attempt_hour_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "report_participant" ADD CONSTRAINT "report_participant_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "report_session_mark" ADD CONSTRAINT "report_session_mark_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "report_answer" ADD CONSTRAINT "report_answer_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaign"("id") ON DELETE CASCADE ON UPDATE CASCADE;

