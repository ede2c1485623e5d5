/** SmartQueryRouter micrometer adapter: filled by its own issue; for now it only declares its module. */
module io.smartqueryrouter.micrometer {
    requires transitive io.smartqueryrouter.core;
}
