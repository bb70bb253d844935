-- CreateIndex
CREATE INDEX "conversation_message_sender_id_phone_number_created_at_idx" ON "conversation_message"("sender_id", "phone_number", "created_at" DESC);

