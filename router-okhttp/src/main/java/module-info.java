/** SmartQueryRouter okhttp adapter: filled by its own issue; for now it only declares its module. */
module io.smartqueryrouter.okhttp {
    requires transitive io.smartqueryrouter.core;
}
