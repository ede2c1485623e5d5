package io.smartqueryrouter.okhttp;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** Closes what a test registered, in reverse order, after each test: servers, routers, interceptors. */
abstract class ClosesAfterEach {
    private final List<AutoCloseable> closeLater = new ArrayList<>();

    /** Registers {@code resource} to be closed after the test and returns it. */
    <T extends AutoCloseable> T track(T resource) {
        closeLater.add(resource);
        return resource;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = closeLater.size() - 1; i >= 0; i--) {
            closeLater.get(i).close();
        }
        closeLater.clear();
    }
}
