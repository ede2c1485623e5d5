/** SmartQueryRouter jdbc adapter: filled by its own issue; for now it only declares its module. */
module io.smartqueryrouter.jdbc {
    requires transitive io.smartqueryrouter.core;
}
