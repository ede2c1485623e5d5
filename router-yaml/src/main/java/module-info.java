/** SmartQueryRouter yaml adapter: filled by its own issue; for now it only declares its module. */
module io.smartqueryrouter.yaml {
    requires transitive io.smartqueryrouter.core;
}
