package io.smartqueryrouter.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import org.junit.jupiter.api.Test;

/** Which failures have a connection evicted when statements are made behind HikariCP's proxy: HikariCP's own rule. */
class HikariStatementsTest {
    /** A pool that is never started: only its settings are read. */
    private final HikariDataSource pool = new HikariDataSource();

    @Test
    void hikariCp6OrLaterIsOnTheTestClassPath() {
        assertThat(NodeDataSources.hikariStatementsUsable()).isTrue();
    }

    @Test
    void connectionClassStatesAndHikariCpsListEvict() {
        for (String state : new String[] {"08000", "08003", "08006", "08S01", "57P01", "57P02", "57P03", "0A000", "01002",
                "JZ0C0", "JZ0C1"}) {
            assertThat(HikariStatements.fatal(pool, new SQLException("x", state))).as(state).isTrue();
        }
        for (int code : new int[] {500150, 2399, 1105}) {
            assertThat(HikariStatements.fatal(pool, new SQLException("x", "HY000", code))).as("code %d", code).isTrue();
        }
    }

    @Test
    void theCallersFailuresAndTimeoutsDoNot() {
        for (String state : new String[] {"42P01", "23505", "40001", "57014", "25001", "HY000"}) {
            assertThat(HikariStatements.fatal(pool, new SQLException("x", state))).as(state).isFalse();
        }
        assertThat(HikariStatements.fatal(pool, new SQLException("no state"))).isFalse();
        // HikariCP 5 evicted on a timeout; 6 and later do not
        assertThat(HikariStatements.fatal(pool, new SQLTimeoutException("statement timeout", "57014"))).isFalse();
    }

    @Test
    void nextExceptionsAreFollowedTenDeep() {
        SQLException head = new SQLException("batch", "42000");
        SQLException tail = head;
        for (int i = 0; i < 8; i++) {
            SQLException next = new SQLException("batch " + i, "23505");
            tail.setNextException(next);
            tail = next;
        }
        tail.setNextException(new SQLException("tenth", "08006"));
        assertThat(HikariStatements.fatal(pool, head)).as("the tenth is looked at").isTrue();
        SQLException deeper = new SQLException("batch", "42000");
        deeper.setNextException(head);
        assertThat(HikariStatements.fatal(pool, deeper)).as("the eleventh is not").isFalse();
    }

    @Test
    void thePoolsExceptionOverrideDecidesFirst() {
        pool.setExceptionOverride(new SQLExceptionOverride() {
            @java.lang.Override
            public Override adjudicate(SQLException e) {
                return switch (e.getSQLState()) {
                    case "08006" -> Override.DO_NOT_EVICT;
                    case "42XYZ" -> Override.MUST_EVICT;
                    default -> Override.CONTINUE_EVICT;
                };
            }
        });
        assertThat(HikariStatements.fatal(pool, new SQLException("x", "08006"))).isFalse();
        assertThat(HikariStatements.fatal(pool, new SQLException("x", "42XYZ"))).isTrue();
        assertThat(HikariStatements.fatal(pool, new SQLException("x", "57P01"))).isTrue();
        assertThat(HikariStatements.fatal(pool, new SQLException("x", "42P01"))).isFalse();
    }
}
