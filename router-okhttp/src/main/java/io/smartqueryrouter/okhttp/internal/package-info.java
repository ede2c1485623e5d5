/** Implementation details of the OkHttp adapter; not exported. */
package io.smartqueryrouter.okhttp.internal;
