-- CreateTable
CREATE TABLE "report_event" (
    "id" BIGSERIAL NOT NULL,
    "body" TEXT NOT NULL,

    CONSTRAINT "report_event_pkey" PRIMARY KEY ("id")
);
