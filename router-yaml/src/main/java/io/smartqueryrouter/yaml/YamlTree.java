package io.smartqueryrouter.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.fasterxml.jackson.dataformat.yaml.snakeyaml.error.Mark;
import com.fasterxml.jackson.dataformat.yaml.snakeyaml.error.MarkedYAMLException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a small tree that remembers where each key and value starts. Built from
 * Jackson's streaming YAML parser, so every position is the parser's own (1-based line and column).
 */
final class YamlTree {
    /** Far deeper than the format goes; keeps a hostile file from exhausting the stack. */
    private static final int MAX_DEPTH = 64;
    private static final YAMLFactory FACTORY = new YAMLFactory();

    private YamlTree() {
    }

    /** A position in the source, 1-based. */
    record Loc(int line, int column) {
        static Loc of(JsonLocation l) {
            return new Loc(Math.max(1, l.getLineNr()), Math.max(1, l.getColumnNr()));
        }
    }

    /** A node of the tree. */
    sealed interface YNode permits YScalar, YMap, YList {
        Loc loc();
    }

    /** The kind of scalar the YAML parser saw. */
    enum ScalarKind {
        STRING, INT, FLOAT, BOOLEAN, NULL, OTHER
    }

    /**
     * A scalar: its kind, its text as the parser gives it, and for integers the value (so YAML's
     * own integer forms keep the meaning the parser gives them).
     */
    record YScalar(ScalarKind kind, String text, BigInteger integer, Loc loc) implements YNode {
    }

    /** One key of a map, where the key starts, and its value. */
    record YEntry(String key, Loc keyLoc, YNode value) {
    }

    /** A map, keys in file order. */
    record YMap(Map<String, YEntry> entries, Loc loc) implements YNode {
    }

    /** A list. */
    record YList(List<YNode> items, Loc loc) implements YNode {
    }

    /**
     * Parses one YAML document.
     *
     * @return the root, or {@code null} if the text holds no document (empty, or only comments)
     * @throws RouterConfigException on a syntax error, a character YAML does not allow, an alias, a
     *     tag, a key that is not a scalar, a duplicate key or a second document
     */
    static YNode parse(String text, String source) {
        checkCharacters(text, source);
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return null;
            }
            YNode root = read(p, t, "", 0, source);
            if (p.nextToken() != null) {
                Loc at = Loc.of(p.currentTokenLocation());
                throw new RouterConfigException(source, at.line(), at.column(), "",
                        "a second YAML document starts here; the file must hold one document");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw syntaxError(e, source);
        } catch (IOException e) {
            // the parser reads from a String: no real I/O can fail
            throw new UncheckedIOException(source + ": cannot read the YAML text", e);
        }
    }

    private static YNode read(JsonParser p, JsonToken t, String path, int depth, String source) throws IOException {
        Loc loc = Loc.of(p.currentTokenLocation());
        if (depth > MAX_DEPTH) {
            throw new RouterConfigException(source, loc.line(), loc.column(), path,
                    path + " is nested more than " + MAX_DEPTH + " levels deep");
        }
        refuseTag(p, loc, path, source);
        switch (t) {
            case START_OBJECT: {
                Map<String, YEntry> entries = new LinkedHashMap<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String key = p.currentName();
                    Loc keyLoc = Loc.of(p.currentTokenLocation());
                    String keyPath = path.isEmpty() ? key : path + "." + key;
                    refuseTag(p, keyLoc, keyPath, source);
                    YNode value = read(p, p.nextToken(), keyPath, depth + 1, source);
                    YEntry first = entries.get(key);
                    if (first != null) {
                        throw new RouterConfigException(source, keyLoc.line(), keyLoc.column(), keyPath, keyPath
                                + " appears twice (first at line " + first.keyLoc().line() + ", column "
                                + first.keyLoc().column() + "); a key may appear once in a map");
                    }
                    entries.put(key, new YEntry(key, keyLoc, value));
                }
                return new YMap(Collections.unmodifiableMap(entries), loc);
            }
            case START_ARRAY: {
                List<YNode> items = new ArrayList<>();
                for (JsonToken i = p.nextToken(); i != JsonToken.END_ARRAY; i = p.nextToken()) {
                    items.add(read(p, i, path + "[" + items.size() + "]", depth + 1, source));
                }
                return new YList(List.copyOf(items), loc);
            }
            case VALUE_STRING:
                if (p instanceof YAMLParser y && y.isCurrentAlias()) {
                    // the alias name is not shown: it may be an unquoted password that starts with '*'
                    throw new RouterConfigException(source, loc.line(), loc.column(), path, path
                            + " is an alias (a value starting with '*'); aliases are not supported: write the value out, "
                            + "in quotes if it starts with '*'");
                }
                return new YScalar(ScalarKind.STRING, p.getText(), null, loc);
            case VALUE_NUMBER_INT:
                return new YScalar(ScalarKind.INT, p.getText(), integer(p), loc);
            case VALUE_NUMBER_FLOAT:
                return new YScalar(ScalarKind.FLOAT, p.getText(), null, loc);
            case VALUE_TRUE:
            case VALUE_FALSE:
                return new YScalar(ScalarKind.BOOLEAN, p.getText(), null, loc);
            case VALUE_NULL:
                return new YScalar(ScalarKind.NULL, "", null, loc);
            default:
                // VALUE_EMBEDDED_OBJECT (!!binary) and anything a later parser may add
                return new YScalar(ScalarKind.OTHER, String.valueOf(p.getText()), null, loc);
        }
    }

    /**
     * Refuses an explicit tag ({@code !!binary}, {@code !!str}, {@code !foo}): the format has one meaning
     * per key, and a tag the reader ignored would change nothing silently. The tag is not shown: an
     * unquoted password may start with '!'.
     */
    private static void refuseTag(JsonParser p, Loc loc, String path, String source) throws IOException {
        if (p.getTypeId() != null) {
            throw new RouterConfigException(source, loc.line(), loc.column(), path, (path.isEmpty() ? "the document" : path)
                    + " has a YAML tag (a word starting with '!', such as !!binary or !foo); tags are not supported: "
                    + "write the plain value, in quotes if it starts with '!'");
        }
    }

    /**
     * Refuses the characters YAML does not allow (YAML 1.1, 5.1: C0 controls but tab, line feed and
     * carriage return; DEL; C1 controls but NEL; surrogates alone; U+FFFE and U+FFFF), at their line and
     * column. The parser finds them too, but reports them at 1:1.
     */
    static void checkCharacters(String text, String source) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            boolean allowed = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0x7E) || c == 0x85
                    || (c >= 0xA0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
            if (!allowed) {
                throw new RouterConfigException(source, line, column, "", String.format(
                        "the character U+%04X (a control or non-character) is not allowed in YAML; remove it", c));
            }
            i += Character.charCount(c);
            if (c == '\n' || c == '\r' && (i >= text.length() || text.charAt(i) != '\n')) {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
    }

    private static BigInteger integer(JsonParser p) {
        try {
            return p.getBigIntegerValue();
        } catch (IOException | RuntimeException e) {
            // a form the parser tags as an integer but cannot convert: the reader reports the text
            return null;
        }
    }

    /**
     * Turns a parse failure into a located error. The message is rebuilt from the YAML problem and
     * position only: Jackson's own message quotes the source line, which may hold a password.
     * Jackson 2 throws its {@code MarkedYAMLException} wrapper for every SnakeYAML syntax error; it is
     * deprecated only in favour of Jackson 3's API, and reading it keeps SnakeYAML out of our module.
     */
    @SuppressWarnings("deprecation")
    private static RouterConfigException syntaxError(JsonProcessingException e, String source) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof MarkedYAMLException m && m.getProblemMark() != null) {
                Mark at = m.getProblemMark();
                String problem = m.getProblem() == null ? "invalid YAML" : m.getProblem();
                String context = "";
                if (m.getContext() != null && m.getContextMark() != null) {
                    context = " (" + m.getContext() + " at line " + (m.getContextMark().getLine() + 1)
                            + ", column " + (m.getContextMark().getColumn() + 1) + ")";
                }
                return new RouterConfigException(source, at.getLine() + 1, at.getColumn() + 1, "",
                        "YAML syntax error: " + (problem + context).replace('\n', ' ') + hint(problem));
            }
        }
        JsonLocation l = e.getLocation();
        Loc at = l == null ? new Loc(1, 1) : Loc.of(l);
        String problem = e.getOriginalMessage() == null ? "invalid YAML" : e.getOriginalMessage();
        if (problem.startsWith("Expected a field name")) {
            // Jackson's words name the SnakeYAML event it met: say it as a user wrote it
            return new RouterConfigException(source, at.line(), at.column(), "", "a map key must be a plain value "
                    + "such as a name; a list or a map as a key (a complex key, '? ') is not supported");
        }
        // keep the problem, not the quoted source that follows it, nor the parser's class names
        int snippet = problem.indexOf('\n');
        problem = snippet >= 0 ? problem.substring(0, snippet) : problem;
        int internals = problem.indexOf("<org.yaml.");
        if (internals >= 0) {
            problem = problem.substring(0, internals).strip();
        }
        return new RouterConfigException(source, at.line(), at.column(), "", "YAML syntax error: " + problem);
    }

    /** Says what usually causes the two problems people meet most, which SnakeYAML words for its own sake. */
    private static String hint(String problem) {
        if (problem.startsWith("mapping values are not allowed")) {
            return "; a value that holds ': ' must be quoted, and a key must line up with the keys above it";
        }
        if (problem.startsWith("expected <block end>")) {
            return "; this line is indented differently from the keys above it";
        }
        return "";
    }
}
