import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { readRows, RECORDING_HORIZON_SQL } from '@app/database';
import type { ChangeNotice } from './change-notice.js';
import type { StreamPosition } from './stream-position.js';

/** A row of the stream's log: an event's notices, or one other notice; at (txId, id) in the log's order. */
export interface LogRow {
  txId: bigint;
  id: bigint;
  notices: ChangeNotice[];
}

/**
 * The notices of the stream in one order, read from where they are kept anyway: an event's on its own
 * row (province_event.notices), every other in `notice` (migration ResumableStream). As /changes does,
 * only rows of transactions older than every one running here are read (RECORDING_HORIZON_SQL):
 * a later read can only add rows after the last one returned, so nothing is ever passed over.
 */
@Injectable()
export class NoticeLogRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * The first `limit` rows from the row of `from` (included: it may have notices left) up to `until`
   * (included), in order.
   */
  async rowsFrom(from: StreamPosition, until: StreamPosition, limit: number): Promise<LogRow[]> {
    const rows: unknown = await this.db.query(
      `WITH horizon AS MATERIALIZED (${RECORDING_HORIZON_SQL})
       SELECT tx_id::text AS tx_id, id::text AS id, notices FROM (
         (SELECT e.tx_id, e.id, e.notices FROM province_event e
           WHERE (e.tx_id, e.id) >= ($1::xid8, $2::bigint) AND (e.tx_id, e.id) <= ($3::xid8, $4::bigint)
             AND e.tx_id < (SELECT xmin FROM horizon) AND e.notices IS NOT NULL
           ORDER BY e.tx_id, e.id LIMIT $5)
         UNION ALL
         (SELECT n.tx_id, n.id, jsonb_build_array(n.payload) FROM notice n
           WHERE (n.tx_id, n.id) >= ($1::xid8, $2::bigint) AND (n.tx_id, n.id) <= ($3::xid8, $4::bigint)
             AND n.tx_id < (SELECT xmin FROM horizon)
           ORDER BY n.tx_id, n.id LIMIT $5)
       ) r
       ORDER BY r.tx_id, r.id
       LIMIT $5`,
      [from.txId.toString(), from.id.toString(), until.txId.toString(), until.id.toString(), limit],
    );
    return readRows(rows, (r) => ({ txId: BigInt(r.text('tx_id')), id: BigInt(r.text('id')), notices: r.array('notices', (n) => n as ChangeNotice) }));
  }

  /**
   * The end of what is final now: every row of a transaction older than the oldest one running (the
   * position before any row of that transaction).
   */
  async head(): Promise<StreamPosition> {
    const rows: unknown = await this.db.query(`SELECT xmin::text AS xmin FROM (${RECORDING_HORIZON_SQL}) h`);
    return { txId: BigInt(readRows(rows, (r) => r.text('xmin'))[0]), id: 0n, delivered: 0 };
  }
}
