package io.jobyard.adapter.http.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A part of a job's log as the job page shows it: lines of styled text, grouped into GitLab's collapsible sections.
 * Made by {@link LogRenderer}; every text is plain text, for the template engine to escape.
 *
 * @param nodes       the top level: lines and sections in log order
 * @param startOffset the byte offset of the log where the shown part starts (0: the log's beginning)
 * @param endOffset   the byte offset after the last byte shown
 * @param firstLine   the number of the first line shown ({@code #L1} when the part starts at the beginning)
 */
public record JobLog(List<Node> nodes, long startOffset, long endOffset, int firstLine) {
    public JobLog {
        nodes = List.copyOf(nodes);
    }

    /** Whether the shown part starts at the log's beginning (else earlier parts can be loaded). */
    public boolean fromStart() {
        return startOffset == 0;
    }

    /** A line or a section. */
    public sealed interface Node permits Line, Section {
    }

    /** One line; {@code number} is what {@code #L<number>} links to. */
    public record Line(int number, List<Span> spans) implements Node {
        public Line {
            spans = List.copyOf(spans);
        }

        public boolean isEmpty() {
            return spans.isEmpty();
        }
    }

    /** A run of text in one style; {@code classes} is empty or a space-separated list from a fixed vocabulary. */
    public record Span(String text, String classes) {
        public Span {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(classes, "classes");
        }
    }

    /**
     * {@code section_start:<ts>:<name>[collapsed=true]} … {@code section_end:<ts>:<name>}.
     *
     * @param header          the line the section starts with (its title)
     * @param durationSeconds end minus start, or -1 while the section has not ended in the shown part
     */
    public record Section(String name, Line header, List<Node> children, boolean collapsed, long durationSeconds)
            implements Node {
        public Section {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(header, "header");
            children = List.copyOf(children);
        }

        /** GitLab's {@code mm:ss} (or {@code hh:mm:ss}) duration, empty while running. */
        public String duration() {
            if (durationSeconds < 0) {
                return "";
            }
            long h = durationSeconds / 3600;
            long m = durationSeconds / 60 % 60;
            long s = durationSeconds % 60;
            return h > 0 ? String.format("%02d:%02d:%02d", h, m, s) : String.format("%02d:%02d", m, s);
        }
    }

    /** Every line in order, sections flattened (for tests and counting). */
    public List<Line> lines() {
        List<Line> all = new ArrayList<>();
        collect(nodes, all);
        return all;
    }

    private static void collect(List<Node> nodes, List<Line> into) {
        for (Node node : nodes) {
            if (node instanceof Line line) {
                into.add(line);
            } else if (node instanceof Section section) {
                into.add(section.header());
                collect(section.children(), into);
            }
        }
    }
}
