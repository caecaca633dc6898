/**
 * Each province's state after its last live event that occurred by $1 (no replay: stateAfter is stored),
 * for the provinces of $2 (uuid[]). A province with nothing after $1 answers from its snapshot; the
 * others with one backward probe of the (province, occurred_at, seq) index — never a sort of the whole
 * log. On its own (no imports) so that `npm run bench` EXPLAINs this very text from the build
 * (docs/performance.md).
 */
export const STATES_AS_OF_SQL = `SELECT p.id AS province_id,
       CASE WHEN p.last_occurred_at IS NULL OR p.last_occurred_at <= $1 THEN
              CASE WHEN p.last_occurred_at IS NULL THEN NULL ELSE p.state END
            ELSE (SELECT e.state_after FROM province_event e
                   WHERE e.province_id = p.id AND e.occurred_at <= $1 AND e.retracted_at IS NULL
                   ORDER BY e.occurred_at DESC, e.seq DESC LIMIT 1)
       END AS state_after
  FROM province p
 WHERE p.id = ANY ($2::uuid[])`;
