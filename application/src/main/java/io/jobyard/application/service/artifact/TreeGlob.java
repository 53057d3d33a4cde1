package io.jobyard.application.service.artifact;

import java.util.regex.Pattern;

/**
 * The {@code glob} of the archive tree listing, matched against an entry's path below the listed directory (a
 * directory's without its trailing slash): {@code *} is any run of characters within a name, {@code **} any run across
 * names ({@code **}{@code /} also none at all, so {@code **}{@code /*.xml} matches {@code a.xml} and {@code a/b/c.xml}),
 * {@code ?} one character within a name; everything else is itself.
 */
final class TreeGlob {
    static final TreeGlob ALL = new TreeGlob(null);

    private final Pattern pattern;

    private TreeGlob(Pattern pattern) {
        this.pattern = pattern;
    }

    static TreeGlob of(String glob) {
        if (glob == null || glob.isEmpty()) {
            return ALL;
        }
        StringBuilder regex = new StringBuilder();
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            if (glob.startsWith("**/", i)) {
                regex.append("(?:.*/)?");
                i += 3;
            } else if (glob.startsWith("**", i)) {
                regex.append(".*");
                i += 2;
            } else if (c == '*') {
                regex.append("[^/]*");
                i++;
            } else if (c == '?') {
                regex.append("[^/]");
                i++;
            } else {
                int end = i;
                while (end < glob.length() && glob.charAt(end) != '*' && glob.charAt(end) != '?') {
                    end++;
                }
                regex.append(Pattern.quote(glob.substring(i, end)));
                i = end;
            }
        }
        return new TreeGlob(Pattern.compile(regex.toString(), Pattern.DOTALL));
    }

    boolean matches(String relativePath) {
        return pattern == null || pattern.matcher(relativePath).matches();
    }
}
