#pragma once

// The keys of the PostgreSQL advisory locks clinicd takes, as SQL literals,
// listed together so no two uses ever share a key. Each is "clinicd" in
// ASCII followed by one byte. A released key never changes: processes of two
// clinicd versions may share a database, and a migration may spell a key
// out. SQLite needs none: its one writer excludes the others.

// Held by Migrate for its whole transaction, so two processes starting at
// once do not both migrate.
#define CLINICD_PG_LOCK_MIGRATIONS "7164217030175056897"

// Held from a transaction's first event to its commit
// (clinicd_next_event_seq, migration 4), so event sequence numbers are
// handed out in commit order.
#define CLINICD_PG_LOCK_EVENT_SEQ "7164217030175056898"
