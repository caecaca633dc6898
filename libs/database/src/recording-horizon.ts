/**
 * A SELECT of one row, one column `xmin`: where the recording log (province_event and notice, ordered by
 * tx_id, id) is final for the current statement's snapshot. Every row of a transaction below it is
 * committed and visible, and no transaction that could still write one can get an xid below it.
 *
 * It is the snapshot's xmin — the oldest transaction still running — except that a transaction running
 * in another database of the same server is passed over: it can never write a row here, and on a shared
 * server (or a test run's parallel files) it would otherwise hold /changes and the live stream back for
 * as long as it runs. A transaction that cannot be placed (ended since the snapshot, or hidden by
 * pg_stat_activity's permissions) still counts: the horizon then waits, as the plain xmin did, and
 * never moves past a row it has not read. (backend_xid is a 32-bit xid; the snapshot's are xid8.)
 */
export const RECORDING_HORIZON_SQL = `SELECT COALESCE(
    (SELECT min(x) FROM pg_snapshot_xip(q.s) AS x
      WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity a
                         WHERE a.backend_xid IS NOT NULL AND a.datname IS DISTINCT FROM current_database()
                           AND a.backend_xid::text::bigint = x::text::bigint % 4294967296)),
    pg_snapshot_xmax(q.s)) AS xmin
  FROM (SELECT pg_current_snapshot() AS s) q`;
