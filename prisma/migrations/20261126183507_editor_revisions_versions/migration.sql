-- AlterTable
ALTER TABLE "campaign" ADD COLUMN     "flow_revision" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "published_flow_revision" INTEGER;

-- A chatbot published before revisions were counted is taken as published from its current draft.
UPDATE "campaign" SET "published_flow_revision" = "flow_revision" WHERE "published_version" IS NOT NULL;

-- AlterTable: JSON text keeps the Body's keys in the order typed (jsonb sorts them); the stored order of older rows is
-- already lost and stays jsonb's.
ALTER TABLE "webhook" ALTER COLUMN "body" DROP DEFAULT;
ALTER TABLE "webhook" ALTER COLUMN "body" SET DATA TYPE TEXT USING "body"::text;
ALTER TABLE "webhook" ALTER COLUMN "body" SET DEFAULT '{}';

-- AlterTable
ALTER TABLE "flow_version" ADD COLUMN     "note" TEXT,
ADD COLUMN     "published_by" TEXT,
ALTER COLUMN "snapshot" SET DATA TYPE TEXT USING "snapshot"::text;
