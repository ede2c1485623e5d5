package io.smartqueryrouter.okhttp.internal;

import okhttp3.Call;
import okhttp3.EventListener;

/**
 * Tells whether the current attempt of a call started to write its request: OkHttp reports
 * {@code requestHeadersStart} only once a connection is up (DNS, TCP and TLS done), so a failure
 * seen while this is still false happened before any byte of the request left, and the request
 * may go to another node whatever its method.
 *
 * <p>Attempts of one call are sequential: {@link #reset()} before each, {@link #sent()} after it.
 */
public final class SendTracker extends EventListener {
    private volatile boolean sent;

    /** Forgets the previous attempt. */
    public void reset() {
        sent = false;
    }

    /** Returns whether the request headers started to be written since the last {@link #reset()}. */
    public boolean sent() {
        return sent;
    }

    @Override
    public void requestHeadersStart(Call call) {
        sent = true;
    }
}
