-- The outbox's and the transcript's message indexes hold only the rows their statements read (decision 0043):
-- webhooks (most of the outbox) and outbound transcript lines no longer maintain them on every insert and update.
-- Prisma's schema cannot say WHERE: schema.prisma lists these indexes by their columns, with a comment.

-- Read with kind = 'message' (conversation order, the turn's messages_waiting, a conversation's outbound messages).
DROP INDEX "delivery_sender_id_phone_number_seq_idx";
CREATE INDEX "delivery_sender_id_phone_number_seq_idx" ON "delivery"("sender_id", "phone_number", "seq")
  WHERE "kind" = 'message';

-- Only messages sent through a provider have one.
DROP INDEX "delivery_provider_message_id_idx";
CREATE INDEX "delivery_provider_message_id_idx" ON "delivery"("provider_message_id")
  WHERE "provider_message_id" IS NOT NULL;

-- Read with direction = 'inbound' (WhatsApp's 24-hour window, Live Chat's last message from the user).
DROP INDEX "conversation_message_sender_id_phone_number_created_at_idx";
CREATE INDEX "conversation_message_sender_id_phone_number_created_at_idx"
  ON "conversation_message"("sender_id", "phone_number", "created_at" DESC)
  WHERE "direction" = 'inbound';
