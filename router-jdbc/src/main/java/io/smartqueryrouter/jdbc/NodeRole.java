package io.smartqueryrouter.jdbc;

import java.util.Locale;

/** The role of a database node: where writes may go. */
public enum NodeRole {
    /** Takes writes (and reads when no replica can). */
    PRIMARY,
    /** Takes reads only; may lag behind the primary. */
    REPLICA;

    /** {@return the role's lowercase name, as used in node labels and probe attributes} */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Returns the role with the given label, or {@code null} for anything else. */
    static NodeRole ofLabel(String label) {
        if ("primary".equals(label)) {
            return PRIMARY;
        }
        return "replica".equals(label) ? REPLICA : null;
    }
}
