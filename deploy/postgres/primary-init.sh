#!/usr/bin/env bash
# Run once by the official postgres image when the primary's data folder is first created
# (mounted in /docker-entrypoint-initdb.d/): a role allowed to stream the WAL, the physical
# replication slot the replica streams from, and pg_hba's line letting that role in with
# its password. The image restarts the server after its init scripts, so pg_hba applies.
# No "set -u": the image sources a script that lost its executable bit into its own shell.
: "${REPLICATION_PASSWORD:?set REPLICATION_PASSWORD}"
slot="${REPLICATION_SLOT:-replica_1}"

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v password="$REPLICATION_PASSWORD" -v slot="$slot" <<'SQL' || exit 1
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';
SELECT pg_create_physical_replication_slot(:'slot');
SQL

echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
