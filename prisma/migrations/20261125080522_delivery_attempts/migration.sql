-- DropIndex
DROP INDEX "delivery_status_created_at_idx";

-- AlterTable
ALTER TABLE "webhook" ADD COLUMN     "signing_secret" TEXT;

-- AlterTable
ALTER TABLE "delivery" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "delivered_at" TIMESTAMPTZ(3),
ADD COLUMN     "last_error" TEXT,
ADD COLUMN     "last_status" INTEGER,
ADD COLUMN     "lease_until" TIMESTAMPTZ(3),
ADD COLUMN     "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "signing_secret" TEXT;

-- CreateTable
CREATE TABLE "delivery_attempt" (
    "id" UUID NOT NULL,
    "delivery_id" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "duration_ms" INTEGER NOT NULL,
    "request_headers" JSONB NOT NULL,
    "status" INTEGER,
    "response_excerpt" TEXT NOT NULL DEFAULT '',
    "error_class" TEXT,
    "error_message" TEXT,

    CONSTRAINT "delivery_attempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "delivery_attempt_delivery_id_number_idx" ON "delivery_attempt"("delivery_id", "number");

-- CreateIndex
CREATE INDEX "delivery_status_next_attempt_at_idx" ON "delivery"("status", "next_attempt_at");

-- AddForeignKey
ALTER TABLE "delivery_attempt" ADD CONSTRAINT "delivery_attempt_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "delivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Every existing webhook gets its own signing secret: whsec_ and 32 random bytes (from two built-in random UUIDs).
UPDATE "webhook"
   SET "signing_secret" = 'whsec_' || encode(decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'), 'base64')
 WHERE "signing_secret" IS NULL;
