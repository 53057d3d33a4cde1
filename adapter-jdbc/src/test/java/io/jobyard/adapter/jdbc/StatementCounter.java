package io.jobyard.adapter.jdbc;

import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Records every statement JDBI executes, to prove how many a use of the repositories costs. */
final class StatementCounter implements SqlLogger {
    private final List<String> statements = new ArrayList<>();
    private final List<String> bindings = new ArrayList<>();

    @Override
    public synchronized void logAfterExecution(StatementContext context) {
        statements.add(context.getRenderedSql());
        bindings.add(String.valueOf(context.getBinding()));
    }

    @Override
    public synchronized void logException(StatementContext context, SQLException ex) {
        statements.add(context.getRenderedSql());
        bindings.add(String.valueOf(context.getBinding()));
    }

    synchronized void reset() {
        statements.clear();
        bindings.clear();
    }

    /** The values each statement was run with, as JDBI describes them, in the order of {@link #statements()}. */
    synchronized List<String> bindings() {
        return List.copyOf(bindings);
    }

    synchronized List<String> statements() {
        return List.copyOf(statements);
    }
}
