-- A prize is known by its id (awards count against it), so a rename keeps its awarded count; names are unique per
-- raffle by the service's rule, not by an index that a swap of two names would trip over.
-- DropIndex
DROP INDEX "raffle_prize_campaign_id_name_key";
