-- AlterTable
ALTER TABLE "sender" ADD COLUMN     "credentials" TEXT,
ADD COLUMN     "opt_out" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "provider" TEXT NOT NULL DEFAULT 'http',
ADD COLUMN     "settings" JSONB NOT NULL DEFAULT '{}';

-- AlterTable
ALTER TABLE "delivery" ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'webhook',
ADD COLUMN     "message_text" TEXT,
ADD COLUMN     "phone_number" TEXT,
ADD COLUMN     "provider_error" TEXT,
ADD COLUMN     "provider_message_id" TEXT,
ADD COLUMN     "provider_status" TEXT,
ADD COLUMN     "provider_status_at" TIMESTAMPTZ(3),
ADD COLUMN     "sender_id" UUID,
ADD COLUMN     "seq" BIGSERIAL NOT NULL;

-- CreateTable
CREATE TABLE "opt_out" (
    "sender_id" UUID NOT NULL,
    "phone_number" TEXT NOT NULL,
    "keyword" TEXT NOT NULL,
    "opted_out_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "opt_out_pkey" PRIMARY KEY ("sender_id","phone_number")
);

-- CreateIndex
CREATE INDEX "delivery_sender_id_phone_number_seq_idx" ON "delivery"("sender_id", "phone_number", "seq");

-- CreateIndex
CREATE INDEX "delivery_provider_message_id_idx" ON "delivery"("provider_message_id");

-- AddForeignKey
ALTER TABLE "opt_out" ADD CONSTRAINT "opt_out_sender_id_fkey" FOREIGN KEY ("sender_id") REFERENCES "sender"("id") ON DELETE CASCADE ON UPDATE CASCADE;

