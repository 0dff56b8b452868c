package io.devops.common.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A table's one mapping on the reactive client: each column once, with how it is selected, bound
 * and read into a {@code T}. The insert, the update by key, the select lists and the row reader
 * derive from it, so a new column is added in one place. The first column is the key. jsonb
 * columns travel as text and are cast in SQL both ways, as the reactive driver would otherwise
 * bind a String as a JSON string scalar.
 */
public final class RowMapping<T> {
    private final Supplier<T> factory;
    private final List<Column<T>> columns;

    /** Reads one column of {@code row}, at {@code position}, into {@code target}. */
    public interface Reader<T> {
        void read(T target, Row row, int position);
    }

    private record Column<T>(String name, boolean json, Function<T, Object> value, Reader<T> reader) {

        String select(String prefix) {
            return json ? prefix + name + "::text as " + name : prefix + name;
        }

        String parameter(int position) {
            return json ? "$" + position + "::text::jsonb" : "$" + position;
        }
    }

    private RowMapping(Supplier<T> factory, List<Column<T>> columns) {
        this.factory = factory;
        this.columns = columns;
    }

    /** A mapping of rows read into new {@code factory} objects; the first column added is the key. */
    public static <T> RowMapping<T> of(Supplier<T> factory) {
        return new RowMapping<>(factory, List.of());
    }

    /** This mapping and a plain column. */
    public RowMapping<T> column(String name, Function<T, Object> value, Reader<T> reader) {
        return with(new Column<>(name, false, value, reader));
    }

    /** This mapping and a jsonb column, held as its JSON text. */
    public RowMapping<T> json(String name, Function<T, Object> value, Reader<T> reader) {
        return with(new Column<>(name, true, value, reader));
    }

    /** The select list of a whole row, each column under its own name and in order, as {@link #read} takes it. */
    public String select() {
        return select("");
    }

    /** The select list of a whole row from the table aliased {@code alias} in a join. */
    public String select(String alias) {
        String prefix = alias.isEmpty() ? "" : alias + ".";
        return columns.stream().map(column -> column.select(prefix)).collect(Collectors.joining(", "));
    }

    /** Inserts a row bound with {@link #tuple}. */
    public String insert(String table) {
        return "insert into " + table + " (" + columns.stream().map(Column::name).collect(Collectors.joining(", "))
                + ") values (" + IntStream.range(0, columns.size()).mapToObj(i -> columns.get(i).parameter(i + 1))
                        .collect(Collectors.joining(", ")) + ")";
    }

    /** Updates every column but the key (bound as $1) of a row bound with {@link #tuple}. */
    public String update(String table) {
        return "update " + table + " set (" + columns.stream().skip(1).map(Column::name).collect(Collectors.joining(", "))
                + ") = (" + IntStream.range(1, columns.size()).mapToObj(i -> columns.get(i).parameter(i + 1))
                        .collect(Collectors.joining(", ")) + ") where " + columns.get(0).name() + " = $1";
    }

    /** The values of {@code value} in column order. */
    public Tuple tuple(T value) {
        return Tuple.from(columns.stream().map(column -> column.value().apply(value)).toList());
    }

    /** A row selected with {@link #select}, its columns from position {@code first} on (0 unless joined). */
    public T read(Row row, int first) {
        T target = factory.get();
        for (int i = 0; i < columns.size(); i++) {
            columns.get(i).reader().read(target, row, first + i);
        }
        return target;
    }

    /** The first row of {@code rows}, or null when there is none. */
    public T first(RowSet<Row> rows) {
        return rows.size() == 0 ? null : read(rows.iterator().next(), 0);
    }

    /** Every row of {@code rows}. */
    public List<T> all(RowSet<Row> rows) {
        List<T> all = new ArrayList<>(rows.size());
        rows.forEach(row -> all.add(read(row, 0)));
        return all;
    }

    private RowMapping<T> with(Column<T> column) {
        List<Column<T>> more = new ArrayList<>(columns);
        more.add(column);
        return new RowMapping<>(factory, List.copyOf(more));
    }
}
