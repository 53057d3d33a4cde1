package io.jobyard.adapter.jdbc;

import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Records every statement JDBI executes, to prove how many a use of the repositories costs. */
final class StatementCounter implements SqlLogger {
    private final List<String> statements = new ArrayList<>();

    @Override
    public synchronized void logAfterExecution(StatementContext context) {
        statements.add(context.getRenderedSql());
    }

    @Override
    public synchronized void logException(StatementContext context, SQLException ex) {
        statements.add(context.getRenderedSql());
    }

    synchronized void reset() {
        statements.clear();
    }

    synchronized List<String> statements() {
        return List.copyOf(statements);
    }
}
