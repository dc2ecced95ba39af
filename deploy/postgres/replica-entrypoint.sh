#!/usr/bin/env bash
# Entry point of the read replica: a hot standby streaming from the primary, made with the
# official postgres image alone. On first start (empty data folder) it copies the primary
# with pg_basebackup, which also writes the standby's settings (standby.signal, and
# primary_conninfo and primary_slot_name in postgresql.auto.conf); then it hands over to the
# image's own entry point, which finds a data folder and starts the server in recovery.
set -euo pipefail
: "${PRIMARY_HOST:?set PRIMARY_HOST}" "${REPLICATION_PASSWORD:?set REPLICATION_PASSWORD}"
slot="${REPLICATION_SLOT:-replica_1}"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    mkdir -p "$PGDATA"
    chown postgres:postgres "$PGDATA"
    chmod 0700 "$PGDATA"
    # The primary answers on TCP only once its init scripts are done (they run on a socket).
    until gosu postgres pg_basebackup --pgdata="$PGDATA" --wal-method=stream \
        --write-recovery-conf --slot="$slot" --checkpoint=fast \
        --dbname="host=$PRIMARY_HOST port=5432 user=replicator password=$REPLICATION_PASSWORD application_name=$slot"
    do
        echo "replica: the primary $PRIMARY_HOST is not ready yet, trying again in 2 s" >&2
        find "$PGDATA" -mindepth 1 -delete
        sleep 2
    done
    echo "replica: copied the primary; starting as a hot standby" >&2
fi

exec docker-entrypoint.sh "$@"
