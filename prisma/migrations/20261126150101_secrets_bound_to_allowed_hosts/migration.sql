-- AlterTable
ALTER TABLE "secret_header" ADD COLUMN     "allowed_hosts" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "integration" ADD COLUMN     "allowed_hosts" TEXT[] DEFAULT ARRAY[]::TEXT[];


-- What ran before keeps running (decision 0021): each secret header is allowed the hosts it is already sent to, taken
-- from the webhooks and integrations that send it, the flow versions conversations run on and the deliveries still
-- waiting. A secret header that nothing sends is allowed no host until an admin lists some. Hosts are copied from the
-- URLs as stored (lower case, no port); the API compares them as its URL parser reads them (punycode, trailing dot).
WITH "used" ("secret_header_id", "url") AS (
    SELECT wh."secret_header_id"::text, w."url"
      FROM "webhook_header" wh JOIN "webhook" w ON w."id" = wh."webhook_id"
     WHERE wh."secret_header_id" IS NOT NULL
  UNION ALL
    SELECT h->>'secretHeaderId', i."url"
      FROM "integration" i CROSS JOIN LATERAL jsonb_path_query(i."headers", '$[*]') h
  UNION ALL
    SELECT h->>'secretHeaderId', d."url"
      FROM "delivery" d CROSS JOIN LATERAL jsonb_path_query(d."headers", '$[*]') h
     WHERE d."status" IN ('pending', 'sending')
  UNION ALL
    SELECT h->>'secretHeaderId', w->>'url'
      FROM "flow_version" v
      JOIN "campaign" c ON c."id" = v."campaign_id"
      CROSS JOIN LATERAL jsonb_path_query(v."snapshot", '$.nodes[*].entries[*].webhook ? (@.type() == "object")') w
      CROSS JOIN LATERAL jsonb_path_query(w, '$.headers[*]') h
     WHERE c."published_version" = v."version"
        OR EXISTS (SELECT 1 FROM "conversation_session" s
                    WHERE s."campaign_id" = v."campaign_id" AND s."flow_version" = v."version"
                      AND s."status" IN ('active', 'live_chat'))
), "hosts" AS (
  SELECT DISTINCT "secret_header_id",
         NULLIF(rtrim(lower(substring("url" FROM '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/?#\\]*@)?(\[[^]]*\]|[^:/?#\\]*)')), '.'), '') AS "host"
    FROM "used" WHERE "secret_header_id" IS NOT NULL
)
UPDATE "secret_header" s
   SET "allowed_hosts" = x."hosts"
  FROM (SELECT "secret_header_id", array_agg("host" ORDER BY "host") AS "hosts"
          FROM "hosts" WHERE "host" IS NOT NULL GROUP BY "secret_header_id") x
 WHERE x."secret_header_id" = s."id"::text;

-- An integration is allowed the host of its URL.
UPDATE "integration" i
   SET "allowed_hosts" = ARRAY[x."host"]
  FROM (SELECT "id",
               NULLIF(rtrim(lower(substring("url" FROM '^[A-Za-z][A-Za-z0-9+.-]*://(?:[^@/?#\\]*@)?(\[[^]]*\]|[^:/?#\\]*)')), '.'), '') AS "host"
          FROM "integration") x
 WHERE x."id" = i."id" AND x."host" IS NOT NULL;
