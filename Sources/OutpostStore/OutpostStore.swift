// OutpostStore: migrations and Postgres access.
