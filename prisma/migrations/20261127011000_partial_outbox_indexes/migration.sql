-- Decision 0041: the indexes of outbound messages cover only the rows their statements read, so that a webhook (most
-- of the outbox) and an outbound transcript line maintain none of them. Prisma's schema cannot say WHERE: schema.prisma
-- keeps these indexes' columns and names, and this migration makes them partial.

-- A conversation's messages still in the outbox: read by the turn's load (messages_waiting) and by every claim of a
-- message (an earlier one still pending or sending holds it back).
DROP INDEX "delivery_sender_id_phone_number_seq_idx";
CREATE INDEX "delivery_sender_id_phone_number_seq_idx" ON "delivery"("sender_id", "phone_number", "seq")
  WHERE "kind" = 'message' AND "status" IN ('pending', 'sending');

-- Only messages the provider has named have a provider id.
DROP INDEX "delivery_provider_message_id_idx";
CREATE INDEX "delivery_provider_message_id_idx" ON "delivery"("provider_message_id")
  WHERE "provider_message_id" IS NOT NULL;

-- A user's last inbound message (WhatsApp's 24-hour window, read when a message is claimed).
DROP INDEX "conversation_message_sender_id_phone_number_created_at_idx";
CREATE INDEX "conversation_message_sender_id_phone_number_created_at_idx"
  ON "conversation_message"("sender_id", "phone_number", "created_at" DESC)
  WHERE "direction" = 'inbound';

-- A conversation's outbound messages (the Conversations view), which read the whole outbox without it.
CREATE INDEX "delivery_session_id_seq_idx" ON "delivery"("session_id", "seq") WHERE "kind" = 'message';
