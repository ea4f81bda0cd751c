-- A realistic mix for benchmarks: uuids, hex tokens, json payloads, timestamps and short free
-- text, which zstd compresses only 2-4x (pgbench's filler compresses ~100x and flatters every
-- compressor). psql -v rows=N; about 1 GB on disk per 2,500,000 rows.
\set ON_ERROR_STOP on
CREATE TABLE customers (
    id bigserial PRIMARY KEY,
    customer_uuid uuid NOT NULL,
    email text NOT NULL,
    api_token text NOT NULL,
    country char(2) NOT NULL,
    created_at timestamptz NOT NULL,
    bio text
);
CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    order_uuid uuid NOT NULL,
    customer_id bigint NOT NULL,
    status text NOT NULL,
    total numeric(12,2) NOT NULL,
    payload jsonb NOT NULL,
    placed_at timestamptz NOT NULL,
    note text
);
CREATE TABLE events (
    id bigserial PRIMARY KEY,
    event_uuid uuid NOT NULL,
    session_token text NOT NULL,
    kind text NOT NULL,
    attributes jsonb NOT NULL,
    at timestamptz NOT NULL
);

CREATE TEMP TABLE words AS
SELECT array['order','shipped','delayed','refund','customer','payment','invoice','warehouse','parcel','returned',
             'priority','express','standard','gift','note','address','changed','confirmed','cancelled','pending',
             'blue','small','large','fragile','door','call','before','after','monday','friday','please','thanks']::text[] AS w;

INSERT INTO customers (customer_uuid, email, api_token, country, created_at, bio)
SELECT gen_random_uuid(),
       'user' || i || '@' || (ARRAY['example.com','mail.test','corp.test'])[1 + i % 3],
       md5(random()::text) || md5(random()::text),
       (ARRAY['CH','DE','FR','IT','US','GB','NL','SE'])[1 + (random() * 7)::int],
       timestamptz '2020-01-01' + random() * interval '2000 days',
       w[1 + (random() * 31)::int] || ' ' || w[1 + (random() * 31)::int] || ' ' || w[1 + (random() * 31)::int]
FROM generate_series(1, :rows / 10) AS i, words;

INSERT INTO orders (order_uuid, customer_id, status, total, payload, placed_at, note)
SELECT gen_random_uuid(),
       1 + (random() * (:rows / 10 - 1))::bigint,
       (ARRAY['new','paid','shipped','delivered','refunded'])[1 + (random() * 4)::int],
       round((random() * 2000)::numeric, 2),
       jsonb_build_object('sku', 'SKU-' || (random() * 99999)::int, 'qty', 1 + (random() * 5)::int,
                          'price', round((random() * 500)::numeric, 2), 'coupon', substr(md5(random()::text), 1, 10),
                          'channel', w[1 + (random() * 31)::int]),
       timestamptz '2024-01-01' + random() * interval '700 days',
       CASE WHEN random() < 0.4 THEN w[1 + (random() * 31)::int] || ' ' || w[1 + (random() * 31)::int] || ' '
                                      || w[1 + (random() * 31)::int] || ' ' || w[1 + (random() * 31)::int] END
FROM generate_series(1, :rows / 2), words;

INSERT INTO events (event_uuid, session_token, kind, attributes, at)
SELECT gen_random_uuid(),
       encode(sha256(random()::text::bytea), 'hex'),
       (ARRAY['view','click','add_to_cart','checkout','login','logout','search'])[1 + (random() * 6)::int],
       jsonb_build_object('path', '/p/' || (random() * 5000)::int, 'ms', (random() * 900)::int,
                          'ua', (ARRAY['firefox','chrome','safari','curl'])[1 + (random() * 3)::int],
                          'ref', substr(md5(random()::text), 1, 12)),
       timestamptz '2025-01-01' + random() * interval '300 days'
FROM generate_series(1, :rows), words;

ANALYZE;
