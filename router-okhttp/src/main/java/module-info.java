/**
 * SmartQueryRouter for OkHttp 5: an application interceptor that sends the calls of a logical
 * service to the best of its nodes, or pins one address of a multi-address host, fails over only
 * when repeating is safe, and an HTTP health probe.
 */
module io.smartqueryrouter.okhttp {
    requires transitive io.smartqueryrouter.core;
    requires transitive okhttp3;

    exports io.smartqueryrouter.okhttp;
}
