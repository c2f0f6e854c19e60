package org.govshare.sharing;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.govshare.platform.db.Rows;

public final class PgCalendarStore implements CalendarStore {
  static final String COLUMNS = "year, holidays, workdays, source, set_by, updated_at, change_seq";
  // overlap as in PgIdentityStore: a year whose change_seq was taken earlier but committed later is not missed
  static final String CHANGED_AFTER = "SELECT " + COLUMNS + " FROM calendar_year WHERE change_seq > $1 - 1000 ORDER BY change_seq";
  static final String PUT = """
      INSERT INTO calendar_year (year, holidays, workdays, source, set_by) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (year) DO UPDATE SET holidays = EXCLUDED.holidays, workdays = EXCLUDED.workdays, source = EXCLUDED.source,
        set_by = EXCLUDED.set_by, updated_at = now(), change_seq = nextval('calendar_change_seq')
      RETURNING\s""" + COLUMNS;

  private final Pool pool;

  public PgCalendarStore(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<List<StoredYear>> changedAfter(long afterSeq) {
    return pool.preparedQuery(CHANGED_AFTER).execute(Tuple.of(afterSeq)).map(rows -> Rows.all(rows, PgCalendarStore::year));
  }

  @Override
  public Future<StoredYear> put(YearArrangement a, String setBy, org.govshare.audit.AuditOf<StoredYear> audit) {
    return pool.withTransaction(conn -> conn.preparedQuery(PUT)
        .execute(Tuple.of(a.year(), a.holidays().toArray(LocalDate[]::new), a.workdays().toArray(LocalDate[]::new), a.source(), setBy))
        .compose(rows -> audit.write(conn, year(rows.iterator().next()))));
  }

  private static StoredYear year(Row r) {
    YearArrangement a = new YearArrangement(r.getInteger("year"), new TreeSet<>(Arrays.asList(r.getArrayOfLocalDates("holidays"))),
        new TreeSet<>(Arrays.asList(r.getArrayOfLocalDates("workdays"))), r.getString("source"));
    return new StoredYear(a, r.getString("set_by"), r.getOffsetDateTime("updated_at"), r.getLong("change_seq"));
  }
}
