/**
 * SmartQueryRouter for OkHttp 5: {@link io.smartqueryrouter.okhttp.RoutingInterceptor} routes the
 * calls of a logical service to the best of its nodes (or pins one address of a multi-address host)
 * and fails over when repeating is safe ({@link io.smartqueryrouter.okhttp.RepeatRule});
 * {@link io.smartqueryrouter.okhttp.HttpHealthProbe} checks nodes over HTTP;
 * {@link io.smartqueryrouter.okhttp.DnsRouter} keeps a router over a host's addresses in step with DNS.
 */
package io.smartqueryrouter.okhttp;
