package io.jobyard.application.port.out;

/**
 * Where a keyset page starts: the sort value and the id of the last row of the page before. The next page holds the
 * rows after this one in the listing's order (ties on {@code value} broken by {@code id} in the same direction), so
 * pages never overlap or skip a row, however many rows are inserted meanwhile.
 *
 * @param value the row's sort value as a number: its id when the listing is ordered by id, else what the ordering
 *              defines (for jobs {@link JobOrdering#keyOf})
 * @param id    the row's id
 */
public record SortKey(long value, long id) {

    /** The position of a row in a listing ordered by id alone. */
    public static SortKey ofId(long id) {
        return new SortKey(id, id);
    }
}
