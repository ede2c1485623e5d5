/** Test helpers for code that uses SmartQueryRouter. */
module io.smartqueryrouter.testkit {
    requires transitive io.smartqueryrouter.core;

    exports io.smartqueryrouter.testkit;
}
