package io.jobyard.adapter.jdbc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The text form of list and map columns (tags, needs, variables, the artifacts block...): a strict subset of JSON with
 * strings, booleans, null, whole numbers, arrays and objects. It lives here rather than in a JSON library because the
 * adapter needs only this much, and because it escapes what PostgreSQL's {@code text} cannot hold (NUL) or what UTF-8
 * cannot carry (lone surrogates): every Java string survives the round trip exactly.
 */
final class TextEncoding {

    private TextEncoding() {
    }

    /**
     * Encodes {@code value}: null, String, Boolean, Integer/Long, a List of values or a Map with String keys (kept in
     * iteration order).
     */
    static String encode(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    /**
     * Decodes text made by {@link #encode}: strings, booleans, null, {@code Long}s, unmodifiable Lists and Maps
     * (insertion-ordered).
     *
     * @throws IllegalArgumentException when the text is not well formed
     */
    static Object decode(String text) {
        Parser parser = new Parser(text);
        Object value = parser.value();
        parser.skipWhitespace();
        if (!parser.atEnd()) {
            throw parser.error("trailing characters");
        }
        return value;
    }

    private static void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            writeString(s, out);
        } else if (value instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (value instanceof Integer || value instanceof Long) {
            out.append(((Number) value).longValue());
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(list.get(i), out);
            }
            out.append(']');
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("object keys must be strings: " + entry.getKey());
                }
                if (!first) {
                    out.append(',');
                }
                first = false;
                writeString(key, out);
                out.append(':');
                write(entry.getValue(), out);
            }
            out.append('}');
        } else {
            throw new IllegalArgumentException("cannot encode a " + value.getClass().getName());
        }
    }

    private static void writeString(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        unicodeEscape(c, out);
                    } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(i + 1));
                        i++;
                    } else if (Character.isSurrogate(c)) {
                        // A lone surrogate has no UTF-8 form; the database would replace it.
                        unicodeEscape(c, out);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static void unicodeEscape(char c, StringBuilder out) {
        out.append("\\u");
        String hex = Integer.toHexString(c);
        out.append("0".repeat(4 - hex.length())).append(hex);
    }

    private static final class Parser {
        private final String text;
        private int position;

        Parser(String text) {
            if (text == null) {
                throw new IllegalArgumentException("nothing to decode");
            }
            this.text = text;
        }

        boolean atEnd() {
            return position >= text.length();
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException(what + " at " + position + " in encoded column text");
        }

        void skipWhitespace() {
            while (!atEnd() && Character.isWhitespace(text.charAt(position))) {
                position++;
            }
        }

        Object value() {
            skipWhitespace();
            if (atEnd()) {
                throw error("unexpected end");
            }
            char c = text.charAt(position);
            return switch (c) {
                case '"' -> string();
                case '[' -> array();
                case '{' -> object();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        yield number();
                    }
                    throw error("unexpected '" + c + "'");
                }
            };
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, position)) {
                throw error("expected " + word);
            }
            position += word.length();
            return value;
        }

        private Long number() {
            int start = position;
            if (text.charAt(position) == '-') {
                position++;
            }
            while (!atEnd() && Character.isDigit(text.charAt(position))) {
                position++;
            }
            try {
                return Long.parseLong(text.substring(start, position));
            } catch (NumberFormatException e) {
                throw error("bad number");
            }
        }

        private String string() {
            position++; // opening quote
            StringBuilder out = new StringBuilder();
            while (true) {
                if (atEnd()) {
                    throw error("unterminated string");
                }
                char c = text.charAt(position++);
                if (c == '"') {
                    return out.toString();
                }
                if (c != '\\') {
                    out.append(c);
                    continue;
                }
                if (atEnd()) {
                    throw error("unterminated escape");
                }
                char escaped = text.charAt(position++);
                switch (escaped) {
                    case '"', '\\', '/' -> out.append(escaped);
                    case 'n' -> out.append('\n');
                    case 'r' -> out.append('\r');
                    case 't' -> out.append('\t');
                    case 'b' -> out.append('\b');
                    case 'f' -> out.append('\f');
                    case 'u' -> {
                        if (position + 4 > text.length()) {
                            throw error("short unicode escape");
                        }
                        try {
                            out.append((char) Integer.parseInt(text.substring(position, position + 4), 16));
                        } catch (NumberFormatException e) {
                            throw error("bad unicode escape");
                        }
                        position += 4;
                    }
                    default -> throw error("unknown escape \\" + escaped);
                }
            }
        }

        private List<Object> array() {
            position++;
            List<Object> items = new ArrayList<>();
            skipWhitespace();
            if (!atEnd() && text.charAt(position) == ']') {
                position++;
                return Collections.unmodifiableList(items);
            }
            while (true) {
                items.add(value());
                skipWhitespace();
                if (atEnd()) {
                    throw error("unterminated array");
                }
                char c = text.charAt(position++);
                if (c == ']') {
                    return Collections.unmodifiableList(items);
                }
                if (c != ',') {
                    throw error("expected ',' or ']'");
                }
            }
        }

        private Map<String, Object> object() {
            position++;
            Map<String, Object> entries = new LinkedHashMap<>();
            skipWhitespace();
            if (!atEnd() && text.charAt(position) == '}') {
                position++;
                return Collections.unmodifiableMap(entries);
            }
            while (true) {
                skipWhitespace();
                if (atEnd() || text.charAt(position) != '"') {
                    throw error("expected a key");
                }
                String key = string();
                skipWhitespace();
                if (atEnd() || text.charAt(position++) != ':') {
                    throw error("expected ':'");
                }
                entries.put(key, value());
                skipWhitespace();
                if (atEnd()) {
                    throw error("unterminated object");
                }
                char c = text.charAt(position++);
                if (c == '}') {
                    return Collections.unmodifiableMap(entries);
                }
                if (c != ',') {
                    throw error("expected ',' or '}'");
                }
            }
        }
    }
}
