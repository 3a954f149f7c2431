# shellcheck shell=bash
# shellcheck disable=SC2034,SC2154  # sets restore_verdict and restore_detail for scripts/ha-suite
# The backup and restore procedure of docs/operations.md, tested by scripts/ha-suite: the
# configuration (every table, without the rows of the time-series tables) and the time-series
# partitions of one day are dumped separately with pg_dump, restored into a new database with
# pg_restore, and compared. Source it after e2e.sh with server_url, PG_BINDIR, bin and work set.

# backup_and_restore_check SOURCE-DB TARGET-DB: sets restore_verdict (PASS or FAIL) and restore_detail.
backup_and_restore_check() {
    local source="$server_url/$1" target="$server_url/$2" day table
    local timeseries=() day_tables=() exclude=() only=()
    day=$("$PG_BINDIR/psql" "$source" -XAtqc "SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYYMMDD')")
    # Time-series tables: the partitioned parents and every partition.
    mapfile -t timeseries < <("$PG_BINDIR/psql" "$source" -XAtqc \
        "SELECT relname FROM pg_class WHERE relkind = 'p' OR relispartition ORDER BY 1")
    for table in "${timeseries[@]}"; do
        exclude+=("--exclude-table-data=$table")
        [[ "$table" == *_p"$day" ]] && { day_tables+=("$table"); only+=("--table=$table"); }
    done
    restore_verdict=FAIL
    [[ ${#day_tables[@]} -gt 0 ]] || { restore_detail="no partition of $day found"; return; }
    "$PG_BINDIR/pg_dump" -Fc "${exclude[@]}" -f "$work/configuration.dump" "$source" 2>>"$work/backup.log" \
        || { restore_detail="pg_dump of the configuration failed"; return; }
    "$PG_BINDIR/pg_dump" -Fc --data-only "${only[@]}" -f "$work/day-$day.dump" "$source" 2>>"$work/backup.log" \
        || { restore_detail="pg_dump of day $day failed"; return; }
    psql_server -c "CREATE DATABASE $2"
    "$PG_BINDIR/pg_restore" --exit-on-error -d "$target" "$work/configuration.dump" 2>>"$work/backup.log" \
        || { restore_detail="pg_restore of the configuration failed"; return; }
    "$PG_BINDIR/pg_restore" --exit-on-error --data-only --disable-triggers -d "$target" "$work/day-$day.dump" 2>>"$work/backup.log" \
        || { restore_detail="pg_restore of day $day failed"; return; }
    # The same counts on both sides: configuration tables, and the day's rows.
    local counts="SELECT (SELECT count(*) FROM branches) || ' ' || (SELECT count(*) FROM standalone_devices) || ' ' ||
                         (SELECT count(*) FROM agents) || ' ' || (SELECT count(*) FROM alert_rules) || ' ' ||
                         (SELECT count(*) FROM alert_history) || ' ' || (SELECT sum(high_water) FROM agent_sequences) || ' ' ||
                         (SELECT count(*) FROM ping_results_p$day)"
    local before after migrated
    before=$("$PG_BINDIR/psql" "$source" -XAtqc "$counts")
    after=$("$PG_BINDIR/psql" "$target" -XAtqc "$counts")
    migrated=$(OUTPOST_DATABASE_URL="$target" "$bin/outpost-collector" migrate 2>&1 | tail -1)
    local sizes
    sizes="configuration $(du -k "$work/configuration.dump" | cut -f1) KiB, day $day $(du -k "$work/day-$day.dump" | cut -f1) KiB (${#day_tables[@]} partitions)"
    restore_detail="branches/devices/agents/rules/alerts/batches/rows $before -> $after; $sizes; migrate on the copy: $migrated"
    [[ "$before" == "$after" && -n "$before" ]] && restore_verdict=PASS
}
