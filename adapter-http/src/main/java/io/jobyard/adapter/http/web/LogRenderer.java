package io.jobyard.adapter.http.web;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns log bytes into the job page's {@link JobLog}, as GitLab's {@code Gitlab::Ci::Ansi2json} reads a trace:
 * <ul>
 *   <li>ANSI SGR: reset (0), bold (1), italic (3), underline (4) and their resets (22, 23, 24), the 8 colours
 *       (30–37, 40–47), their bright variants (90–97, 100–107), the 256 xterm colours ({@code 38;5;n},
 *       {@code 48;5;n}) and the defaults (39, 49). Truecolour ({@code 38;2;r;g;b}) is consumed and ignored, as GitLab
 *       does. The style carries over line ends, as in a terminal.</li>
 *   <li>Other escape sequences ({@code ESC[0K} and the like) are dropped; they never reach the page as text.</li>
 *   <li>A lone {@code \r} starts the line over (a progress bar redrawn in place shows its last state); {@code \r\n}
 *       ends the line.</li>
 *   <li>{@code section_start:<unix ts>:<name>[collapsed=true]\r\e[0K} opens a section whose title is the rest of the
 *       line; {@code section_end:<ts>:<name>\r\e[0K} closes it (and any section opened inside it) with the duration
 *       between the two stamps. An end without its start in the shown part is dropped.</li>
 * </ul>
 * The output is plain text in spans with CSS classes from a fixed vocabulary ({@code term-fg-red}, {@code xterm-fg-196},
 * {@code term-bold}...); nothing of the log is ever interpreted as markup.
 */
public final class LogRenderer {
    private static final char ESC = 0x1b;
    private static final Pattern SECTION = Pattern.compile(
            "section_(start|end):(\\d{1,12}):([A-Za-z0-9_.\\-]{1,200})(\\[[^\\]\\r\\n]{0,200}\\])?\\r\\u001b\\[0?K");
    private static final String[] COLOURS = {"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"};

    private LogRenderer() {
    }

    /**
     * Renders a part of a log.
     *
     * @param bytes       the bytes of the part
     * @param startOffset where the part starts in the log; when not 0, the part begins mid-line, and what precedes its
     *                    first line end is not shown (the line it belongs to was cut)
     * @param firstLine   the number the first shown line gets
     * @param wholeLines  true to show only complete lines (a live follower asks again for an unfinished last line)
     */
    public static JobLog render(byte[] bytes, long startOffset, int firstLine, boolean wholeLines) {
        int from = 0;
        if (startOffset > 0) {
            int newline = indexOf(bytes, 0);
            from = newline < 0 ? bytes.length : newline + 1;
        }
        int to = bytes.length;
        if (wholeLines) {
            int last = lastIndexOf(bytes);
            to = last < from ? from : last + 1;
        }
        String text = decode(bytes, from, to);
        Parser parser = new Parser(firstLine);
        parser.run(text);
        return new JobLog(parser.finish(), startOffset + from, startOffset + to, firstLine);
    }

    /** The whole text of a complete log (tests, small logs). */
    public static JobLog render(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return render(bytes, 0, 1, false);
    }

    private static int indexOf(byte[] bytes, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Invalid UTF-8 (a log is bytes) becomes U+FFFD, as the browser would show it. */
    private static String decode(byte[] bytes, int from, int to) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes, from, to - from)).toString();
        } catch (CharacterCodingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** The terminal state while reading: the current style, the line being built, the open sections. */
    private static final class Parser {
        private final List<JobLog.Node> root = new ArrayList<>();
        private final Deque<OpenSection> open = new ArrayDeque<>();
        private final List<JobLog.Span> spans = new ArrayList<>();
        private final StringBuilder run = new StringBuilder();
        private int nextNumber;
        private String fg;
        private String bg;
        private boolean bold;
        private boolean italic;
        private boolean underline;
        private String classes = "";

        Parser(int firstLine) {
            this.nextNumber = firstLine;
        }

        void run(String text) {
            int n = text.length();
            int i = 0;
            while (i < n) {
                char c = text.charAt(i);
                if (c == '\n') {
                    endLine();
                    i++;
                } else if (c == '\r') {
                    if (i + 1 < n && text.charAt(i + 1) == '\n') {
                        endLine();
                        i += 2;
                    } else {
                        // Redrawn in place: what follows replaces the line so far.
                        run.setLength(0);
                        spans.clear();
                        i++;
                    }
                } else if (c == ESC) {
                    i = escape(text, i);
                } else if (c == 's' && text.startsWith("section_", i)) {
                    i = section(text, i);
                } else {
                    run.append(c);
                    i++;
                }
            }
        }

        /** A section marker at {@code i}, or plain text when it is not a complete one. */
        private int section(String text, int i) {
            Matcher m = SECTION.matcher(text);
            m.region(i, text.length());
            if (!m.lookingAt()) {
                run.append('s');
                return i + 1;
            }
            long stamp = Long.parseLong(m.group(2));
            String name = m.group(3);
            int next = m.end();
            if (m.group(1).equals("start")) {
                if (hasText()) {
                    endLine();
                }
                String options = m.group(4) == null ? "" : m.group(4);
                open.push(new OpenSection(name, stamp, options.contains("collapsed=true")));
                return next;
            }
            if (hasText()) {
                endLine();
            }
            close(name, stamp);
            // The runner ends a section marker's line right after it; that line end closes nothing visible.
            if (text.startsWith("\r\n", next)) {
                return next + 2;
            }
            return text.startsWith("\n", next) ? next + 1 : next;
        }

        private void close(String name, long stamp) {
            boolean known = open.stream().anyMatch(s -> s.name.equals(name));
            if (!known) {
                return;
            }
            while (!open.isEmpty()) {
                OpenSection section = open.pop();
                JobLog.Section done = section.build(section.name.equals(name) ? Math.max(0, stamp - section.start)
                        : -1);
                container().add(done);
                if (section.name.equals(name)) {
                    return;
                }
            }
        }

        private List<JobLog.Node> container() {
            return open.isEmpty() ? root : open.peek().children;
        }

        private int escape(String text, int i) {
            int n = text.length();
            if (i + 1 >= n) {
                return n;
            }
            char kind = text.charAt(i + 1);
            if (kind == '(' || kind == ')' || kind == '#') {
                return Math.min(n, i + 3); // character set designation: ESC ( B
            }
            if (kind == ']') {
                // Operating system command (a window title): up to BEL or ESC \
                int end = i + 2;
                while (end < n && text.charAt(end) != 0x07 && text.charAt(end) != ESC && text.charAt(end) != '\n') {
                    end++;
                }
                return end < n && text.charAt(end) == 0x07 ? end + 1 : end;
            }
            if (kind != '[') {
                return i + 2;
            }
            int j = i + 2;
            while (j < n && (Character.isDigit(text.charAt(j)) || text.charAt(j) == ';' || text.charAt(j) == '?')) {
                j++;
            }
            if (j >= n) {
                return n;
            }
            char command = text.charAt(j);
            if (command == 'm') {
                sgr(text.substring(i + 2, j));
            }
            return j + 1;
        }

        private void sgr(String parameters) {
            String[] parts = parameters.isEmpty() ? new String[] {"0"} : parameters.split(";", -1);
            for (int k = 0; k < parts.length; k++) {
                int code = number(parts[k]);
                if (code == 0) {
                    fg = null;
                    bg = null;
                    bold = false;
                    italic = false;
                    underline = false;
                } else if (code == 1) {
                    bold = true;
                } else if (code == 3) {
                    italic = true;
                } else if (code == 4) {
                    underline = true;
                } else if (code == 22) {
                    bold = false;
                } else if (code == 23) {
                    italic = false;
                } else if (code == 24) {
                    underline = false;
                } else if (code >= 30 && code <= 37) {
                    fg = "term-fg-" + COLOURS[code - 30];
                } else if (code >= 90 && code <= 97) {
                    fg = "term-fg-l-" + COLOURS[code - 90];
                } else if (code >= 40 && code <= 47) {
                    bg = "term-bg-" + COLOURS[code - 40];
                } else if (code >= 100 && code <= 107) {
                    bg = "term-bg-l-" + COLOURS[code - 100];
                } else if (code == 39) {
                    fg = null;
                } else if (code == 49) {
                    bg = null;
                } else if (code == 38 || code == 48) {
                    int mode = k + 1 < parts.length ? number(parts[k + 1]) : -1;
                    if (mode == 5 && k + 2 < parts.length) {
                        int colour = number(parts[k + 2]);
                        if (colour >= 0 && colour <= 255) {
                            if (code == 38) {
                                fg = "xterm-fg-" + colour;
                            } else {
                                bg = "xterm-bg-" + colour;
                            }
                        }
                        k += 2;
                    } else if (mode == 2) {
                        k += 4;
                    } else {
                        k += 1;
                    }
                }
            }
            restyle();
        }

        private static int number(String text) {
            if (text.isEmpty()) {
                return 0;
            }
            if (text.length() > 3) {
                return -1;
            }
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException notANumber) {
                return -1;
            }
        }

        private void restyle() {
            StringBuilder c = new StringBuilder();
            for (String part : new String[] {fg, bg, bold ? "term-bold" : null, italic ? "term-italic" : null,
                    underline ? "term-underline" : null}) {
                if (part != null) {
                    if (c.length() > 0) {
                        c.append(' ');
                    }
                    c.append(part);
                }
            }
            String next = c.toString();
            if (!next.equals(classes)) {
                flushRun();
                classes = next;
            }
        }

        private void flushRun() {
            if (run.length() == 0) {
                return;
            }
            JobLog.Span last = spans.isEmpty() ? null : spans.get(spans.size() - 1);
            if (last != null && last.classes().equals(classes)) {
                spans.set(spans.size() - 1, new JobLog.Span(last.text() + run, classes));
            } else {
                spans.add(new JobLog.Span(run.toString(), classes));
            }
            run.setLength(0);
        }

        private boolean hasText() {
            return run.length() > 0 || !spans.isEmpty();
        }

        private void endLine() {
            flushRun();
            JobLog.Line line = new JobLog.Line(nextNumber++, spans);
            spans.clear();
            OpenSection section = open.peek();
            if (section != null && section.header == null) {
                section.header = line;
            } else {
                container().add(line);
            }
        }

        List<JobLog.Node> finish() {
            if (hasText()) {
                endLine();
            }
            while (!open.isEmpty()) {
                OpenSection section = open.pop();
                container().add(section.build(-1));
            }
            return root;
        }

        private final class OpenSection {
            final String name;
            final long start;
            final boolean collapsed;
            final List<JobLog.Node> children = new ArrayList<>();
            JobLog.Line header;

            OpenSection(String name, long start, boolean collapsed) {
                this.name = name;
                this.start = start;
                this.collapsed = collapsed;
            }

            JobLog.Section build(long duration) {
                JobLog.Line title = header != null ? header : new JobLog.Line(nextNumber++, List.of());
                return new JobLog.Section(name, title, children, collapsed, duration);
            }
        }
    }
}
