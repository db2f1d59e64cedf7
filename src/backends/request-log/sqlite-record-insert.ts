import type Database from 'better-sqlite3';
import type { StoredRequestLogRecord } from '../../ports/request-log-store.js';
import { REQUEST_BODY_COLUMNS, REQUEST_LOG_COLUMNS, toBodyValues, toColumnValues, type ColumnValue } from './request-log-columns.js';
import { batchPacer, type WritePacing } from './write-pacing.js';

/**
 * Rows per multi-row insert: one statement per 50 records cost 16 % less CPU per row than one per record, and 10 read
 * the same as 50 (14–18 µs a record); 10 keeps a statement, between which a paced writer may pause, near 0.2 ms.
 */
const ROWS_PER_STATEMENT = 10;

type SqliteValue = string | number | null;

function sqliteValues(record: StoredRequestLogRecord, hasBodies: boolean): SqliteValue[] {
  return toColumnValues(record, hasBodies).map((value: ColumnValue) => (typeof value === 'boolean' ? Number(value) : value));
}

/**
 * Builds the writer of a batch of records in one transaction. Records without bodies (the default) go in multi-row
 * statements; a record with bodies goes alone, because its body row is written only if its own row was new (a repeated
 * id keeps the record and bodies stored first). Rows keep their order, so the first of two equal ids still wins.
 * With `pacing`, the writer may pause before a statement, still inside the transaction (see WritePacing).
 */
export function createRecordInsert(db: Database.Database, pacing?: WritePacing): (records: StoredRequestLogRecord[]) => void {
  const row = `(${REQUEST_LOG_COLUMNS.map(() => '?').join(', ')})`;
  const byRowCount = new Map<number, Database.Statement<[SqliteValue[]]>>();
  const insertRows = (count: number): Database.Statement<[SqliteValue[]]> => {
    let statement = byRowCount.get(count);
    if (!statement) {
      statement = db.prepare<[SqliteValue[]]>(
        `INSERT OR IGNORE INTO request_log (${REQUEST_LOG_COLUMNS.join(', ')}) VALUES ${Array.from({ length: count }, () => row).join(', ')}`,
      );
      byRowCount.set(count, statement);
    }
    return statement;
  };
  const insertBody = db.prepare<[ColumnValue[]]>(
    `INSERT OR IGNORE INTO request_bodies (${REQUEST_BODY_COLUMNS.join(', ')}) VALUES (${REQUEST_BODY_COLUMNS.map(() => '?').join(', ')})`,
  );
  return db.transaction((records: StoredRequestLogRecord[]) => {
    const paced = batchPacer(pacing, records.length);
    let pending: SqliteValue[] = [];
    let written = 0;
    const writePending = (): void => {
      if (pending.length === 0) return;
      paced(written);
      const rows = pending.length / REQUEST_LOG_COLUMNS.length;
      insertRows(rows).run(pending);
      written += rows;
      pending = [];
    };
    for (const record of records) {
      const bodies = toBodyValues(record);
      if (bodies === undefined) {
        pending.push(...sqliteValues(record, false));
        if (pending.length === ROWS_PER_STATEMENT * REQUEST_LOG_COLUMNS.length) writePending();
        continue;
      }
      writePending();
      paced(written);
      if (insertRows(1).run(sqliteValues(record, true)).changes > 0) insertBody.run(bodies);
      written += 1;
    }
    writePending();
  });
}
