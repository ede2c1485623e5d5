package io.smartqueryrouter.examples.boot;

import java.io.IOException;
import java.util.Map;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** The example's endpoints: one HTTP call through the catalog router, reads and writes through the data source. */
@RestController
public class ExampleController {
    private final OkHttpClient client;
    private final Orders orders;

    ExampleController(OkHttpClient client, Orders orders) {
        this.client = client;
        this.orders = orders;
    }

    /**
     * Fetches an item from the catalog: {@code http://catalog/...} is the router's logical host.
     *
     * @param id the item
     * @return the backend's answer
     * @throws IOException if no catalog node answered
     */
    @GetMapping("/catalog/{id}")
    public String item(@PathVariable("id") String id) throws IOException {
        try (Response r = client.newCall(new Request.Builder().url("http://catalog/items/" + id).build()).execute()) {
            return r.code() + " " + r.body().string();
        }
    }

    /** {@return the orders and the database that served the read} */
    @GetMapping("/orders")
    public Map<String, Object> list() {
        return orders.read();
    }

    /** {@return the new order's id and the database that took the write} */
    @PostMapping("/orders")
    public Map<String, Object> add() {
        return orders.write();
    }
}
